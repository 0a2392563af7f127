//! A live shared project: the one yrs document of a room, kept on disk
//! ([`UpdateLog`]), synced with the relay over a connection that comes back
//! by itself (backoff with jitter), and turned into events for the window:
//! text changes that did not come from the window, the file list, peers,
//! comments, connection state. Local edits arrive as change sets and are
//! applied as one transaction each, with an origin the per-file undo
//! managers track, so undo only ever takes back our own changes.
//!
//! Every transaction on the document, the sync client's included, runs
//! under one gate ([`DocGate`]): yrs panics if an undo manager or observer is
//! added or removed while any transaction is open, and an undo waiting for
//! the document while an edit waits for the undo manager would deadlock.
//!
//! Edits are versioned per file: each `text` event carries the file's count
//! of changes the window did not make (`seq`), and an edit says how many it
//! had seen. An edit made before the window saw the latest change is refused
//! (`applied: false`); the window rebases it over that change and sends it
//! again, so its offsets always mean what the window meant.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use flashfusion_core::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use ts_rs::TS;
use yrs::branch::BranchID;
use yrs::types::{Delta, EntryChange, Event, PathSegment};
use yrs::undo::Options as UndoOptions;
use yrs::{
    DeepObservable, Doc, GetString, Map, MapRef, Origin, Out, ReadTxn, Text, TextPrelim, TextRef, Transact,
    Transaction, TransactionMut, UndoManager,
};

use crate::client::{DocGate, SyncClient};
use crate::comments::{self, Author, CommentThread};
use crate::files::{file_text, FILES};
use crate::presence::{cursor_in, Activity, Peer, Presence, User};
use crate::update_log::UpdateLog;

/// Transactions made from the window's edits: undoable, never echoed back to it.
const WINDOW_EDITS: &str = "flashfusion-edits";
/// Everything else we change locally (comments, file operations, seeding).
const LOCAL_CHANGES: &str = "flashfusion-local";
/// Awareness is re-sent this often: y-websocket peers forget a state after 30 s.
const PRESENCE_REFRESH: Duration = Duration::from_secs(15);
/// How often idle times are refreshed for the window.
const PEERS_REFRESH: Duration = Duration::from_secs(5);
/// The relay pings every 30 s: a connection silent this long is dead.
const SILENCE_LIMIT: Duration = Duration::from_secs(75);
/// Files are seeded in transactions of about this size, each one message
/// well under the relay's frame limit.
const SEED_BATCH_BYTES: usize = 4 * 1024 * 1024;

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

/// A shared file's text and how many changes the window did not make it has had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SharedText {
    pub text: String,
    pub seq: u32,
}

/// Whether an edit was applied; if not, the window rebases it over the
/// changes up to `seq` and sends it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditOutcome {
    pub applied: bool,
    pub seq: u32,
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
        seq: u32,
        changes: Vec<TextChange>,
    },
    /// A file's text was replaced by another (deleted and made again by a peer).
    Reset {
        path: String,
        seq: u32,
        text: String,
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
    /// The relay refused one of our changes: we are (now) a viewer.
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
    gate: DocGate,
    files: MapRef,
    url: String,
    author: Author,
    read_only: AtomicBool,
    sink: Mutex<Option<EventSink>>,
    state: Mutex<ConnectionState>,
    client: Mutex<Option<Arc<SyncClient>>>,
    presence: Mutex<Presence>,
    /// Awareness clock across connections (the relay keeps the highest it saw).
    presence_clock: AtomicU64,
    activity: Mutex<Activity>,
    /// Per file: its undo manager and the text it was made for.
    undo: Mutex<HashMap<String, (UndoManager, BranchID)>>,
    /// Per file: changes the window did not make, as counted in `text` events.
    seqs: Mutex<HashMap<String, u32>>,
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
        if let Some(client) = lock(&self.shared.client).take() {
            client.close();
        }
        let shared = &self.shared;
        let _gate = lock(&shared.gate);
        lock(&shared.undo).clear();
        shared.doc.unobserve_update_v1("flashfusion-log").ok();
        shared.files.unobserve_deep("flashfusion-files");
        if let Some(comments) = shared.doc.transact().get_map(comments::COMMENTS) {
            comments.unobserve_deep("flashfusion-comments");
        }
        if let Err(error) = lock(&shared.log).sync() {
            tracing::warn!(error = %format!("{error:#}"), "could not flush the shared document");
        }
    }
}

