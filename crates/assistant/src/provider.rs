//! Chat providers over HTTP with streamed answers (SSE): OpenAI-compatible
//! Chat Completions (OpenAI, Ollama, any base URL) and Anthropic Messages.
//! Failures become errors a user can act on; a stream that breaks after text
//! arrived keeps that text and says it is partial.

use std::time::Duration;

use flashfusion_core::{Code, Error, Result};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::sse::{SseDecoder, SseEvent};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ProviderKind {
    /// OpenAI's Chat Completions API and everything that speaks it (Ollama,
    /// LM Studio, vLLM, OpenRouter, …).
    OpenAi,
    Anthropic,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderConfig {
    pub kind: ProviderKind,
    /// Up to and including the version segment: `https://api.openai.com/v1`,
    /// `http://localhost:11434/v1`, `https://api.anthropic.com/v1`.
    pub base_url: String,
    pub model: String,
    pub max_output_tokens: u32,
    /// How long to wait for the answer to start, and at most between two
    /// pieces of it.
    pub timeout_seconds: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatRequest {
    pub system: String,
    pub messages: Vec<ChatMessage>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenUsage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// The model finished its answer.
    Stop,
    /// The answer hit the output-token limit: it is cut short.
    Length,
    /// The provider's safety filter stopped (or refused) the answer.
    Filtered,
    /// The stream broke off; the text is partial.
    Interrupted(String),
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub finish: Finish,
    pub usage: Option<TokenUsage>,
}

/// What happens while an answer streams in.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// The first byte of the answer arrived (Unix ms, sub-ms precision).
    FirstByte {
        at_epoch_ms: f64,
    },
    Delta(String),
    /// Rate limited: waiting before trying again.
    Retrying {
        attempt: u32,
        wait_seconds: f64,
    },
}

/// Attempts after a 429/503 before giving up.
const MAX_RETRIES: u32 = 3;
/// A Retry-After longer than this is reported rather than waited out.
const LONGEST_WAIT: Duration = Duration::from_secs(60);

pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|error| Error::internal(format!("could not set up HTTP: {error}")))
}

/// Streams one answer. Errors before any text are `Err`; once text arrived,
/// a broken stream ends as [`Finish::Interrupted`] with the partial text.
pub async fn stream_chat(
    http: &reqwest::Client,
    config: &ProviderConfig,
    api_key: Option<&str>,
    request: &ChatRequest,
    cancel: &CancellationToken,
    on_event: &mut (dyn FnMut(StreamEvent) + Send),
) -> Result<Completion> {
    let timeout = Duration::from_secs(u64::from(config.timeout_seconds.max(1)));
    let mut attempt = 0;
    let response = loop {
        let call = build_request(http, config, api_key, request).send();
        let response = tokio::select! {
            () = cancel.cancelled() => return Ok(cancelled(String::new(), None)),
            result = tokio::time::timeout(timeout, call) => match result {
                Err(_) => return Err(timed_out(config, timeout)),
                Ok(Err(error)) => return Err(transport_error(config, &error)),
                Ok(Ok(response)) => response,
            },
        };
        if response.status().is_success() {
            break response;
        }
        let error = response_error(config, response).await;
        match error.retry_after {
            Some(wait) if attempt < MAX_RETRIES && wait <= LONGEST_WAIT => {
                attempt += 1;
                tracing::info!(attempt, wait_seconds = wait.as_secs_f64(), "provider asked us to wait; retrying");
                on_event(StreamEvent::Retrying { attempt, wait_seconds: wait.as_secs_f64() });
                tokio::select! {
                    () = cancel.cancelled() => return Ok(cancelled(String::new(), None)),
                    () = tokio::time::sleep(wait) => {}
                }
            }
            _ => return Err(error.error),
        }
    };
    read_stream(config, response, timeout, cancel, on_event).await
}

fn build_request(
    http: &reqwest::Client,
    config: &ProviderConfig,
    api_key: Option<&str>,
    request: &ChatRequest,
) -> reqwest::RequestBuilder {
    let base = config.base_url.trim_end_matches('/');
    match config.kind {
        ProviderKind::OpenAi => {
            let mut messages = vec![json!({"role": "system", "content": request.system})];
            messages.extend(request.messages.iter().map(|message| json!(message)));
            let body = json!({
                "model": config.model,
                "messages": messages,
                "stream": true,
                "stream_options": {"include_usage": true},
                "max_tokens": config.max_output_tokens,
            });
            let builder = http.post(format!("{base}/chat/completions")).json(&body);
            match api_key {
                Some(key) => builder.bearer_auth(key),
                None => builder,
            }
        }
        ProviderKind::Anthropic => {
            let body = json!({
                "model": config.model,
                "system": request.system,
                "messages": request.messages,
                "max_tokens": config.max_output_tokens,
                "stream": true,
            });
            http.post(format!("{base}/messages"))
                .header("x-api-key", api_key.unwrap_or_default())
                .header("anthropic-version", "2023-06-01")
                .json(&body)
        }
    }
}

