//! The arguments the window sends for collaboration commands.

use flashfusion_core::ProjectId;
use serde::Deserialize;
use ts_rs::TS;

use crate::rest::CollabRole;
use crate::session::TextChange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum HostKind {
    /// The app runs the relay itself.
    Local,
    /// A relay at `serverUrl`, signed in with an account there.
    Server,
}

/// Not `Debug`: it can carry a password.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShareArgs {
    pub project_id: ProjectId,
    pub host: HostKind,
    pub server_url: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
pub enum InviteExpiry {
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
    #[serde(rename = "never")]
    Never,
}

impl InviteExpiry {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Week => "7d",
            Self::Month => "30d",
            Self::Never => "never",
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InviteArgs {
    pub project_id: ProjectId,
    pub role: CollabRole,
    pub expires: InviteExpiry,
    pub max_uses: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InviteIdArgs {
    pub project_id: ProjectId,
    pub invite_id: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CollabJoinArgs {
    pub link: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditArgs {
    pub project_id: ProjectId,
    pub path: String,
    /// The file's `seq` the window had when it made the edit.
    pub seen: u32,
    pub changes: Vec<TextChange>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CursorArgs {
    pub project_id: ProjectId,
    pub path: Option<String>,
    pub anchor: u32,
    pub head: u32,
    pub typing: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RoleArgs {
    pub project_id: ProjectId,
    #[ts(type = "number")]
    pub participant_id: i64,
    pub role: CollabRole,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantArgs {
    pub project_id: ProjectId,
    #[ts(type = "number")]
    pub participant_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddCommentArgs {
    pub project_id: ProjectId,
    pub path: String,
    pub index: u32,
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplyArgs {
    pub project_id: ProjectId,
    pub thread_id: String,
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditCommentArgs {
    pub project_id: ProjectId,
    pub thread_id: String,
    pub comment_id: String,
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommentIdArgs {
    pub project_id: ProjectId,
    pub thread_id: String,
    pub comment_id: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ResolveArgs {
    pub project_id: ProjectId,
    pub thread_id: String,
    pub resolved: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveVersionArgs {
    pub project_id: ProjectId,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionArgs {
    pub project_id: ProjectId,
    #[ts(type = "number")]
    pub version_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportArgs {
    pub project_id: ProjectId,
    pub destination: String,
}
