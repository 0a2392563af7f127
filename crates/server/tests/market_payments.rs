#![allow(clippy::unwrap_used)] // Tests: a failed step should fail the test loudly.

//! Paid templates against the real server on loopback, with Stripe played by
//! a stand-in ([`FakeStripe`]) that checks requests the way Stripe's API
//! does (secret key, form-encoded fields, idempotency keys) and answers with
//! Stripe's object shapes; webhook events are signed as Stripe signs them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use flashfusion_server::{Config, RunningServer};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const SECRET_KEY: &str = "sk_test_51FlashFusionPlatform";
const WEBHOOK_SECRET: &str = "whsec_test_flashfusion_endpoint";
const WEEK_MS: i64 = 7 * 24 * 60 * 60 * 1000;

fn now_secs() -> i64 {
    flashfusion_server::storage::now_millis() / 1000
}

/// A request Stripe received.
#[derive(Debug, Clone)]
struct StripeRequest {
    path: String,
    content_type: String,
    idempotency_key: Option<String>,
    stripe_version: Option<String>,
    form: HashMap<String, String>,
}

#[derive(Default)]
struct FakeState {
    requests: Vec<StripeRequest>,
    /// Idempotency key → the request's fields and the answer, as Stripe keeps them.
    replays: HashMap<String, (HashMap<String, String>, Value)>,
    intents: HashMap<String, Value>,
    /// The next request's answer, to play Stripe's failures.
    next_failure: Option<(StatusCode, Value)>,
    created: u64,
}

type Answer = (StatusCode, Json<Value>);

fn stripe_error(status: StatusCode, kind: &str, message: &str) -> (StatusCode, Value) {
    (status, json!({ "error": { "type": kind, "message": message } }))
}

fn invalid_param(param: &str, message: &str) -> (StatusCode, Value) {
    let (status, mut body) = stripe_error(StatusCode::BAD_REQUEST, "invalid_request_error", message);
    body["error"]["param"] = json!(param);
    body["error"]["code"] = json!("parameter_invalid");
    (status, body)
}

/// `metadata[key]` form fields as the object's `metadata`.
fn metadata(form: &HashMap<String, String>) -> Value {
    let pairs = form
        .iter()
        .filter_map(|(key, value)| Some((key.strip_prefix("metadata[")?.strip_suffix(']')?.to_owned(), json!(value))));
    Value::Object(pairs.collect())
}

fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> Result<&'a str, (StatusCode, Value)> {
    form.get(name).map(String::as_str).ok_or_else(|| invalid_param(name, &format!("Missing required param: {name}.")))
}

fn integer(form: &HashMap<String, String>, name: &str) -> Result<i64, (StatusCode, Value)> {
    field(form, name)?.parse().map_err(|_| invalid_param(name, &format!("Invalid integer: {name}")))
}

fn expect(form: &HashMap<String, String>, name: &str, wanted: &str) -> Result<(), (StatusCode, Value)> {
    if field(form, name)? == wanted {
        Ok(())
    } else {
        Err(invalid_param(name, &format!("Invalid {name}: expected {wanted}")))
    }
}

impl FakeState {
    fn next_id(&mut self, prefix: &str) -> String {
        self.created += 1;
        format!("{prefix}_1Fake{:08}", self.created)
    }

    fn account(&mut self, form: &HashMap<String, String>) -> Result<Value, (StatusCode, Value)> {
        expect(form, "type", "express")?;
        expect(form, "capabilities[transfers][requested]", "true")?;
        let email = field(form, "email")?;
        Ok(json!({ "id": self.next_id("acct"), "object": "account", "type": "express", "email": email,
                   "charges_enabled": false, "payouts_enabled": false, "details_submitted": false,
                   "capabilities": { "transfers": "inactive" }, "created": now_secs() }))
    }