/// Lists the provider's models: the "Test connection" button.
pub async fn list_models(
    http: &reqwest::Client,
    config: &ProviderConfig,
    api_key: Option<&str>,
) -> Result<Vec<String>> {
    let base = config.base_url.trim_end_matches('/');
    let mut builder = http.get(format!("{base}/models"));
    builder = match (config.kind, api_key) {
        (ProviderKind::OpenAi, Some(key)) => builder.bearer_auth(key),
        (ProviderKind::OpenAi, None) => builder,
        (ProviderKind::Anthropic, key) => {
            builder.header("x-api-key", key.unwrap_or_default()).header("anthropic-version", "2023-06-01")
        }
    };
    let timeout = Duration::from_secs(u64::from(config.timeout_seconds.max(1)));
    let response = match tokio::time::timeout(timeout, builder.send()).await {
        Err(_) => return Err(timed_out(config, timeout)),
        Ok(Err(error)) => return Err(transport_error(config, &error)),
        Ok(Ok(response)) => response,
    };
    if !response.status().is_success() {
        return Err(response_error(config, response).await.error);
    }
    let body: Value = response.json().await.map_err(|error| {
        Error::new(
            Code::ProviderError,
            format!("{} answered /models with something that is not JSON: {error}", shown_url(&config.base_url)),
        )
    })?;
    let models = body["data"].as_array().or_else(|| body["models"].as_array()).cloned().unwrap_or_default();
    Ok(models.iter().filter_map(|model| model["id"].as_str().or(model["name"].as_str()).map(str::to_owned)).collect())
}

/// Accumulates the answer from provider events.
#[derive(Default)]
struct Answer {
    text: String,
    usage: Option<TokenUsage>,
    finish: Option<Finish>,
    done: bool,
}

impl Answer {
    /// Applies one SSE event; `Err` is an error event from the provider.
    fn apply(&mut self, kind: ProviderKind, event: &SseEvent) -> std::result::Result<Option<String>, String> {
        match kind {
            ProviderKind::OpenAi => self.apply_openai(event),
            ProviderKind::Anthropic => self.apply_anthropic(event),
        }
    }

    fn apply_openai(&mut self, event: &SseEvent) -> std::result::Result<Option<String>, String> {
        if event.data.trim() == "[DONE]" {
            self.done = true;
            return Ok(None);
        }
        let chunk: Value = serde_json::from_str(&event.data)
            .map_err(|error| format!("the provider sent a piece of the answer that is not JSON ({error})"))?;
        if let Some(error) = chunk.get("error").filter(|error| !error.is_null()) {
            return Err(error_message(error));
        }
        if let Some(usage) = chunk.get("usage").filter(|usage| usage.is_object()) {
            self.usage = Some(TokenUsage {
                prompt_tokens: count(&usage["prompt_tokens"]),
                completion_tokens: count(&usage["completion_tokens"]),
            });
        }
        // The final usage chunk has `choices: []` (or null).
        let Some(choice) = chunk["choices"].as_array().and_then(|choices| choices.first()) else {
            return Ok(None);
        };
        match choice["finish_reason"].as_str() {
            Some("length") => self.finish = Some(Finish::Length),
            Some("content_filter") => self.finish = Some(Finish::Filtered),
            Some(_) => self.finish = Some(Finish::Stop),
            None => {}
        }
        Ok(choice["delta"]["content"].as_str().filter(|text| !text.is_empty()).map(str::to_owned))
    }

