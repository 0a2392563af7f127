use std::time::{Duration, Instant};

use flashfusion_assistant::provider::{self, Finish, ProviderKind, StreamEvent};
use flashfusion_assistant::test_server::{FakeProvider, Reply};
use flashfusion_core::Code;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use crate::{ask, ask_with, config, deltas, KEY};

fn error(status: u16, retry_after: Option<&str>, kind: &str, message: &str) -> Reply {
    Reply::Error {
        status,
        headers: retry_after.map(|value| vec![("retry-after".to_owned(), value.to_owned())]).unwrap_or_default(),
        body: json!({"error": {"message": message, "type": kind, "param": null, "code": kind}}),
    }
}

#[tokio::test]
async fn a_bad_key_is_an_auth_error_for_both_providers() {
    for kind in [ProviderKind::OpenAi, ProviderKind::Anthropic] {
        let server = FakeProvider::start(kind, Some(KEY)).await.unwrap();
        let (result, _) = ask_with(&config(kind, &server.base_url), Some("wrong"), &CancellationToken::new()).await;
        let error = result.unwrap_err();
        assert_eq!(error.code, Code::AuthFailed, "{kind:?}: {error:?}");
        assert!(error.message.contains("API key"), "{}", error.message);
        assert!(!error.message.contains("wrong"), "the key must not be echoed: {}", error.message);
    }
}

#[tokio::test]
async fn no_quota_is_its_own_error_and_is_not_retried() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(error(429, Some("1"), "insufficient_quota", "You exceeded your current quota."));
    let (result, events) = ask(&server, ProviderKind::OpenAi).await;
    assert_eq!(result.unwrap_err().code, Code::QuotaExceeded);
    assert!(events.is_empty());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn rate_limits_wait_for_retry_after_then_succeed() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(error(429, Some("1"), "rate_limit_exceeded", "Rate limit reached"));
    let started = Instant::now();
    let (result, events) = ask(&server, ProviderKind::OpenAi).await;
    assert_eq!(result.unwrap().text, "Hello from the fake provider.");
    assert!(started.elapsed() >= Duration::from_millis(950), "waited only {:?}", started.elapsed());
    assert_eq!(events[0], StreamEvent::Retrying { attempt: 1, wait_seconds: 1.0 });
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_long_retry_after_is_reported_not_waited_out() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(error(429, Some("3600"), "rate_limit_exceeded", "Rate limit reached"));
    let (result, _) = ask(&server, ProviderKind::OpenAi).await;
    let error = result.unwrap_err();
    assert_eq!(error.code, Code::RateLimited);
    assert!(error.message.contains("3600 s"), "{}", error.message);
}

#[tokio::test]
async fn server_errors_and_refused_requests_say_what_happened() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(error(500, None, "server_error", "The server had an error"));
    let (result, _) = ask(&server, ProviderKind::OpenAi).await;
    assert_eq!(result.unwrap_err().code, Code::ProviderError);
    server.push(error(404, None, "model_not_found", "The model `x` does not exist"));
    let (result, _) = ask(&server, ProviderKind::OpenAi).await;
    let error = result.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput);
    assert!(error.message.contains("does not exist"), "{}", error.message);
}

#[tokio::test]
async fn a_silent_server_times_out() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    server.push(Reply::Answer { text: "slow".into(), chunk_chars: 1, usage: None, delay: Duration::from_secs(3) });
    let mut settings = config(ProviderKind::OpenAi, &server.base_url);
    settings.timeout_seconds = 1;
    let (result, _) = ask_with(&settings, Some(KEY), &CancellationToken::new()).await;
    // The first piece (the role chunk) has no text; the stream then stalls.
    assert_eq!(result.unwrap_err().code, Code::Timeout);
}

#[tokio::test]
async fn nothing_listening_is_offline() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = config(ProviderKind::OpenAi, &format!("http://127.0.0.1:{port}/v1"));
    let (result, _) = ask_with(&settings, Some(KEY), &CancellationToken::new()).await;
    let error = result.unwrap_err();
    assert_eq!(error.code, Code::Offline, "{error:?}");
    assert!(error.message.contains("Could not reach"), "{}", error.message);
}

#[tokio::test]
async fn stop_ends_the_answer_at_once_and_keeps_the_text() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    let long = "word ".repeat(200);
    server.push(Reply::Answer { text: long, chunk_chars: 5, usage: None, delay: Duration::from_millis(50) });
    let cancel = CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stopper.cancel();
    });
    let started = Instant::now();
    let (result, events) = ask_with(&config(ProviderKind::OpenAi, &server.base_url), Some(KEY), &cancel).await;
    let completion = result.unwrap();
    assert_eq!(completion.finish, Finish::Cancelled);
    assert!(started.elapsed() < Duration::from_millis(600), "took {:?}", started.elapsed());
    assert!(!completion.text.is_empty() && completion.text.len() < 1000);
    assert_eq!(deltas(&events), completion.text);
}

#[tokio::test]
async fn test_connection_lists_models_or_says_why_not() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    let http = provider::http_client().unwrap();
    let settings = config(ProviderKind::OpenAi, &server.base_url);
    assert_eq!(provider::list_models(&http, &settings, Some(KEY)).await.unwrap(), ["fake-model"]);
    assert_eq!(provider::list_models(&http, &settings, Some("bad")).await.unwrap_err().code, Code::AuthFailed);
}

#[tokio::test]
async fn absurd_retry_after_values_do_not_panic() {
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await.unwrap();
    for value in ["inf", "1e20", "-5", "soon"] {
        server.push(error(429, Some(value), "rate_limit_exceeded", "Rate limit reached"));
        let (result, _) = ask(&server, ProviderKind::OpenAi).await;
        // Either it retried at once (a negative or unparsable wait) or it reported the limit.
        assert!(result.is_ok() || result.as_ref().unwrap_err().code == Code::RateLimited, "{value}: {result:?}");
    }
}
