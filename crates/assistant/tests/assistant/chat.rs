//! The assistant service: the real store (SQLite file), a project on disk,
//! secrets in memory, and the fake provider.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flashfusion_assistant::chat::{ApiKeyArgs, ProposeArgs};
use flashfusion_assistant::context::OpenFile;
use flashfusion_assistant::provider::ProviderKind;
use flashfusion_assistant::settings::AssistantSettings;
use flashfusion_assistant::test_server::{FakeProvider, Reply};
use flashfusion_assistant::{Assistant, ChatEvent, SendArgs};
use flashfusion_core::secrets::MemorySecrets;
use flashfusion_core::{Code, ProjectId};
use flashfusion_project::confine::ProjectRoot;
use flashfusion_store::{MessageRole, MessageState, Store};

use crate::{config, KEY};

struct Fixture {
    data: tempfile::TempDir,
    project: tempfile::TempDir,
    project_id: ProjectId,
    assistant: Arc<Assistant>,
    server: FakeProvider,
}

async fn fixture(kind: ProviderKind) -> Fixture {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(project.path().join("src")).unwrap();
    std::fs::write(project.path().join("src/math.js"), "export function add(a, b) {\n  return a - b;\n}\n").unwrap();
    std::fs::write(project.path().join(".env"), format!("OPENAI_API_KEY={KEY}\n")).unwrap();
    let store = Arc::new(Store::open(&data.path().join("flashfusion.sqlite3")).unwrap());
    let project_id = store.open_project_record(&project.path().to_string_lossy(), "p", None).unwrap().id;
    let assistant = Arc::new(Assistant::new(store, Arc::new(MemorySecrets::default())).unwrap());
    let server = FakeProvider::start(kind, Some(KEY)).await.unwrap();
    let settings = AssistantSettings { provider: config(kind, &server.base_url), ..AssistantSettings::default() };
    assistant.update_settings(settings).unwrap();
    assistant.set_api_key(ApiKeyArgs { key: Some(KEY.to_owned()) }).unwrap();
    Fixture { data, project, project_id, assistant, server }
}

impl Fixture {
    fn root(&self) -> ProjectRoot {
        ProjectRoot::new(self.project.path()).unwrap()
    }

    fn args(&self, text: &str) -> SendArgs {
        SendArgs {
            project_id: self.project_id,
            conversation_id: None,
            text: text.to_owned(),
            open_file: Some(OpenFile {
                path: "src/math.js".into(),
                text: std::fs::read_to_string(self.project.path().join("src/math.js")).unwrap(),
                selection: None,
                cursor_line: 2,
            }),
            recent_files: vec![],
            replace_from: None,
        }
    }
}

/// Captures log output in memory while `work` runs on this thread.
#[derive(Clone, Default)]
struct CapturedLog(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn files_containing(folder: &Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if String::from_utf8_lossy(&std::fs::read(&path).unwrap()).contains(needle) {
            found.push(path.display().to_string());
        }
    }
    found
}

#[tokio::test]
async fn a_message_streams_is_stored_with_usage_and_cost_and_the_key_is_never_written() {
    let fixture = fixture(ProviderKind::OpenAi).await;
    let mut settings = fixture.assistant.settings().unwrap();
    settings.prices.push(flashfusion_assistant::settings::ModelPrice {
        model: "fake-model".into(),
        input_per_million: 1.0,
        output_per_million: 2.0,
    });
    fixture.assistant.update_settings(settings).unwrap();
    fixture.server.push(Reply::Answer {
        text: "The bug is the minus.".into(),
        chunk_chars: 4,
        usage: Some((1000, 500)),
        delay: Duration::ZERO,
    });

    let log = CapturedLog::default();
    let writer = log.clone();
    let subscriber =
        tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut events = Vec::new();
    let answer = fixture
        .assistant
        .send(fixture.root(), fixture.args("Why does add fail?"), &mut |event| events.push(event))
        .await
        .unwrap();
    assert_eq!(answer.content, "The bug is the minus.");
    assert_eq!(answer.state, MessageState::Complete);
    let usage = answer.usage.unwrap();
    assert_eq!((usage.prompt_tokens, usage.completion_tokens, usage.estimated), (1000, 500, false));
    assert!((usage.cost_usd.unwrap() - 0.002).abs() < 1e-12);

    let ChatEvent::Started { conversation_id, context, .. } = &events[0] else { panic!("{:?}", events[0]) };
    assert!(context.items.iter().any(|item| item.label == "src/math.js"), "{context:?}");
    let messages = fixture.assistant.messages(*conversation_id).unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].role, MessageRole::User);
    let conversations = fixture.assistant.conversations(fixture.project_id).unwrap();
    assert_eq!(conversations[0].title, "Why does add fail?");

    // The request carried the open file but never the .env file.
    let request = &fixture.server.requests()[0];
    let system = request.body["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("return a - b;"));
    assert!(!system.contains(KEY), "a secret reached the model");

    drop(_guard);
    let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
    assert!(!log.contains(KEY), "the key reached the log");
    assert_eq!(files_containing(fixture.data.path(), KEY), Vec::<String>::new(), "the key reached the data dir");
}

