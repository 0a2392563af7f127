//! Stripe's webhook (`POST /api/market/stripe/webhook`): how a purchase
//! becomes `paid` or `failed`. Anyone can reach this URL, so an event counts
//! only when its `Stripe-Signature` proves it came from Stripe, and recently:
//! HMAC-SHA256 with the endpoint's secret over `"{t}.{raw body}"`, any `v1`
//! may match (rotated secrets sign twice), compared in constant time, `t`
//! within five minutes of our clock (a captured event cannot be replayed
//! later). Stripe delivers at least once, so each event id is recorded in
//! the same transaction as its effect: a redelivery is acknowledged and
//! changes nothing.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use hmac::{Hmac, Mac};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::Sha256;

use super::stripe::not_enabled;
use crate::error::{ApiError, ApiResult};
use crate::storage::{now_millis, Storage};
use crate::AppState;

/// How far an event's signing time may be from our clock, either way.
const TOLERANCE_SECS: i64 = 300;

pub async fn receive(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> ApiResult<Json<Value>> {
    let secret =
        app.config.stripe_webhook_secret.as_deref().filter(|secret| !secret.is_empty()).ok_or_else(not_enabled)?;
    let signature = headers.get("stripe-signature").and_then(|value| value.to_str().ok());
    verify(signature, &body, secret, now_millis() / 1000)?;
    let event: Event = serde_json::from_slice(&body)
        .map_err(|error| ApiError::invalid(format!("the event is not a Stripe event: {error}")))?;
    let applied = apply(&app.storage, &event)?;
    Ok(Json(json!({ "received": true, "duplicate": !applied })))
}

/// A `Stripe-Signature` header: `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`.
struct Signature<'a> {
    /// As sent: it is signed as text.
    timestamp: &'a str,
    seconds: i64,
    candidates: Vec<Vec<u8>>,
}

/// `None` when there is no usable `t`. Schemes other than `v1` (Stripe's
/// test-mode `v0`) are ignored, as Stripe's own libraries do.
fn parse_signature(header: &str) -> Option<Signature<'_>> {
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for (key, value) in header.split(',').filter_map(|part| part.trim().split_once('=')) {
        match key {
            "t" => timestamp = Some((value, value.parse().ok()?)),
            "v1" => candidates.extend(decode_hex(value)),
            _ => {}
        }
    }
    let (timestamp, seconds) = timestamp?;
    Some(Signature { timestamp, seconds, candidates })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok()).collect()
}

/// Accepts the body only if one `v1` signature is the endpoint secret's
/// HMAC of `"{t}.{body}"` and `t` is within [`TOLERANCE_SECS`] of `now_secs`.
fn verify(header: Option<&str>, body: &[u8], secret: &str, now_secs: i64) -> ApiResult<()> {
    let header = header.ok_or_else(|| ApiError::invalid("the Stripe-Signature header is missing"))?;
    let signature = parse_signature(header)
        .ok_or_else(|| ApiError::invalid("the Stripe-Signature header is malformed (expected t=…,v1=…)"))?;
    if signature.candidates.is_empty() {
        return Err(ApiError::invalid("the Stripe-Signature header has no v1 signature"));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(anyhow::Error::from)?;
    mac.update(signature.timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    // `verify_slice` compares in constant time.
    if !signature.candidates.iter().any(|candidate| mac.clone().verify_slice(candidate).is_ok()) {
        return Err(ApiError::invalid("no v1 signature matches this payload and the endpoint's secret"));
    }
    if (now_secs - signature.seconds).abs() > TOLERANCE_SECS {
        return Err(ApiError::invalid("the signature's timestamp is more than 5 minutes from now (a replay?)"));
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    /// Its shape depends on the event's type.
    object: Value,
}

/// The fields of a PaymentIntent that settle a purchase.
#[derive(Debug, Deserialize)]
struct PaymentIntent {
    id: String,
    amount: i64,
    amount_received: Option<i64>,
    currency: String,
    #[serde(default)]
    metadata: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy)]
enum Outcome {
    Paid,
    Failed,
}

/// Records the event and applies it, atomically; `false` when it was seen
/// before (nothing is applied again).
fn apply(storage: &Storage, event: &Event) -> ApiResult<bool> {
    let connection = storage.connection();
    let transaction = connection.unchecked_transaction()?;
    let first_delivery = transaction.execute(
        "INSERT INTO market_webhook_events (id, kind, received_at) VALUES (?1, ?2, ?3) ON CONFLICT(id) DO NOTHING",
        params![event.id, event.kind, now_millis()],
    )? == 1;
    if !first_delivery {
        return Ok(false);
    }
    let outcome = match event.kind.as_str() {
        "payment_intent.succeeded" => Some(Outcome::Paid),
        "payment_intent.payment_failed" => Some(Outcome::Failed),
        _ => None,
    };
    if let Some(outcome) = outcome {
        let intent: PaymentIntent = serde_json::from_value(event.data.object.clone())
            .map_err(|error| ApiError::invalid(format!("the event's PaymentIntent is malformed: {error}")))?;
        settle(&transaction, &intent, outcome)?;
    }
    transaction.commit()?;
    Ok(true)
}

/// Marks the intent's purchase paid or failed, once the intent is the one
/// the purchase made, for the amount and currency it recorded. Payments
/// that are not purchases of ours (no `purchase_id`) are left alone.
fn settle(transaction: &Transaction<'_>, intent: &PaymentIntent, outcome: Outcome) -> ApiResult<()> {
    let Some(purchase_id) = intent.metadata.get("purchase_id") else {
        return Ok(());
    };
    let stored: Option<(String, i64, String)> = transaction
        .query_row(
            "SELECT payment_intent, amount_cents, currency FROM market_purchases WHERE id = ?1",
            [purchase_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let Some((stored_intent, amount_cents, currency)) = stored else {
        tracing::warn!(purchase_id, intent = intent.id, "a Stripe event for an unknown purchase was ignored");
        return Ok(());
    };
    let charged = match outcome {
        Outcome::Paid => intent.amount_received.unwrap_or(intent.amount),
        Outcome::Failed => intent.amount,
    };
    if stored_intent != intent.id || charged != amount_cents || !currency.eq_ignore_ascii_case(&intent.currency) {
        tracing::warn!(purchase_id, intent = intent.id, charged, "a Stripe event does not match its purchase");
        return Err(ApiError::invalid(format!(
            "the PaymentIntent {} does not match purchase {purchase_id} (intent, amount or currency differ)",
            intent.id
        )));
    }
    match outcome {
        // A late failure report never takes back a payment; a retried card
        // can still pay after a failure.
        Outcome::Paid => transaction.execute(
            "UPDATE market_purchases SET status = 'paid', paid_at = ?2 WHERE id = ?1 AND status != 'paid'",
            params![purchase_id, now_millis()],
        )?,
        Outcome::Failed => transaction.execute(
            "UPDATE market_purchases SET status = 'failed' WHERE id = ?1 AND status = 'pending'",
            [purchase_id],
        )?,
    };
    Ok(())
}
