//! Live rooms: one yrs document per room, loaded on demand from storage,
//! the connections in it, and their awareness. Every update is applied,
//! then made durable, then forwarded; a room unloads a grace period after
//! its last connection leaves.

use std::collections::{HashMap, HashSet, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Poll, Waker};
use std::time::Duration;

use anyhow::{Context, Result};
use axum::body::Bytes;
use flashfusion_collab::protocol::{decode_awareness, encode_awareness, AwarenessEntry, Message};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{Doc, Options, ReadTxn, StateVector, Transact, Update};

use crate::access::Role;
use crate::metrics::Metrics;
use crate::storage::Storage;

/// Updates kept as a log before they are folded into one snapshot.
const COMPACT_AFTER: usize = 500;
/// Every connection of a loaded room is pinged this often.
const PING_EVERY: Duration = Duration::from_secs(30);

/// What a connection sends to its peer.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A binary frame; clones share the bytes, so one update forwarded to
    /// the whole room is encoded once.
    Frame(Bytes),
    Ping,
    Close(u16, String),
}

/// A connection's outgoing queue: the room pushes, the connection's task
/// takes everything queued at once. It holds no buffer while empty, where a
/// tokio mpsc channel costs about 1.5 KiB per connection even when idle
/// (cache-line padding and a first block of 32 slots).
#[derive(Default)]
pub struct Outbox(Mutex<Queue>);

#[derive(Default)]
struct Queue {
    items: VecDeque<Outbound>,
    /// The connection's task, when it waits for something to send.
    waiting: Option<Waker>,
}

impl Outbox {
    pub fn push(&self, outbound: Outbound) {
        let waiting = {
            let mut queue = self.queue();
            queue.items.push_back(outbound);
            queue.waiting.take()
        };
        if let Some(waker) = waiting {
            waker.wake();
        }
    }

    /// Everything queued now (possibly nothing).
    pub fn take_now(&self) -> VecDeque<Outbound> {
        std::mem::take(&mut self.queue().items)
    }

    /// Everything queued, once there is something. Cancel-safe: nothing is
    /// taken unless it is returned.
    pub fn take(&self) -> impl Future<Output = VecDeque<Outbound>> + '_ {
        std::future::poll_fn(|context| {
            let mut queue = self.queue();
            if queue.items.is_empty() {
                queue.waiting = Some(context.waker().clone());
                Poll::Pending
            } else {
                Poll::Ready(std::mem::take(&mut queue.items))
            }
        })
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub type ConnectionId = u64;

struct Connection {
    participant_id: i64,
    role: Role,
    outbox: Arc<Outbox>,
    /// Awareness client ids this connection announced (removed when it closes).
    awareness_clients: HashSet<u64>,
}

struct RoomState {
    doc: Doc,
    last_seq: i64,
    updates_since_snapshot: usize,
    connections: HashMap<ConnectionId, Connection>,
    awareness: HashMap<u64, (u64, String)>,
    /// Bumped on every join; a pending unload only proceeds if unchanged.
    generation: u64,
    /// Updates applied since the last automatic checkpoint.
    changes_since_checkpoint: u64,
    /// Set when the room is unloaded or the server stops: this object must
    /// not apply or store anything more (a fresh one may be loaded already).
    closed: bool,
}

pub struct Room {
    pub id: String,
    state: Mutex<RoomState>,
}

/// Why a message was refused or the connection must close.
pub enum Refusal {
    /// Answer with auth-denied; the connection stays.
    Denied(String),
    /// Close the connection with this 44xx code and reason.
    Close(u16, String),
}

pub struct Rooms {
    storage: Arc<Storage>,
    metrics: Arc<Metrics>,
    loaded: Mutex<HashMap<String, Arc<Room>>>,
    next_connection: AtomicU64,
    unload_grace: Duration,
}

impl Rooms {
    pub fn new(storage: Arc<Storage>, metrics: Arc<Metrics>, unload_grace: Duration) -> Self {
        Self { storage, metrics, loaded: Mutex::new(HashMap::new()), next_connection: AtomicU64::new(1), unload_grace }
    }

    fn loaded(&self) -> MutexGuard<'_, HashMap<String, Arc<Room>>> {
        self.loaded.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn loaded_count(&self) -> usize {
        self.loaded().len()
    }