impl Session {
    /// Opens the local copy at `log_path` (creating it) and starts syncing it.
    pub fn start(options: SessionOptions, log_path: &Path, doc: Doc) -> Result<Self> {
        let log = UpdateLog::open(log_path, &doc).map_err(|error| Error::new(Code::Io, format!("{error:#}")))?;
        let files = doc.get_or_insert_map(FILES);
        let comments = doc.get_or_insert_map(comments::COMMENTS);
        let presence = Presence { user: options.user, cursor: None, typing: false };
        let shared = Arc::new(Shared {
            doc,
            gate: DocGate::default(),
            files,
            url: options.url,
            author: options.author,
            read_only: AtomicBool::new(options.read_only),
            sink: Mutex::new(None),
            state: Mutex::new(ConnectionState::Connecting),
            client: Mutex::new(None),
            presence: Mutex::new(presence),
            presence_clock: AtomicU64::new(0),
            activity: Mutex::new(Activity::default()),
            undo: Mutex::new(HashMap::new()),
            seqs: Mutex::new(HashMap::new()),
            log: Mutex::new(log),
            touched: Mutex::new(HashSet::new()),
            touched_notify: Notify::new(),
        });
        observe(&shared, &comments)?;
        // The disk may be behind the log (a crash between the two): the
        // mirror starts by looking at every file.
        let everything: HashSet<String> = shared.read(|txn| shared.files.keys(txn).map(str::to_owned).collect());
        lock(&shared.touched).extend(everything);
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
            let touched = self.take_touched();
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
        self.shared.read(|txn| sorted_paths(&self.shared.files, txn))
    }

    pub fn files(&self) -> BTreeMap<String, String> {
        self.shared.read(|txn| {
            self.shared
                .files
                .iter(txn)
                .filter_map(|(path, value)| match value {
                    Out::YText(text) => Some((path.to_owned(), text.get_string(txn))),
                    _ => None,
                })
                .collect()
        })
    }

    /// The current text of `path`, or None if it is gone.
    pub fn text(&self, path: &str) -> Option<String> {
        self.shared.read(|txn| file_text(txn, path).map(|text| text.get_string(txn)))
    }

    /// A file's text for the window, with its change count.
    pub fn read(&self, path: &str) -> Result<SharedText> {
        let _gate = lock(&self.shared.gate);
        let txn = self.shared.doc.transact();
        let text = file_text(&txn, path).ok_or_else(|| not_shared(path))?.get_string(&txn);
        // Remembered as open in the window: if another text replaces it, the window is told.
        let seq = *lock(&self.shared.seqs).entry(path.to_owned()).or_insert(0);
        Ok(SharedText { text, seq })
    }

    /// Adds files that the document does not have yet (sharing a project),
    /// in batches that each fit in one relay message.
    pub fn seed(&self, files: &BTreeMap<String, String>) {
        let mut batch = Vec::new();
        let mut size = 0;
        for (path, content) in files {
            batch.push((path, content));
            size += content.len();
            if size >= SEED_BATCH_BYTES {
                self.seed_batch(&std::mem::take(&mut batch));
                size = 0;
            }
        }
        self.seed_batch(&batch);
    }

    fn seed_batch(&self, batch: &[(&String, &String)]) {
        self.shared.write(LOCAL_CHANGES, |txn| {
            for (path, content) in batch {
                if self.shared.files.get(txn, path).is_none() {
                    self.shared.files.insert(txn, path.as_str(), TextPrelim::new(content.as_str()));
                }
            }
        });
    }

