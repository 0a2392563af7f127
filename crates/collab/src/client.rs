//! A y-websocket sync client for a yrs document: connects, runs the sync
//! handshake, sends local changes as they happen, applies remote ones, and
//! tracks awareness (who is here, their cursors). It works against our relay
//! and against any standard y-websocket server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use tokio::sync::{mpsc, Notify};
use tokio_tungstenite::tungstenite::Message as Frame;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, GetString, Origin, ReadTxn, StateVector, Text, Transact, Update};

use crate::protocol::{decode_awareness, encode_awareness, AwarenessEntry, Message};

/// Transactions applied from the network carry this origin, so the update
/// observer does not echo them back.
const REMOTE: &str = "remote";

#[derive(Debug, Default)]
pub struct ClientState {
    /// Awareness states by client id (JSON text), ours included once echoed.
    pub awareness: HashMap<u64, String>,
    /// Reasons the server gave for refusing our changes (viewers).
    pub denied: Vec<String>,
    /// The close code and reason, once the server closed the connection.
    pub closed: Option<(u16, String)>,
    /// True once the server's document has been received (sync step 2).
    pub synced: bool,
}

/// Serialises every transaction on a document that several tasks use: yrs
/// panics when an observer (or an undo manager) is registered or removed
/// while any transaction is open, so those who share a document hold this
/// around each transaction and each registration.
pub type DocGate = Arc<Mutex<()>>;

fn hold(gate: Option<&DocGate>) -> Option<MutexGuard<'_, ()>> {
    gate.map(|gate| gate.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
}

pub struct SyncClient {
    doc: Doc,
    gate: Option<DocGate>,
    outbound: mpsc::UnboundedSender<Frame>,
    state: Arc<Mutex<ClientState>>,
    changed: Arc<Notify>,
    awareness_clock: Mutex<u64>,
    reader: tokio::task::JoinHandle<()>,
    observer: String,
}

