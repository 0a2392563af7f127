//! Accounts (argon2id password hashes) and opaque bearer tokens. Only a
//! token's SHA-256 is stored: a leaked database does not leak sessions.
//! A token belongs either to an account or to one guest participant.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, ApiResult};
use crate::storage::{now_millis, Storage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    Account { id: i64, name: String },
    Guest { participant_id: i64, name: String },
}

impl Identity {
    pub fn name(&self) -> &str {
        match self {
            Self::Account { name, .. } | Self::Guest { name, .. } => name,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub token: String,
    pub account_id: i64,
    pub name: String,
}

pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// A new random token (256 bits, hex).
pub fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

pub fn issue_token(storage: &Storage, account_id: Option<i64>, participant_id: Option<i64>) -> ApiResult<String> {
    let token = new_secret();
    storage.connection().execute(
        "INSERT INTO tokens (hash, account_id, participant_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash(&token), account_id, participant_id, now_millis()],
    )?;
    Ok(token)
}

fn salt() -> anyhow::Result<SaltString> {
    let bytes: [u8; 16] = rand::random();
    SaltString::encode_b64(&bytes).map_err(|error| anyhow::anyhow!("salt: {error}"))
}

pub fn register(storage: &Storage, email: &str, name: &str, password: &str) -> ApiResult<Session> {
    let email = email.trim().to_lowercase();
    let name = name.trim();
    if !email.contains('@') || name.is_empty() {
        return Err(ApiError::invalid("an email address and a name are required"));
    }
    if password.chars().count() < 8 {
        return Err(ApiError::invalid("passwords need at least 8 characters"));
    }
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt()?)
        .map_err(|error| anyhow::anyhow!("hash password: {error}"))?
        .to_string();
    let inserted = storage.connection().execute(
        "INSERT INTO accounts (email, name, password_hash, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(email) DO NOTHING",
        params![email, name, hash, now_millis()],
    )?;
    if inserted == 0 {
        return Err(ApiError::conflict("an account with this email exists"));
    }
    let account_id = storage.connection().last_insert_rowid();
    Ok(Session { token: issue_token(storage, Some(account_id), None)?, account_id, name: name.to_owned() })
}

pub fn login(storage: &Storage, email: &str, password: &str) -> ApiResult<Session> {
    let found: Option<(i64, String, String)> = storage
        .connection()
        .query_row(
            "SELECT id, name, password_hash FROM accounts WHERE email = ?1",
            [email.trim().to_lowercase()],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let refused = || ApiError::unauthorized("wrong email or password");
    let (account_id, name, stored) = found.ok_or_else(refused)?;
    let parsed = PasswordHash::new(&stored).map_err(|error| anyhow::anyhow!("stored hash: {error}"))?;
    Argon2::default().verify_password(password.as_bytes(), &parsed).map_err(|_| refused())?;
    Ok(Session { token: issue_token(storage, Some(account_id), None)?, account_id, name })
}

pub fn revoke_token(storage: &Storage, token: &str) -> ApiResult<()> {
    storage.connection().execute(
        "UPDATE tokens SET revoked_at = ?2 WHERE hash = ?1 AND revoked_at IS NULL",
        params![token_hash(token), now_millis()],
    )?;
    Ok(())
}

/// account id, account name, participant id, participant name
type TokenRow = (Option<i64>, Option<String>, Option<i64>, Option<String>);

/// Who a token belongs to; `None` for unknown or revoked tokens and for
/// guests who were removed from their room.
pub fn resolve_token(storage: &Storage, token: &str) -> ApiResult<Option<Identity>> {
    let row: Option<TokenRow> = storage
        .connection()
        .query_row(
            "SELECT a.id, a.name, p.id, p.name FROM tokens t
             LEFT JOIN accounts a ON a.id = t.account_id
             LEFT JOIN participants p ON p.id = t.participant_id AND p.removed_at IS NULL
             WHERE t.hash = ?1 AND t.revoked_at IS NULL",
            [token_hash(token)],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    Ok(match row {
        Some((Some(id), Some(name), _, _)) => Some(Identity::Account { id, name }),
        Some((None, _, Some(participant_id), Some(name))) => Some(Identity::Guest { participant_id, name }),
        _ => None,
    })
}

/// Creates the owner account of a locally hosted server (idempotent) and
/// returns a fresh token for it.
pub fn ensure_local_owner(storage: &Storage, name: &str) -> ApiResult<Session> {
    let email = "owner@localhost";
    let existing: Option<i64> = storage
        .connection()
        .query_row("SELECT id FROM accounts WHERE email = ?1", [email], |row| row.get(0))
        .optional()?;
    match existing {
        Some(account_id) => {
            Ok(Session { token: issue_token(storage, Some(account_id), None)?, account_id, name: name.to_owned() })
        }
        None => register(storage, email, name, &new_secret()),
    }
}
