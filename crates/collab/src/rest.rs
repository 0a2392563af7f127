//! The relay's REST API (docs/server-api.md) as the app uses it: accounts,
//! rooms and participants, invites, versions and activity. Failures become
//! `flashfusion_core::Error` with the code the UI acts on and, where the
//! server gave one, the server's own sentence.

use std::collections::BTreeMap;
use std::time::Duration;

use flashfusion_core::{Code, Error, Result};
use reqwest::{Method, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use crate::invite::escape;

/// Connecting gives up sooner than a whole request does.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum CollabRole {
    Owner,
    Editor,
    Viewer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    #[ts(type = "number")]
    pub participant_id: i64,
    pub name: String,
    pub role: CollabRole,
    /// Connected to the room right now.
    pub online: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    pub id: String,
    /// Only when the invite was just created: the server keeps the code hashed.
    #[serde(default)]
    pub link: Option<String>,
    pub role: CollabRole,
    /// Unix milliseconds; none for an invite that never expires.
    #[ts(type = "number | null")]
    pub expires_at: Option<i64>,
    #[ts(type = "number | null")]
    pub max_uses: Option<i64>,
    #[ts(type = "number")]
    pub uses: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    #[ts(type = "number")]
    pub id: i64,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
    pub message: String,
    pub author: String,
    /// A checkpoint the server took by itself.
    pub automatic: bool,
}

/// One entry of a room's activity log (`joined`, `invited`, `role_changed`,
/// `version_saved`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub at: i64,
    pub kind: String,
    pub actor: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Room {
    pub id: String,
    pub name: String,
}

/// What redeeming an invite gives: the room, who we are in it, and for a
/// guest the token to connect with (an account keeps using its own).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Admission {
    pub room_id: String,
    pub participant_id: i64,
    pub role: CollabRole,
    pub token: Option<String>,
}

/// A client of one server, signed in or not. Cheap to clone.
#[derive(Debug, Clone)]
pub struct RoomApi {
    http: reqwest::Client,
    server: String,
    token: Option<String>,
}

