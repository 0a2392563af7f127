//! The assistant's conversations: messages with their state and token usage.

use flashfusion_core::{now_millis, Code, Error, ProjectId, Result};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct ConversationId(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(type = "number")]
pub struct MessageId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub id: ConversationId,
    pub title: String,
    #[ts(type = "number")]
    pub updated_at: i64,
    pub message_count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum MessageRole {
    User,
    Assistant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum MessageState {
    /// Being streamed right now.
    Streaming,
    Complete,
    /// The stream broke off (network, crash): the text is partial.
    Interrupted,
    /// The user pressed stop: the text is partial.
    Cancelled,
    /// The request failed before any answer arrived.
    Failed,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// True when the provider sent no usage and it was counted locally.
    pub estimated: bool,
    /// From the price table; `None` when the model has no price.
    pub cost_usd: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageRecord {
    pub id: MessageId,
    pub role: MessageRole,
    pub content: String,
    pub state: MessageState,
    pub model: Option<String>,
    pub usage: Option<Usage>,
    #[ts(type = "number")]
    pub created_at: i64,
}

pub struct NewMessage<'a> {
    pub role: MessageRole,
    pub content: &'a str,
    pub state: MessageState,
    pub model: Option<&'a str>,
}

fn role_text(role: MessageRole) -> &'static str {
    match role {
        MessageRole::User => "user",
        MessageRole::Assistant => "assistant",
    }
}

fn state_text(state: MessageState) -> &'static str {
    match state {
        MessageState::Streaming => "streaming",
        MessageState::Complete => "complete",
        MessageState::Interrupted => "interrupted",
        MessageState::Cancelled => "cancelled",
        MessageState::Failed => "failed",
    }
}

fn message_from_row(row: &Row<'_>) -> rusqlite::Result<MessageRecord> {
    let role: String = row.get(1)?;
    let state: String = row.get(3)?;
    let prompt_tokens: Option<u32> = row.get(5)?;
    let completion_tokens: Option<u32> = row.get(6)?;
    let usage = prompt_tokens.zip(completion_tokens).map(|(prompt_tokens, completion_tokens)| Usage {
        prompt_tokens,
        completion_tokens,
        estimated: row.get::<_, bool>(7).unwrap_or(false),
        cost_usd: row.get(8).unwrap_or(None),
    });
    Ok(MessageRecord {
        id: MessageId(row.get(0)?),
        role: if role == "user" { MessageRole::User } else { MessageRole::Assistant },
        content: row.get(2)?,
        state: match state.as_str() {
            "complete" => MessageState::Complete,
            "streaming" => MessageState::Streaming,
            "cancelled" => MessageState::Cancelled,
            "failed" => MessageState::Failed,
            _ => MessageState::Interrupted,
        },
        model: row.get(4)?,
        usage,
        created_at: row.get(9)?,
    })
}

const MESSAGE_COLUMNS: &str =
    "id, role, content, state, model, prompt_tokens, completion_tokens, usage_estimated, cost_usd, created_at";

impl Store {
    pub fn create_conversation(&self, project: Option<ProjectId>, title: &str) -> Result<ConversationId> {
        let now = now_millis();
        let connection = self.connection();
        connection.execute(
            "INSERT INTO conversations (project_id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
            params![project.map(|id| id.0), title, now],
        )?;
        Ok(ConversationId(connection.last_insert_rowid()))
    }

