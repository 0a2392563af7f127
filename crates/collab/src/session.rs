//! A live shared project: the one yrs document of a room, kept on disk
//! ([`UpdateLog`]), synced with the relay over a connection that comes back
//! by itself (backoff with jitter), and turned into events for the window:
//! text changes that did not come from the window, the file list, peers,
//! comments, connection state. Local edits arrive as change sets and are
//! applied as one transaction each, with an origin the per-file undo
//! managers track, so undo only ever takes back our own changes.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use flashfusion_core::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use ts_rs::TS;
use yrs::types::{Delta, Event, PathSegment};
use yrs::undo::Options as UndoOptions;
use yrs::{
    DeepObservable, Doc, GetString, Map, MapRef, Origin, Out, ReadTxn, Text, TextPrelim, TextRef, Transact,
    TransactionMut, UndoManager,
};

use crate::client::SyncClient;
use crate::comments::{self, Author, CommentThread};
use crate::files::{read_files, FILES};
use crate::presence::{cursor_in, Activity, Peer, Presence, User};
use crate::update_log::UpdateLog;

/// Transactions made from the window's edits: undoable, never echoed back to it.
const EDITS: &str = "flashfusion-edits";
/// Everything else we change locally (comments, file operations, seeding).
const LOCAL: &str = "flashfusion-local";
const COMMENTS: &str = "comments";
/// Awareness is re-sent this often: y-websocket peers forget a state after 30 s.
const PRESENCE_REFRESH: Duration = Duration::from_secs(15);
/// How often idle times are refreshed for the window.
const PEERS_REFRESH: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionState {
    Connecting,
    Connected,
    Reconnecting,
    Offline,
}

/// One change in CodeMirror's terms: replace `[from, to)` of the text as it
/// was before the change set with `insert` (UTF-16 offsets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TextChange {
    pub from: u32,
    pub to: u32,
    pub insert: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CollabEvent {
    Status {
        state: ConnectionState,
    },
    /// Changes to a file's text that the window did not make (peers, undo, restore).
    Text {
        path: String,
        changes: Vec<TextChange>,
    },
    /// The whole file list, after files were created, renamed or deleted.
    Files {
        paths: Vec<String>,
    },
    /// Everyone but us.
    Peers {
        peers: Vec<Peer>,
    },
    Comments {
        threads: Vec<CommentThread>,
    },
    /// The relay refused one of our changes (we are a viewer).
    Denied {
        reason: String,
    },
    /// We were removed from the room or our access was revoked.
    Ended {
        reason: String,
    },
}

pub type EventSink = Arc<dyn Fn(CollabEvent) + Send + Sync>;

pub struct SessionOptions {
    /// The room's WebSocket URL, token included.
    pub url: String,
    pub user: User,
    pub author: Author,
    pub read_only: bool,
}

pub struct Session {
    shared: Arc<Shared>,
    supervisor: tokio::task::JoinHandle<()>,
}

struct Shared {
    doc: Doc,
    options: SessionOptions,
    sink: Mutex<Option<EventSink>>,
    state: Mutex<ConnectionState>,
    client: Mutex<Option<Arc<SyncClient>>>,
    presence: Mutex<Presence>,
    activity: Mutex<Activity>,
    undo: Mutex<HashMap<String, UndoManager>>,
    log: Mutex<UpdateLog>,
    /// Files whose text or existence changed since the mirror last ran.
    touched: Mutex<HashSet<String>>,
    touched_notify: Notify,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Drop for Session {
    fn drop(&mut self) {
        self.supervisor.abort();
        self.shared.doc.unobserve_update_v1("flashfusion-log").ok();
        let files = self.shared.doc.get_or_insert_map(FILES);
        files.unobserve_deep("flashfusion-files");
        self.shared.doc.get_or_insert_map(comments::COMMENTS).unobserve_deep("flashfusion-comments");
        if let Some(client) = lock(&self.shared.client).take() {
            client.close();
        }
        if let Err(error) = lock(&self.shared.log).sync() {
            tracing::warn!(%error, "could not flush the shared document");
        }
    }
}

impl Session {
    /// Opens the local copy at `log_path` (creating it) and starts syncing it.
    pub fn start(options: SessionOptions, log_path: &Path, doc: Doc) -> Result<Self> {
        let log = UpdateLog::open(log_path, &doc).map_err(|error| Error::new(Code::Io, format!("{error:#}")))?;
        let presence = Presence { user: options.user.clone(), cursor: None, typing: false };
        let shared = Arc::new(Shared {
            doc,
            options,
            sink: Mutex::new(None),
            state: Mutex::new(ConnectionState::Connecting),
            client: Mutex::new(None),
            presence: Mutex::new(presence),
            activity: Mutex::new(Activity::default()),
            undo: Mutex::new(HashMap::new()),
            log: Mutex::new(log),
            touched: Mutex::new(HashSet::new()),
            touched_notify: Notify::new(),
        });
        observe(&shared)?;
        let supervisor = tokio::spawn(supervise(Arc::downgrade(&shared)));
        Ok(Self { shared, supervisor })
    }

