//! Paid templates (docs/market-api.md, "Paid templates"): creators' payout
//! accounts, purchases as Stripe destination charges, and the creator's
//! sales dashboard. [`super::stripe`] talks to Stripe; [`super::webhook`]
//! settles purchases when Stripe reports the payment.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::{Json, Router};
use rusqlite::{params, OptionalExtension};
use serde_json::{json, Value};

use super::catalog::signed_in;
use super::stripe::{platform_fee, Charge, Payments, StripeConnect, CURRENCY};
use super::webhook;
use crate::error::{ApiError, ApiResult};
use crate::storage::{now_millis, Storage};
use crate::AppState;

/// Sales paid within this window are still on their way to the creator.
const PAYOUT_DELAY_MS: i64 = 7 * 24 * 60 * 60 * 1000;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/me/payouts", post(create_payout_account))
        .route("/me/dashboard", get(dashboard))
        .route("/templates/{id}/purchase", post(purchase))
        .route("/stripe/webhook", post(webhook::receive))
}

async fn create_payout_account(State(app): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let account = signed_in(&app, &headers)?.id;
    let stripe = StripeConnect::from_config(&app.config)?;
    let stripe_account = payout_account(&app.storage, &stripe, account).await?;
    Ok(Json(json!({ "stripeAccount": stripe_account })))
}

fn stored_payout_account(storage: &Storage, account: i64) -> ApiResult<Option<String>> {
    Ok(storage
        .connection()
        .query_row("SELECT stripe_account FROM market_payout_accounts WHERE account_id = ?1", [account], |row| {
            row.get(0)
        })
        .optional()?)
}

