//! The WebSocket endpoint `/rooms/{room_id}`: authenticates the token (query
//! `?token=` or `Authorization: Bearer`), then relays y-websocket messages
//! through the room, one message per frame. Bad tokens, malformed frames and
//! limit breaches close only the offending connection, with a 44xx code
//! (y-websocket clients stop reconnecting on those).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use flashfusion_collab::protocol::Message;
use futures_util::SinkExt;

use crate::access::{self, Role};
use crate::accounts::resolve_token;
use crate::config::Config;
use crate::rooms::{ConnectionId, Outbound, Outbox, Refusal, Room};
use crate::AppState;

const READ_BUFFER_BYTES: usize = 4 * 1024;
/// How long a finished connection may take to send what is still queued and
/// to complete the closing handshake.
const FINISH_WITHIN: Duration = Duration::from_secs(5);

pub async fn room_socket(
    State(app): State<Arc<AppState>>,
    Path(room_id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let token = query.get("token").cloned().or_else(|| crate::http::bearer(&headers));
    // The transport's own limit sits above ours so that an over-limit frame
    // reaches us and gets a 44xx close with a reason, not a bare 1009.
    let transport_limit = app.config.max_frame_bytes.saturating_mul(2).max(1 << 20);
    upgrade
        // Small buffers: the default 128 KiB read buffer is zero-filled and
        // so resident for every idle connection.
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(transport_limit)
        .max_frame_size(transport_limit)
        .on_upgrade(move |socket| {
            let fut = serve(app, room_id, token, socket);
            eprintln!("SIZE serve={}", std::mem::size_of_val(&fut));
            fut
        })
}

/// A token bucket: `rate` per second, bursts up to twice that.
struct Bucket {
    tokens: f64,
    rate: f64,
    last: Instant,
}

impl Bucket {
    fn new(rate: u32) -> Self {
        Self { tokens: f64::from(rate) * 2.0, rate: f64::from(rate), last: Instant::now() }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * self.rate).min(self.rate * 2.0);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// The message rate limits of one connection.
struct Limits {
    messages: Bucket,
    awareness: Bucket,
}

impl Limits {
    fn new(config: &Config) -> Self {
        Self { messages: Bucket::new(config.messages_per_second), awareness: Bucket::new(config.awareness_per_second) }
    }
}

async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame { code, reason: reason.into() };
    if let Err(error) = socket.send(WsMessage::Close(Some(frame))).await {
        tracing::debug!(%error, "peer gone before the close frame");
    }
}

/// Who is connecting, or the close code and reason that refuse them.
fn admit(app: &AppState, room_id: &str, token: Option<&str>) -> Result<(i64, String, Role), (u16, String)> {
    let internal = |_| (1011, "server error".to_owned());
    let token = token.ok_or((4401, "a token is required (?token=…)".to_owned()))?;
    let identity = resolve_token(&app.storage, token)
        .map_err(internal)?
        .ok_or((4401, "the token is invalid or revoked".to_owned()))?;
    access::room_info(&app.storage, room_id).map_err(|_| (4404, "no such room".to_owned()))?;
    let member = access::membership(&app.storage, room_id, &identity)
        .map_err(internal)?
        .ok_or((4403, "not a participant of this room".to_owned()))?;
    Ok((member.participant_id, member.name, member.role))
}

/// One task per connection: it reads the peer's frames and writes the
/// outbox, so an idle connection costs one task, one small queue and the
/// WebSocket's buffers.
async fn serve(app: Arc<AppState>, room_id: String, token: Option<String>, mut socket: WebSocket) {
    let (participant_id, name, role) = match admit(&app, &room_id, token.as_deref()) {
        Ok(admitted) => admitted,
        Err((code, reason)) => {
            app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
            return close(&mut socket, code, &reason).await;
        }
    };
    let outbox = Arc::new(Outbox::default());
    let (room, connection) =
        match app.rooms.join(&room_id, participant_id, role, outbox.clone(), app.config.max_connections_per_room) {
            Ok(joined) => joined,
            Err((code, reason)) => {
                app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
                return close(&mut socket, code, &reason).await;
            }
        };
    record(&app, &room_id, "joined", &name);
    relay(&app, &room, connection, &outbox, &mut socket).await;
    app.rooms.leave(&room, connection);
    record(&app, &room_id, "left", &name);
    // What is still queued goes out (a refusal's close frame, say); then
    // reading on answers the peer's close, or awaits the answer to ours.
    let finish = async {
        let queued = outbox.take_now();
        if !queued.is_empty() {
            write(&mut socket, queued).await;
        }
        while let Some(Ok(_)) = socket.recv().await {}
    };
    if tokio::time::timeout(FINISH_WITHIN, finish).await.is_err() {
        tracing::debug!(room = %room_id, "the connection did not finish closing in time");
    }
}

/// Relays until the connection ends: the peer's frames go to the room, and
/// whatever the outbox holds goes to the peer.
async fn relay(app: &AppState, room: &Room, connection: ConnectionId, outbox: &Outbox, socket: &mut WebSocket) {
    let mut limits = Limits::new(&app.config);
    loop {
        tokio::select! {
            frame = socket.recv() => {
                if let Err(refusal) = receive(app, room, connection, outbox, &mut limits, frame) {
                    if let Some((code, reason)) = refusal {
                        refuse(app, outbox, code, &reason);
                    }
                    return;
                }
            }
            queued = outbox.take() => {
                if !write(socket, queued).await {
                    return;
                }
            }
        }
    }
}

/// Handles one frame from the peer. `Err` ends the connection, with the
/// close code and reason to send, if any.
fn receive(
    app: &AppState,
    room: &Room,
    connection: ConnectionId,
    outbox: &Outbox,
    limits: &mut Limits,
    frame: Option<Result<WsMessage, axum::Error>>,
) -> Result<(), Option<(u16, String)>> {
    let bytes = match frame {
        Some(Ok(WsMessage::Binary(bytes))) => bytes,
        Some(Ok(WsMessage::Close(_)) | Err(_)) | None => return Err(None),
        Some(Ok(WsMessage::Text(_))) => return Err(Some((4400, "binary frames only".to_owned()))),
        // Pings are answered by the WebSocket itself.
        Some(Ok(_)) => return Ok(()),
    };
    app.metrics.messages_received.fetch_add(1, Ordering::Relaxed);
    app.metrics.bytes_received.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    if bytes.len() > app.config.max_frame_bytes {
        let reason = format!("message of {} bytes exceeds the limit of {}", bytes.len(), app.config.max_frame_bytes);
        return Err(Some((4413, reason)));
    }
    if !limits.messages.take() {
        return Err(Some((4429, "too many messages: slow down".to_owned())));
    }
    let message = Message::decode(&bytes).map_err(|error| Some((4400, format!("malformed message: {error}"))))?;
    if matches!(message, Message::Awareness(_)) && !limits.awareness.take() {
        return Err(Some((4429, "too many awareness updates: slow down".to_owned())));
    }
    match app.rooms.handle(room, connection, message) {
        Ok(()) => Ok(()),
        Err(Refusal::Denied(reason)) => {
            outbox.push(Outbound::Frame(Message::AuthDenied(reason).encode().into()));
            Ok(())
        }
        Err(Refusal::Close(code, reason)) => Err(Some((code, reason))),
    }
}

/// Writes a batch from the outbox with one flush. Returns false once the
/// connection is done: a close frame went out, or the peer is gone.
async fn write(socket: &mut WebSocket, queued: VecDeque<Outbound>) -> bool {
    for outbound in queued {
        let message = match outbound {
            Outbound::Frame(frame) => WsMessage::Binary(frame),
            Outbound::Ping => WsMessage::Ping(Bytes::new()),
            Outbound::Close(code, reason) => {
                // Sending flushes what was queued before it; anything queued
                // after it is dropped.
                close(socket, code, &reason).await;
                return false;
            }
        };
        if socket.feed(message).await.is_err() {
            return false;
        }
    }
    socket.flush().await.is_ok()
}

fn refuse(app: &AppState, outbox: &Outbox, code: u16, reason: &str) {
    app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
    tracing::info!(code, reason, "closing a connection");
    outbox.push(Outbound::Close(code, reason.to_owned()));
}

fn record(app: &AppState, room_id: &str, kind: &str, actor: &str) {
    if let Err(error) = app.storage.record_activity(room_id, kind, actor, "") {
        tracing::warn!(%error, "could not record activity");
    }
}