    fn payment_intent(&mut self, form: &HashMap<String, String>) -> Result<Value, (StatusCode, Value)> {
        let amount = integer(form, "amount")?;
        let fee = integer(form, "application_fee_amount")?;
        if amount < 50 {
            return Err(invalid_param("amount", "Amount must be at least $0.50 usd"));
        }
        if !(0..=amount).contains(&fee) {
            return Err(invalid_param("application_fee_amount", "The fee cannot exceed the amount."));
        }
        expect(form, "currency", "usd")?;
        expect(form, "automatic_payment_methods[enabled]", "true")?;
        let destination = field(form, "transfer_data[destination]")?;
        if !destination.starts_with("acct_") {
            return Err(invalid_param("transfer_data[destination]", "No such destination"));
        }
        let id = self.next_id("pi");
        let intent = json!({ "id": id, "object": "payment_intent", "amount": amount, "amount_received": 0,
            "application_fee_amount": fee, "currency": "usd", "client_secret": format!("{id}_secret_Fake"),
            "status": "requires_payment_method", "metadata": metadata(form),
            "transfer_data": { "destination": destination }, "automatic_payment_methods": { "enabled": true },
            "livemode": false, "created": now_secs() });
        self.intents.insert(id, intent.clone());
        Ok(intent)
    }

    fn create(&mut self, resource: &str, form: &HashMap<String, String>) -> Result<Value, (StatusCode, Value)> {
        match resource {
            "accounts" => self.account(form),
            "payment_intents" => self.payment_intent(form),
            _ => Err(stripe_error(StatusCode::NOT_FOUND, "invalid_request_error", "Unrecognized request URL")),
        }
    }

    /// Stripe's idempotency: the same key with the same fields gets the
    /// first answer again; with other fields, an error.
    fn idempotent(&mut self, key: &str, resource: &str, form: HashMap<String, String>) -> (StatusCode, Value) {
        match self.replays.get(key) {
            Some((first, answer)) if *first == form => (StatusCode::OK, answer.clone()),
            Some(_) => stripe_error(
                StatusCode::BAD_REQUEST,
                "idempotency_error",
                "Keys for idempotent requests can only be used with the same parameters they were first used with.",
            ),
            None => match self.create(resource, &form) {
                Ok(object) => {
                    self.replays.insert(key.to_owned(), (form, object.clone()));
                    (StatusCode::OK, object)
                }
                Err(refusal) => refusal,
            },
        }
    }
}

async fn stripe_post(
    State(fake): State<Arc<Mutex<FakeState>>>,
    Path(resource): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Answer {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let mut fake = fake.lock().unwrap();
    if text("authorization").as_deref() != Some(&format!("Bearer {SECRET_KEY}")) {
        let (status, body) =
            stripe_error(StatusCode::UNAUTHORIZED, "invalid_request_error", "Invalid API Key provided: sk_****");
        return (status, Json(body));
    }
    fake.requests.push(StripeRequest {
        path: format!("/v1/{resource}"),
        content_type: text("content-type").unwrap_or_default(),
        idempotency_key: text("idempotency-key"),
        stripe_version: text("stripe-version"),
        form: form.clone(),
    });
    let (status, body) = match (fake.next_failure.take(), text("idempotency-key")) {
        (Some(failure), _) => failure,
        (None, None) => invalid_param("Idempotency-Key", "This stand-in wants an Idempotency-Key on every POST"),
        (None, Some(key)) => fake.idempotent(&key, &resource, form),
    };
    (status, Json(body))
}

struct FakeStripe {
    url: String,
    state: Arc<Mutex<FakeState>>,
}

impl FakeStripe {
    async fn start() -> Self {
        let state = Arc::new(Mutex::new(FakeState::default()));
        let router = Router::new().route("/v1/{resource}", post(stripe_post)).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, state }
    }

    fn state(&self) -> MutexGuard<'_, FakeState> {
        self.state.lock().unwrap()
    }

    fn requests_to(&self, path: &str) -> Vec<StripeRequest> {
        self.state().requests.iter().filter(|request| request.path == path).cloned().collect()
    }

    fn fail_next(&self, status: u16, kind: &str, message: &str) {
        self.state().next_failure = Some(stripe_error(StatusCode::from_u16(status).unwrap(), kind, message));
    }

    /// The event Stripe sends when the buyer's payment for `intent` succeeds
    /// or fails.
    fn event(&self, kind: &str, intent: &str) -> Value {
        let mut object = self.state().intents[intent].clone();
        if kind == "payment_intent.succeeded" {
            object["status"] = json!("succeeded");
            object["amount_received"] = object["amount"].clone();
        } else {
            object["last_payment_error"] = json!({ "type": "card_error", "code": "card_declined" });
        }
        let id = self.state().next_id("evt");
        json!({ "id": id, "object": "event", "type": kind, "api_version": "2024-06-20", "created": now_secs(),
                "livemode": false, "data": { "object": object } })
    }
}