    /// Applies one change set from the window as one undoable transaction,
    /// if the window had seen every change to the file (`seen`; None applies
    /// regardless, for callers that hold the document's current text).
    pub fn edit(&self, path: &str, seen: Option<u32>, changes: &[TextChange]) -> Result<EditOutcome> {
        self.writable()?;
        let shared = &self.shared;
        let _gate = lock(&shared.gate);
        let seq = shared.seq(path);
        if seen.is_some_and(|seen| seen != seq) {
            return Ok(EditOutcome { applied: false, seq });
        }
        let text = file_text(&shared.doc.transact(), path).ok_or_else(|| not_shared(path))?;
        shared.ensure_undo(path, &text)?;
        let mut txn = shared.doc.transact_mut_with(WINDOW_EDITS);
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
        Ok(EditOutcome { applied: true, seq })
    }

    /// Takes back our last change to `path`; true if there was one. The
    /// change reaches the window as a `text` event.
    pub fn undo(&self, path: &str) -> Result<bool> {
        self.writable()?;
        let _gate = lock(&self.shared.gate);
        Ok(lock(&self.shared.undo).get_mut(path).is_some_and(|(manager, _)| manager.undo_blocking()))
    }

    pub fn redo(&self, path: &str) -> Result<bool> {
        self.writable()?;
        let _gate = lock(&self.shared.gate);
        Ok(lock(&self.shared.undo).get_mut(path).is_some_and(|(manager, _)| manager.redo_blocking()))
    }

    pub fn create_file(&self, path: &str, content: &str) -> Result<()> {
        self.writable()?;
        let files = &self.shared.files;
        self.shared.write(LOCAL_CHANGES, |txn| {
            if files.get(txn, path).is_some() {
                return Err(Error::new(Code::AlreadyExists, format!("{path} already exists")));
            }
            files.insert(txn, path, TextPrelim::new(content));
            Ok(())
        })
    }

    /// Removes `path`, or every file under it if it is a folder.
    pub fn delete_path(&self, path: &str) -> Result<()> {
        self.writable()?;
        let files = &self.shared.files;
        self.shared.write(LOCAL_CHANGES, |txn| {
            for key in matching_keys(files, txn, path) {
                files.remove(txn, &key);
            }
        });
        Ok(())
    }

    /// Moves a file, or a folder's files, to `to` (with their comments).
    pub fn rename_path(&self, from: &str, to: &str) -> Result<()> {
        self.writable()?;
        if is_under(to, from) {
            return Err(Error::new(Code::InvalidInput, format!("{from} cannot move inside itself")));
        }
        let files = &self.shared.files;
        self.shared.write(LOCAL_CHANGES, |txn| {
            if !matching_keys(files, txn, to).is_empty() {
                return Err(Error::new(Code::AlreadyExists, format!("{to} already exists")));
            }
            for key in matching_keys(files, txn, from) {
                let Some(text) = file_text(txn, &key) else { continue };
                let content = text.get_string(txn);
                let target = format!("{to}{}", &key[from.len()..]);
                files.insert(txn, target.as_str(), TextPrelim::new(content.as_str()));
                comments::move_threads(txn, &key, &target);
                files.remove(txn, &key);
            }
            Ok(())
        })
    }

    /// Publishes where our cursor is (None: no shared file focused).
    pub fn set_cursor(&self, path: Option<&str>, anchor: u32, head: u32, typing: bool) {
        let cursor = path.and_then(|path| {
            self.shared.read(|txn| {
                let text = file_text(txn, path)?;
                let length = text.len(txn);
                cursor_in(txn, path, &text, anchor.min(length), head.min(length))
            })
        });
        {
            let mut presence = lock(&self.shared.presence);
            presence.cursor = cursor;
            presence.typing = typing;
        }
        self.shared.publish_presence();
    }

    pub fn threads(&self) -> Vec<CommentThread> {
        self.shared.read(|txn| comments::threads(txn))
    }

    /// Runs a comment operation as one transaction, as our author.
    pub fn comment<T>(&self, operation: impl FnOnce(&mut TransactionMut, &Author) -> Result<T>) -> Result<T> {
        self.writable()?;
        let author = &self.shared.author;
        self.shared.write(LOCAL_CHANGES, |txn| operation(txn, author))
    }

    /// Flushes the local copy to disk.
    pub fn flush(&self) -> Result<()> {
        lock(&self.shared.log).sync().map_err(|error| Error::new(Code::Io, format!("{error:#}")))
    }