    /// The project's conversations, most recently active first.
    pub fn conversations(&self, project: Option<ProjectId>) -> Result<Vec<ConversationSummary>> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT c.id, c.title, c.updated_at, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id)
             FROM conversations c WHERE c.project_id IS ?1 ORDER BY c.updated_at DESC, c.id DESC",
        )?;
        let rows = statement.query_map([project.map(|id| id.0)], |row| {
            Ok(ConversationSummary {
                id: ConversationId(row.get(0)?),
                title: row.get(1)?,
                updated_at: row.get(2)?,
                message_count: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn conversation_title(&self, id: ConversationId) -> Result<String> {
        self.connection()
            .query_row("SELECT title FROM conversations WHERE id = ?1", [id.0], |row| row.get(0))
            .optional()?
            .ok_or_else(|| conversation_not_found(id))
    }

    pub fn rename_conversation(&self, id: ConversationId, title: &str) -> Result<()> {
        let changed =
            self.connection().execute("UPDATE conversations SET title = ?2 WHERE id = ?1", params![id.0, title])?;
        if changed == 0 {
            return Err(conversation_not_found(id));
        }
        Ok(())
    }

    pub fn delete_conversation(&self, id: ConversationId) -> Result<()> {
        self.connection().execute("DELETE FROM conversations WHERE id = ?1", [id.0])?;
        Ok(())
    }

    pub fn messages(&self, conversation: ConversationId) -> Result<Vec<MessageRecord>> {
        let connection = self.connection();
        let mut statement = connection
            .prepare(&format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 ORDER BY id"))?;
        let rows = statement.query_map([conversation.0], message_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn message(&self, id: MessageId) -> Result<MessageRecord> {
        self.connection()
            .query_row(&format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?1"), [id.0], message_from_row)
            .optional()?
            .ok_or_else(|| Error::new(Code::NotFound, format!("message {} does not exist", id.0)))
    }

    pub fn add_message(&self, conversation: ConversationId, message: NewMessage<'_>) -> Result<MessageId> {
        let now = now_millis();
        let connection = self.connection();
        let transaction = connection.unchecked_transaction()?;
        let touched = transaction
            .execute("UPDATE conversations SET updated_at = ?2 WHERE id = ?1", params![conversation.0, now])?;
        if touched == 0 {
            return Err(conversation_not_found(conversation));
        }
        transaction.execute(
            "INSERT INTO messages (conversation_id, role, content, state, model, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                conversation.0,
                role_text(message.role),
                message.content,
                state_text(message.state),
                message.model,
                now
            ],
        )?;
        let id = MessageId(transaction.last_insert_rowid());
        transaction.commit()?;
        Ok(id)
    }

    /// Saves the text streamed so far (so a crash loses at most a moment of it).
    pub fn update_message_text(&self, id: MessageId, content: &str) -> Result<()> {
        self.connection().execute("UPDATE messages SET content = ?2 WHERE id = ?1", params![id.0, content])?;
        Ok(())
    }

    pub fn finish_message(
        &self,
        id: MessageId,
        content: &str,
        state: MessageState,
        usage: Option<Usage>,
    ) -> Result<()> {
        self.connection().execute(
            "UPDATE messages SET content = ?2, state = ?3, prompt_tokens = ?4, completion_tokens = ?5,
             usage_estimated = ?6, cost_usd = ?7 WHERE id = ?1",
            params![
                id.0,
                content,
                state_text(state),
                usage.map(|usage| usage.prompt_tokens),
                usage.map(|usage| usage.completion_tokens),
                usage.is_some_and(|usage| usage.estimated),
                usage.and_then(|usage| usage.cost_usd),
            ],
        )?;
        Ok(())
    }

    /// Drops `from` and every later message of its conversation (editing a
    /// past message replaces the rest of the conversation).
    pub fn truncate_conversation(&self, conversation: ConversationId, from: MessageId) -> Result<()> {
        self.connection()
            .execute("DELETE FROM messages WHERE conversation_id = ?1 AND id >= ?2", params![conversation.0, from.0])?;
        Ok(())
    }

    /// Answers that were streaming when the app last stopped are partial.
    pub fn mark_streaming_interrupted(&self) -> Result<usize> {
        Ok(self.connection().execute("UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'", [])?)
    }

    /// How many messages the user has sent since `since` (Unix ms).
    pub fn user_messages_since(&self, since: i64) -> Result<u32> {
        Ok(self.connection().query_row(
            "SELECT COUNT(*) FROM messages WHERE role = 'user' AND created_at >= ?1",
            [since],
            |row| row.get(0),
        )?)
    }
}

fn conversation_not_found(id: ConversationId) -> Error {
    Error::new(Code::NotFound, format!("conversation {} does not exist", id.0))
}