#[tokio::test]
async fn proposals_come_from_the_answer_against_the_open_buffer() {
    let fixture = fixture(ProviderKind::Anthropic).await;
    let reply = "Fix:\n\nsrc/math.js\n```js\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n```\n\nsrc/missing.js\n```js\n<<<<<<< SEARCH\nnope\n=======\nyes\n>>>>>>> REPLACE\n```\n";
    fixture.server.push(Reply::Answer {
        text: reply.into(),
        chunk_chars: 7,
        usage: Some((10, 10)),
        delay: Duration::ZERO,
    });
    let answer = fixture.assistant.send(fixture.root(), fixture.args("fix add"), &mut |_| {}).await.unwrap();
    let proposals = fixture
        .assistant
        .proposals(
            &fixture.root(),
            ProposeArgs { project_id: fixture.project_id, message_id: answer.id, buffers: vec![] },
        )
        .unwrap();
    assert_eq!(proposals.files.len(), 2);
    let fix = &proposals.files[0];
    assert_eq!(fix.path, "src/math.js");
    assert!(fix.new_text.contains("return a + b;"));
    assert_eq!(fix.hunks.len(), 1);
    assert!(fix.failures.is_empty());
    let missing = &proposals.files[1];
    assert!(missing.failures[0].message.contains("does not exist"), "{:?}", missing.failures);
    // Nothing was written: applying is the editor's job.
    assert!(std::fs::read_to_string(fixture.project.path().join("src/math.js")).unwrap().contains("a - b"));
}

#[tokio::test]
async fn editing_a_message_replaces_it_and_what_followed() {
    let fixture = fixture(ProviderKind::OpenAi).await;
    let mut conversation = None;
    let mut remember = |event| {
        if let ChatEvent::Started { conversation_id, .. } = event {
            conversation = Some(conversation_id);
        }
    };
    fixture.assistant.send(fixture.root(), fixture.args("first"), &mut remember).await.unwrap();
    let conversation = conversation.unwrap();
    let second = SendArgs { conversation_id: Some(conversation), ..fixture.args("second") };
    fixture.assistant.send(fixture.root(), second, &mut |_| {}).await.unwrap();
    let messages = fixture.assistant.messages(conversation).unwrap();
    assert_eq!(messages.len(), 4);
    // Edit "second": it and its answer are replaced; history sent is "first" + answer.
    let edited = SendArgs {
        conversation_id: Some(conversation),
        replace_from: Some(messages[2].id),
        ..fixture.args("second, edited")
    };
    fixture.assistant.send(fixture.root(), edited, &mut |_| {}).await.unwrap();
    let messages = fixture.assistant.messages(conversation).unwrap();
    let texts: Vec<&str> = messages.iter().map(|message| message.content.as_str()).collect();
    assert_eq!(texts[0], "first");
    assert_eq!(texts[2], "second, edited");
    assert_eq!(texts.len(), 4);
    let last_request = fixture.server.requests().pop().unwrap();
    let sent: Vec<&str> =
        last_request.body["messages"].as_array().unwrap()[1..].iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(sent, ["first", "Hello from the fake provider.", "second, edited"]);
}

