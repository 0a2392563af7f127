//! Who may do what in a room: rooms and their participants with roles
//! (owner, editor, viewer), and invite links that admit new participants.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::accounts::{issue_token, new_secret, token_hash, Identity};
use crate::error::{ApiError, ApiResult};
use crate::storage::{now_millis, Storage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Editor,
    Viewer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Editor => "editor",
            Self::Viewer => "viewer",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "owner" => Some(Self::Owner),
            "editor" => Some(Self::Editor),
            "viewer" => Some(Self::Viewer),
            _ => None,
        }
    }

    pub fn can_edit(self) -> bool {
        self != Self::Viewer
    }
}

/// A participant as seen by the room.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    pub participant_id: i64,
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoomInfo {
    pub id: String,
    pub name: String,
}

pub fn create_room(storage: &Storage, owner: &Identity, name: &str) -> ApiResult<RoomInfo> {
    let Identity::Account { id: account_id, name: owner_name } = owner else {
        return Err(ApiError::forbidden("guests cannot create rooms"));
    };
    let room_id = new_secret()[..20].to_owned();
    let name = if name.trim().is_empty() { "Untitled project" } else { name.trim() };
    let connection = storage.connection();
    let transaction = connection.unchecked_transaction()?;
    transaction.execute(
        "INSERT INTO rooms (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![room_id, name, now_millis()],
    )?;
    transaction.execute(
        "INSERT INTO participants (room_id, account_id, name, role) VALUES (?1, ?2, ?3, 'owner')",
        params![room_id, account_id, owner_name],
    )?;
    transaction.commit()?;
    Ok(RoomInfo { id: room_id, name: name.to_owned() })
}

pub fn room_info(storage: &Storage, room_id: &str) -> ApiResult<RoomInfo> {
    storage
        .connection()
        .query_row("SELECT id, name FROM rooms WHERE id = ?1", [room_id], |row| {
            Ok(RoomInfo { id: row.get(0)?, name: row.get(1)? })
        })
        .optional()?
        .ok_or_else(|| ApiError::not_found("no such room"))
}

