//! Stripe Connect through its REST API, as documented at docs.stripe.com/api:
//! creators get Express connected accounts, and a purchase is a destination
//! charge on the platform (the price less the platform's fee goes to the
//! creator). Bodies are form-encoded with bracketed keys as Stripe expects;
//! every POST carries an `Idempotency-Key`, so a retried purchase gets the
//! same PaymentIntent back instead of a second charge; `Stripe-Version` is
//! pinned so an upgrade in the Stripe dashboard cannot change the shapes
//! read here.

use std::future::Future;
use std::sync::OnceLock;
use std::time::Duration;

use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{ApiError, ApiResult};
use crate::Config;

/// The API version the requests and responses here follow.
pub const STRIPE_VERSION: &str = "2024-06-20";
/// Prices are in US cents.
pub const CURRENCY: &str = "usd";
/// The platform's share of a sale, in percent; the creator gets the rest.
pub const PLATFORM_FEE_PERCENT: i64 = 30;

/// The platform's fee on a sale, in whole cents (half a cent rounds up), so
/// fee + creator's share always add up to the price exactly.
pub fn platform_fee(amount_cents: i64) -> i64 {
    (amount_cents * PLATFORM_FEE_PERCENT + 50) / 100
}

/// One purchase to charge: `amount_cents` from the buyer, of which all but
/// `fee_cents` is transferred to `destination` (the creator's account).
#[derive(Debug, Clone)]
pub struct Charge {
    pub purchase_id: String,
    pub template_id: i64,
    pub buyer_id: i64,
    pub amount_cents: i64,
    pub fee_cents: i64,
    pub destination: String,
}

impl Charge {
    /// Derived from the purchase, so a retry of the same purchase is
    /// recognised by Stripe and answered with the PaymentIntent it made.
    pub fn idempotency_key(&self) -> String {
        format!("purchase-{}", self.purchase_id)
    }
}

/// A created PaymentIntent: its id, and the secret the buyer's browser
/// needs to confirm it with Stripe.js.
#[derive(Debug, Clone, Deserialize)]
pub struct Intent {
    pub id: String,
    pub client_secret: String,
}

/// What the marketplace needs from a payment provider.
pub trait Payments {
    /// Creates an Express connected account for a creator; returns its id (`acct_…`).
    fn create_account(&self, email: &str, idempotency_key: &str) -> impl Future<Output = ApiResult<String>> + Send;
    /// Creates the PaymentIntent for a purchase.
    fn create_payment_intent(&self, charge: &Charge) -> impl Future<Output = ApiResult<Intent>> + Send;
}

/// Stripe's API with the platform's secret key.
pub struct StripeConnect {
    http: reqwest::Client,
    base: String,
    secret_key: String,
}

impl StripeConnect {
    /// The client for this server's configuration, or `503` when no secret
    /// key is configured (paid templates are then off).
    pub fn from_config(config: &Config) -> ApiResult<Self> {
        let secret_key =
            config.stripe_secret_key.as_deref().map(str::trim).filter(|key| !key.is_empty()).ok_or_else(not_enabled)?;
        Ok(Self {
            http: shared_http()?,
            base: config.stripe_api_base.trim_end_matches('/').to_owned(),
            secret_key: secret_key.to_owned(),
        })
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, String)],
        idempotency_key: &str,
    ) -> ApiResult<T> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.secret_key)
            .header("Stripe-Version", STRIPE_VERSION)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        let body = response.bytes().await.map_err(unreachable)?;
        if !status.is_success() {
            return Err(refused(status, &body));
        }
        serde_json::from_slice(&body).map_err(|error| {
            tracing::error!(%error, path, "unexpected response from Stripe");
            bad_gateway("Stripe answered with something unexpected")
        })
    }
}

impl Payments for StripeConnect {
    async fn create_account(&self, email: &str, idempotency_key: &str) -> ApiResult<String> {
        #[derive(Deserialize)]
        struct Account {
            id: String,
        }
        let form = [
            ("type", "express".to_owned()),
            ("email", email.to_owned()),
            ("capabilities[transfers][requested]", "true".to_owned()),
        ];
        let account: Account = self.post("/v1/accounts", &form, idempotency_key).await?;
        Ok(account.id)
    }

    async fn create_payment_intent(&self, charge: &Charge) -> ApiResult<Intent> {
        let form = [
            ("amount", charge.amount_cents.to_string()),
            ("currency", CURRENCY.to_owned()),
            ("application_fee_amount", charge.fee_cents.to_string()),
            ("transfer_data[destination]", charge.destination.clone()),
            ("automatic_payment_methods[enabled]", "true".to_owned()),
            ("metadata[purchase_id]", charge.purchase_id.clone()),
            ("metadata[template_id]", charge.template_id.to_string()),
            ("metadata[buyer_id]", charge.buyer_id.to_string()),
        ];
        self.post("/v1/payment_intents", &form, &charge.idempotency_key()).await
    }
}

/// One HTTP client (and so one connection pool and TLS setup) for every
/// request, whichever configuration asks.
fn shared_http() -> ApiResult<reqwest::Client> {
    static HTTP: OnceLock<reqwest::Client> = OnceLock::new();
    if let Some(client) = HTTP.get() {
        return Ok(client.clone());
    }
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(anyhow::Error::from)?;
    Ok(HTTP.get_or_init(|| client).clone())
}

/// Stripe's error body: `{"error": {"type", "code", "message", …}}`.
#[derive(Debug, Default, Deserialize)]
struct StripeError {
    #[serde(rename = "type", default)]
    kind: String,
    code: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: StripeError,
}

/// Maps Stripe's refusal to what our caller can act on: their card or
/// request (402/400, with Stripe's message), our own setup (502, details only
/// in the log: they may name the key), or Stripe being busy or down (503).
fn refused(status: reqwest::StatusCode, body: &[u8]) -> ApiError {
    let error = serde_json::from_slice::<ErrorBody>(body).map(|body| body.error).unwrap_or_default();
    let message = error.message.clone().unwrap_or_else(|| format!("Stripe answered {status}"));
    tracing::warn!(%status, kind = error.kind, code = ?error.code, message, "Stripe refused a request");
    match (status.as_u16(), error.kind.as_str()) {
        (401 | 403, _) => bad_gateway("payments are misconfigured on this server; try again later"),
        (429 | 500.., _) => unavailable("the payment service is unavailable; try again shortly"),
        (402, _) | (_, "card_error") => ApiError::payment_required(message),
        (_, "idempotency_error") => ApiError::conflict("this purchase is already being processed; try again"),
        (_, "invalid_request_error") => ApiError::invalid(format!("the payment was refused: {message}")),
        _ => bad_gateway("the payment service answered with an error"),
    }
}

/// What every payment endpoint answers on a server set up without Stripe.
pub fn not_enabled() -> ApiError {
    unavailable("paid templates are not enabled on this server")
}

fn unreachable(error: reqwest::Error) -> ApiError {
    tracing::warn!(%error, "could not reach Stripe");
    unavailable("the payment service cannot be reached; try again shortly")
}

fn unavailable(message: &str) -> ApiError {
    ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
}

fn bad_gateway(message: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_GATEWAY, "bad_gateway", message)
}
