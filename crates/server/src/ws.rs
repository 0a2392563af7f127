//! The WebSocket endpoint `/rooms/{room_id}`: authenticates the token (query
//! `?token=` or `Authorization: Bearer`), then relays y-websocket messages
//! through the room, one message per frame. Bad tokens, malformed frames and
//! limit breaches close only the offending connection, with a 44xx code
//! (y-websocket clients stop reconnecting on those).

use std::collections::{HashMap, VecDeque};
use std::future::Future;
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

/// The WebSocket's read buffer: allocated per connection for its whole life
/// and zero-filled, so resident even when idle (the default is 128 KiB).
/// It also caps each read from the socket: a 16 MiB frame takes 64 Ki reads,
/// about 135 ms on loopback instead of 90 ms with 4 KiB (frames that large
/// are rare: a first sync of a big document).
const READ_BUFFER_BYTES: usize = 256;
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
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(transport_limit)
        .max_frame_size(transport_limit)
        .on_upgrade(move |socket| serve(app, room_id, token, socket))
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

/// The connection's task, the only one: it reads the peer's frames into the
/// room and writes the outbox to the peer. Not an `async fn`, which would
/// keep its arguments twice in the future (rust-lang/rust#62958): every
/// idle connection pays for the future's size.
fn serve(
    app: Arc<AppState>,
    room_id: String,
    token: Option<String>,
    mut socket: WebSocket,
) -> impl Future<Output = ()> {
    // Before the future, so that it does not hold the token.
    let admitted = admit(&app, &room_id, token.as_deref());
    async move {
        let (participant_id, name, role) = match admitted {
            Ok(admitted) => admitted,
            Err((code, reason)) => {
                app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
                return close(&mut socket, code, &reason).await;
            }
        };
        let outbox = Arc::new(Outbox::default());
        let max_connections = app.config.max_connections_per_room;
        let (room, connection) = match app.rooms.join(&room_id, participant_id, role, outbox.clone(), max_connections) {
            Ok(joined) => joined,
            Err((code, reason)) => {
                app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
                return close(&mut socket, code, &reason).await;
            }
        };
        record(&app, &room_id, "joined", &name);
        let mut limits = Limits::new(&app.config);
        loop {
            tokio::select! {
                frame = socket.recv() => {
                    if let Err(refusal) = receive(&app, &room, connection, &outbox, &mut limits, frame) {
                        if let Some((code, reason)) = refusal {
                            refuse(&app, &outbox, code, &reason);
                        }
                        break;
                    }
                }
                queued = outbox.take() => {
                    if !write(&mut socket, queued).await {
                        break;
                    }
                }
            }
        }
        app.rooms.leave(&room, connection);
        record(&app, &room_id, "left", &name);
        // What is still queued goes out (a refusal's close frame, say); then
        // reading on answers the peer's close, or awaits the answer to ours.
        // Boxed: inline, it would take room in every idle connection's task.
        let finish = Box::pin(async {
            let queued = outbox.take_now();
            if !queued.is_empty() {
                write(&mut socket, queued).await;
            }
            while let Some(Ok(_)) = socket.recv().await {}
        });
        if tokio::time::timeout(FINISH_WITHIN, finish).await.is_err() {
            tracing::debug!(room = %room_id, "the connection did not finish closing in time");
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
async fn write(socket: &mut WebSocket, mut queued: VecDeque<Outbound>) -> bool {
    let mut open = true;
    while open {
        let Some(outbound) = queued.pop_front() else { break };
        // Whatever was queued after a close frame is dropped.
        open = !matches!(outbound, Outbound::Close(..));
        if socket.feed(ws_message(outbound)).await.is_err() {
            return false;
        }
    }
    if let Err(error) = socket.flush().await {
        tracing::debug!(%error, "peer gone before a write");
        return false;
    }
    open
}

fn ws_message(outbound: Outbound) -> WsMessage {
    match outbound {
        Outbound::Frame(frame) => WsMessage::Binary(frame),
        Outbound::Ping => WsMessage::Ping(Bytes::new()),
        Outbound::Close(code, reason) => WsMessage::Close(Some(CloseFrame { code, reason: reason.into() })),
    }
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
