//! Render's REST API for one service: `POST /services/{id}/deploys` starts a
//! build of a commit, `GET …/deploys/{deployId}` walks `created →
//! build_in_progress → update_in_progress → live` (or `build_failed`),
//! `POST …/rollback` serves an earlier live deploy again (no build), env vars
//! are upserted one key at a time, and a custom domain answers with the
//! domains Render serves for it (an apex brings its `www`). Errors use
//! Render's `{id, message}` shape.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{lock, Common, Listener};

const BUILD: &[&str] = &["created", "build_in_progress", "update_in_progress", "live"];
const BUILD_FAILS: &[&str] = &["created", "build_in_progress", "build_failed"];
/// A rollback reuses the earlier deploy's build.
const ROLLBACK: &[&str] = &["created", "update_in_progress", "live"];

struct Deploy {
    commit: Option<String>,
    steps: &'static [&'static str],
    step: usize,
    deactivated: bool,
    trigger: &'static str,
}

impl Deploy {
    fn status(&self) -> &'static str {
        if self.deactivated {
            "deactivated"
        } else {
            self.steps[self.step]
        }
    }

    fn was_live(&self) -> bool {
        self.deactivated || self.status() == "live"
    }
}

pub struct RenderFake {
    pub common: Arc<Common>,
    pub base: String,
    service: String,
    name: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    deploys: BTreeMap<String, Deploy>,
    next_id: u32,
    live: Option<String>,
    rolled_back_to: Option<String>,
    env: BTreeMap<String, String>,
    domains: Vec<Value>,
}

type Shared = Arc<RenderFake>;

impl RenderFake {
    /// A fake serving the service `service` (`srv-…`), published at
    /// `https://{name}.onrender.com`.
    pub async fn start(token: &str, service: &str, name: &str) -> std::io::Result<Arc<Self>> {
        let listener = Listener::bind("/v1").await?;
        let fake = Arc::new(Self {
            common: Common::new(token),
            base: listener.base.clone(),
            service: service.to_owned(),
            name: name.to_owned(),
            inner: Mutex::new(Inner::default()),
        });
        let router = Router::new()
            .route("/services/{service}", get(show_service))
            .route("/services/{service}/deploys", post(create_deploy))
            .route("/services/{service}/deploys/{id}", get(show_deploy))
            .route("/services/{service}/rollback", post(rollback))
            .route("/services/{service}/env-vars/{key}", put(set_env))
            .route("/services/{service}/custom-domains", post(add_domain))
            .with_state(fake.clone());
        listener.serve(router, fake.common.clone());
        Ok(fake)
    }

    /// The deploy serving the service now.
    pub fn live(&self) -> Option<String> {
        lock(&self.inner).live.clone()
    }

    /// The commit each deploy built, by deploy id.
    pub fn commits(&self) -> BTreeMap<String, Option<String>> {
        lock(&self.inner).deploys.iter().map(|(id, deploy)| (id.clone(), deploy.commit.clone())).collect()
    }

    /// The deploy the last rollback asked for.
    pub fn rolled_back_to(&self) -> Option<String> {
        lock(&self.inner).rolled_back_to.clone()
    }

    pub fn env(&self) -> BTreeMap<String, String> {
        lock(&self.inner).env.clone()
    }

    /// Custom domain names, in the order they were added.
    pub fn domains(&self) -> Vec<String> {
        lock(&self.inner).domains.iter().filter_map(|domain| domain["name"].as_str().map(str::to_owned)).collect()
    }

    fn check_service(&self, service: &str) -> Result<(), Response> {
        if service == self.service {
            Ok(())
        } else {
            Err(render_error(StatusCode::NOT_FOUND, "not_found", "Service not found"))
        }
    }

    fn url(&self) -> String {
        format!("https://{}.onrender.com", self.name)
    }
}

/// Render's error body.
fn render_error(status: StatusCode, id: &str, message: &str) -> Response {
    (status, Json(json!({ "id": id, "message": message }))).into_response()
}

fn invalid(message: &str) -> Response {
    render_error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
}

fn deploy_json(id: &str, deploy: &Deploy) -> Value {
    json!({
        "id": id,
        "commit": deploy.commit.as_ref().map(|commit| json!({ "id": commit, "message": "Deploy" })),
        "status": deploy.status(),
        "trigger": deploy.trigger,
        "createdAt": "2025-01-01T00:00:00Z",
    })
}

fn start_deploy(
    fake: &RenderFake,
    commit: Option<String>,
    steps: &'static [&'static str],
    trigger: &'static str,
) -> Response {
    let mut inner = lock(&fake.inner);
    inner.next_id += 1;
    let id = format!("dep-{:04}", inner.next_id);
    let deploy = Deploy { commit, steps, step: 0, deactivated: false, trigger };
    let json = deploy_json(&id, &deploy);
    inner.deploys.insert(id, deploy);
    (StatusCode::CREATED, Json(json)).into_response()
}