    pub fn doc(&self) -> &Doc {
        &self.shared.doc
    }

    /// Sends events to `sink` from now on (replacing the previous one), starting
    /// with the current state of everything.
    pub fn subscribe(&self, sink: EventSink) {
        *lock(&self.shared.sink) = Some(sink);
        let shared = &self.shared;
        shared.emit(CollabEvent::Status { state: *lock(&shared.state) });
        shared.emit(CollabEvent::Files { paths: self.paths() });
        shared.emit_peers();
        shared.emit(CollabEvent::Comments { threads: self.threads() });
    }

    pub fn state(&self) -> ConnectionState {
        *lock(&self.shared.state)
    }

    /// Waits until files changed, returning which (the mirror's loop).
    pub async fn touched_files(&self) -> HashSet<String> {
        loop {
            let notified = self.shared.touched_notify.notified();
            let touched = std::mem::take(&mut *lock(&self.shared.touched));
            if !touched.is_empty() {
                return touched;
            }
            notified.await;
        }
    }

    /// What changed since the last `touched_files`, without waiting.
    pub fn take_touched(&self) -> HashSet<String> {
        std::mem::take(&mut *lock(&self.shared.touched))
    }

    pub fn paths(&self) -> Vec<String> {
        let files = self.shared.doc.get_or_insert_map(FILES);
        let txn = self.shared.doc.transact();
        let mut paths: Vec<String> = files.keys(&txn).map(str::to_owned).collect();
        paths.sort();
        paths
    }

    pub fn files(&self) -> BTreeMap<String, String> {
        read_files(&self.shared.doc)
    }

    /// The current text of `path`, or None if it is gone.
    pub fn text(&self, path: &str) -> Option<String> {
        let files = self.shared.doc.get_or_insert_map(FILES);
        let txn = self.shared.doc.transact();
        match files.get(&txn, path) {
            Some(Out::YText(text)) => Some(text.get_string(&txn)),
            _ => None,
        }
    }

    pub fn read(&self, path: &str) -> Result<String> {
        self.text(path).ok_or_else(|| Error::new(Code::NotFound, format!("{path} is not in the shared project")))
    }

    /// Adds files that the document does not have yet (sharing a project).
    pub fn seed(&self, files: &BTreeMap<String, String>) {
        let map = self.shared.doc.get_or_insert_map(FILES);
        let mut txn = self.shared.doc.transact_mut_with(LOCAL);
        for (path, content) in files {
            if map.get(&txn, path).is_none() {
                map.insert(&mut txn, path.as_str(), TextPrelim::new(content.as_str()));
            }
        }
    }

    /// Applies one change set from the window as one undoable transaction.
    pub fn edit(&self, path: &str, changes: &[TextChange]) -> Result<()> {
        self.writable()?;
        let text = self.file_text(path)?;
        self.ensure_undo(path, &text);
        let mut txn = self.shared.doc.transact_mut_with(EDITS);
        let length = text.len(&txn);
        let mut previous_end = 0;
        for change in changes {
            if change.from > change.to || change.to > length || change.from < previous_end {
                return Err(Error::new(
                    Code::InvalidInput,
                    format!(
                        "an edit of {path} does not fit its text ({}..{} of {length}); reopen the file",
                        change.from, change.to
                    ),
                ));
            }
            previous_end = change.to;
        }
        // Back to front, so earlier offsets still mean the same text.
        for change in changes.iter().rev() {
            if change.to > change.from {
                text.remove_range(&mut txn, change.from, change.to - change.from);
            }
            if !change.insert.is_empty() {
                text.insert(&mut txn, change.from, &change.insert);
            }
        }
        Ok(())
    }

    /// Takes back our last change to `path`; true if there was one.
    pub fn undo(&self, path: &str) -> Result<bool> {
        self.writable()?;
        Ok(lock(&self.shared.undo).get_mut(path).is_some_and(UndoManager::undo_blocking))
    }