/// Each client observes the document under its own key, so a client that
/// replaces another on the same document is not unsubscribed by its drop.
fn observer_key() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    format!("flashfusion-sync-client-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

impl Drop for SyncClient {
    fn drop(&mut self) {
        // Stop applying remote updates; the writer sends the close frame and
        // ends once every sender is gone.
        self.reader.abort();
        let _gate = hold(self.gate.as_ref());
        if let Err(error) = self.doc.unobserve_update_v1(self.observer.as_str()) {
            tracing::warn!(%error, "could not remove a document observer");
        }
        self.close();
    }
}

impl SyncClient {
    /// Connects a fresh document to `url` (the room's WebSocket address,
    /// token included).
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with_doc(url, new_doc()).await
    }

    /// Connects an existing document: edits made while offline are sent in
    /// the handshake and merge on the server.
    pub async fn connect_with_doc(url: &str, doc: Doc) -> Result<Self> {
        Self::connect_gated(url, doc, None).await
    }

    /// Connects a document that other tasks also change, each transaction
    /// under `gate` (see [`DocGate`]).
    pub async fn connect_gated(url: &str, doc: Doc, gate: Option<DocGate>) -> Result<Self> {
        // The URL carries the token: name only where it goes.
        let shown = url.split('?').next().unwrap_or_default();
        let (socket, _response) =
            tokio_tungstenite::connect_async(url).await.with_context(|| format!("connect to {shown}"))?;
        let (mut sink, mut stream) = socket.split();
        let (outbound, mut outbound_rx) = mpsc::unbounded_channel::<Frame>();
        let state = Arc::new(Mutex::new(ClientState::default()));
        let changed = Arc::new(Notify::new());

        let observer = observer_key();
        observe_local_updates(&doc, gate.as_ref(), &observer, outbound.clone()).await?;

        tokio::spawn(async move {
            while let Some(frame) = outbound_rx.recv().await {
                if sink.send(frame).await.is_err() {
                    break;
                }
            }
        });

        let reader_doc = doc.clone();
        let reader_gate = gate.clone();
        let reader_state = state.clone();
        let reader_changed = changed.clone();
        let reply = outbound.clone();
        let reader = tokio::spawn(async move {
            while let Some(frame) = stream.next().await {
                let keep_going = match frame {
                    Ok(Frame::Binary(bytes)) => {
                        handle(&reader_doc, reader_gate.as_ref(), &reader_state, &reply, &bytes)
                    }
                    Ok(Frame::Close(close)) => {
                        let (code, reason) =
                            close.map(|c| (u16::from(c.code), c.reason.to_string())).unwrap_or((1005, String::new()));
                        lock(&reader_state).closed = Some((code, reason));
                        false
                    }
                    Ok(_) => true,
                    Err(error) => {
                        lock(&reader_state).closed.get_or_insert((1006, error.to_string()));
                        false
                    }
                };
                reader_changed.notify_waiters();
                if !keep_going {
                    break;
                }
            }
            lock(&reader_state).closed.get_or_insert((1006, "connection lost".into()));
            reader_changed.notify_waiters();
        });

        let state_vector = {
            let _gate = hold(gate.as_ref());
            doc.transact().state_vector().encode_v1()
        };
        outbound.send(binary(Message::SyncStep1(state_vector))).context("connection closed")?;
        Ok(Self { doc, gate, outbound, state, changed, awareness_clock: Mutex::new(0), reader, observer })
    }

    pub fn doc(&self) -> &Doc {
        &self.doc
    }

    /// Inserts into the text named `name` as one local transaction.
    pub fn insert_text(&self, name: &str, index: u32, chunk: &str) {
        let text = self.doc.get_or_insert_text(name);
        let mut txn = self.doc.transact_mut();
        let length = text.len(&txn);
        text.insert(&mut txn, index.min(length), chunk);
    }

    /// Deletes up to `length` characters at `index` as one local transaction.
    pub fn delete_text(&self, name: &str, index: u32, length: u32) {
        let text = self.doc.get_or_insert_text(name);
        let mut txn = self.doc.transact_mut();
        let total = text.len(&txn);
        let index = index.min(total);
        text.remove_range(&mut txn, index, length.min(total - index));
    }

    pub fn text(&self, name: &str) -> String {
        let text = self.doc.get_or_insert_text(name);
        let txn = self.doc.transact();
        text.get_string(&txn)
    }

    /// Publishes our awareness state (JSON), e.g. name and cursor.
    pub fn set_awareness(&self, state_json: &str) -> Result<()> {
        let clock = {
            let mut clock = self.awareness_clock.lock().unwrap_or_else(|p| p.into_inner());
            *clock += 1;
            *clock
        };
        self.send_awareness(clock, state_json)
    }

    /// Publishes our awareness state with a clock the caller keeps: one that
    /// outlives this connection, since the relay ignores states whose clock
    /// is lower than one it has seen from our client id.
    pub fn send_awareness(&self, clock: u64, state_json: &str) -> Result<()> {
        let entry = AwarenessEntry { client_id: self.doc.client_id().get(), clock, state: state_json.to_owned() };
        self.outbound.send(binary(Message::Awareness(encode_awareness(&[entry])))).context("connection closed")
    }

    pub fn state(&self) -> MutexGuard<'_, ClientState> {
        lock(&self.state)
    }

    /// Notified after every frame from the server and when the connection ends.
    pub fn changes(&self) -> Arc<Notify> {
        self.changed.clone()
    }

    /// Sends a raw frame (tests use it to play a hostile client).
    pub fn send_raw(&self, bytes: Vec<u8>) -> Result<()> {
        self.outbound.send(Frame::Binary(bytes.into())).context("connection closed")
    }

    /// Waits until `ready` holds for the client, or fails after `timeout`.
    pub async fn wait_until(&self, timeout: Duration, ready: impl Fn(&Self) -> bool) -> Result<()> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.changed.notified();
            if ready(self) {
                return Ok(());
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                if ready(self) {
                    return Ok(());
                }
                bail!("timed out; client state: {:?}", *self.state());
            }
        }
    }

    pub fn close(&self) {
        let _closing = self.outbound.send(Frame::Close(None));
    }
}