/// A `Stripe-Signature` header for `body`, as Stripe computes it.
fn signature(body: &str, secret: &str, timestamp: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let hex: String = mac.finalize().into_bytes().iter().map(|byte| format!("{byte:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

struct Market {
    server: RunningServer,
    _data: tempfile::TempDir,
    http: reqwest::Client,
    stripe: FakeStripe,
    /// A marketplace moderator (listed in `Config::admins`).
    admin: Account,
}

struct Account {
    token: String,
    id: i64,
}

async fn start_with(configure: impl FnOnce(&mut Config)) -> Market {
    let stripe = FakeStripe::start().await;
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::local(data.path().to_path_buf());
    config.stripe_api_base = stripe.url.clone();
    config.stripe_secret_key = Some(SECRET_KEY.to_owned());
    config.stripe_webhook_secret = Some(WEBHOOK_SECRET.to_owned());
    config.admins = vec!["moderator@example.com".to_owned()];
    configure(&mut config);
    let server = flashfusion_server::start(config).await.unwrap();
    let http = reqwest::Client::new();
    let admin = register(&http, &server, "moderator").await;
    Market { server, _data: data, http, stripe, admin }
}

async fn start() -> Market {
    start_with(|_| {}).await
}

async fn answer(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn register(http: &reqwest::Client, server: &RunningServer, name: &str) -> Account {
    let response = http
        .post(format!("{}/api/accounts", server.http_url()))
        .json(&json!({ "email": format!("{name}@example.com"), "name": name, "password": "correct horse" }))
        .send()
        .await
        .unwrap();
    let (status, body) = answer(response).await;
    assert_eq!(status, 201, "{body}");
    Account { token: body["token"].as_str().unwrap().to_owned(), id: body["accountId"].as_i64().unwrap() }
}

/// A gzipped tar holding one README: the smallest bundle the catalog takes.
fn bundle() -> Vec<u8> {
    let text = b"# SaaS starter\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default()));
    archive.append_data(&mut header, "README.md", &text[..]).unwrap();
    archive.into_inner().unwrap().finish().unwrap()
}

impl Market {
    fn url(&self, path: &str) -> String {
        format!("{}/api/market{path}", self.server.http_url())
    }

    async fn post(&self, path: &str, token: &str) -> (u16, Value) {
        answer(self.http.post(self.url(path)).bearer_auth(token).send().await.unwrap()).await
    }

    async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        answer(self.http.get(self.url(path)).bearer_auth(token).send().await.unwrap()).await
    }

    async fn account(&self, name: &str) -> Account {
        register(&self.http, &self.server, name).await
    }

    /// A creator with a payout account.
    async fn creator(&self, name: &str) -> Account {
        let creator = self.account(name).await;
        let (status, body) = self.post("/me/payouts", &creator.token).await;
        assert_eq!(status, 200, "{body}");
        creator
    }

    /// A template submitted through the catalog (pending moderation), with
    /// version 1.0.0.
    async fn publish(&self, creator: &Account, title: &str, price_cents: i64) -> i64 {
        let fields = json!({ "title": title, "description": "A template", "category": "web-app", "tags": [],
                             "licence": "MIT", "priceCents": price_cents, "readme": "# Hello" });
        let request = self.http.post(self.url("/templates")).bearer_auth(&creator.token).json(&fields);
        let (status, body) = answer(request.send().await.unwrap()).await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        let bundle = bundle();
        let hash: String = Sha256::digest(&bundle).iter().map(|byte| format!("{byte:02x}")).collect();
        let request = self
            .http
            .post(self.url(&format!("/templates/{id}/versions?version=1.0.0")))
            .bearer_auth(&creator.token)
            .header("Content-Type", "application/gzip")
            .header("X-Bundle-Sha256", hash)
            .body(bundle);
        let (status, body) = answer(request.send().await.unwrap()).await;
        assert_eq!(status, 201, "{body}");
        id
    }

    /// A published template, approved by the moderator.
    async fn template(&self, creator: &Account, title: &str, price_cents: i64) -> i64 {
        let id = self.publish(creator, title, price_cents).await;
        let (status, body) = self.post(&format!("/admin/templates/{id}/approve"), &self.admin.token).await;
        assert_eq!(status, 200, "{body}");
        id
    }

    async fn download_status(&self, template: i64, account: &Account) -> u16 {
        let url = self.url(&format!("/templates/{template}/versions/1.0.0/bundle"));
        self.http.get(url).bearer_auth(&account.token).send().await.unwrap().status().as_u16()
    }

    async fn purchase(&self, buyer: &Account, template: i64) -> (u16, Value) {
        self.post(&format!("/templates/{template}/purchase"), &buyer.token).await
    }

    /// Starts a purchase and returns its id and PaymentIntent id.
    async fn checkout(&self, buyer: &Account, template: i64) -> (String, String) {
        let (status, body) = self.purchase(buyer, template).await;
        assert_eq!(status, 200, "{body}");
        let purchase = body["purchaseId"].as_str().unwrap().to_owned();
        (purchase.clone(), self.purchase_row(&purchase).1)
    }

    async fn deliver(&self, body: &str, signature: Option<&str>) -> (u16, Value) {
        let mut request = self.http.post(self.url("/stripe/webhook")).body(body.to_owned());
        if let Some(signature) = signature {
            request = request.header("Stripe-Signature", signature);
        }
        answer(request.send().await.unwrap()).await
    }

    /// Delivers `event` signed with the endpoint's secret, now.
    async fn deliver_signed(&self, event: &Value) -> (u16, Value) {
        let body = event.to_string();
        self.deliver(&body, Some(&signature(&body, WEBHOOK_SECRET, now_secs()))).await
    }

    /// A purchase that went through: checkout, then Stripe's success event.
    async fn buy(&self, buyer: &Account, template: i64) -> String {
        let (purchase, intent) = self.checkout(buyer, template).await;
        let (status, body) = self.deliver_signed(&self.stripe.event("payment_intent.succeeded", &intent)).await;
        assert_eq!(status, 200, "{body}");
        purchase
    }

    /// (status, payment_intent, paid_at) of a purchase.
    fn purchase_row(&self, purchase: &str) -> (String, String, Option<i64>) {
        self.server
            .state
            .storage
            .connection()
            .query_row(
                "SELECT status, payment_intent, paid_at FROM market_purchases WHERE id = ?1",
                [purchase],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .unwrap()
    }

    fn sql(&self, statement: &str, argument: &str) {
        self.server.state.storage.connection().execute(statement, [argument]).unwrap();
    }
}

#[tokio::test]
async fn a_creators_payout_account_is_created_once_at_stripe() {
    let market = start().await;
    let ada = market.account("ada").await;
    let (status, first) = market.post("/me/payouts", &ada.token).await;
    assert_eq!(status, 200, "{first}");
    let (status, again) = market.post("/me/payouts", &ada.token).await;
    assert_eq!(status, 200, "{again}");
    assert!(first["stripeAccount"].as_str().unwrap().starts_with("acct_"), "{first}");
    assert_eq!(first, again);

    let requests = market.stripe.requests_to("/v1/accounts");
    assert_eq!(requests.len(), 1, "the second call asked Stripe again");
    let request = &requests[0];
    assert_eq!(request.content_type, "application/x-www-form-urlencoded");
    assert_eq!(request.form["type"], "express");
    assert_eq!(request.form["capabilities[transfers][requested]"], "true");
    assert_eq!(request.form["email"], "ada@example.com");
    assert!(request.idempotency_key.as_deref().is_some_and(|key| !key.is_empty()));
    assert!(request.stripe_version.is_some());
}

#[tokio::test]
async fn a_purchase_is_a_destination_charge_that_the_webhook_settles() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let bob = market.account("bob").await;
    let eve = market.account("eve").await;
    let template = market.template(&ada, "SaaS starter", 1999).await;
    assert_eq!(market.download_status(template, &bob).await, 402);

    let (status, body) = market.purchase(&bob, template).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["amountCents"].as_i64(), body["feeCents"].as_i64()), (Some(1999), Some(600)));
    let purchase = body["purchaseId"].as_str().unwrap().to_owned();
    let (state, intent, _) = market.purchase_row(&purchase);
    assert_eq!(state, "pending");
    assert!(intent.starts_with("pi_"));
    assert!(body["clientSecret"].as_str().unwrap().starts_with(&format!("{intent}_secret_")), "{body}");

    let requests = market.stripe.requests_to("/v1/payment_intents");
    let form = &requests[0].form;
    assert_eq!(requests[0].content_type, "application/x-www-form-urlencoded");
    assert_eq!((form["amount"].as_str(), form["application_fee_amount"].as_str()), ("1999", "600"));
    assert_eq!(form["currency"], "usd");
    let (_, payouts) = market.post("/me/payouts", &ada.token).await;
    assert_eq!(form["transfer_data[destination]"], payouts["stripeAccount"].as_str().unwrap());
    assert_eq!(form["automatic_payment_methods[enabled]"], "true");
    assert_eq!(form["metadata[purchase_id]"], purchase);
    assert_eq!(form["metadata[template_id]"], template.to_string());
    assert_eq!(form["metadata[buyer_id]"], bob.id.to_string());

    // A retry (say the response was lost) is the same purchase and intent.
    let (status, retry) = market.purchase(&bob, template).await;
    assert_eq!(status, 200, "{retry}");
    assert_eq!((&retry["purchaseId"], &retry["clientSecret"]), (&body["purchaseId"], &body["clientSecret"]));
    let requests = market.stripe.requests_to("/v1/payment_intents");
    assert_eq!(requests.len(), 2);
    assert!(requests[0].idempotency_key.is_some());
    assert_eq!(requests[0].idempotency_key, requests[1].idempotency_key);

    let (status, ack) = market.deliver_signed(&market.stripe.event("payment_intent.succeeded", &intent)).await;
    assert_eq!((status, &ack["received"]), (200, &json!(true)), "{ack}");
    let (state, _, paid_at) = market.purchase_row(&purchase);
    assert_eq!(state, "paid");
    assert!(paid_at.is_some());
    assert_eq!(market.download_status(template, &bob).await, 200);

    let (status, again) = market.purchase(&bob, template).await;
    assert_eq!(status, 409, "{again}");
    assert!(again["message"].as_str().unwrap().contains("already bought"), "{again}");
    assert_eq!(market.download_status(template, &eve).await, 402);
}

#[tokio::test]
async fn an_event_delivered_twice_is_applied_once() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let bob = market.account("bob").await;
    let template = market.template(&ada, "SaaS starter", 1999).await;
    let (purchase, intent) = market.checkout(&bob, template).await;
    let event = market.stripe.event("payment_intent.succeeded", &intent);

    let (status, first) = market.deliver_signed(&event).await;
    assert_eq!((status, &first["duplicate"]), (200, &json!(false)), "{first}");
    assert_eq!(market.purchase_row(&purchase).0, "paid");
    // Were the redelivery applied, it would mark this pending row paid again.
    market.sql("UPDATE market_purchases SET status = 'pending', paid_at = NULL WHERE id = ?1", &purchase);
    let (status, second) = market.deliver_signed(&event).await;
    assert_eq!((status, &second["duplicate"]), (200, &json!(true)), "{second}");
    assert_eq!(market.purchase_row(&purchase).0, "pending");
}