    pub fn redo(&self, path: &str) -> Result<bool> {
        self.writable()?;
        Ok(lock(&self.shared.undo).get_mut(path).is_some_and(UndoManager::redo_blocking))
    }

    pub fn create_file(&self, path: &str, content: &str) -> Result<()> {
        self.writable()?;
        let files = self.shared.doc.get_or_insert_map(FILES);
        let mut txn = self.shared.doc.transact_mut_with(LOCAL);
        if files.get(&txn, path).is_some() {
            return Err(Error::new(Code::AlreadyExists, format!("{path} already exists")));
        }
        files.insert(&mut txn, path, TextPrelim::new(content));
        Ok(())
    }

    /// Removes `path`, or every file under it if it is a folder.
    pub fn delete_path(&self, path: &str) -> Result<()> {
        self.writable()?;
        let files = self.shared.doc.get_or_insert_map(FILES);
        let mut txn = self.shared.doc.transact_mut_with(LOCAL);
        for key in matching_keys(&files, &txn, path) {
            files.remove(&mut txn, &key);
        }
        Ok(())
    }

    /// Moves a file or a folder's files to `to`.
    pub fn rename_path(&self, from: &str, to: &str) -> Result<()> {
        self.writable()?;
        let files = self.shared.doc.get_or_insert_map(FILES);
        let mut txn = self.shared.doc.transact_mut_with(LOCAL);
        for key in matching_keys(&files, &txn, from) {
            let Some(Out::YText(text)) = files.get(&txn, &key) else { continue };
            let content = text.get_string(&txn);
            let target = format!("{to}{}", &key[from.len()..]);
            files.remove(&mut txn, &key);
            files.insert(&mut txn, target.as_str(), TextPrelim::new(content.as_str()));
        }
        lock(&self.shared.undo).retain(|path, _| !is_under(path, from));
        Ok(())
    }

    /// Publishes where our cursor is (None: no shared file focused).
    pub fn set_cursor(&self, path: Option<&str>, anchor: u32, head: u32, typing: bool) {
        let cursor = path.and_then(|path| {
            let text = self.file_text(path).ok()?;
            let txn = self.shared.doc.transact();
            let length = text.len(&txn);
            cursor_in(&txn, path, &text, anchor.min(length), head.min(length))
        });
        {
            let mut presence = lock(&self.shared.presence);
            presence.cursor = cursor;
            presence.typing = typing;
        }
        self.shared.publish_presence();
    }

    pub fn threads(&self) -> Vec<CommentThread> {
        comments::threads(&self.shared.doc.transact())
    }

    /// Runs a comment operation as one transaction.
    pub fn comment<T>(&self, operation: impl FnOnce(&mut TransactionMut, &Author) -> Result<T>) -> Result<T> {
        let mut txn = self.shared.doc.transact_mut_with(COMMENTS);
        operation(&mut txn, &self.shared.options.author)
    }

    pub fn author(&self) -> &Author {
        &self.shared.options.author
    }

    /// Flushes the local copy to disk.
    pub fn flush(&self) -> Result<()> {
        lock(&self.shared.log).sync().map_err(|error| Error::new(Code::Io, format!("{error:#}")))
    }

    fn writable(&self) -> Result<()> {
        if self.shared.options.read_only {
            return Err(Error::new(Code::Rejected, "you joined as a viewer: the project is read-only for you"));
        }
        Ok(())
    }

    fn file_text(&self, path: &str) -> Result<TextRef> {
        let files = self.shared.doc.get_or_insert_map(FILES);
        let txn = self.shared.doc.transact();
        match files.get(&txn, path) {
            Some(Out::YText(text)) => Ok(text),
            _ => Err(Error::new(Code::NotFound, format!("{path} is not in the shared project"))),
        }
    }

    fn ensure_undo(&self, path: &str, text: &TextRef) {
        let mut managers = lock(&self.shared.undo);
        if !managers.contains_key(path) {
            let mut options = UndoOptions::default();
            options.tracked_origins.insert(Origin::from(EDITS));
            let mut manager = UndoManager::with_options(options);
            manager.expand_scope(&self.shared.doc, text);
            managers.insert(path.to_owned(), manager);
        }
    }
}

fn is_under(key: &str, path: &str) -> bool {
    key == path || key.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'))
}

fn matching_keys<T: ReadTxn>(files: &MapRef, txn: &T, path: &str) -> Vec<String> {
    files.keys(txn).filter(|key| is_under(key, path)).map(str::to_owned).collect()
}

impl Shared {
    fn emit(&self, event: CollabEvent) {
        let sink = lock(&self.sink).clone();
        if let Some(sink) = sink {
            sink(event);
        }
    }