    /// The live room, loading it from storage if needed.
    pub fn get(&self, room_id: &str) -> Result<Arc<Room>> {
        if let Some(room) = self.loaded().get(room_id) {
            return Ok(room.clone());
        }
        let stored = self.storage.load_room(room_id)?;
        let doc = Doc::with_options(Options { skip_gc: true, ..Options::default() });
        {
            let mut txn = doc.transact_mut();
            for data in stored.snapshot.iter().chain(stored.updates.iter()) {
                let update = Update::decode_v1(data).context("a stored update does not decode")?;
                txn.apply_update(update).context("a stored update does not apply")?;
            }
        }
        let room = Arc::new(Room {
            id: room_id.to_owned(),
            state: Mutex::new(RoomState {
                doc,
                last_seq: stored.last_seq,
                updates_since_snapshot: stored.updates.len(),
                connections: HashMap::new(),
                awareness: HashMap::new(),
                generation: 0,
                changes_since_checkpoint: 0,
                closed: false,
            }),
        });
        let mut loaded = self.loaded();
        // Another connection may have loaded it meanwhile: keep the first.
        if let Some(first) = loaded.get(room_id) {
            return Ok(first.clone());
        }
        loaded.insert(room_id.to_owned(), room.clone());
        tokio::spawn(ping_connections(Arc::downgrade(&room)));
        Ok(room)
    }

    /// Adds a connection to the room (loading it if needed); returns the room
    /// and the connection's id, after sending the greeting.
    pub fn join(
        &self,
        room_id: &str,
        participant_id: i64,
        role: Role,
        outbox: Arc<Outbox>,
        max_connections: usize,
    ) -> Result<(Arc<Room>, ConnectionId), (u16, String)> {
        loop {
            let room = self.get(room_id).map_err(|error| {
                tracing::error!(room = %room_id, error = format!("{error:#}"), "could not load a room");
                (1011, "the room could not be loaded".to_owned())
            })?;
            let mut state = room.lock();
            if state.closed {
                // Unloaded between lookup and lock: load it afresh.
                continue;
            }
            if state.connections.len() >= max_connections {
                return Err((4409, format!("the room is full ({max_connections} connections)")));
            }
            let id = self.next_connection.fetch_add(1, Ordering::Relaxed);
            state.generation += 1;
            // Greeting: our state vector (the client answers with what we
            // lack) and everyone's awareness.
            let state_vector = state.doc.transact().state_vector().encode_v1();
            send(&outbox, Message::SyncStep1(state_vector).encode().into(), &self.metrics);
            if !state.awareness.is_empty() {
                let entries = awareness_entries(&state.awareness);
                send(&outbox, Message::Awareness(encode_awareness(&entries)).encode().into(), &self.metrics);
            }
            state
                .connections
                .insert(id, Connection { participant_id, role, outbox, awareness_clients: HashSet::new() });
            self.metrics.connections.fetch_add(1, Ordering::Relaxed);
            drop(state);
            return Ok((room, id));
        }
    }