    fn apply_anthropic(&mut self, event: &SseEvent) -> std::result::Result<Option<String>, String> {
        let data: Value = match event.event.as_deref() {
            Some("ping") => return Ok(None),
            _ => serde_json::from_str(&event.data)
                .map_err(|error| format!("the provider sent a piece of the answer that is not JSON ({error})"))?,
        };
        match data["type"].as_str().or(event.event.as_deref()) {
            Some("message_start") => {
                let usage = &data["message"]["usage"];
                let prompt_tokens = count(&usage["input_tokens"])
                    + count(&usage["cache_creation_input_tokens"])
                    + count(&usage["cache_read_input_tokens"]);
                self.usage = Some(TokenUsage { prompt_tokens, completion_tokens: count(&usage["output_tokens"]) });
                Ok(None)
            }
            Some("content_block_delta") if data["delta"]["type"] == "text_delta" => {
                Ok(data["delta"]["text"].as_str().filter(|text| !text.is_empty()).map(str::to_owned))
            }
            Some("message_delta") => {
                if let Some(output) = data["usage"]["output_tokens"].as_u64() {
                    let usage = self.usage.get_or_insert_with(TokenUsage::default);
                    usage.completion_tokens = u32::try_from(output).unwrap_or(u32::MAX);
                }
                match data["delta"]["stop_reason"].as_str() {
                    Some("max_tokens" | "model_context_window_exceeded") => self.finish = Some(Finish::Length),
                    Some("refusal") => self.finish = Some(Finish::Filtered),
                    Some(_) => self.finish = Some(Finish::Stop),
                    None => {}
                }
                Ok(None)
            }
            Some("message_stop") => {
                self.done = true;
                Ok(None)
            }
            Some("error") => Err(error_message(&data["error"])),
            _ => Ok(None),
        }
    }
}

fn count(value: &Value) -> u32 {
    value.as_u64().map(|n| u32::try_from(n).unwrap_or(u32::MAX)).unwrap_or(0)
}

fn error_message(error: &Value) -> String {
    error["message"].as_str().map(str::to_owned).unwrap_or_else(|| error.to_string())
}

async fn read_stream(
    config: &ProviderConfig,
    response: reqwest::Response,
    idle_timeout: Duration,
    cancel: &CancellationToken,
    on_event: &mut (dyn FnMut(StreamEvent) + Send),
) -> Result<Completion> {
    let mut body = response.bytes_stream();
    let mut decoder = SseDecoder::new();
    let mut events = Vec::new();
    let mut answer = Answer::default();
    let mut first_byte = true;
    loop {
        let next = tokio::select! {
            () = cancel.cancelled() => return Ok(cancelled(answer.text, answer.usage)),
            next = tokio::time::timeout(idle_timeout, body.next()) => next,
        };
        let bytes = match next {
            Err(_) => {
                let reason = format!("no data for {} s", idle_timeout.as_secs());
                return broken(config, answer, Code::Timeout, reason);
            }
            Ok(None) => break,
            Ok(Some(Err(error))) => {
                return broken(config, answer, Code::ProviderError, format!("the connection broke ({error})"));
            }
            Ok(Some(Ok(bytes))) => bytes,
        };
        if first_byte {
            first_byte = false;
            on_event(StreamEvent::FirstByte { at_epoch_ms: epoch_ms() });
        }
        decoder.feed(&bytes, &mut events);
        for event in events.drain(..) {
            match answer.apply(config.kind, &event) {
                Ok(Some(delta)) => {
                    answer.text.push_str(&delta);
                    on_event(StreamEvent::Delta(delta));
                }
                Ok(None) => {}
                Err(message) => {
                    let reason = format!("the provider reported an error: {message}");
                    return broken(config, answer, Code::ProviderError, reason);
                }
            }
        }
        if answer.done {
            break;
        }
    }
    if answer.done || (answer.finish.is_some() && !decoder.has_partial_event()) {
        let finish = answer.finish.unwrap_or(Finish::Stop);
        return Ok(Completion { text: answer.text, finish, usage: answer.usage });
    }
    broken(config, answer, Code::ProviderError, "the connection closed before the answer was complete".to_owned())
}

/// A stream that failed: partial text is kept; with no text it is an error.
fn broken(config: &ProviderConfig, answer: Answer, code: Code, reason: String) -> Result<Completion> {
    let base = shown_url(&config.base_url);
    tracing::warn!(base_url = %base, %reason, received = answer.text.len(), "answer stream broke off");
    if answer.text.is_empty() {
        return Err(Error::new(code, format!("{base}: {reason}")));
    }
    Ok(Completion { text: answer.text, finish: Finish::Interrupted(reason), usage: answer.usage })
}

fn cancelled(text: String, usage: Option<TokenUsage>) -> Completion {
    Completion { text, finish: Finish::Cancelled, usage }
}

fn epoch_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs_f64() * 1000.0
}

/// The base URL as it may appear in messages and logs: without any
/// credentials or query it might carry.
pub fn shown_url(base_url: &str) -> String {
    match reqwest::Url::parse(base_url) {
        Ok(mut url) => {
            // Neither call can fail on an http(s) URL; if one did, the URL stays as parsed.
            if url.set_username("").and(url.set_password(None)).is_err() {
                return format!("{}://{}", url.scheme(), url.host_str().unwrap_or("?"));
            }
            url.set_query(None);
            url.to_string().trim_end_matches('/').to_owned()
        }
        Err(_) => "the configured base URL".to_owned(),
    }
}