    fn set_state(&self, state: ConnectionState) {
        let changed = {
            let mut current = lock(&self.state);
            std::mem::replace(&mut *current, state) != state
        };
        if changed {
            self.emit(CollabEvent::Status { state });
        }
    }

    fn emit_peers(&self) {
        let awareness = lock(&self.client).as_ref().map(|client| client.state().awareness.clone()).unwrap_or_default();
        let me = self.doc.client_id().get();
        let peers = lock(&self.activity).peers(&self.doc.transact(), &awareness, me);
        self.emit(CollabEvent::Peers { peers });
    }

    fn publish_presence(&self) {
        let json = lock(&self.presence).to_json();
        if let Some(client) = lock(&self.client).as_ref() {
            if let Err(error) = client.set_awareness(&json) {
                tracing::debug!(%error, "presence not sent: offline");
            }
        }
    }
}

/// Wires the document's observers: the log, text and file-list events, comments.
fn observe(shared: &Arc<Shared>) -> Result<()> {
    let weak = Arc::downgrade(shared);
    shared
        .doc
        .observe_update_v1("flashfusion-log", move |_txn, event| {
            if let Some(shared) = weak.upgrade() {
                if let Err(error) = lock(&shared.log).append(&event.update) {
                    tracing::error!(error = %format!("{error:#}"), "could not save a change to the shared document");
                }
            }
        })
        .map_err(|error| Error::internal(format!("observe the shared document: {error}")))?;

    let weak = Arc::downgrade(shared);
    shared.doc.get_or_insert_map(FILES).observe_deep("flashfusion-files", move |txn, events| {
        let Some(shared) = weak.upgrade() else { return };
        let from_window = txn.origin() == Some(&Origin::from(EDITS));
        let mut list_changed = false;
        for event in events.iter() {
            match event {
                Event::Text(text) => {
                    let Some(PathSegment::Key(path)) = text.path().pop_front() else { continue };
                    lock(&shared.touched).insert(path.to_string());
                    if !from_window {
                        let changes = to_changes(text.delta(txn));
                        shared.emit(CollabEvent::Text { path: path.to_string(), changes });
                    }
                }
                Event::Map(map) => {
                    list_changed = true;
                    lock(&shared.touched).extend(map.keys(txn).keys().map(|key| key.to_string()));
                }
                _ => {}
            }
        }
        shared.touched_notify.notify_one();
        if list_changed {
            let files = txn.get_map(FILES);
            let mut paths: Vec<String> =
                files.map(|files| files.keys(txn).map(str::to_owned).collect()).unwrap_or_default();
            paths.sort();
            shared.emit(CollabEvent::Files { paths });
        }
    });

    let weak = Arc::downgrade(shared);
    shared.doc.get_or_insert_map(comments::COMMENTS).observe_deep("flashfusion-comments", move |txn, _events| {
        if let Some(shared) = weak.upgrade() {
            shared.emit(CollabEvent::Comments { threads: comments::threads(txn) });
        }
    });
    Ok(())
}

/// A text delta as CodeMirror changes against the text before it.
fn to_changes(delta: &[Delta]) -> Vec<TextChange> {
    let mut changes: Vec<TextChange> = Vec::new();
    let mut position = 0u32;
    for step in delta {
        match step {
            Delta::Retain(length, _) => position += length,
            Delta::Deleted(length) => {
                changes.push(TextChange { from: position, to: position + length, insert: String::new() });
                position += length;
            }
            Delta::Inserted(value, _) => {
                let inserted = match value {
                    Out::Any(yrs::Any::String(text)) => text.to_string(),
                    other => other.to_string(),
                };
                match changes.last_mut() {
                    // A replacement: the deletion just before takes the text.
                    Some(last) if last.to == position && last.insert.is_empty() => last.insert = inserted,
                    _ => changes.push(TextChange { from: position, to: position, insert: inserted }),
                }
            }
        }
    }
    changes
}

/// Keeps the session connected until it is dropped: connect, sync, relay
/// presence; on loss wait `min(2^n × 500 ms, 30 s)` scaled by a random 50–100 %
/// and try again. Access refused for good (44xx) ends the session.
async fn supervise(weak: std::sync::Weak<Shared>) {
    let mut failures: u32 = 0;
    loop {
        let Some((url, doc)) = weak.upgrade().map(|shared| (shared.options.url.clone(), shared.doc.clone())) else {
            return;
        };
        match SyncClient::connect_with_doc(&url, doc).await {
            Ok(client) => {
                let client = Arc::new(client);
                let Some(shared) = weak.upgrade() else { return };
                *lock(&shared.client) = Some(client.clone());
                shared.publish_presence();
                drop(shared);
                let ended = follow(&weak, &client, &mut failures).await;
                let Some(shared) = weak.upgrade() else { return };
                lock(&shared.client).take();
                shared.emit_peers();
                if let Some(reason) = ended {
                    shared.set_state(ConnectionState::Offline);
                    shared.emit(CollabEvent::Ended { reason });
                    return;
                }
            }
            Err(error) => tracing::debug!(error = %format!("{error:#}"), "could not reach the relay"),
        }
        failures += 1;
        let Some(shared) = weak.upgrade() else { return };
        shared.set_state(if failures >= 3 { ConnectionState::Offline } else { ConnectionState::Reconnecting });
        drop(shared);
        tokio::time::sleep(backoff(failures)).await;
    }
}

pub fn backoff(failures: u32) -> Duration {
    let base = Duration::from_millis(500).saturating_mul(1 << failures.min(6)).min(Duration::from_secs(30));
    base.mul_f64(0.5 + rand::random::<f64>() * 0.5)
}

/// Relays one connection's news until it closes. Returns the reason when
/// the relay ended our access for good.
async fn follow(weak: &std::sync::Weak<Shared>, client: &SyncClient, failures: &mut u32) -> Option<String> {
    let changes = client.changes();
    let mut presence_refresh = tokio::time::interval(PRESENCE_REFRESH);
    let mut peers_refresh = tokio::time::interval(PEERS_REFRESH);
    let mut denied_seen = 0;
    let mut awareness_seen: Option<HashMap<u64, String>> = None;
    loop {
        let notified = changes.notified();
        let shared = weak.upgrade()?;
        let (synced, closed, denied, awareness) = {
            let state = client.state();
            (state.synced, state.closed.clone(), state.denied[denied_seen..].to_vec(), state.awareness.clone())
        };
        if synced {
            *failures = 0;
            shared.set_state(ConnectionState::Connected);
        }
        for reason in denied {
            denied_seen += 1;
            shared.emit(CollabEvent::Denied { reason });
        }
        if awareness_seen.as_ref() != Some(&awareness) {
            awareness_seen = Some(awareness);
            shared.emit_peers();
        }
        if let Some((code, reason)) = closed {
            return (4400..4500).contains(&code).then(|| ended_reason(code, &reason));
        }
        drop(shared);
        tokio::select! {
            () = notified => {}
            _ = presence_refresh.tick() => {
                if let Some(shared) = weak.upgrade() { shared.publish_presence(); }
            }
            _ = peers_refresh.tick() => {
                if let Some(shared) = weak.upgrade() { shared.emit_peers(); }
            }
        }
    }
}

fn ended_reason(code: u16, reason: &str) -> String {
    match code {
        4401 => "your access to this session is no longer valid (the invite or token was revoked)".to_owned(),
        4403 => "you were removed from this session".to_owned(),
        _ if reason.is_empty() => format!("the relay closed the session ({code})"),
        _ => reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        for failures in 0..20 {
            let wait = backoff(failures);
            let base = Duration::from_millis(500).saturating_mul(1 << failures.min(6)).min(Duration::from_secs(30));
            assert!(wait >= base / 2 && wait <= base, "{failures}: {wait:?}");
        }
        let waits: HashSet<Duration> = (0..20).map(|_| backoff(3)).collect();
        assert!(waits.len() > 1, "no jitter");
    }

    #[test]
    fn deltas_become_changes_against_the_old_text() {
        let delta = vec![
            Delta::Retain(2, None),
            Delta::Deleted(3),
            Delta::Inserted(Out::Any(yrs::Any::from("xy")), None),
            Delta::Retain(4, None),
            Delta::Inserted(Out::Any(yrs::Any::from("z")), None),
        ];
        assert_eq!(
            to_changes(&delta),
            vec![TextChange { from: 2, to: 5, insert: "xy".into() }, TextChange { from: 9, to: 9, insert: "z".into() },]
        );
    }
}
