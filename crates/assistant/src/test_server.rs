//! A local stand-in for an AI provider, for tests and benchmarks: it speaks
//! OpenAI's Chat Completions or Anthropic's Messages wire format exactly
//! (streamed SSE chunks, the final usage chunk, error bodies, Retry-After),
//! checks each request the way the real API would, and records it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::provider::ProviderKind;

/// What the server does with the next chat request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A well-formed streamed answer, `chunk_chars` characters per delta.
    Answer { text: String, chunk_chars: usize, usage: Option<(u32, u32)>, delay: Duration },
    /// Exactly these bytes, in these pieces; `cut` breaks the connection
    /// after the last piece instead of ending the body.
    Raw { chunks: Vec<Vec<u8>>, delay: Duration, cut: bool },
    /// An error status with headers and a JSON body.
    Error { status: u16, headers: Vec<(String, String)>, body: Value },
}

#[derive(Debug, Clone)]
pub struct RecordedRequest {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    replies: VecDeque<Reply>,
    requests: Vec<RecordedRequest>,
}

#[derive(Clone)]
struct ServerState {
    kind: ProviderKind,
    key: Option<String>,
    shared: Arc<Mutex<Shared>>,
}

pub struct FakeProvider {
    /// What to put in the provider settings, e.g. `http://127.0.0.1:1234/v1`.
    pub base_url: String,
    state: ServerState,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeProvider {
    /// Starts on a free loopback port; requests must carry `key` (if given).
    pub async fn start(kind: ProviderKind, key: Option<&str>) -> std::io::Result<Self> {
        let state = ServerState { kind, key: key.map(str::to_owned), shared: Arc::default() };
        let router = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/messages", post(chat))
            .route("/v1/models", get(models))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}/v1", listener.local_addr()?);
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, router).await {
                tracing::error!(%error, "the fake provider stopped");
            }
        });
        Ok(Self { base_url, state, task })
    }

    pub fn push(&self, reply: Reply) {
        self.shared().replies.push_back(reply);
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared().requests.clone()
    }

    fn shared(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.state.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn error_body(kind: ProviderKind, error_type: &str, message: &str) -> Value {
    match kind {
        ProviderKind::OpenAi => {
            json!({"error": {"message": message, "type": error_type, "param": null, "code": error_type}})
        }
        ProviderKind::Anthropic => json!({"type": "error", "error": {"type": error_type, "message": message}}),
    }
}

fn json_response(status: u16, headers: &[(String, String)], body: &Value) -> Response {
    let mut builder = Response::builder().status(status).header("content-type", "application/json");
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    builder.body(Body::from(body.to_string())).unwrap_or_default()
}

fn authorised(state: &ServerState, headers: &HeaderMap) -> bool {
    let Some(expected) = &state.key else { return true };
    let presented = match state.kind {
        ProviderKind::OpenAi => headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::to_owned),
        ProviderKind::Anthropic => headers.get("x-api-key").and_then(|value| value.to_str().ok()).map(str::to_owned),
    };
    presented.as_deref() == Some(expected.as_str())
}

async fn models(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    if !authorised(&state, &headers) {
        return json_response(401, &[], &error_body(state.kind, "invalid_api_key", "Incorrect API key provided."));
    }
    json_response(200, &[], &json!({"object": "list", "data": [{"id": "fake-model", "object": "model"}]}))
}

/// The checks the real APIs make that a client could get wrong.
fn request_problem(kind: ProviderKind, headers: &HeaderMap, body: &Value) -> Option<String> {
    if body["model"].as_str().is_none_or(str::is_empty) {
        return Some("you must provide a model parameter".into());
    }
    if body["stream"] != json!(true) {
        return Some("this server only streams".into());
    }
    let messages = body["messages"].as_array()?;
    match kind {
        ProviderKind::OpenAi => {
            if messages.first().map(|message| &message["role"]) != Some(&json!("system")) {
                return Some("expected the system message first".into());
            }
            if body["stream_options"]["include_usage"] != json!(true) {
                return Some("expected stream_options.include_usage".into());
            }
        }
        ProviderKind::Anthropic => {
            if headers.get("anthropic-version").is_none() {
                return Some("anthropic-version header is required".into());
            }
            if body["max_tokens"].as_u64().is_none() {
                return Some("max_tokens: Field required".into());
            }
            if messages.first().map(|message| &message["role"]) != Some(&json!("user")) {
                return Some("messages: first message must use the \"user\" role".into());
            }
            if messages.windows(2).any(|pair| pair[0]["role"] == pair[1]["role"]) {
                return Some("messages: roles must alternate between \"user\" and \"assistant\"".into());
            }
        }
    }
    if messages.iter().any(|message| message["content"].as_str().is_none()) {
        return Some("every message needs string content".into());
    }
    None
}

