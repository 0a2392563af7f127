//! Version history on the server: a version is the room document's encoded
//! state at a moment (documents keep their history: gc is off). Files live in
//! the document's `files` map (path → Y.Text, see `flashfusion_collab::files`).
//! Restoring a version is a new update that makes the files equal to the
//! version's with the smallest edits, which every connected client receives
//! like any edit (comments and cursors outside the changes stay put).

use std::collections::BTreeMap;

/// Relay tests read a client's files with it.
pub use flashfusion_collab::files::read_files;
use flashfusion_collab::files::replace_files;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use yrs::updates::decoder::Decode;
use yrs::{Doc, Transact, Update};

use crate::error::{ApiError, ApiResult};
use crate::storage::now_millis;
use crate::AppState;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    pub id: i64,
    pub created_at: i64,
    pub message: String,
    pub author: String,
    pub automatic: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionFiles {
    #[serde(flatten)]
    pub info: VersionInfo,
    pub files: BTreeMap<String, String>,
}

pub fn save(app: &AppState, room_id: &str, message: &str, author: &str, automatic: bool) -> ApiResult<VersionInfo> {
    let state = app.rooms.encoded_state(room_id)?;
    let created_at = now_millis();
    let connection = app.storage.connection();
    connection.execute(
        "INSERT INTO versions (room_id, created_at, message, author, automatic, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![room_id, created_at, message, author, automatic, state],
    )?;
    Ok(VersionInfo {
        id: connection.last_insert_rowid(),
        created_at,
        message: message.to_owned(),
        author: author.to_owned(),
        automatic,
    })
}

pub fn list(app: &AppState, room_id: &str) -> ApiResult<Vec<VersionInfo>> {
    let connection = app.storage.connection();
    let mut statement = connection.prepare_cached(
        "SELECT id, created_at, message, author, automatic FROM versions WHERE room_id = ?1 ORDER BY id DESC",
    )?;
    let rows = statement.query_map([room_id], |row| {
        Ok(VersionInfo {
            id: row.get(0)?,
            created_at: row.get(1)?,
            message: row.get(2)?,
            author: row.get(3)?,
            automatic: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn files(app: &AppState, room_id: &str, version_id: i64) -> ApiResult<VersionFiles> {
    let row: Option<(VersionInfo, Vec<u8>)> = app
        .storage
        .connection()
        .query_row(
            "SELECT id, created_at, message, author, automatic, state FROM versions WHERE room_id = ?1 AND id = ?2",
            params![room_id, version_id],
            |row| {
                let info = VersionInfo {
                    id: row.get(0)?,
                    created_at: row.get(1)?,
                    message: row.get(2)?,
                    author: row.get(3)?,
                    automatic: row.get(4)?,
                };
                Ok((info, row.get(5)?))
            },
        )
        .optional()?;
    let (info, state) = row.ok_or_else(|| ApiError::not_found("no such version"))?;
    let doc = Doc::new();
    let update = Update::decode_v1(&state).map_err(|error| anyhow::anyhow!("stored version: {error}"))?;
    doc.transact_mut().apply_update(update).map_err(|error| anyhow::anyhow!("stored version: {error}"))?;
    Ok(VersionFiles { info, files: read_files(&doc) })
}

pub fn restore(app: &AppState, room_id: &str, version_id: i64) -> ApiResult<()> {
    let target = files(app, room_id, version_id)?.files;
    app.rooms.apply_server_update(room_id, |doc| {
        let mut txn = doc.transact_mut();
        replace_files(&mut txn, &target);
        txn.encode_update_v1()
    })?;
    Ok(())
}