/// The caller's membership of a room, if any (removed participants have none).
pub fn membership(storage: &Storage, room_id: &str, identity: &Identity) -> ApiResult<Option<Member>> {
    let connection = storage.connection();
    let row: Option<(i64, String, String)> = match identity {
        Identity::Account { id, .. } => connection
            .query_row(
                "SELECT id, name, role FROM participants WHERE room_id = ?1 AND account_id = ?2 AND removed_at IS NULL",
                params![room_id, id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?,
        Identity::Guest { participant_id, .. } => connection
            .query_row(
                "SELECT id, name, role FROM participants WHERE room_id = ?1 AND id = ?2 AND removed_at IS NULL",
                params![room_id, participant_id],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?,
    };
    Ok(row.and_then(|(participant_id, name, role)| Some(Member { participant_id, name, role: Role::parse(&role)? })))
}

/// Membership that must exist (and, with `owner_only`, be the owner's).
pub fn require(storage: &Storage, room_id: &str, identity: &Identity, owner_only: bool) -> ApiResult<Member> {
    room_info(storage, room_id)?;
    let member =
        membership(storage, room_id, identity)?.ok_or_else(|| ApiError::forbidden("not a participant of this room"))?;
    if owner_only && member.role != Role::Owner {
        return Err(ApiError::forbidden("only the owner can do this"));
    }
    Ok(member)
}

pub fn participants(storage: &Storage, room_id: &str) -> ApiResult<Vec<Member>> {
    let connection = storage.connection();
    let mut statement = connection.prepare_cached(
        "SELECT id, name, role FROM participants WHERE room_id = ?1 AND removed_at IS NULL ORDER BY id",
    )?;
    let rows = statement
        .query_map([room_id], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?)))?;
    let mut members = Vec::new();
    for row in rows {
        let (participant_id, name, role) = row?;
        if let Some(role) = Role::parse(&role) {
            members.push(Member { participant_id, name, role });
        }
    }
    Ok(members)
}

pub fn set_role(storage: &Storage, room_id: &str, participant_id: i64, role: Role) -> ApiResult<Member> {
    if role == Role::Owner {
        return Err(ApiError::invalid("a room has one owner; ownership cannot be given away here"));
    }
    let member = participants(storage, room_id)?
        .into_iter()
        .find(|member| member.participant_id == participant_id)
        .ok_or_else(|| ApiError::not_found("no such participant"))?;
    if member.role == Role::Owner {
        return Err(ApiError::invalid("the owner's role cannot be changed"));
    }
    storage
        .connection()
        .execute("UPDATE participants SET role = ?2 WHERE id = ?1", params![participant_id, role.as_str()])?;
    Ok(Member { role, ..member })
}

pub fn remove_participant(storage: &Storage, room_id: &str, participant_id: i64) -> ApiResult<Member> {
    let member = participants(storage, room_id)?
        .into_iter()
        .find(|member| member.participant_id == participant_id)
        .ok_or_else(|| ApiError::not_found("no such participant"))?;
    if member.role == Role::Owner {
        return Err(ApiError::invalid("the owner cannot be removed"));
    }
    storage
        .connection()
        .execute("UPDATE participants SET removed_at = ?2 WHERE id = ?1", params![participant_id, now_millis()])?;
    Ok(member)
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub enum Expiry {
    #[serde(rename = "7d")]
    SevenDays,
    #[serde(rename = "30d")]
    ThirtyDays,
    #[serde(rename = "never")]
    Never,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invite {
    pub id: String,
    pub role: Role,
    pub expires_at: Option<i64>,
    pub max_uses: Option<i64>,
    pub uses: i64,
    pub revoked: bool,
    /// Only present when the invite is created: the code is stored hashed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

pub fn create_invite(
    storage: &Storage,
    room_id: &str,
    role: Role,
    expiry: Expiry,
    max_uses: Option<i64>,
) -> ApiResult<Invite> {
    if role == Role::Owner {
        return Err(ApiError::invalid("invites admit editors or viewers"));
    }
    if max_uses.is_some_and(|uses| uses < 1) {
        return Err(ApiError::invalid("max uses must be at least 1"));
    }
    const DAY: i64 = 24 * 60 * 60 * 1000;
    let expires_at = match expiry {
        Expiry::SevenDays => Some(now_millis() + 7 * DAY),
        Expiry::ThirtyDays => Some(now_millis() + 30 * DAY),
        Expiry::Never => None,
    };
    let id = new_secret()[..12].to_owned();
    let code = new_secret();
    storage.connection().execute(
        "INSERT INTO invites (id, code_hash, room_id, role, expires_at, max_uses, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![id, token_hash(&code), room_id, role.as_str(), expires_at, max_uses, now_millis()],
    )?;
    Ok(Invite { id, role, expires_at, max_uses, uses: 0, revoked: false, code: Some(code) })
}

pub fn list_invites(storage: &Storage, room_id: &str) -> ApiResult<Vec<Invite>> {
    let connection = storage.connection();
    let mut statement = connection.prepare_cached(
        "SELECT id, role, expires_at, max_uses, uses, revoked_at IS NOT NULL FROM invites WHERE room_id = ?1 ORDER BY created_at",
    )?;
    let rows = statement.query_map([room_id], |row| {
        Ok(Invite {
            id: row.get(0)?,
            role: Role::parse(&row.get::<_, String>(1)?).unwrap_or(Role::Viewer),
            expires_at: row.get(2)?,
            max_uses: row.get(3)?,
            uses: row.get(4)?,
            revoked: row.get(5)?,
            code: None,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn revoke_invite(storage: &Storage, room_id: &str, invite_id: &str) -> ApiResult<()> {
    let changed = storage.connection().execute(
        "UPDATE invites SET revoked_at = ?3 WHERE id = ?1 AND room_id = ?2 AND revoked_at IS NULL",
        params![invite_id, room_id, now_millis()],
    )?;
    if changed == 0 {
        return Err(ApiError::not_found("no such active invite"));
    }
    Ok(())
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Admission {
    pub room_id: String,
    pub participant_id: i64,
    pub role: Role,
    /// A guest's token; accounts keep using their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// id, room, role, expires_at, max_uses, uses, revoked
type InviteRow = (String, String, String, Option<i64>, Option<i64>, i64, bool);

/// Redeems an invite code: as the calling account, or as a guest named `name`.
pub fn join_with_invite(storage: &Storage, code: &str, account: Option<&Identity>, name: &str) -> ApiResult<Admission> {
    let connection = storage.connection();
    let transaction = connection.unchecked_transaction()?;
    let invite: Option<InviteRow> = transaction
        .query_row(
            "SELECT id, room_id, role, expires_at, max_uses, uses, revoked_at IS NOT NULL FROM invites WHERE code_hash = ?1",
            [token_hash(code)],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?)),
        )
        .optional()?;
    let (invite_id, room_id, role, expires_at, max_uses, uses, revoked) =
        invite.ok_or_else(|| ApiError::not_found("this invite link is not valid"))?;
    if revoked {
        return Err(ApiError::new(axum::http::StatusCode::GONE, "invite_revoked", "this invite link was revoked"));
    }
    if expires_at.is_some_and(|at| at <= now_millis()) {
        return Err(ApiError::new(axum::http::StatusCode::GONE, "invite_expired", "this invite link has expired"));
    }
    if max_uses.is_some_and(|max| uses >= max) {
        return Err(ApiError::new(axum::http::StatusCode::GONE, "invite_used_up", "this invite link has been used up"));
    }
    let role = Role::parse(&role).unwrap_or(Role::Viewer);
    transaction.execute("UPDATE invites SET uses = uses + 1 WHERE id = ?1", [&invite_id])?;
    let admission = match account {
        Some(Identity::Account { id, name: account_name }) => {
            transaction.execute(
                "INSERT INTO participants (room_id, account_id, name, role) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(room_id, account_id) DO UPDATE SET removed_at = NULL,
                   role = CASE WHEN participants.role = 'owner' THEN 'owner' ELSE excluded.role END",
                params![room_id, id, account_name, role.as_str()],
            )?;
            let participant_id = transaction.query_row(
                "SELECT id FROM participants WHERE room_id = ?1 AND account_id = ?2",
                params![room_id, id],
                |row| row.get(0),
            )?;
            Admission { room_id, participant_id, role, token: None }
        }
        _ => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 60 {
                return Err(ApiError::invalid("choose a display name of 1 to 60 characters"));
            }
            transaction.execute(
                "INSERT INTO participants (room_id, name, role) VALUES (?1, ?2, ?3)",
                params![room_id, name, role.as_str()],
            )?;
            let participant_id = transaction.last_insert_rowid();
            Admission { room_id, participant_id, role, token: None }
        }
    };
    transaction.commit()?;
    drop(connection);
    let token = match account {
        Some(Identity::Account { .. }) => None,
        _ => Some(issue_token(storage, None, Some(admission.participant_id))?),
    };
    Ok(Admission { token, ..admission })
}
