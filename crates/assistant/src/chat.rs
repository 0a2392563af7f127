//! The assistant the app talks to: settings and API key, conversations,
//! sending a message (limits → context → stream → store), cancelling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{now_millis, Code, Error, ProjectId, Result};
use flashfusion_project::confine::ProjectRoot;
use flashfusion_store::{
    ConversationId, ConversationSummary, MessageId, MessageRecord, MessageRole, MessageState, NewMessage, Store, Usage,
};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::context::{self, ContextSummary, OpenFile};
use crate::proposals::{self, Buffer, Proposals};
use crate::provider::{self, ChatMessage, Finish, Role, StreamEvent};
use crate::settings::AssistantSettings;

const SETTINGS_KEY: &str = "assistant";
const SYSTEM_PROMPT: &str = include_str!("../../../assets/prompts/system.md");
/// How often streamed text is saved, so a crash loses at most this much.
const SAVE_EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendArgs {
    pub project_id: ProjectId,
    /// `None` starts a new conversation.
    pub conversation_id: Option<ConversationId>,
    pub text: String,
    pub open_file: Option<OpenFile>,
    /// Files edited lately, most recent first.
    pub recent_files: Vec<String>,
    /// Editing a past message: it and everything after it are replaced.
    pub replace_from: Option<MessageId>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationArgs {
    pub conversation_id: ConversationId,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RenameConversationArgs {
    pub conversation_id: ConversationId,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ApiKeyArgs {
    /// `None` or empty removes the key.
    pub key: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProposeArgs {
    pub project_id: ProjectId,
    pub message_id: MessageId,
    /// The editor's open buffers: edits apply to what the user sees.
    pub buffers: Vec<Buffer>,
}

/// Streamed to the UI while an answer arrives.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ChatEvent {
    Started {
        conversation_id: ConversationId,
        user_message: MessageRecord,
        answer_id: MessageId,
        context: ContextSummary,
    },
    /// The first byte from the provider arrived (Unix ms).
    FirstByte {
        at_epoch_ms: f64,
    },
    Delta {
        text: String,
    },
    Retrying {
        attempt: u32,
        wait_seconds: f64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssistantStatus {
    pub settings: AssistantSettings,
    /// An API key for the configured base URL is in the keyring.
    pub has_api_key: bool,
    /// Why the OS keyring cannot be used, if it cannot (keys then cannot be
    /// saved; providers without keys, like Ollama, still work).
    pub keyring_problem: Option<String>,
}

pub struct Assistant {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    http: reqwest::Client,
    running: Mutex<HashMap<ConversationId, CancellationToken>>,
}

impl Assistant {
    pub fn new(store: Arc<Store>, secrets: Arc<dyn SecretStore>) -> Result<Self> {
        // Answers that were streaming when the app stopped are partial now.
        store.mark_streaming_interrupted()?;
        Ok(Self { store, secrets, http: provider::http_client()?, running: Mutex::new(HashMap::new()) })
    }

    pub fn settings(&self) -> Result<AssistantSettings> {
        Ok(self.store.setting(SETTINGS_KEY)?.unwrap_or_default())
    }

    pub fn status(&self) -> Result<AssistantStatus> {
        let settings = self.settings()?;
        let (has_api_key, keyring_problem) = match self.api_key(&settings) {
            Ok(key) => (key.is_some(), None),
            Err(error) => (false, Some(error.message)),
        };
        Ok(AssistantStatus { settings, has_api_key, keyring_problem })
    }

    pub fn update_settings(&self, settings: AssistantSettings) -> Result<AssistantStatus> {
        settings.validate()?;
        self.store.set_setting(SETTINGS_KEY, &settings)?;
        self.status()
    }

    /// Keys are filed per base URL, so switching providers keeps each key.
    fn key_name(settings: &AssistantSettings) -> String {
        format!("assistant-api-key:{}", settings.provider.base_url.trim_end_matches('/'))
    }

    fn api_key(&self, settings: &AssistantSettings) -> Result<Option<String>> {
        self.secrets.get(&Self::key_name(settings))
    }

    /// Stores (or with `None`, removes) the API key for the configured provider.
    pub fn set_api_key(&self, args: ApiKeyArgs) -> Result<AssistantStatus> {
        let settings = self.settings()?;
        match args.key.as_deref().map(str::trim).filter(|key| !key.is_empty()) {
            Some(key) => self.secrets.set(&Self::key_name(&settings), key)?,
            None => self.secrets.delete(&Self::key_name(&settings))?,
        }
        self.status()
    }

    /// The changes an answer proposes, as reviewable diffs.
    pub fn proposals(&self, root: &ProjectRoot, args: ProposeArgs) -> Result<Proposals> {
        let answer = self.store.message(args.message_id)?;
        proposals::from_answer(root, &answer.content, &args.buffers)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// "Test connection": the provider's model list, or why it failed.
    pub async fn test_connection(&self) -> Result<Vec<String>> {
        let settings = self.settings()?;
        let key = self.api_key(&settings).unwrap_or_default();
        provider::list_models(&self.http, &settings.provider, key.as_deref()).await
    }

    /// The project's conversations; listing them means the chat panel just
    /// opened, so the tokenizer (~150 ms, tens of MB) loads now, in the
    /// background, rather than at start-up or on the first message.
    pub fn conversations(&self, project: ProjectId) -> Result<Vec<ConversationSummary>> {
        static WARM: std::sync::Once = std::sync::Once::new();
        WARM.call_once(|| {
            std::thread::spawn(|| {
                context::count_tokens("warm up");
                flashfusion_core::highlight::warm_up();
            });
        });
        self.store.conversations(Some(project))
    }

    pub fn messages(&self, conversation: ConversationId) -> Result<Vec<MessageRecord>> {
        self.store.messages(conversation)
    }

    pub fn rename_conversation(&self, conversation: ConversationId, title: &str) -> Result<()> {
        let title = title.trim();
        if title.is_empty() {
            return Err(Error::new(Code::InvalidInput, "a conversation needs a title"));
        }
        self.store.rename_conversation(conversation, title)
    }

    pub fn delete_conversation(&self, conversation: ConversationId) -> Result<()> {
        self.cancel(conversation);
        self.store.delete_conversation(conversation)
    }

    /// Stops the answer streaming into `conversation`, at once.
    pub fn cancel(&self, conversation: ConversationId) {
        if let Some(token) = self.running().get(&conversation) {
            token.cancel();
        }
    }

    fn running(&self) -> std::sync::MutexGuard<'_, HashMap<ConversationId, CancellationToken>> {
        self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn check_rate_limit(&self, settings: &AssistantSettings) -> Result<()> {
        let now = now_millis();
        let last_minute = self.store.user_messages_since(now - 60_000)?;
        if last_minute >= settings.messages_per_minute {
            return Err(Error::new(
                Code::RateLimited,
                format!("You sent {last_minute} messages in the last minute, the limit set in the assistant settings. Wait a moment and try again."),
            ));
        }
        let last_day = self.store.user_messages_since(now - 24 * 60 * 60 * 1000)?;
        if last_day >= settings.messages_per_day {
            return Err(Error::new(
                Code::RateLimited,
                format!(
                    "You sent {last_day} messages in the last 24 hours, the daily limit set in the assistant settings."
                ),
            ));
        }
        Ok(())
    }

    /// Sends a message and streams the answer through `on_event`; returns
    /// the stored answer (complete, partial, or cancelled).
    pub async fn send(
        &self,
        root: ProjectRoot,
        args: SendArgs,
        on_event: &mut (dyn FnMut(ChatEvent) + Send),
    ) -> Result<MessageRecord> {
        let text = args.text.trim().to_owned();
        if text.is_empty() {
            return Err(Error::new(Code::InvalidInput, "write a message first"));
        }
        let settings = self.settings()?;
        self.check_rate_limit(&settings)?;
        // Without a keyring, keyless providers (a local Ollama) still work.
        let api_key = self.api_key(&settings).unwrap_or_else(|error| {
            tracing::warn!(%error, "asking without an API key");
            None
        });

        let conversation = match args.conversation_id {
            Some(id) => id,
            None => self.store.create_conversation(Some(args.project_id), &title_from(&text))?,
        };
        let cancel = CancellationToken::new();
        {
            let mut running = self.running();
            if running.contains_key(&conversation) {
                return Err(Error::new(
                    Code::InvalidInput,
                    "an answer is still coming in this conversation: stop it or wait",
                ));
            }
            running.insert(conversation, cancel.clone());
        }
        let result = self.answer(root, args, conversation, &settings, api_key, &cancel, &text, on_event).await;
        self.running().remove(&conversation);
        result
    }

    #[allow(clippy::too_many_arguments)]
    async fn answer(
        &self,
        root: ProjectRoot,
        args: SendArgs,
        conversation: ConversationId,
        settings: &AssistantSettings,
        api_key: Option<String>,
        cancel: &CancellationToken,
        text: &str,
        on_event: &mut (dyn FnMut(ChatEvent) + Send),
    ) -> Result<MessageRecord> {
        if let Some(from) = args.replace_from {
            self.store.truncate_conversation(conversation, from)?;
        }
        let history = alternating(
            self.store
                .messages(conversation)?
                .into_iter()
                .filter(|message| message.state != MessageState::Failed && !message.content.is_empty())
                .map(|message| ChatMessage {
                    role: match message.role {
                        MessageRole::User => Role::User,
                        MessageRole::Assistant => Role::Assistant,
                    },
                    content: message.content,
                }),
        );

        let budget = settings.context_budget as usize;
        let built = {
            let question = text.to_owned();
            let open_file = args.open_file.clone();
            let recent = args.recent_files.clone();
            tokio::task::spawn_blocking(move || {
                context::build(&context::ContextRequest {
                    root: &root,
                    budget,
                    instructions: SYSTEM_PROMPT,
                    question: &question,
                    history: &history,
                    open_file: open_file.as_ref(),
                    recent_files: &recent,
                })
            })
            .await
            .map_err(|error| Error::internal(format!("building the context failed: {error}")))??
        };

        let model = settings.provider.model.clone();
        let user_id = self.store.add_message(
            conversation,
            NewMessage { role: MessageRole::User, content: text, state: MessageState::Complete, model: None },
        )?;
        let answer_id = self.store.add_message(
            conversation,
            NewMessage {
                role: MessageRole::Assistant,
                content: "",
                state: MessageState::Streaming,
                model: Some(&model),
            },
        )?;
        on_event(ChatEvent::Started {
            conversation_id: conversation,
            user_message: self.store.message(user_id)?,
            answer_id,
            context: built.summary.clone(),
        });

        let mut streamed = String::new();
        let mut last_save = Instant::now();
        let result = provider::stream_chat(
            &self.http,
            &settings.provider,
            api_key.as_deref(),
            &built.request,
            cancel,
            &mut |event| match event {
                StreamEvent::FirstByte { at_epoch_ms } => on_event(ChatEvent::FirstByte { at_epoch_ms }),
                StreamEvent::Retrying { attempt, wait_seconds } => {
                    on_event(ChatEvent::Retrying { attempt, wait_seconds });
                }
                StreamEvent::Delta(delta) => {
                    streamed.push_str(&delta);
                    on_event(ChatEvent::Delta { text: delta });
                    if last_save.elapsed() >= SAVE_EVERY {
                        last_save = Instant::now();
                        if let Err(error) = self.store.update_message_text(answer_id, &streamed) {
                            tracing::warn!(%error, "could not save the answer so far");
                        }
                    }
                }
            },
        )
        .await;

        let completion = match result {
            Ok(completion) => completion,
            Err(error) => {
                self.store.finish_message(answer_id, &error.message, MessageState::Failed, None)?;
                return Err(error);
            }
        };
        // An answer cut at the token limit or by a filter is partial: its
        // edit blocks may be truncated, so it is not "complete".
        let state = match completion.finish {
            Finish::Stop => MessageState::Complete,
            Finish::Length | Finish::Filtered | Finish::Interrupted(_) => MessageState::Interrupted,
            Finish::Cancelled => MessageState::Cancelled,
        };
        let usage = match completion.usage {
            Some(usage) => Usage {
                prompt_tokens: usage.prompt_tokens,
                completion_tokens: usage.completion_tokens,
                estimated: false,
                cost_usd: None,
            },
            None => Usage {
                prompt_tokens: built.summary.total_tokens,
                completion_tokens: u32::try_from(context::count_tokens(&completion.text)).unwrap_or(u32::MAX),
                estimated: true,
                cost_usd: None,
            },
        };
        let usage =
            Usage { cost_usd: settings.cost_usd(&model, usage.prompt_tokens, usage.completion_tokens), ..usage };
        self.store.finish_message(answer_id, &completion.text, state, Some(usage))?;
        self.store.message(answer_id)
    }
}

/// The history as providers require it: starting with the user, roles
/// alternating (a failed answer leaves two user turns in a row: merge them).
fn alternating(messages: impl Iterator<Item = ChatMessage>) -> Vec<ChatMessage> {
    let mut history: Vec<ChatMessage> = Vec::new();
    for message in messages.skip_while(|message| message.role == Role::Assistant) {
        match history.last_mut() {
            Some(last) if last.role == message.role => {
                last.content.push_str("\n\n");
                last.content.push_str(&message.content);
            }
            _ => history.push(message),
        }
    }
    // A trailing user turn (its answer failed) would sit next to the new
    // question: leave it out of the request; the user is asking again.
    if history.last().is_some_and(|last| last.role == Role::User) {
        history.pop();
    }
    history
}

/// A conversation's title from its first message: its first line, cut at a
/// word boundary.
pub fn title_from(text: &str) -> String {
    const LONGEST: usize = 60;
    let line = text.lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or("New conversation");
    if line.chars().count() <= LONGEST {
        return line.to_owned();
    }
    let cut: String = line.chars().take(LONGEST).collect();
    let at_word = cut.rfind(' ').filter(|index| *index > LONGEST / 2).map(|index| &cut[..index]).unwrap_or(&cut);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_first_line_cut_at_a_word() {
        assert_eq!(title_from("\n  Explain this function\nplease"), "Explain this function");
        let long = "Why does the parser in src/parse.rs reject inputs that end with a trailing comma here";
        let title = title_from(long);
        assert!(title.ends_with('…') && title.chars().count() <= 61, "{title}");
        assert!(long.starts_with(title.trim_end_matches('…')), "{title}");
    }
}
