//! The REST API (JSON). Errors are `{code, message}` with an HTTP status.
//! Authentication: `Authorization: Bearer <token>`. See docs/server-api.md.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{delete, get, patch, post};
use axum::{Json, Router};
use flashfusion_collab::invite::InviteLink;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::access::{self, Expiry, Role};
use crate::accounts::{self, Identity};
use crate::error::{ApiError, ApiResult};
use crate::leaderboard;
use crate::{versions, AppState};

pub fn router(app: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics))
        .route("/rooms/{room_id}", get(crate::ws::room_socket))
        .route("/api/accounts", post(register))
        .route("/api/sessions", post(login).delete(logout))
        .route("/api/rooms", post(create_room))
        .route("/api/rooms/{room_id}", get(get_room))
        .route("/api/rooms/{room_id}/invites", post(create_invite).get(list_invites))
        .route("/api/rooms/{room_id}/invites/{invite_id}", delete(revoke_invite))
        .route("/api/invites/{code}/join", post(join))
        .route("/api/rooms/{room_id}/participants/{participant_id}", patch(set_role).delete(remove_participant))
        .route("/api/rooms/{room_id}/activity", get(activity))
        .route("/api/rooms/{room_id}/versions", post(save_version).get(list_versions))
        .route("/api/rooms/{room_id}/versions/{version_id}", get(get_version))
        .route("/api/rooms/{room_id}/versions/{version_id}/restore", post(restore_version))
        .route("/api/leaderboard/membership", post(leaderboard::join).delete(leaderboard::leave))
        .route("/api/leaderboard/events", post(leaderboard::submit))
        .route("/api/leaderboard/weekly", get(leaderboard::weekly))
        .nest("/api/market", crate::market::router())
        .with_state(app)
}

pub fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(|token| token.trim().to_owned())
}

pub fn caller(app: &AppState, headers: &HeaderMap) -> ApiResult<Identity> {
    let token = bearer(headers).ok_or_else(|| ApiError::unauthorized("sign in first (Authorization: Bearer …)"))?;
    accounts::resolve_token(&app.storage, &token)?
        .ok_or_else(|| ApiError::unauthorized("the token is invalid or revoked"))
}

/// The caller and their membership of the room (the owner's, with `owner_only`).
fn caller_in(
    app: &AppState,
    headers: &HeaderMap,
    room_id: &str,
    owner_only: bool,
) -> ApiResult<(Identity, access::Member)> {
    let identity = caller(app, headers)?;
    let member = access::require(&app.storage, room_id, &identity, owner_only)?;
    Ok((identity, member))
}

async fn metrics(State(app): State<Arc<AppState>>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], app.metrics.render(app.rooms.loaded_count()))
}

#[derive(Deserialize)]
struct Registration {
    email: String,
    name: String,
    password: String,
}