#[tokio::test]
async fn an_answer_cut_at_the_token_limit_is_stored_as_partial() {
    let fixture = fixture(ProviderKind::Anthropic).await;
    let mut chunks =
        flashfusion_assistant::test_server::anthropic_chunks("fake-model", "A long answer", 4, Some((5, 5)));
    let stop = chunks.len() - 2;
    chunks[stop] = String::from_utf8(chunks[stop].clone()).unwrap().replace("end_turn", "max_tokens").into_bytes();
    fixture.server.push(Reply::Raw { chunks, delay: Duration::ZERO, cut: false });
    let answer = fixture.assistant.send(fixture.root(), fixture.args("go"), &mut |_| {}).await.unwrap();
    assert_eq!(answer.content, "A long answer");
    assert_eq!(answer.state, MessageState::Interrupted);
}

#[tokio::test]
async fn after_a_failed_answer_the_history_still_alternates() {
    let fixture = fixture(ProviderKind::Anthropic).await;
    fixture.assistant.set_api_key(ApiKeyArgs { key: Some("sk-wrong".into()) }).unwrap();
    let mut conversation = None;
    let mut remember = |event| {
        if let ChatEvent::Started { conversation_id, .. } = event {
            conversation = Some(conversation_id);
        }
    };
    fixture.assistant.send(fixture.root(), fixture.args("first"), &mut remember).await.unwrap_err();
    fixture.assistant.set_api_key(ApiKeyArgs { key: Some(KEY.into()) }).unwrap();
    let again = SendArgs { conversation_id: conversation, ..fixture.args("first, again") };
    // The fake Anthropic server refuses non-alternating roles, as the API does.
    let answer = fixture.assistant.send(fixture.root(), again, &mut |_| {}).await.unwrap();
    assert_eq!(answer.state, MessageState::Complete);
}

#[tokio::test]
async fn the_local_rate_limit_refuses_extra_messages() {
    let fixture = fixture(ProviderKind::OpenAi).await;
    let settings = AssistantSettings { messages_per_minute: 2, ..fixture.assistant.settings().unwrap() };
    fixture.assistant.update_settings(settings).unwrap();
    for text in ["one", "two"] {
        fixture.assistant.send(fixture.root(), fixture.args(text), &mut |_| {}).await.unwrap();
    }
    let error = fixture.assistant.send(fixture.root(), fixture.args("three"), &mut |_| {}).await.unwrap_err();
    assert_eq!(error.code, Code::RateLimited);
    assert_eq!(fixture.server.requests().len(), 2);
}

#[tokio::test]
async fn cancel_stops_the_stream_and_stores_the_partial_answer() {
    let fixture = fixture(ProviderKind::OpenAi).await;
    fixture.server.push(Reply::Answer {
        text: "slow words ".repeat(100),
        chunk_chars: 4,
        usage: None,
        delay: Duration::from_millis(30),
    });
    let assistant = fixture.assistant.clone();
    let (started_tx, started_rx) = tokio::sync::oneshot::channel();
    let mut started_tx = Some(started_tx);
    let mut on_event = move |event| {
        if let ChatEvent::Delta { .. } = event {
            if let Some(sender) = started_tx.take() {
                sender.send(()).unwrap();
            }
        }
    };
    let send = fixture.assistant.send(fixture.root(), fixture.args("talk"), &mut on_event);
    let stopper = async move {
        started_rx.await.unwrap();
        let conversation = assistant.conversations(ProjectId(1)).unwrap()[0].id;
        assistant.cancel(conversation);
    };
    let (answer, ()) = tokio::join!(send, stopper);
    let answer = answer.unwrap();
    assert_eq!(answer.state, MessageState::Cancelled);
    assert!(!answer.content.is_empty() && answer.content.len() < 1100);
    assert!(answer.usage.unwrap().estimated);
}