async fn chat(State(state): State<ServerState>, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let reply = {
        let mut shared = state.shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        shared.requests.push(RecordedRequest {
            path: uri.path().to_owned(),
            headers: headers.clone(),
            body: body.clone(),
        });
        shared.replies.pop_front()
    };
    if !authorised(&state, &headers) {
        let kind = if state.kind == ProviderKind::OpenAi { "invalid_api_key" } else { "authentication_error" };
        return json_response(401, &[], &error_body(state.kind, kind, "Incorrect API key provided."));
    }
    if let Some(problem) = request_problem(state.kind, &headers, &body) {
        return json_response(400, &[], &error_body(state.kind, "invalid_request_error", &problem));
    }
    let reply = reply.unwrap_or(Reply::Answer {
        text: "Hello from the fake provider.".into(),
        chunk_chars: 5,
        usage: Some((10, 6)),
        delay: Duration::ZERO,
    });
    match reply {
        Reply::Error { status, headers, body } => json_response(status, &headers, &body),
        Reply::Answer { text, chunk_chars, usage, delay } => {
            let model = body["model"].as_str().unwrap_or_default();
            let chunks = match state.kind {
                ProviderKind::OpenAi => openai_chunks(model, &text, chunk_chars, usage),
                ProviderKind::Anthropic => anthropic_chunks(model, &text, chunk_chars, usage),
            };
            streamed(chunks, delay, false)
        }
        Reply::Raw { chunks, delay, cut } => streamed(chunks, delay, cut),
    }
}

fn streamed(chunks: Vec<Vec<u8>>, delay: Duration, cut: bool) -> Response {
    let pieces = futures_util::stream::unfold((chunks.into_iter(), true), move |(mut rest, first)| async move {
        if !first && !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match rest.next() {
            Some(chunk) => Some((Ok::<_, std::io::Error>(Bytes::from(chunk)), (rest, false))),
            // Failing the body stream makes the server drop the connection
            // mid-response, as a network cut would.
            None if cut => Some((Err(std::io::Error::other("cut")), (rest, false))),
            None => None,
        }
    });
    let pieces = futures_util::StreamExt::take_while(pieces, {
        let mut failed = false;
        move |item| {
            let keep = !failed;
            failed |= item.is_err();
            std::future::ready(keep)
        }
    });
    Response::builder()
        .status(StatusCode::OK)
        .header("content-type", "text/event-stream")
        .header("cache-control", "no-cache")
        .body(Body::from_stream(pieces))
        .unwrap_or_default()
}

fn split_text(text: &str, chunk_chars: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(chunk_chars.max(1)).map(|chunk| chunk.iter().collect()).collect()
}

/// OpenAI's streamed chat completion, chunk by chunk as the API sends it.
pub fn openai_chunks(model: &str, text: &str, chunk_chars: usize, usage: Option<(u32, u32)>) -> Vec<Vec<u8>> {
    let chunk = |choices: Value, usage: Value| {
        let mut value = json!({
            "id": "chatcmpl-fake1", "object": "chat.completion.chunk", "created": 1_764_000_000,
            "model": model, "system_fingerprint": "fp_fake", "choices": choices,
        });
        if !usage.is_null() {
            value["usage"] = usage;
        }
        format!("data: {value}\n\n").into_bytes()
    };
    let mut chunks = vec![chunk(
        json!([{"index": 0, "delta": {"role": "assistant", "content": "", "refusal": null}, "logprobs": null, "finish_reason": null}]),
        Value::Null,
    )];
    for piece in split_text(text, chunk_chars) {
        chunks.push(chunk(
            json!([{"index": 0, "delta": {"content": piece}, "logprobs": null, "finish_reason": null}]),
            Value::Null,
        ));
    }
    chunks.push(chunk(json!([{"index": 0, "delta": {}, "logprobs": null, "finish_reason": "stop"}]), Value::Null));
    if let Some((prompt, completion)) = usage {
        chunks.push(chunk(
            json!([]),
            json!({"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}),
        ));
    }
    chunks.push(b"data: [DONE]\n\n".to_vec());
    chunks
}

/// Anthropic's streamed message, event by event as the API sends it.
pub fn anthropic_chunks(model: &str, text: &str, chunk_chars: usize, usage: Option<(u32, u32)>) -> Vec<Vec<u8>> {
    let (input, output) = usage.unwrap_or((0, 0));
    let event = |name: &str, data: Value| format!("event: {name}\ndata: {data}\n\n").into_bytes();
    let mut chunks = vec![
        event(
            "message_start",
            json!({"type": "message_start", "message": {"id": "msg_fake1", "type": "message", "role": "assistant",
                "content": [], "model": model, "stop_reason": null, "stop_sequence": null,
                "usage": {"input_tokens": input, "output_tokens": 1}}}),
        ),
        event(
            "content_block_start",
            json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        ),
        event("ping", json!({"type": "ping"})),
    ];
    for piece in split_text(text, chunk_chars) {
        chunks.push(event(
            "content_block_delta",
            json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}),
        ));
    }
    chunks.push(event("content_block_stop", json!({"type": "content_block_stop", "index": 0})));
    chunks.push(event(
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": output}}),
    ));
    chunks.push(event("message_stop", json!({"type": "message_stop"})));
    chunks
}