async fn register(State(app): State<Arc<AppState>>, Json(body): Json<Registration>) -> ApiResult<impl IntoResponse> {
    let session = accounts::register(&app.storage, &body.email, &body.name, &body.password)?;
    Ok((StatusCode::CREATED, Json(session)))
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

async fn login(State(app): State<Arc<AppState>>, Json(body): Json<Credentials>) -> ApiResult<impl IntoResponse> {
    Ok(Json(accounts::login(&app.storage, &body.email, &body.password)?))
}

async fn logout(State(app): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<StatusCode> {
    let token = bearer(&headers).ok_or_else(|| ApiError::unauthorized("no token"))?;
    accounts::revoke_token(&app.storage, &token)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct NewRoom {
    #[serde(default)]
    name: String,
}

async fn create_room(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(body): Json<NewRoom>,
) -> ApiResult<impl IntoResponse> {
    let identity = caller(&app, &headers)?;
    Ok((StatusCode::CREATED, Json(access::create_room(&app.storage, &identity, &body.name)?)))
}

async fn get_room(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(room_id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller_in(&app, &headers, &room_id, false)?;
    let room = access::room_info(&app.storage, &room_id)?;
    let online = app.rooms.online(&room_id);
    let participants: Vec<Value> = access::participants(&app.storage, &room_id)?
        .into_iter()
        .map(|member| {
            json!({ "participantId": member.participant_id, "name": member.name, "role": member.role,
                    "online": online.contains(&member.participant_id) })
        })
        .collect();
    Ok(Json(json!({ "id": room.id, "name": room.name, "participants": participants })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewInvite {
    role: Role,
    expires: Expiry,
    max_uses: Option<i64>,
}

async fn create_invite(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(room_id): Path<String>,
    Json(body): Json<NewInvite>,
) -> ApiResult<impl IntoResponse> {
    caller_in(&app, &headers, &room_id, true)?;
    let invite = access::create_invite(&app.storage, &room_id, body.role, body.expires, body.max_uses)?;
    let code = invite.code.clone().unwrap_or_default();
    // Built by the module that also reads it: every value percent-encoded.
    let link = InviteLink { server: app.config.public_url.clone(), room: room_id, code }.to_string();
    let mut value = serde_json::to_value(invite).map_err(anyhow::Error::from)?;
    value["link"] = json!(link);
    Ok((StatusCode::CREATED, Json(value)))
}

async fn list_invites(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(room_id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    caller_in(&app, &headers, &room_id, true)?;
    Ok(Json(access::list_invites(&app.storage, &room_id)?))
}

async fn revoke_invite(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((room_id, invite_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    caller_in(&app, &headers, &room_id, true)?;
    access::revoke_invite(&app.storage, &room_id, &invite_id)?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct Join {
    #[serde(default)]
    name: String,
}

async fn join(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(code): Path<String>,
    Json(body): Json<Join>,
) -> ApiResult<impl IntoResponse> {
    // Signed-in callers join with their account; anyone else as a guest.
    let account = match bearer(&headers) {
        Some(token) => {
            accounts::resolve_token(&app.storage, &token)?.filter(|id| matches!(id, Identity::Account { .. }))
        }
        None => None,
    };
    let admission = access::join_with_invite(&app.storage, &code, account.as_ref(), &body.name)?;
    let name = account.as_ref().map_or(body.name.trim(), Identity::name);
    record(&app, &admission.room_id, "invited", name, admission.role.as_str());
    Ok((StatusCode::CREATED, Json(admission)))
}

#[derive(Deserialize)]
struct RoleChange {
    role: Role,
}

async fn set_role(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((room_id, participant_id)): Path<(String, i64)>,
    Json(body): Json<RoleChange>,
) -> ApiResult<impl IntoResponse> {
    let (identity, _) = caller_in(&app, &headers, &room_id, true)?;
    let member = access::set_role(&app.storage, &room_id, participant_id, body.role)?;
    app.rooms.set_role(&room_id, participant_id, body.role);
    record(&app, &room_id, "role_changed", identity.name(), &format!("{} → {}", member.name, body.role.as_str()));
    Ok(Json(member))
}

async fn remove_participant(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((room_id, participant_id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    let (identity, _) = caller_in(&app, &headers, &room_id, true)?;
    let member = access::remove_participant(&app.storage, &room_id, participant_id)?;
    app.rooms.disconnect_participant(&room_id, participant_id, 4403, "you were removed from this room");
    record(&app, &room_id, "removed", identity.name(), &member.name);
    Ok(StatusCode::NO_CONTENT)
}

async fn activity(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(room_id): Path<String>,
) -> ApiResult<Json<Value>> {
    caller_in(&app, &headers, &room_id, false)?;
    let connection = app.storage.connection();
    let mut statement = connection
        .prepare_cached("SELECT at, kind, actor, detail FROM activity WHERE room_id = ?1 ORDER BY id DESC LIMIT 200")?;
    let rows = statement.query_map([&room_id], |row| {
        Ok(json!({ "at": row.get::<_, i64>(0)?, "kind": row.get::<_, String>(1)?,
                   "actor": row.get::<_, String>(2)?, "detail": row.get::<_, String>(3)? }))
    })?;
    Ok(Json(Value::Array(rows.collect::<Result<_, _>>()?)))
}

#[derive(Deserialize)]
struct NewVersion {
    #[serde(default)]
    message: String,
}

async fn save_version(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(room_id): Path<String>,
    Json(body): Json<NewVersion>,
) -> ApiResult<impl IntoResponse> {
    let (identity, member) = caller_in(&app, &headers, &room_id, false)?;
    if !member.role.can_edit() {
        return Err(ApiError::forbidden("viewers cannot save versions"));
    }
    let version = versions::save(&app, &room_id, &body.message, identity.name(), false)?;
    record(&app, &room_id, "version_saved", identity.name(), &body.message);
    Ok((StatusCode::CREATED, Json(version)))
}

async fn list_versions(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(room_id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    caller_in(&app, &headers, &room_id, false)?;
    Ok(Json(versions::list(&app, &room_id)?))
}

async fn get_version(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((room_id, version_id)): Path<(String, i64)>,
) -> ApiResult<impl IntoResponse> {
    caller_in(&app, &headers, &room_id, false)?;
    Ok(Json(versions::files(&app, &room_id, version_id)?))
}

async fn restore_version(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((room_id, version_id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    let (identity, member) = caller_in(&app, &headers, &room_id, false)?;
    if !member.role.can_edit() {
        return Err(ApiError::forbidden("viewers cannot restore versions"));
    }
    versions::restore(&app, &room_id, version_id)?;
    record(&app, &room_id, "version_restored", identity.name(), &version_id.to_string());
    Ok(StatusCode::NO_CONTENT)
}

fn record(app: &AppState, room_id: &str, kind: &str, actor: &str, detail: &str) {
    if let Err(error) = app.storage.record_activity(room_id, kind, actor, detail) {
        tracing::warn!(%error, "could not record activity");
    }
}