#[tokio::test]
async fn a_second_message_waits_for_the_answer_in_progress() {
    let fixture = fixture(ProviderKind::OpenAi).await;
    fixture.server.push(Reply::Answer {
        text: "slow ".repeat(40),
        chunk_chars: 5,
        usage: None,
        delay: Duration::from_millis(20),
    });
    let mut conversation = None;
    let mut remember = |event| {
        if let ChatEvent::Started { conversation_id, .. } = event {
            conversation = Some(conversation_id);
        }
    };
    fixture.assistant.send(fixture.root(), fixture.args("warm up"), &mut remember).await.unwrap();
    let conversation = conversation.unwrap();
    fixture.server.push(Reply::Answer {
        text: "slow ".repeat(40),
        chunk_chars: 5,
        usage: None,
        delay: Duration::from_millis(20),
    });
    let mut ignore = |_| {};
    let first = fixture.assistant.send(
        fixture.root(),
        SendArgs { conversation_id: Some(conversation), ..fixture.args("one") },
        &mut ignore,
    );
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let args = SendArgs { conversation_id: Some(conversation), ..fixture.args("two") };
        fixture.assistant.send(fixture.root(), args, &mut |_| {}).await
    };
    let (first, second) = tokio::join!(first, second);
    assert_eq!(first.unwrap().state, MessageState::Complete);
    assert_eq!(second.unwrap_err().code, Code::InvalidInput);
    // Once it finished, the conversation takes messages again.
    let third = SendArgs { conversation_id: Some(conversation), ..fixture.args("three") };
    fixture.assistant.send(fixture.root(), third, &mut |_| {}).await.unwrap();
}

#[tokio::test]
async fn a_failed_request_is_recorded_and_reported() {
    let fixture = fixture(ProviderKind::OpenAi).await;
    fixture.assistant.set_api_key(ApiKeyArgs { key: Some("sk-wrong".into()) }).unwrap();
    let error = fixture.assistant.send(fixture.root(), fixture.args("hello"), &mut |_| {}).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed);
    let conversation = fixture.assistant.conversations(fixture.project_id).unwrap()[0].id;
    let messages = fixture.assistant.messages(conversation).unwrap();
    assert_eq!(messages[1].state, MessageState::Failed);
    assert!(fixture.assistant.status().unwrap().has_api_key);
    fixture.assistant.set_api_key(ApiKeyArgs { key: None }).unwrap();
    assert!(!fixture.assistant.status().unwrap().has_api_key);
}

/// A machine without a Secret Service.
struct NoKeyring;

impl flashfusion_core::secrets::SecretStore for NoKeyring {
    fn get(&self, _: &str) -> flashfusion_core::Result<Option<String>> {
        Err(flashfusion_core::Error::new(Code::KeyringUnavailable, "no Secret Service"))
    }
    fn set(&self, _: &str, _: &str) -> flashfusion_core::Result<()> {
        Err(flashfusion_core::Error::new(Code::KeyringUnavailable, "no Secret Service"))
    }
    fn delete(&self, _: &str) -> flashfusion_core::Result<()> {
        Err(flashfusion_core::Error::new(Code::KeyringUnavailable, "no Secret Service"))
    }
}

#[tokio::test]
async fn without_a_keyring_keys_cannot_be_saved_but_keyless_providers_work() {
    let data = tempfile::tempdir().unwrap();
    let project = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&data.path().join("db")).unwrap());
    let project_id = store.open_project_record(&project.path().to_string_lossy(), "p", None).unwrap().id;
    let assistant = Assistant::new(store, Arc::new(NoKeyring)).unwrap();
    let server = FakeProvider::start(ProviderKind::OpenAi, None).await.unwrap();
    let settings =
        AssistantSettings { provider: config(ProviderKind::OpenAi, &server.base_url), ..AssistantSettings::default() };
    let status = assistant.update_settings(settings).unwrap();
    assert!(status.keyring_problem.is_some() && !status.has_api_key);
    let error = assistant.set_api_key(ApiKeyArgs { key: Some("k".into()) }).unwrap_err();
    assert_eq!(error.code, Code::KeyringUnavailable);
    let args = SendArgs {
        project_id,
        conversation_id: None,
        text: "hi".into(),
        open_file: None,
        recent_files: vec![],
        replace_from: None,
    };
    let root = ProjectRoot::new(project.path()).unwrap();
    let answer = assistant.send(root, args, &mut |_| {}).await.unwrap();
    assert_eq!(answer.content, "Hello from the fake provider.");
}
