//! The WebSocket endpoint `/rooms/{room_id}`: authenticates the token (query
//! `?token=` or `Authorization: Bearer`), then relays y-websocket messages
//! through the room, one message per frame. Bad tokens, malformed frames and
//! limit breaches close only the offending connection, with a 44xx code
//! (y-websocket clients stop reconnecting on those).

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use flashfusion_collab::protocol::Message;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::access::{self, Role};
use crate::accounts::resolve_token;
use crate::rooms::{Outbound, Refusal};
use crate::AppState;

const PING_EVERY: Duration = Duration::from_secs(30);
const READ_BUFFER_BYTES: usize = 4 * 1024;

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

async fn close(mut socket: WebSocket, code: u16, reason: &str) {
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

async fn serve(app: Arc<AppState>, room_id: String, token: Option<String>, socket: WebSocket) {
    let (participant_id, name, role) = match admit(&app, &room_id, token.as_deref()) {
        Ok(admitted) => admitted,
        Err((code, reason)) => {
            app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
            return close(socket, code, &reason).await;
        }
    };
    let (sender, mut outbound) = mpsc::unbounded_channel();
    let (room, connection) =
        match app.rooms.join(&room_id, participant_id, role, sender.clone(), app.config.max_connections_per_room) {
            Ok(joined) => joined,
            Err((code, reason)) => {
                app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
                return close(socket, code, &reason).await;
            }
        };
    record(&app, &room_id, "joined", &name);

    let (mut sink, mut stream) = socket.split();
    let writer = tokio::spawn(async move {
        let mut ping = tokio::time::interval(PING_EVERY);
        ping.tick().await;
        loop {
            tokio::select! {
                next = outbound.recv() => match next {
                    Some(Outbound::Frame(frame)) => {
                        // Queue everything already waiting, then flush once:
                        // one write for a burst instead of one per frame.
                        if sink.feed(WsMessage::Binary(frame.as_ref().clone().into())).await.is_err() { break; }
                        let mut closing = None;
                        while let Ok(queued) = outbound.try_recv() {
                            match queued {
                                Outbound::Frame(frame) => {
                                    if sink.feed(WsMessage::Binary(frame.as_ref().clone().into())).await.is_err() { break; }
                                }
                                Outbound::Close(code, reason) => {
                                    closing = Some((code, reason));
                                    break;
                                }
                            }
                        }
                        if sink.flush().await.is_err() { break; }
                        if let Some((code, reason)) = closing {
                            let frame = CloseFrame { code, reason: reason.into() };
                            if let Err(error) = sink.send(WsMessage::Close(Some(frame))).await {
                                tracing::debug!(%error, "peer gone before the close frame");
                            }
                            break;
                        }
                    }
                    Some(Outbound::Close(code, reason)) => {
                        let frame = CloseFrame { code, reason: reason.into() };
                        if let Err(error) = sink.send(WsMessage::Close(Some(frame))).await {
                            tracing::debug!(%error, "peer gone before the close frame");
                        }
                        break;
                    }
                    None => break,
                },
                _ = ping.tick() => {
                    if sink.send(WsMessage::Ping(Vec::new().into())).await.is_err() { break; }
                }
            }
        }
    });

    let mut messages = Bucket::new(app.config.messages_per_second);
    let mut awareness = Bucket::new(app.config.awareness_per_second);
    while let Some(frame) = stream.next().await {
        let bytes = match frame {
            Ok(WsMessage::Binary(bytes)) => bytes,
            Ok(WsMessage::Close(_)) | Err(_) => break,
            Ok(WsMessage::Text(_)) => {
                refuse(&app, &sender, 4400, "binary frames only");
                break;
            }
            Ok(_) => continue,
        };
        app.metrics.messages_received.fetch_add(1, Ordering::Relaxed);
        app.metrics.bytes_received.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if bytes.len() > app.config.max_frame_bytes {
            refuse(
                &app,
                &sender,
                4413,
                &format!("message of {} bytes exceeds the limit of {}", bytes.len(), app.config.max_frame_bytes),
            );
            break;
        }
        if !messages.take() {
            refuse(&app, &sender, 4429, "too many messages: slow down");
            break;
        }
        let message = match Message::decode(&bytes) {
            Ok(message) => message,
            Err(error) => {
                refuse(&app, &sender, 4400, &format!("malformed message: {error}"));
                break;
            }
        };
        if matches!(message, Message::Awareness(_)) && !awareness.take() {
            refuse(&app, &sender, 4429, "too many awareness updates: slow down");
            break;
        }
        match app.rooms.handle(&room, connection, message) {
            Ok(()) => {}
            Err(Refusal::Denied(reason)) => {
                let frame = Message::AuthDenied(reason).encode();
                let _queued = sender.send(Outbound::Frame(frame.into()));
            }
            Err(Refusal::Close(code, reason)) => {
                refuse(&app, &sender, code, &reason);
                break;
            }
        }
    }
    app.rooms.leave(&room, connection);
    record(&app, &room_id, "left", &name);
    drop(sender);
    if tokio::time::timeout(Duration::from_secs(5), writer).await.is_err() {
        tracing::debug!(room = %room_id, "writer did not finish in time");
    }
}

fn refuse(app: &AppState, sender: &mpsc::UnboundedSender<Outbound>, code: u16, reason: &str) {
    app.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
    tracing::info!(code, reason, "closing a connection");
    let _queued = sender.send(Outbound::Close(code, reason.to_owned()));
}

fn record(app: &AppState, room_id: &str, kind: &str, actor: &str) {
    if let Err(error) = app.storage.record_activity(room_id, kind, actor, "") {
        tracing::warn!(%error, "could not record activity");
    }
}