impl RoomApi {
    /// `server` is the server's HTTP(S) address; `token` authenticates calls.
    pub fn new(server: &str, token: Option<String>) -> Result<Self> {
        let server = server.trim().trim_end_matches('/').to_owned();
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            return Err(Error::new(
                Code::InvalidInput,
                format!("the server address must start with http(s)://: {server}"),
            ));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| Error::internal(format!("could not set up HTTP: {error}")))?;
        Ok(Self { http, server, token })
    }

    /// Signs in with an account; gives the token for [`RoomApi::new`].
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<String> {
        #[derive(Deserialize)]
        struct Session {
            token: String,
        }
        let body = json!({ "email": email, "password": password });
        let session: Session = self.json(Method::POST, "/api/sessions", Some(body)).await?;
        Ok(session.token)
    }

    /// A new room whose owner is the signed-in account.
    pub async fn create_room(&self, name: &str) -> Result<Room> {
        self.json(Method::POST, "/api/rooms", Some(json!({ "name": name }))).await
    }

    /// The room's name (what its owner called the shared project).
    pub async fn room_name(&self, room: &str) -> Result<String> {
        let room: Room = self.json(Method::GET, &format!("/api/rooms/{}", escape(room)), None).await?;
        Ok(room.name)
    }

    pub async fn participants(&self, room: &str) -> Result<Vec<Participant>> {
        #[derive(Deserialize)]
        struct RoomWithParticipants {
            participants: Vec<Participant>,
        }
        let room: RoomWithParticipants = self.json(Method::GET, &format!("/api/rooms/{}", escape(room)), None).await?;
        Ok(room.participants)
    }

    /// `expires` is `7d`, `30d` or `never`; the invite comes with its link.
    pub async fn create_invite(
        &self,
        room: &str,
        role: CollabRole,
        expires: &str,
        max_uses: Option<u32>,
    ) -> Result<Invite> {
        let body = json!({ "role": role, "expires": expires, "maxUses": max_uses });
        self.json(Method::POST, &format!("/api/rooms/{}/invites", escape(room)), Some(body)).await
    }

    pub async fn invites(&self, room: &str) -> Result<Vec<Invite>> {
        self.json(Method::GET, &format!("/api/rooms/{}/invites", escape(room)), None).await
    }

    pub async fn revoke_invite(&self, room: &str, invite_id: &str) -> Result<()> {
        let path = format!("/api/rooms/{}/invites/{}", escape(room), escape(invite_id));
        self.call(Method::DELETE, &path, None).await
    }

    /// Redeems an invite code: as the signed-in account, or as a guest named `name`.
    pub async fn join(&self, code: &str, name: &str) -> Result<Admission> {
        self.json(Method::POST, &format!("/api/invites/{}/join", escape(code)), Some(json!({ "name": name }))).await
    }

    /// Makes a participant an editor or a viewer (owner only).
    pub async fn set_role(&self, room: &str, participant_id: i64, role: CollabRole) -> Result<()> {
        let path = format!("/api/rooms/{}/participants/{participant_id}", escape(room));
        self.call(Method::PATCH, &path, Some(json!({ "role": role }))).await
    }

    /// Removes a participant: their connections close and their guest token stops working.
    pub async fn remove_participant(&self, room: &str, participant_id: i64) -> Result<()> {
        let path = format!("/api/rooms/{}/participants/{participant_id}", escape(room));
        self.call(Method::DELETE, &path, None).await
    }

    /// Newest first.
    pub async fn versions(&self, room: &str) -> Result<Vec<VersionInfo>> {
        self.json(Method::GET, &format!("/api/rooms/{}/versions", escape(room)), None).await
    }

    pub async fn save_version(&self, room: &str, message: &str) -> Result<VersionInfo> {
        let path = format!("/api/rooms/{}/versions", escape(room));
        self.json(Method::POST, &path, Some(json!({ "message": message }))).await
    }

    /// The files of a version, by path.
    pub async fn version_files(&self, room: &str, version_id: i64) -> Result<BTreeMap<String, String>> {
        #[derive(Deserialize)]
        struct VersionFiles {
            files: BTreeMap<String, String>,
        }
        let path = format!("/api/rooms/{}/versions/{version_id}", escape(room));
        let version: VersionFiles = self.json(Method::GET, &path, None).await?;
        Ok(version.files)
    }

    /// Makes the room's files the version's; every client receives it as an edit.
    pub async fn restore(&self, room: &str, version_id: i64) -> Result<()> {
        let path = format!("/api/rooms/{}/versions/{version_id}/restore", escape(room));
        self.call(Method::POST, &path, Some(json!({}))).await
    }

    /// Newest first.
    pub async fn activity(&self, room: &str) -> Result<Vec<Activity>> {
        self.json(Method::GET, &format!("/api/rooms/{}/activity", escape(room)), None).await
    }

    async fn json<T: DeserializeOwned>(&self, method: Method, path: &str, body: Option<Value>) -> Result<T> {
        let response = self.send(method, path, body).await?;
        response.json().await.map_err(|error| {
            Error::internal(format!("{} gave an answer FlashFusion does not understand: {error}", self.server))
        })
    }

    /// A call whose answer has no body.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<()> {
        self.send(method, path, body).await.map(drop)
    }

    async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Result<Response> {
        let mut request = self.http.request(method, format!("{}{path}", self.server));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|error| self.unreachable(&error))?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(refusal(response).await)
        }
    }

    fn unreachable(&self, error: &reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::new(Code::Timeout, format!("{} did not answer in time", self.server))
        } else {
            Error::new(Code::Offline, format!("could not reach {}: {error}", self.server))
        }
    }
}

/// The error for a refused request: its code from the HTTP status, its
/// message the server's.
async fn refusal(response: Response) -> Error {
    #[derive(Deserialize)]
    struct Body {
        message: String,
    }
    let status = response.status();
    let message = match response.json::<Body>().await {
        Ok(body) => body.message,
        Err(_) => format!("the server answered {status}"),
    };
    let code = match status {
        // There is no separate permission code: not being allowed is a refused credential.
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Code::AuthFailed,
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::CONFLICT => Code::Conflict,
        // An invite revoked, expired or used up.
        StatusCode::GONE | StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => Code::InvalidInput,
        StatusCode::PAYLOAD_TOO_LARGE => Code::TooLarge,
        StatusCode::TOO_MANY_REQUESTS => Code::RateLimited,
        _ => Code::Internal,
    };
    Error::new(code, message)
}
