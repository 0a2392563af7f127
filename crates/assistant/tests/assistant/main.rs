#![allow(clippy::unwrap_used)] // Test support: a failed setup step should fail the test loudly.

//! The assistant against local servers that follow the OpenAI and Anthropic
//! wire formats: the real client code on the same path a user's request takes.

mod chat;
mod context;
mod errors;
mod streaming;

use std::time::Duration;

use flashfusion_assistant::provider::{
    self, ChatMessage, ChatRequest, Completion, ProviderConfig, ProviderKind, Role, StreamEvent,
};
use flashfusion_assistant::test_server::FakeProvider;
use flashfusion_core::Result;
use tokio_util::sync::CancellationToken;

pub const KEY: &str = "sk-test-5f2b9c0e-key-that-must-never-be-written";

pub fn config(kind: ProviderKind, base_url: &str) -> ProviderConfig {
    ProviderConfig {
        kind,
        base_url: base_url.to_owned(),
        model: "fake-model".to_owned(),
        max_output_tokens: 256,
        timeout_seconds: 5,
    }
}

pub fn question(text: &str) -> ChatRequest {
    ChatRequest {
        system: "You are a test.".to_owned(),
        messages: vec![ChatMessage { role: Role::User, content: text.to_owned() }],
    }
}

/// Streams one answer from `server`, collecting the events.
pub async fn ask(server: &FakeProvider, kind: ProviderKind) -> (Result<Completion>, Vec<StreamEvent>) {
    ask_with(&config(kind, &server.base_url), Some(KEY), &CancellationToken::new()).await
}

pub async fn ask_with(
    config: &ProviderConfig,
    key: Option<&str>,
    cancel: &CancellationToken,
) -> (Result<Completion>, Vec<StreamEvent>) {
    let http = provider::http_client().unwrap();
    let mut events = Vec::new();
    let result =
        provider::stream_chat(&http, config, key, &question("hi"), cancel, &mut |event| events.push(event)).await;
    (result, events)
}

pub fn deltas(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            StreamEvent::Delta(text) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

pub const SHORT: Duration = Duration::from_millis(20);