#[tokio::test]
async fn webhook_signatures_are_checked() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let bob = market.account("bob").await;
    let template = market.template(&ada, "SaaS starter", 1999).await;
    let (purchase, intent) = market.checkout(&bob, template).await;
    let body = market.stripe.event("payment_intent.succeeded", &intent).to_string();
    let now = now_secs();

    let tampered = body.replace("\"amount\":1999", "\"amount\":1");
    let refused = [
        (tampered.clone(), Some(signature(&body, WEBHOOK_SECRET, now)), "no v1 signature matches"),
        (body.clone(), Some(signature(&body, "whsec_someone_else", now)), "no v1 signature matches"),
        (body.clone(), Some(signature(&body, WEBHOOK_SECRET, now - 600)), "5 minutes"),
        (body.clone(), Some(signature(&body, WEBHOOK_SECRET, now + 600)), "5 minutes"),
        (body.clone(), None, "missing"),
        (body.clone(), Some("v1=abcdef".to_owned()), "malformed"),
        (body.clone(), Some(format!("t={now}")), "no v1"),
    ];
    for (payload, header, reason) in refused {
        let (status, answer) = market.deliver(&payload, header.as_deref()).await;
        assert_eq!(status, 400, "{header:?}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(reason), "{header:?}: {answer}");
    }
    assert_eq!(market.purchase_row(&purchase).0, "pending");

    // Any v1 may match: while a secret is rolled, Stripe signs with both.
    let valid = signature(&body, WEBHOOK_SECRET, now);
    let stale = signature(&body, "whsec_previous", now);
    let both = format!("{stale},{},v0=ignored", valid.split_once(',').unwrap().1);
    let (status, answer) = market.deliver(&body, Some(&both)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(market.purchase_row(&purchase).0, "paid");
}

#[tokio::test]
async fn events_that_do_not_match_their_purchase_are_refused_and_failures_recorded() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let bob = market.account("bob").await;
    let template = market.template(&ada, "SaaS starter", 1999).await;
    let (purchase, intent) = market.checkout(&bob, template).await;

    let mut short = market.stripe.event("payment_intent.succeeded", &intent);
    short["data"]["object"]["amount_received"] = json!(1);
    let (status, answer) = market.deliver_signed(&short).await;
    assert_eq!(status, 400, "{answer}");
    let mut other = market.stripe.event("payment_intent.succeeded", &intent);
    other["data"]["object"]["id"] = json!("pi_someone_elses");
    let (status, answer) = market.deliver_signed(&other).await;
    assert_eq!(status, 400, "{answer}");
    assert_eq!(market.purchase_row(&purchase).0, "pending");

    // Not ours, or not about payments: acknowledged and ignored.
    let mut foreign = market.stripe.event("payment_intent.succeeded", &intent);
    foreign["data"]["object"]["metadata"] = json!({});
    let (status, answer) = market.deliver_signed(&foreign).await;
    assert_eq!(status, 200, "{answer}");
    let account_event =
        json!({ "id": "evt_account", "type": "account.updated", "data": { "object": { "id": "acct_1" } } });
    let (status, answer) = market.deliver_signed(&account_event).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(market.purchase_row(&purchase).0, "pending");

    let (status, answer) = market.deliver_signed(&market.stripe.event("payment_intent.payment_failed", &intent)).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(market.purchase_row(&purchase).0, "failed");
    // After a failure the buyer can try again: a new purchase.
    let (again, _) = market.checkout(&bob, template).await;
    assert_ne!(again, purchase);
}