/// Sends every local (non-remote) update of `doc` as an update message.
/// Registering needs the document free of transactions: retry briefly.
async fn observe_local_updates(
    doc: &Doc,
    gate: Option<&DocGate>,
    key: &str,
    outbound: mpsc::UnboundedSender<Frame>,
) -> Result<()> {
    let mut attempts = 0;
    loop {
        let local = outbound.clone();
        let guard = hold(gate);
        let registered = doc.observe_update_v1(key.to_owned(), move |txn: &yrs::TransactionMut, event| {
            if txn.origin() != Some(&Origin::from(REMOTE)) {
                // A closed connection drops local updates here; they stay in
                // the document and go out in the next handshake.
                let _unsent = local.send(binary(Message::Update(event.update.clone())));
            }
        });
        drop(guard);
        match registered {
            Ok(()) => return Ok(()),
            Err(error) if attempts >= 100 => bail!("observe document: {error}"),
            Err(_) => {
                attempts += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    }
}

/// A document whose text offsets count UTF-16 code units, as Yjs (and
/// CodeMirror) do, so positions mean the same on every peer. Its client id
/// is 32-bit like Yjs's: every item stored and sent carries it, and yrs's
/// default 53-bit ids make documents and updates ~20 % larger.
pub fn new_doc() -> Doc {
    let client_id = yrs::block::ClientID::new(u64::from(rand::random::<u32>().max(1)));
    Doc::with_options(yrs::Options { offset_kind: yrs::OffsetKind::Utf16, client_id, ..yrs::Options::default() })
}

fn binary(message: Message) -> Frame {
    Frame::Binary(message.encode().into())
}

fn lock(state: &Mutex<ClientState>) -> MutexGuard<'_, ClientState> {
    state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn apply_remote(doc: &Doc, gate: Option<&DocGate>, update: &[u8]) {
    match Update::decode_v1(update) {
        Ok(update) => {
            let _gate = hold(gate);
            let mut txn = doc.transact_mut_with(REMOTE);
            if let Err(error) = txn.apply_update(update) {
                tracing::warn!(%error, "could not apply a remote update");
            }
        }
        Err(error) => tracing::warn!(%error, "undecodable update from the server"),
    }
}

/// Handles one frame from the server; false ends the connection.
fn handle(
    doc: &Doc,
    gate: Option<&DocGate>,
    state: &Mutex<ClientState>,
    reply: &mpsc::UnboundedSender<Frame>,
    bytes: &[u8],
) -> bool {
    let message = match Message::decode(bytes) {
        Ok(message) => message,
        Err(error) => {
            tracing::warn!(%error, "ignoring a malformed message from the server");
            return true;
        }
    };
    match message {
        Message::SyncStep1(state_vector) => match StateVector::decode_v1(&state_vector) {
            Ok(state_vector) => {
                let diff = {
                    let _gate = hold(gate);
                    doc.transact().encode_diff_v1(&state_vector)
                };
                reply.send(binary(Message::SyncStep2(diff))).is_ok()
            }
            Err(error) => {
                tracing::warn!(%error, "bad state vector from the server");
                true
            }
        },
        Message::SyncStep2(update) => {
            apply_remote(doc, gate, &update);
            lock(state).synced = true;
            true
        }
        Message::Update(update) => {
            apply_remote(doc, gate, &update);
            true
        }
        Message::Awareness(update) => {
            match decode_awareness(&update) {
                Ok(entries) => {
                    let mut state = lock(state);
                    for entry in entries {
                        if entry.state == "null" {
                            state.awareness.remove(&entry.client_id);
                        } else {
                            state.awareness.insert(entry.client_id, entry.state);
                        }
                    }
                }
                Err(error) => tracing::warn!(%error, "malformed awareness update"),
            }
            true
        }
        Message::AuthDenied(reason) => {
            lock(state).denied.push(reason);
            true
        }
        Message::QueryAwareness => true,
    }
}