    fn writable(&self) -> Result<()> {
        if self.shared.read_only.load(Ordering::Relaxed) {
            return Err(Error::new(Code::Rejected, "you are a viewer in this session: it is read-only for you"));
        }
        Ok(())
    }
}

fn not_shared(path: &str) -> Error {
    Error::new(Code::NotFound, format!("{path} is not in the shared project"))
}

fn is_under(key: &str, path: &str) -> bool {
    key == path || key.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'))
}

fn matching_keys<T: ReadTxn>(files: &MapRef, txn: &T, path: &str) -> Vec<String> {
    files.keys(txn).filter(|key| is_under(key, path)).map(str::to_owned).collect()
}

fn sorted_paths<T: ReadTxn>(files: &MapRef, txn: &T) -> Vec<String> {
    let mut paths: Vec<String> = files.keys(txn).map(str::to_owned).collect();
    paths.sort();
    paths
}

impl Shared {
    fn read<T>(&self, read: impl FnOnce(&Transaction) -> T) -> T {
        let _gate = lock(&self.gate);
        read(&self.doc.transact())
    }

    fn write<T>(&self, origin: &str, write: impl FnOnce(&mut TransactionMut) -> T) -> T {
        let _gate = lock(&self.gate);
        let mut txn = self.doc.transact_mut_with(origin);
        let result = write(&mut txn);
        drop(txn);
        self.forget_undo_of_missing_files();
        result
    }

    fn seq(&self, path: &str) -> u32 {
        lock(&self.seqs).get(path).copied().unwrap_or(0)
    }

    /// Counts a change the window did not make; returns the new count.
    fn next_seq(&self, path: &str) -> u32 {
        let mut seqs = lock(&self.seqs);
        let seq = seqs.entry(path.to_owned()).or_insert(0);
        *seq += 1;
        *seq
    }

    /// With the gate held and no transaction open.
    fn ensure_undo(&self, path: &str, text: &TextRef) -> Result<()> {
        let mut managers = lock(&self.undo);
        if !managers.contains_key(path) {
            let mut options = UndoOptions::default();
            options.tracked_origins.insert(Origin::from(WINDOW_EDITS));
            let mut manager = UndoManager::with_options(options);
            manager.expand_scope(&self.doc, text);
            managers.insert(path.to_owned(), (manager, branch_id(text)));
        }
        Ok(())
    }

    /// Undo managers of files that are gone or were replaced; with the gate
    /// held and no transaction open (dropping one unregisters observers).
    fn forget_undo_of_missing_files(&self) {
        let mut managers = lock(&self.undo);
        if managers.is_empty() {
            return;
        }
        let txn = self.doc.transact();
        let gone: Vec<String> = managers
            .iter()
            .filter(|(path, (_, made_for))| file_text(&txn, path).is_none_or(|text| branch_id(&text) != *made_for))
            .map(|(path, _)| path.clone())
            .collect();
        drop(txn);
        for path in gone {
            managers.remove(&path);
        }
    }

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

    fn peers(&self) -> Vec<Peer> {
        let awareness = lock(&self.client).as_ref().map(|client| client.state().awareness.clone()).unwrap_or_default();
        let me = self.doc.client_id().get();
        self.read(|txn| lock(&self.activity).peers(txn, &awareness, me))
    }

    fn emit_peers(&self) {
        self.emit(CollabEvent::Peers { peers: self.peers() });
    }

    fn publish_presence(&self) {
        let json = lock(&self.presence).to_json();
        let clock = self.presence_clock.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(client) = lock(&self.client).as_ref() {
            if let Err(error) = client.send_awareness(clock, &json) {
                tracing::debug!(%error, "presence not sent: offline");
            }
        }
    }
}

fn branch_id(text: &TextRef) -> BranchID {
    AsRef::<yrs::branch::Branch>::as_ref(text).id()
}