#[tokio::test]
async fn own_free_unapproved_and_unpayable_templates_cannot_be_bought() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let bob = market.account("bob").await;
    let paid = market.template(&ada, "Paid", 1999).await;
    let free = market.template(&ada, "Free", 0).await;

    let (status, own) = market.purchase(&ada, paid).await;
    assert_eq!(status, 409, "{own}");
    let (status, answer) = market.purchase(&bob, free).await;
    assert_eq!(status, 400, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("free"), "{answer}");
    let unapproved = market.publish(&ada, "Not yet", 1999).await;
    assert_eq!(market.purchase(&bob, unapproved).await.0, 404);
    assert_eq!(market.purchase(&bob, 9999).await.0, 404);
    // The catalog lets no one sell without a payout account; should one go
    // missing all the same, nobody is charged for a sale that cannot pay out.
    market.sql("DELETE FROM market_payout_accounts WHERE account_id = ?1", &ada.id.to_string());
    let (status, answer) = market.purchase(&bob, paid).await;
    assert_eq!(status, 409, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("cannot receive payments"), "{answer}");
    assert!(market.stripe.requests_to("/v1/payment_intents").is_empty());
}

#[tokio::test]
async fn the_dashboard_splits_paid_sales_seventy_thirty() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let starter = market.template(&ada, "SaaS starter", 1999).await;
    let landing = market.template(&ada, "Landing page", 500).await;
    let (bob, cleo, dan) = (market.account("bob").await, market.account("cleo").await, market.account("dan").await);
    let old = market.buy(&bob, starter).await;
    market.buy(&cleo, starter).await;
    market.buy(&bob, landing).await;
    market.checkout(&dan, starter).await; // pending: not a sale
                                          // Paid eight days ago: Stripe has paid this one out already.
    let eight_days_ago = flashfusion_server::storage::now_millis() - WEEK_MS - 86_400_000;
    market.sql(&format!("UPDATE market_purchases SET paid_at = {eight_days_ago} WHERE id = ?1"), &old);

    let (status, dashboard) = market.get("/me/dashboard", &ada.token).await;
    assert_eq!(status, 200, "{dashboard}");
    assert_eq!(dashboard["sales"], 3);
    assert_eq!(dashboard["grossCents"], 1999 * 2 + 500);
    assert_eq!(dashboard["feeCents"], 600 * 2 + 150);
    assert_eq!(dashboard["netCents"], 1399 * 2 + 350);
    assert_eq!(dashboard["payoutsDueCents"], 1399 + 350);
    let templates = dashboard["templates"].as_array().unwrap();
    let row = |id: i64| templates.iter().find(|row| row["id"] == id).unwrap();
    assert_eq!((&row(starter)["sales"], &row(starter)["netCents"]), (&json!(2), &json!(2798)));
    assert_eq!((&row(landing)["sales"], &row(landing)["netCents"]), (&json!(1), &json!(350)));
    assert_eq!(row(landing)["title"], "Landing page");

    let (_, buyers) = market.get("/me/dashboard", &bob.token).await;
    assert_eq!((&buyers["sales"], &buyers["templates"]), (&json!(0), &json!([])));
}