/// The creator's connected account, created at Stripe the first time only.
async fn payout_account(storage: &Storage, payments: &impl Payments, account: i64) -> ApiResult<String> {
    if let Some(existing) = stored_payout_account(storage, account)? {
        return Ok(existing);
    }
    let (email, registered_at): (String, i64) =
        storage.connection().query_row("SELECT email, created_at FROM accounts WHERE id = ?1", [account], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    // Stable across retries for this account, and unlike any other account's
    // even when a fresh database hands out the same id again.
    let idempotency_key = format!("payouts-{account}-{registered_at}");
    let created = payments.create_account(&email, &idempotency_key).await?;
    storage.connection().execute(
        "INSERT INTO market_payout_accounts (account_id, stripe_account, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT(account_id) DO NOTHING",
        params![account, created, now_millis()],
    )?;
    // A concurrent first call may have stored its answer first: keep that one.
    Ok(stored_payout_account(storage, account)?.unwrap_or(created))
}

async fn purchase(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(template_id): Path<i64>,
) -> ApiResult<Json<Value>> {
    let buyer = signed_in(&app, &headers)?.id;
    let stripe = StripeConnect::from_config(&app.config)?;
    Ok(Json(buy(&app.storage, &stripe, buyer, template_id).await?))
}

/// Records the purchase as `pending` first (its id names the Stripe request,
/// so a retry cannot charge twice), then asks Stripe for the PaymentIntent
/// the buyer's browser confirms; the webhook marks it paid.
async fn buy(storage: &Storage, payments: &impl Payments, buyer: i64, template_id: i64) -> ApiResult<Value> {
    let charge = open_purchase(storage, buyer, template_id)?;
    let intent = payments.create_payment_intent(&charge).await?;
    storage.connection().execute(
        "UPDATE market_purchases SET payment_intent = ?2 WHERE id = ?1",
        params![charge.purchase_id, intent.id],
    )?;
    Ok(json!({ "purchaseId": charge.purchase_id, "clientSecret": intent.client_secret,
               "amountCents": charge.amount_cents, "feeCents": charge.fee_cents }))
}

/// The purchase to charge for `buyer`: their pending one at the current
/// price (a retry), else a new pending one. Checked and written under the
/// storage lock, so two clicks at once make one purchase.
fn open_purchase(storage: &Storage, buyer: i64, template_id: i64) -> ApiResult<Charge> {
    let connection = storage.connection();
    let template: Option<(i64, i64, Option<String>)> = connection
        .query_row(
            "SELECT t.creator_id, t.price_cents, p.stripe_account FROM market_templates t
             LEFT JOIN market_payout_accounts p ON p.account_id = t.creator_id
             WHERE t.id = ?1 AND t.status = 'approved'",
            [template_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let (creator, price, destination) = template.ok_or_else(|| ApiError::not_found("no such template"))?;
    if creator == buyer {
        return Err(ApiError::conflict("this is your own template: it needs no purchase"));
    }
    if price == 0 {
        return Err(ApiError::invalid("this template is free: download it, no purchase needed"));
    }
    let destination = destination.ok_or_else(|| ApiError::conflict("the creator cannot receive payments yet"))?;
    let bought: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM market_purchases WHERE buyer_id = ?1 AND template_id = ?2 AND status = 'paid')",
        params![buyer, template_id],
        |row| row.get(0),
    )?;
    if bought {
        return Err(ApiError::conflict("you already bought this template"));
    }
    let pending: Option<String> = connection
        .query_row(
            "SELECT id FROM market_purchases
             WHERE buyer_id = ?1 AND template_id = ?2 AND status = 'pending' AND amount_cents = ?3
             ORDER BY created_at DESC LIMIT 1",
            params![buyer, template_id, price],
            |row| row.get(0),
        )
        .optional()?;
    let fee = platform_fee(price);
    let purchase_id = match pending {
        Some(id) => id,
        None => {
            let id = format!("pur_{:032x}", rand::random::<u128>());
            // `payment_intent` is NOT NULL UNIQUE, and Stripe names the
            // intent only after this row exists: a unique placeholder until then.
            connection.execute(
                "INSERT INTO market_purchases
                 (id, template_id, buyer_id, amount_cents, fee_cents, currency, payment_intent, status, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending', ?8)",
                params![id, template_id, buyer, price, fee, CURRENCY, format!("unset:{id}"), now_millis()],
            )?;
            id
        }
    };
    Ok(Charge { purchase_id, template_id, buyer_id: buyer, amount_cents: price, fee_cents: fee, destination })
}

/// One of the creator's templates and its paid sales.
struct TemplateSales {
    id: i64,
    title: String,
    downloads: i64,
    rating: Option<f64>,
    sales: i64,
    gross_cents: i64,
    fee_cents: i64,
    /// The creator's share of sales paid since the payout cut-off.
    due_cents: i64,
}

fn template_sales(storage: &Storage, creator: i64, payout_cutoff: i64) -> ApiResult<Vec<TemplateSales>> {
    let connection = storage.connection();
    let mut statement = connection.prepare_cached(
        "SELECT t.id, t.title, t.downloads, t.rating_sum, t.rating_count, COUNT(p.id),
                COALESCE(SUM(p.amount_cents), 0), COALESCE(SUM(p.fee_cents), 0),
                COALESCE(SUM(CASE WHEN p.paid_at >= ?2 THEN p.amount_cents - p.fee_cents ELSE 0 END), 0)
         FROM market_templates t
         LEFT JOIN market_purchases p ON p.template_id = t.id AND p.status = 'paid'
         WHERE t.creator_id = ?1
         GROUP BY t.id ORDER BY t.created_at DESC, t.id DESC",
    )?;
    let rows = statement.query_map(params![creator, payout_cutoff], |row| {
        let (rating_sum, rating_count): (i64, i64) = (row.get(3)?, row.get(4)?);
        Ok(TemplateSales {
            id: row.get(0)?,
            title: row.get(1)?,
            downloads: row.get(2)?,
            rating: (rating_count > 0).then(|| rating_sum as f64 / rating_count as f64),
            sales: row.get(5)?,
            gross_cents: row.get(6)?,
            fee_cents: row.get(7)?,
            due_cents: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The creator's 70 %: every amount is whole cents, and net is gross less
/// the fee recorded with each sale, so the numbers always add up.
async fn dashboard(State(app): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Json<Value>> {
    let creator = signed_in(&app, &headers)?.id;
    let templates = template_sales(&app.storage, creator, now_millis() - PAYOUT_DELAY_MS)?;
    let total = |field: fn(&TemplateSales) -> i64| templates.iter().map(field).sum::<i64>();
    let (gross, fee) = (total(|t| t.gross_cents), total(|t| t.fee_cents));
    let rows: Vec<Value> = templates
        .iter()
        .map(|t| {
            json!({ "id": t.id, "title": t.title, "sales": t.sales, "netCents": t.gross_cents - t.fee_cents,
                    "downloads": t.downloads, "rating": t.rating })
        })
        .collect();
    Ok(Json(json!({
        "sales": total(|t| t.sales), "grossCents": gross, "feeCents": fee, "netCents": gross - fee,
        "payoutsDueCents": total(|t| t.due_cents), "templates": rows,
    })))
}