async fn show_service(State(fake): State<Shared>, Path(service): Path<String>) -> Response {
    if let Err(response) = fake.check_service(&service) {
        return response;
    }
    Json(json!({
        "id": fake.service,
        "name": fake.name,
        "type": "static_site",
        "ownerId": "tea-1",
        "serviceDetails": { "url": fake.url(), "buildCommand": "npm run build", "publishPath": "dist" },
    }))
    .into_response()
}

async fn create_deploy(State(fake): State<Shared>, Path(service): Path<String>, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_service(&service) {
        return response;
    }
    if !matches!(body.get("clearCache").and_then(Value::as_str), None | Some("clear" | "do_not_clear")) {
        return invalid("clearCache must be clear or do_not_clear");
    }
    let commit = match body.get("commitId") {
        None => None,
        Some(Value::String(commit))
            if (7..=40).contains(&commit.len()) && commit.bytes().all(|byte| byte.is_ascii_hexdigit()) =>
        {
            Some(commit.clone())
        }
        Some(other) => return invalid(&format!("commitId {other} is not a commit of the connected repository")),
    };
    let steps = if fake.common.builds_fail() { BUILD_FAILS } else { BUILD };
    start_deploy(&fake, commit, steps, "api")
}

async fn show_deploy(State(fake): State<Shared>, Path((service, id)): Path<(String, String)>) -> Response {
    if let Err(response) = fake.check_service(&service) {
        return response;
    }
    let mut guard = lock(&fake.inner);
    let inner = &mut *guard;
    let Some(deploy) = inner.deploys.get_mut(&id) else {
        return render_error(StatusCode::NOT_FOUND, "not_found", "Deploy not found");
    };
    if deploy.step + 1 < deploy.steps.len() {
        deploy.step += 1;
    }
    let json = deploy_json(&id, deploy);
    if deploy.status() == "live" && inner.live.as_deref() != Some(id.as_str()) {
        // The deploy it replaces stops serving.
        let previous = inner.live.replace(id).and_then(|previous| inner.deploys.get_mut(&previous));
        if let Some(previous) = previous {
            previous.deactivated = true;
        }
    }
    Json(json).into_response()
}

async fn rollback(State(fake): State<Shared>, Path(service): Path<String>, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_service(&service) {
        return response;
    }
    let Some(target) = body.get("deployId").and_then(Value::as_str).filter(|id| !id.is_empty()) else {
        return invalid("deployId is required");
    };
    let commit = {
        let mut inner = lock(&fake.inner);
        let Some(deploy) = inner.deploys.get(target) else {
            return render_error(StatusCode::NOT_FOUND, "not_found", "Deploy not found");
        };
        if !deploy.was_live() {
            return render_error(StatusCode::BAD_REQUEST, "bad_request", "only a deploy that was live can be restored");
        }
        let commit = deploy.commit.clone();
        inner.rolled_back_to = Some(target.to_owned());
        commit
    };
    start_deploy(&fake, commit, ROLLBACK, "rollback")
}

async fn set_env(
    State(fake): State<Shared>,
    Path((service, key)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Err(response) = fake.check_service(&service) {
        return response;
    }
    let Some(value) = body.get("value").and_then(Value::as_str) else {
        return invalid("value or generateValue is required");
    };
    lock(&fake.inner).env.insert(key.clone(), value.to_owned());
    Json(json!({ "key": key, "value": value })).into_response()
}

async fn add_domain(State(fake): State<Shared>, Path(service): Path<String>, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_service(&service) {
        return response;
    }
    let Some(name) = body.get("name").and_then(Value::as_str).filter(|name| name.contains('.')) else {
        return invalid("name must be a domain name");
    };
    let mut inner = lock(&fake.inner);
    if inner.domains.iter().any(|domain| domain["name"] == name) {
        return render_error(StatusCode::CONFLICT, "conflict", "custom domain already exists");
    }
    let apex = name.matches('.').count() == 1;
    let mut added = vec![domain_json(inner.domains.len(), name, apex)];
    if apex {
        added.push(domain_json(inner.domains.len() + 1, &format!("www.{name}"), false));
    }
    inner.domains.extend(added.iter().cloned());
    (StatusCode::CREATED, Json(added)).into_response()
}

fn domain_json(index: usize, name: &str, apex: bool) -> Value {
    json!({
        "id": format!("cdm-{index:04}"),
        "name": name,
        "domainType": if apex { "apex" } else { "subdomain" },
        "publicSuffix": "com",
        "verificationStatus": "unverified",
        "createdAt": "2025-01-01T00:00:00Z",
    })
}