    /// Handles one decoded message from connection `from`.
    pub fn handle(&self, room: &Room, from: ConnectionId, message: Message) -> Result<(), Refusal> {
        let mut state = room.lock();
        if state.closed {
            // 1012 (service restart): clients reconnect and resync.
            return Err(Refusal::Close(1012, "the room was reloaded; reconnect".into()));
        }
        let Some(connection) = state.connections.get(&from) else { return Ok(()) };
        let role = connection.role;
        let outbox = connection.outbox.clone();
        match message {
            Message::SyncStep1(state_vector) => {
                let state_vector = StateVector::decode_v1(&state_vector)
                    .map_err(|error| Refusal::Close(4400, format!("malformed state vector: {error}")))?;
                let diff = state.doc.transact().encode_diff_v1(&state_vector);
                send(&outbox, Message::SyncStep2(diff).encode().into(), &self.metrics);
                Ok(())
            }
            Message::SyncStep2(update) | Message::Update(update) => {
                let decoded = Update::decode_v1(&update)
                    .map_err(|error| Refusal::Close(4400, format!("malformed update: {error}")))?;
                if !role.can_edit() {
                    // A viewer's handshake carries an empty update: that is
                    // not an edit. Anything else is refused, never applied.
                    if decoded.is_empty() {
                        return Ok(());
                    }
                    self.metrics.refused.fetch_add(1, Ordering::Relaxed);
                    return Err(Refusal::Denied("viewers cannot edit this document".into()));
                }
                state
                    .doc
                    .transact_mut()
                    .apply_update(decoded)
                    .map_err(|error| Refusal::Close(4400, format!("update does not apply: {error}")))?;
                // Durable before anyone hears of it.
                let seq = state.last_seq + 1;
                if let Err(error) = self.storage.append_update(&room.id, seq, &update) {
                    tracing::error!(room = %room.id, %error, "could not persist an update");
                    return Err(Refusal::Close(1011, "the server could not store your change".into()));
                }
                state.last_seq = seq;
                state.updates_since_snapshot += 1;
                state.changes_since_checkpoint += 1;
                let frame: Bytes = Message::Update(update).encode().into();
                for (id, connection) in &state.connections {
                    if *id != from {
                        send(&connection.outbox, frame.clone(), &self.metrics);
                    }
                }
                if state.updates_since_snapshot >= COMPACT_AFTER {
                    compact(&self.storage, &room.id, &mut state);
                }
                Ok(())
            }
            Message::Awareness(update) => {
                let entries = decode_awareness(&update)
                    .map_err(|error| Refusal::Close(4400, format!("malformed awareness update: {error}")))?;
                let mut changed = Vec::new();
                for entry in entries {
                    let newer = state.awareness.get(&entry.client_id).is_none_or(|(clock, _)| entry.clock >= *clock);
                    if !newer {
                        continue;
                    }
                    if let Some(connection) = state.connections.get_mut(&from) {
                        connection.awareness_clients.insert(entry.client_id);
                    }
                    if entry.state == "null" {
                        state.awareness.remove(&entry.client_id);
                    } else {
                        state.awareness.insert(entry.client_id, (entry.clock, entry.state.clone()));
                    }
                    changed.push(entry);
                }
                if !changed.is_empty() {
                    // Echoed to everyone, the sender included (y-websocket
                    // clients expect to see their own state come back).
                    let frame: Bytes = Message::Awareness(encode_awareness(&changed)).encode().into();
                    for connection in state.connections.values() {
                        send(&connection.outbox, frame.clone(), &self.metrics);
                    }
                }
                Ok(())
            }
            Message::QueryAwareness => {
                let entries = awareness_entries(&state.awareness);
                send(&outbox, Message::Awareness(encode_awareness(&entries)).encode().into(), &self.metrics);
                Ok(())
            }
            Message::AuthDenied(_) => Ok(()),
        }
    }

    /// Removes a connection, tells the others its awareness is gone, and
    /// schedules the room's unload if it was the last one.
    pub fn leave(self: &Arc<Self>, room: &Arc<Room>, id: ConnectionId) {
        let mut state = room.lock();
        let Some(connection) = state.connections.remove(&id) else { return };
        self.metrics.connections.fetch_sub(1, Ordering::Relaxed);
        let mut gone = Vec::new();
        for client_id in connection.awareness_clients {
            if let Some((clock, _)) = state.awareness.remove(&client_id) {
                gone.push(AwarenessEntry { client_id, clock: clock + 1, state: "null".into() });
            }
        }
        if !gone.is_empty() {
            let frame: Bytes = Message::Awareness(encode_awareness(&gone)).encode().into();
            for other in state.connections.values() {
                send(&other.outbox, frame.clone(), &self.metrics);
            }
        }
        if state.connections.is_empty() {
            let generation = state.generation;
            let rooms = self.clone();
            let room = room.clone();
            let grace = self.unload_grace;
            tokio::spawn(async move {
                tokio::time::sleep(grace).await;
                rooms.unload_if_idle(&room, generation);
            });
        }
    }

    fn unload_if_idle(&self, room: &Arc<Room>, generation: u64) {
        let mut loaded = self.loaded();
        let mut state = room.lock();
        if state.connections.is_empty() && state.generation == generation && !state.closed {
            compact(&self.storage, &room.id, &mut state);
            state.closed = true;
            loaded.remove(&room.id);
            tracing::debug!(room = %room.id, "unloaded an idle room");
        }
    }

    /// Closes every connection of a participant (removed, or role changed so
    /// that their sockets must re-authenticate).
    pub fn disconnect_participant(&self, room_id: &str, participant_id: i64, code: u16, reason: &str) {
        let Some(room) = self.loaded().get(room_id).cloned() else { return };
        let state = room.lock();
        for connection in state.connections.values().filter(|c| c.participant_id == participant_id) {
            connection.outbox.push(Outbound::Close(code, reason.to_owned()));
        }
    }

