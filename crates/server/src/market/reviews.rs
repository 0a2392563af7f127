//! Reviews (docs/market-api.md, "Reviews"): 1–5 stars with text, one per
//! account and approved template, and "helpful" votes, one per account.
//!
//! A template's `rating_sum` and `rating_count` always equal the sum and
//! count of its reviews' stars: the transaction that writes a review also
//! adds its stars and one (a new review) or the difference (a changed one).
//! It is `IMMEDIATE` — it holds the write lock from the moment it reads the
//! previous stars — and the review is an upsert on (template, account), so
//! two reviews sent at once by one account end as one review, counted once.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::catalog::{self, CreatorRef};
use crate::error::{ApiError, ApiResult};
use crate::storage::now_millis;
use crate::AppState;

const MAX_BODY_CHARS: usize = 5000;
/// A template's page shows this many reviews at most.
const LISTED: i64 = 100;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/templates/{id}/reviews", get(list))
        .route("/templates/{id}/review", put(upsert))
        .route("/reviews/{id}/helpful", post(helpful))
}

/// `Review` of docs/market-api.md.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    pub id: i64,
    pub template_id: i64,
    pub author: CreatorRef,
    pub stars: i64,
    pub body: String,
    pub helpful: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const REVIEW_SELECT: &str = "SELECT r.id, r.template_id, a.id, a.name, r.stars, r.body, r.helpful, r.created_at, \
     r.updated_at FROM market_reviews r JOIN accounts a ON a.id = r.account_id";

fn review_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        id: row.get(0)?,
        template_id: row.get(1)?,
        author: CreatorRef { id: row.get(2)?, name: row.get(3)? },
        stars: row.get(4)?,
        body: row.get(5)?,
        helpful: row.get(6)?,
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

/// The creator of template `id` if it is approved. Others are `404`: only
/// approved templates are reviewed, and a hidden one must not leak.
fn approved_creator(connection: &Connection, id: i64) -> ApiResult<i64> {
    connection
        .query_row("SELECT creator_id FROM market_templates WHERE id = ?1 AND status = 'approved'", [id], |row| {
            row.get(0)
        })
        .optional()?
        .ok_or_else(|| ApiError::not_found("no such template"))
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    sort: Option<String>,
}

async fn list(
    State(app): State<Arc<AppState>>,
    Path(id): Path<i64>,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<Vec<Review>>> {
    // An edited review counts as new.
    let order = match query.sort.as_deref().map(str::trim) {
        None | Some("" | "helpful") => "r.helpful DESC, r.updated_at DESC, r.id DESC",
        Some("newest") => "r.updated_at DESC, r.id DESC",
        Some(_) => return Err(ApiError::invalid("sort is helpful or newest")),
    };
    let connection = app.storage.connection();
    approved_creator(&connection, id)?;
    let mut statement =
        connection.prepare_cached(&format!("{REVIEW_SELECT} WHERE r.template_id = ?1 ORDER BY {order} LIMIT ?2"))?;
    let reviews = statement.query_map(params![id, LISTED], review_row)?;
    Ok(Json(reviews.collect::<Result<_, _>>()?))
}

#[derive(Debug, Deserialize)]
struct ReviewInput {
    stars: i64,
    #[serde(default)]
    body: String,
}

async fn upsert(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<ReviewInput>,
) -> ApiResult<Json<Review>> {
    let caller = catalog::signed_in(&app, &headers)?;
    if !(1..=5).contains(&input.stars) {
        return Err(ApiError::invalid("stars are 1 to 5"));
    }
    let body = input.body.trim();
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(ApiError::invalid(format!("a review has at most {MAX_BODY_CHARS} characters")));
    }
    let connection = app.storage.connection();
    let transaction = Transaction::new_unchecked(&connection, TransactionBehavior::Immediate)?;
    if approved_creator(&transaction, id)? == caller.id {
        return Err(ApiError::forbidden("you cannot review your own template"));
    }
    let previous: Option<i64> = transaction
        .query_row(
            "SELECT stars FROM market_reviews WHERE template_id = ?1 AND account_id = ?2",
            params![id, caller.id],
            |row| row.get(0),
        )
        .optional()?;
    let review_id: i64 = transaction.query_row(
        "INSERT INTO market_reviews (template_id, account_id, stars, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (template_id, account_id) DO UPDATE
         SET stars = excluded.stars, body = excluded.body, updated_at = excluded.updated_at
         RETURNING id",
        params![id, caller.id, input.stars, body, now_millis()],
        |row| row.get(0),
    )?;
    let (added_stars, added_reviews) = match previous {
        Some(stars) => (input.stars - stars, 0),
        None => (input.stars, 1),
    };
    transaction.execute(
        "UPDATE market_templates SET rating_sum = rating_sum + ?2, rating_count = rating_count + ?3 WHERE id = ?1",
        params![id, added_stars, added_reviews],
    )?;
    let review = transaction.query_row(&format!("{REVIEW_SELECT} WHERE r.id = ?1"), [review_id], review_row)?;
    transaction.commit()?;
    Ok(Json(review))
}

/// Voting twice counts once (and answers the same); your own review, never.
async fn helpful(State(app): State<Arc<AppState>>, headers: HeaderMap, Path(id): Path<i64>) -> ApiResult<Json<Value>> {
    let caller = catalog::signed_in(&app, &headers)?;
    let connection = app.storage.connection();
    let transaction = Transaction::new_unchecked(&connection, TransactionBehavior::Immediate)?;
    let author: i64 = transaction
        .query_row(
            "SELECT r.account_id FROM market_reviews r JOIN market_templates t ON t.id = r.template_id
             WHERE r.id = ?1 AND t.status = 'approved'",
            [id],
            |row| row.get(0),
        )
        .optional()?
        .ok_or_else(|| ApiError::not_found("no such review"))?;
    if author == caller.id {
        return Err(ApiError::forbidden("you cannot vote for your own review"));
    }
    let voted = transaction.execute(
        "INSERT INTO market_review_votes (review_id, account_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![id, caller.id],
    )?;
    let helpful: i64 = transaction.query_row(
        "UPDATE market_reviews SET helpful = helpful + ?2 WHERE id = ?1 RETURNING helpful",
        params![id, i64::from(voted == 1)],
        |row| row.get(0),
    )?;
    transaction.commit()?;
    Ok(Json(json!({ "helpful": helpful })))
}
