//! The learning leaderboard: a weekly XP board for learners who opt in.
//! The desktop app queues XP awards offline and sends them here; the server
//! refuses what no lesson can give (an award the curriculum does not have,
//! XP other than the curriculum's, a week's total over what anyone could
//! plausibly earn, events from the future or long past) and counts each award once (replays of an id are acknowledged, not added;
//! a second award for the same subject is refused).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

use crate::accounts::Identity;
use crate::curriculum;
use crate::error::{ApiError, ApiResult};
use crate::storage::now_millis;
use crate::AppState;

/// More XP than this in one week is not a learner, it is a script.
const WEEKLY_LIMIT: i64 = 5_000;
/// Clocks differ; an award "from the future" beyond this is refused.
const CLOCK_SKEW_MS: i64 = 5 * 60 * 1000;
const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;
const MAX_EVENTS_PER_REQUEST: usize = 500;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct XpEvent {
    pub id: String,
    pub kind: String,
    pub subject: String,
    pub xp: i64,
    pub earned_at: i64,
}

#[derive(Debug, Deserialize)]
pub struct EventBatch {
    pub events: Vec<XpEvent>,
}

#[derive(Debug, Serialize)]
struct Refused {
    id: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub display_name: String,
}

fn account_of(app: &AppState, headers: &HeaderMap) -> ApiResult<(i64, String)> {
    match crate::http::caller(app, headers)? {
        Identity::Account { id, name } => Ok((id, name)),
        Identity::Guest { .. } => Err(ApiError::forbidden("the leaderboard needs an account, not a guest link")),
    }
}

/// Monday 00:00 UTC of the week containing `millis`.
pub fn week_start(millis: i64) -> i64 {
    const DAY_MS: i64 = 24 * 60 * 60 * 1000;
    let days = millis.div_euclid(DAY_MS);
    // 1970-01-01 was a Thursday: Monday-based weekday = (days + 3) mod 7.
    (days - (days + 3).rem_euclid(7)) * DAY_MS
}

pub async fn join(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(body): Json<Membership>,
) -> ApiResult<StatusCode> {
    let (account, _) = account_of(&app, &headers)?;
    let name = body.display_name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(ApiError::invalid("a display name of 1–40 characters is needed"));
    }
    app.storage.connection().execute(
        "INSERT INTO leaderboard_members (account_id, display_name, joined_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(account_id) DO UPDATE SET display_name = excluded.display_name",
        params![account, name, now_millis()],
    )?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn leave(State(app): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<StatusCode> {
    let (account, _) = account_of(&app, &headers)?;
    app.storage.connection().execute("DELETE FROM leaderboard_members WHERE account_id = ?1", [account])?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn submit(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(batch): Json<EventBatch>,
) -> ApiResult<Json<Value>> {
    let (account, _) = account_of(&app, &headers)?;
    if batch.events.len() > MAX_EVENTS_PER_REQUEST {
        return Err(ApiError::invalid(format!("send at most {MAX_EVENTS_PER_REQUEST} events at a time")));
    }
    let connection = app.storage.connection();
    let member: Option<i64> = connection
        .query_row("SELECT account_id FROM leaderboard_members WHERE account_id = ?1", [account], |row| row.get(0))
        .optional()?;
    if member.is_none() {
        return Err(ApiError::forbidden("join the leaderboard first (it is opt-in)"));
    }
    let now = now_millis();
    let (mut accepted, mut refused) = (Vec::new(), Vec::new());
    let transaction = connection.unchecked_transaction()?;
    for event in batch.events {
        let known: Option<i64> = transaction
            .query_row("SELECT account_id FROM xp_events WHERE id = ?1", [&event.id], |row| row.get(0))
            .optional()?;
        if known == Some(account) {
            // A replay of something already counted: acknowledge, add nothing.
            accepted.push(event.id);
            continue;
        }
        // Only this week and last count; nothing from the future (allowing
        // for clock skew). Checked first: the week arithmetic needs it.
        if event.earned_at > now + CLOCK_SKEW_MS || event.earned_at < week_start(now) - WEEK_MS {
            refused.push(Refused { id: event.id, reason: "earned in the future or too long ago".into() });
            continue;
        }
        let week_total: i64 = transaction.query_row(
            "SELECT COALESCE(SUM(xp), 0) FROM xp_events WHERE account_id = ?1 AND earned_at >= ?2 AND earned_at < ?3",
            params![account, week_start(event.earned_at), week_start(event.earned_at) + WEEK_MS],
            |row| row.get(0),
        )?;
        let reason = match curriculum::xp_for(&event.kind, &event.subject) {
            _ if known.is_some() || event.id.len() < 16 || event.id.len() > 64 => Some("unusable event id".to_owned()),
            None => Some(format!("the curriculum gives no {} award for {:?}", event.kind, event.subject)),
            Some(xp) if event.xp != xp => Some(format!("{} XP, but this {} gives {xp}", event.xp, event.kind)),
            Some(_) if week_total + event.xp > WEEKLY_LIMIT => {
                Some(format!("more than {WEEKLY_LIMIT} XP in one week is not plausible"))
            }
            Some(_) => None,
        };
        if let Some(reason) = reason {
            refused.push(Refused { id: event.id, reason });
            continue;
        }
        let inserted = transaction.execute(
            "INSERT INTO xp_events (id, account_id, kind, subject, xp, earned_at, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(account_id, kind, subject) DO NOTHING",
            params![event.id, account, event.kind, event.subject, event.xp, event.earned_at, now],
        )?;
        if inserted == 1 {
            accepted.push(event.id);
        } else {
            refused.push(Refused { id: event.id, reason: "this was already counted".into() });
        }
    }
    transaction.commit()?;
    Ok(Json(json!({ "accepted": accepted, "refused": refused })))
}

/// This week's board (UTC weeks, Monday to Sunday), best first.
pub async fn weekly(State(app): State<Arc<AppState>>) -> ApiResult<Json<Value>> {
    let start = week_start(now_millis());
    let connection = app.storage.connection();
    let mut statement = connection.prepare(
        "SELECT m.display_name, SUM(e.xp) AS total FROM xp_events e
         JOIN leaderboard_members m ON m.account_id = e.account_id
         WHERE e.earned_at >= ?1 AND e.earned_at < ?2
         GROUP BY e.account_id ORDER BY total DESC, m.display_name LIMIT 100",
    )?;
    let rows = statement
        .query_map(params![start, start + WEEK_MS], |row| Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?)))?;
    let mut entries = Vec::new();
    for (rank, row) in (1..).zip(rows) {
        let (name, xp) = row?;
        entries.push(json!({ "rank": rank, "name": name, "xp": xp }));
    }
    Ok(Json(json!({ "weekStart": start, "entries": entries })))
}

#[cfg(test)]
mod tests {
    use super::week_start;

    #[test]
    fn weeks_start_on_monday_utc() {
        // 2026-11-27 (a Friday) 15:00 UTC → Monday 2026-11-23 00:00 UTC.
        assert_eq!(week_start(1_795_791_600_000), 1_795_392_000_000);
        assert_eq!(week_start(1_795_392_000_000), 1_795_392_000_000);
        assert_eq!(week_start(1_795_391_999_999), 1_795_392_000_000 - 7 * 86_400_000);
    }
}