fn timed_out(config: &ProviderConfig, timeout: Duration) -> Error {
    Error::new(
        Code::Timeout,
        format!(
            "{} did not answer within {} s. Try again, or raise the timeout in the assistant settings.",
            shown_url(&config.base_url),
            timeout.as_secs()
        ),
    )
}

fn transport_error(config: &ProviderConfig, error: &reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::new(Code::Timeout, format!("{} did not answer in time", shown_url(&config.base_url)));
    }
    if error.is_connect() {
        return Error::new(
            Code::Offline,
            format!(
                "Could not reach {}: check the network and the base URL ({})",
                shown_url(&config.base_url),
                root_cause(error)
            ),
        );
    }
    if error.is_builder() {
        return Error::new(Code::InvalidInput, format!("{} is not a usable base URL", shown_url(&config.base_url)));
    }
    Error::new(Code::Offline, format!("The request to {} failed: {}", shown_url(&config.base_url), root_cause(error)))
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

struct ResponseError {
    error: Error,
    retry_after: Option<Duration>,
}

/// Turns an unsuccessful HTTP answer into an error a user understands.
async fn response_error(config: &ProviderConfig, response: reqwest::Response) -> ResponseError {
    let status = response.status().as_u16();
    let retry_after = retry_after(response.headers());
    // A server that sends the status and then stalls must not hang us.
    let body = tokio::time::timeout(Duration::from_secs(10), response.text())
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let detail = parsed.get("error").map(error_message).unwrap_or_else(|| body.chars().take(300).collect());
    let kind = [&parsed["error"]["type"], &parsed["error"]["code"]]
        .iter()
        .filter_map(|value| value.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let base = &shown_url(&config.base_url);
    let out_of_credit = status == 402
        || kind.contains("insufficient_quota")
        || kind.contains("billing")
        || detail.to_ascii_lowercase().contains("credit balance");
    let (code, message, retry_after) = match status {
        _ if out_of_credit => (
            Code::QuotaExceeded,
            format!("The account behind this API key has no credit or quota left ({detail}). Add credit with the provider, or switch providers."),
            None,
        ),
        401 | 403 => (
            Code::AuthFailed,
            format!("{base} refused the API key ({status}: {detail}). Check the key in the assistant settings."),
            None,
        ),
        429 => {
            let wait = retry_after.map(|wait| format!(" Try again in {} s.", wait.as_secs().max(1))).unwrap_or_default();
            (Code::RateLimited, format!("{base} is rate limiting requests ({detail}).{wait}"), retry_after)
        }
        404 => (
            Code::InvalidInput,
            format!("{base} does not know this endpoint or model \"{}\" ({detail}). Check the base URL and model.", config.model),
            None,
        ),
        400 | 422 => (Code::InvalidInput, format!("{base} refused the request ({status}: {detail})"), None),
        408 | 504 => (Code::Timeout, format!("{base} timed out ({status}: {detail})"), None),
        _ => (
            Code::ProviderError,
            format!("{base} had a server error ({status}: {detail}). Try again in a moment."),
            // Overloaded or unavailable servers that say when to come back.
            retry_after.filter(|_| matches!(status, 503 | 529)),
        ),
    };
    tracing::warn!(status, base_url = %base, "provider refused the request");
    ResponseError { error: Error::new(code, message), retry_after }
}

/// `retry-after-ms` (OpenAI) or `Retry-After` in seconds.
fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    // Any number a server sends, even `inf` or `1e20`, must not panic.
    let seconds = |value: f64| Duration::try_from_secs_f64(value.max(0.0)).ok();
    if let Some(millis) = header("retry-after-ms").and_then(|value| value.parse::<f64>().ok()) {
        return seconds(millis / 1000.0);
    }
    header("retry-after").and_then(|value| value.parse::<f64>().ok()).and_then(seconds)
}

#[cfg(test)]
mod tests {
    use super::shown_url;

    #[test]
    fn urls_in_messages_carry_no_credentials() {
        assert_eq!(shown_url("https://user:secret@api.example.com/v1?key=abc"), "https://api.example.com/v1");
        assert_eq!(shown_url("http://localhost:11434/v1/"), "http://localhost:11434/v1");
        assert_eq!(shown_url("not a url"), "the configured base URL");
    }
}