/// Wires the document's observers: the log, text and file-list events, comments.
fn observe(shared: &Arc<Shared>, comments_map: &MapRef) -> Result<()> {
    let _gate = lock(&shared.gate);
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
    shared.files.observe_deep("flashfusion-files", move |txn, events| {
        let Some(shared) = weak.upgrade() else { return };
        let from_window = txn.origin() == Some(&Origin::from(WINDOW_EDITS));
        let mut list_changed = false;
        for event in events.iter() {
            match event {
                Event::Text(text) => {
                    let Some(PathSegment::Key(path)) = text.path().pop_front() else { continue };
                    lock(&shared.touched).insert(path.to_string());
                    if !from_window {
                        let changes = to_changes(text.delta(txn));
                        let seq = shared.next_seq(&path);
                        shared.emit(CollabEvent::Text { path: path.to_string(), seq, changes });
                    }
                }
                Event::Map(map) => {
                    list_changed = true;
                    for (path, change) in map.keys(txn) {
                        lock(&shared.touched).insert(path.to_string());
                        // A text put in place of another, or again after a delete:
                        // a window that had the file must start over.
                        let replaced = match change {
                            EntryChange::Updated(_, Out::YText(text)) => Some(text),
                            EntryChange::Inserted(Out::YText(text)) if lock(&shared.seqs).contains_key(&**path) => {
                                Some(text)
                            }
                            _ => None,
                        };
                        if let Some(text) = replaced {
                            let seq = shared.next_seq(path);
                            shared.emit(CollabEvent::Reset { path: path.to_string(), seq, text: text.get_string(txn) });
                        }
                    }
                }
                _ => {}
            }
        }
        shared.touched_notify.notify_one();
        if list_changed {
            shared.emit(CollabEvent::Files { paths: sorted_paths(&shared.files, txn) });
        }
    });

    let weak = Arc::downgrade(shared);
    comments_map.observe_deep("flashfusion-comments", move |txn, _events| {
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
/// and try again. Access refused for good (4401, 4403, 4404) ends the session.
async fn supervise(weak: std::sync::Weak<Shared>) {
    let mut failures: u32 = 0;
    loop {
        let Some((url, doc, gate)) =
            weak.upgrade().map(|shared| (shared.url.clone(), shared.doc.clone(), shared.gate.clone()))
        else {
            return;
        };
        match SyncClient::connect_gated(&url, doc, Some(gate)).await {
            Ok(client) => {
                let client = Arc::new(client);
                let Some(shared) = weak.upgrade() else { return };
                *lock(&shared.client) = Some(client.clone());
                shared.publish_presence();
                drop(shared);
                let ended = follow(&weak, &client, &mut failures).await;
                let Some(shared) = weak.upgrade() else { return };
                lock(&shared.client).take();
                drop(client);
                shared.emit_peers();
                if let Some(reason) = ended {
                    shared.read_only.store(true, Ordering::Relaxed);
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
    // Everyone else's awareness as last told to the window: peers are only
    // worked out again (a read of the document) when it changes.
    let mut others_seen: Option<HashMap<u64, String>> = None;
    let mut heard = tokio::time::Instant::now();
    loop {
        let notified = changes.notified();
        let shared = weak.upgrade()?;
        let (synced, closed, denied, others) = {
            let state = client.state();
            let mut others = state.awareness.clone();
            // Our own presence echoed back changes nothing for the window.
            others.remove(&shared.doc.client_id().get());
            (state.synced, state.closed.clone(), state.denied[denied_seen..].to_vec(), others)
        };
        if synced {
            *failures = 0;
            shared.set_state(ConnectionState::Connected);
        }
        for reason in denied {
            denied_seen += 1;
            // The owner made us a viewer: stop changing what the relay refuses.
            shared.read_only.store(true, Ordering::Relaxed);
            shared.emit(CollabEvent::Denied { reason });
        }
        if others_seen.as_ref() != Some(&others) {
            others_seen = Some(others);
            shared.emit_peers();
        }
        if let Some((code, reason)) = closed {
            return matches!(code, 4401 | 4403 | 4404).then(|| ended_reason(code, &reason));
        }
        if heard.elapsed() > SILENCE_LIMIT {
            tracing::info!("the relay went silent; reconnecting");
            return None;
        }
        drop(shared);
        tokio::select! {
            () = notified => heard = tokio::time::Instant::now(),
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
        4404 => "this session no longer exists".to_owned(),
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
