//! Version history on the server: a version is the room document's encoded
//! state at a moment (documents keep their history: gc is off). Files live in
//! the document's `files` map (path → Y.Text). Restoring a version is a new
//! update that makes the files equal to the version's, which every
//! connected client receives like any edit.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use yrs::types::text::TextPrelim;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, Map, Out, Text, Transact, Update};

use crate::error::{ApiError, ApiResult};
use crate::storage::now_millis;
use crate::AppState;

pub const FILES: &str = "files";

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

pub fn read_files(doc: &Doc) -> BTreeMap<String, String> {
    let map = doc.get_or_insert_map(FILES);
    let txn = doc.transact();
    map.iter(&txn)
        .filter_map(|(path, value)| match value {
            Out::YText(text) => Some((path.to_owned(), text.get_string(&txn))),
            _ => None,
        })
        .collect()
}

pub fn restore(app: &AppState, room_id: &str, version_id: i64) -> ApiResult<()> {
    let target = files(app, room_id, version_id)?.files;
    app.rooms.apply_server_update(room_id, |doc| {
        let map = doc.get_or_insert_map(FILES);
        let mut txn = doc.transact_mut();
        let current: Vec<String> = map.keys(&txn).map(str::to_owned).collect();
        for path in current.iter().filter(|path| !target.contains_key(*path)) {
            map.remove(&mut txn, path);
        }
        for (path, content) in &target {
            match map.get(&txn, path) {
                Some(Out::YText(text)) => {
                    if text.get_string(&txn) != *content {
                        let length = text.len(&txn);
                        text.remove_range(&mut txn, 0, length);
                        text.insert(&mut txn, 0, content);
                    }
                }
                _ => {
                    map.insert(&mut txn, path.as_str(), TextPrelim::new(content.as_str()));
                }
            }
        }
        txn.encode_update_v1()
    })?;
    Ok(())
}
