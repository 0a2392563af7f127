use flashfusion_assistant::provider::{Finish, ProviderKind, TokenUsage};
use flashfusion_assistant::test_server::{anthropic_chunks, openai_chunks, FakeProvider, Reply};
use flashfusion_core::Code;

use crate::{ask, deltas, KEY, SHORT};

const ANSWER: &str = "Here is the fix: `let x = 1;` — done ✓ (ünïcödé).";

#[tokio::test]
async fn openai_answers_stream_with_usage_from_the_final_chunk() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(Reply::Answer { text: ANSWER.into(), chunk_chars: 3, usage: Some((42, 17)), delay: SHORT });
    let (result, events) = ask(&server, ProviderKind::OpenAi).await;
    let completion = result.unwrap();
    assert_eq!(completion.text, ANSWER);
    assert_eq!(deltas(&events), ANSWER);
    assert_eq!(completion.finish, Finish::Stop);
    assert_eq!(completion.usage, Some(TokenUsage { prompt_tokens: 42, completion_tokens: 17 }));
    let request = &server.requests()[0];
    assert_eq!(request.path, "/v1/chat/completions");
    assert_eq!(request.body["messages"][0]["role"], "system");
    assert_eq!(request.body["messages"][1]["content"], "hi");
}

#[tokio::test]
async fn anthropic_answers_stream_with_usage_from_message_events() {
    let server = FakeProvider::start(ProviderKind::Anthropic, Some(KEY)).await.unwrap();
    server.push(Reply::Answer { text: ANSWER.into(), chunk_chars: 4, usage: Some((30, 12)), delay: SHORT });
    let (result, events) = ask(&server, ProviderKind::Anthropic).await;
    let completion = result.unwrap();
    assert_eq!(completion.text, ANSWER);
    assert_eq!(deltas(&events), ANSWER);
    assert_eq!(completion.usage, Some(TokenUsage { prompt_tokens: 30, completion_tokens: 12 }));
    let request = &server.requests()[0];
    assert_eq!(request.path, "/v1/messages");
    assert_eq!(request.body["system"], "You are a test.");
    assert_eq!(request.headers["x-api-key"], KEY);
}

/// Every legal way of cutting the same stream into network reads gives the
/// same answer: one byte at a time.
#[tokio::test]
async fn streams_split_at_every_byte_decode_the_same() {
    for kind in [ProviderKind::OpenAi, ProviderKind::Anthropic] {
        let server = FakeProvider::start(kind, Some(KEY)).await.unwrap();
        let chunks = match kind {
            ProviderKind::OpenAi => openai_chunks("m", ANSWER, 2, Some((5, 6))),
            ProviderKind::Anthropic => anthropic_chunks("m", ANSWER, 2, Some((5, 6))),
        };
        let bytes: Vec<Vec<u8>> = chunks.concat().into_iter().map(|byte| vec![byte]).collect();
        server.push(Reply::Raw { chunks: bytes, delay: std::time::Duration::ZERO, cut: false });
        let (result, _) = ask(&server, kind).await;
        let completion = result.unwrap();
        assert_eq!(completion.text, ANSWER, "{kind:?}");
        assert_eq!(completion.usage, Some(TokenUsage { prompt_tokens: 5, completion_tokens: 6 }), "{kind:?}");
    }
}

/// CRLF line ends, keep-alive comments, an `event:`-less stream, multi-line
/// `data:` (a JSON value split over lines), and a usage chunk with
/// `choices: null`.
#[tokio::test]
async fn crlf_comments_multiline_data_and_null_choices_are_understood() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    let stream = concat!(
        ": keep-alive\r\n\r\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\r\n\r\n",
        ":another comment\r\n",
        "data: {\"choices\":[{\"index\":0,\r\n",
        "data: \"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}\r\n\r\n",
        "data:{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\r\n\r\n",
        "data: {\"choices\":null,\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\r\n\r\n",
        "data: [DONE]\r\n\r\n",
    );
    server.push(Reply::Raw { chunks: vec![stream.as_bytes().to_vec()], delay: SHORT, cut: false });
    let (result, _) = ask(&server, ProviderKind::OpenAi).await;
    let completion = result.unwrap();
    assert_eq!(completion.text, "Hello");
    assert_eq!(completion.finish, Finish::Length);
    assert_eq!(completion.usage, Some(TokenUsage { prompt_tokens: 3, completion_tokens: 2 }));
}

#[tokio::test]
async fn a_stream_cut_mid_answer_keeps_the_partial_text_and_says_so() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    let mut chunks = openai_chunks("m", "Partial answer that never ends", 5, None);
    chunks.truncate(4);
    // The last piece stops in the middle of an event.
    chunks.push(b"data: {\"choices\":[{\"index\":0,\"del".to_vec());
    server.push(Reply::Raw { chunks, delay: SHORT, cut: true });
    let (result, events) = ask(&server, ProviderKind::OpenAi).await;
    let completion = result.unwrap();
    assert_eq!(completion.text, "Partial answer ");
    assert_eq!(deltas(&events), "Partial answer ");
    assert!(matches!(completion.finish, Finish::Interrupted(_)), "{:?}", completion.finish);
}

#[tokio::test]
async fn a_stream_that_ends_without_finishing_is_interrupted_not_complete() {
    let server = FakeProvider::start(ProviderKind::Anthropic, Some(KEY)).await.unwrap();
    let mut chunks = anthropic_chunks("m", "Half of it", 5, None);
    chunks.truncate(5);
    server.push(Reply::Raw { chunks, delay: SHORT, cut: false });
    let (result, _) = ask(&server, ProviderKind::Anthropic).await;
    let completion = result.unwrap();
    assert_eq!(completion.text, "Half of it");
    assert!(matches!(completion.finish, Finish::Interrupted(_)));
}

#[tokio::test]
async fn a_stream_cut_before_any_text_is_an_error() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(Reply::Raw { chunks: vec![b": hello\n\n".to_vec()], delay: SHORT, cut: true });
    let (result, _) = ask(&server, ProviderKind::OpenAi).await;
    assert_eq!(result.unwrap_err().code, Code::ProviderError);
}

#[tokio::test]
async fn an_error_event_mid_stream_keeps_the_text_and_reports_it() {
    let server = FakeProvider::start(ProviderKind::Anthropic, Some(KEY)).await.unwrap();
    let mut chunks = anthropic_chunks("m", "Some text", 4, None);
    chunks.truncate(5);
    chunks.push(
        b"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
            .to_vec(),
    );
    server.push(Reply::Raw { chunks, delay: SHORT, cut: false });
    let (result, _) = ask(&server, ProviderKind::Anthropic).await;
    let completion = result.unwrap();
    assert_eq!(completion.text, "Some tex");
    match completion.finish {
        Finish::Interrupted(reason) => assert!(reason.contains("Overloaded"), "{reason}"),
        other => panic!("expected an interrupted answer, got {other:?}"),
    }
}