    /// Applies a role change to the participant's open connections at once.
    pub fn set_role(&self, room_id: &str, participant_id: i64, role: Role) {
        let Some(room) = self.loaded().get(room_id).cloned() else { return };
        let mut state = room.lock();
        for connection in state.connections.values_mut().filter(|c| c.participant_id == participant_id) {
            connection.role = role;
        }
    }

    /// Rooms edited since the last call (and still in use): the candidates
    /// for an automatic checkpoint.
    pub fn take_checkpoint_candidates(&self) -> Vec<String> {
        let rooms: Vec<_> = self.loaded().values().cloned().collect();
        rooms
            .into_iter()
            .filter(|room| {
                let mut state = room.lock();
                let edited = state.changes_since_checkpoint > 0 && !state.closed;
                state.changes_since_checkpoint = 0;
                edited
            })
            .map(|room| room.id.clone())
            .collect()
    }

    /// Which participants have a connection open now.
    pub fn online(&self, room_id: &str) -> HashSet<i64> {
        let Some(room) = self.loaded().get(room_id).cloned() else { return HashSet::new() };
        let state = room.lock();
        state.connections.values().map(|connection| connection.participant_id).collect()
    }

    /// The room's full document state (for versions).
    pub fn encoded_state(&self, room_id: &str) -> Result<Vec<u8>> {
        let room = self.get(room_id)?;
        let state = room.lock();
        let encoded = state.doc.transact().encode_state_as_update_v1(&StateVector::default());
        Ok(encoded)
    }

    /// Applies an update made by the server itself (a version restore) as if
    /// an editor had sent it: persisted, then sent to every connection.
    pub fn apply_server_update(&self, room_id: &str, build: impl FnOnce(&Doc) -> Vec<u8>) -> Result<()> {
        let room = self.get(room_id)?;
        let mut state = room.lock();
        if state.closed {
            anyhow::bail!("the room is being unloaded; try again");
        }
        let update = build(&state.doc);
        if update.is_empty() {
            return Ok(());
        }
        let seq = state.last_seq + 1;
        self.storage.append_update(room_id, seq, &update)?;
        state.last_seq = seq;
        state.updates_since_snapshot += 1;
        let frame: Bytes = Message::Update(update).encode().into();
        for connection in state.connections.values() {
            send(&connection.outbox, frame.clone(), &self.metrics);
        }
        Ok(())
    }

    /// Graceful shutdown: close every connection (1001, going away) and
    /// fold every loaded room's log into a snapshot.
    pub fn shutdown(&self) {
        let rooms: Vec<_> = self.loaded().drain().map(|(_, room)| room).collect();
        for room in rooms {
            let mut state = room.lock();
            for connection in state.connections.values() {
                connection.outbox.push(Outbound::Close(1001, "server shutting down".into()));
            }
            compact(&self.storage, &room.id, &mut state);
            state.closed = true;
        }
    }
}

impl Room {
    fn lock(&self) -> MutexGuard<'_, RoomState> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn compact(storage: &Storage, room_id: &str, state: &mut RoomState) {
    if state.updates_since_snapshot == 0 {
        return;
    }
    let encoded = state.doc.transact().encode_state_as_update_v1(&StateVector::default());
    match storage.compact(room_id, state.last_seq, &encoded) {
        Ok(()) => state.updates_since_snapshot = 0,
        Err(error) => tracing::warn!(room = %room_id, %error, "could not compact the update log"),
    }
}

fn awareness_entries(awareness: &HashMap<u64, (u64, String)>) -> Vec<AwarenessEntry> {
    awareness
        .iter()
        .map(|(client_id, (clock, state))| AwarenessEntry {
            client_id: *client_id,
            clock: *clock,
            state: state.clone(),
        })
        .collect()
}

fn send(outbox: &Outbox, frame: Bytes, metrics: &Metrics) {
    metrics.messages_sent.fetch_add(1, Ordering::Relaxed);
    metrics.bytes_sent.fetch_add(frame.len() as u64, Ordering::Relaxed);
    outbox.push(Outbound::Frame(frame));
}

/// Pings every connection of the room every 30 s until it unloads: one
/// timer per room instead of one per connection.
async fn ping_connections(room: Weak<Room>) {
    let mut ticks = tokio::time::interval(PING_EVERY);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        let Some(room) = room.upgrade() else { return };
        let state = room.lock();
        if state.closed {
            return;
        }
        for connection in state.connections.values() {
            connection.outbox.push(Outbound::Ping);
        }
    }
}