#[tokio::test]
async fn without_stripe_keys_paid_templates_are_off() {
    let market = start_with(|config| {
        config.stripe_secret_key = None;
        config.stripe_webhook_secret = None;
    })
    .await;
    let ada = market.account("ada").await;
    let bob = market.account("bob").await;
    // Paid templates cannot be published here (no payout accounts): made paid in storage.
    let template = market.publish(&ada, "SaaS starter", 0).await;
    market.sql(
        "UPDATE market_templates SET status = 'approved', price_cents = 1999 WHERE id = ?1",
        &template.to_string(),
    );
    for (status, answer) in [market.post("/me/payouts", &ada.token).await, market.purchase(&bob, template).await] {
        assert_eq!(status, 503, "{answer}");
        assert_eq!(answer["message"], "paid templates are not enabled on this server");
    }
    assert_eq!(market.deliver("{}", Some("t=1,v1=00")).await.0, 503);
    assert_eq!(market.get("/me/dashboard", &ada.token).await.0, 200);
    assert!(market.stripe.state().requests.is_empty());
}

#[tokio::test]
async fn stripe_failures_become_clear_errors() {
    let market = start().await;
    let ada = market.creator("ada").await;
    let bob = market.account("bob").await;
    let template = market.template(&ada, "SaaS starter", 1999).await;
    let cases = [
        (402, "card_error", "Your card was declined.", 402, "Your card was declined."),
        (400, "invalid_request_error", "No such destination: 'acct_x'", 400, "No such destination"),
        (429, "invalid_request_error", "Too many requests", 503, "unavailable"),
        (500, "api_error", "Something went wrong on Stripe's end.", 503, "unavailable"),
    ];
    for (stripe_status, kind, message, status, says) in cases {
        market.stripe.fail_next(stripe_status, kind, message);
        let (answered, answer) = market.purchase(&bob, template).await;
        assert_eq!(answered, status, "{kind}: {answer}");
        assert!(answer["message"].as_str().unwrap().contains(says), "{kind}: {answer}");
    }
    // All were retries of one pending purchase, under one idempotency key.
    let requests = market.stripe.requests_to("/v1/payment_intents");
    assert!(requests.windows(2).all(|pair| pair[0].idempotency_key == pair[1].idempotency_key));

    let misconfigured = start_with(|config| config.stripe_secret_key = Some("sk_test_revoked".to_owned())).await;
    let carl = misconfigured.account("carl").await;
    let (status, answer) = misconfigured.post("/me/payouts", &carl.token).await;
    assert_eq!(status, 502, "{answer}");
    assert!(answer["message"].as_str().unwrap().contains("payments are misconfigured"), "{answer}");
    assert!(!answer.to_string().contains("sk_"), "the key leaked: {answer}");

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let nowhere = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let unreachable = start_with(|config| config.stripe_api_base = nowhere).await;
    let dora = unreachable.account("dora").await;
    let (status, answer) = unreachable.post("/me/payouts", &dora.token).await;
    assert_eq!(status, 503, "{answer}");
}
