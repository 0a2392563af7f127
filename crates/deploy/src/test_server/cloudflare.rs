//! Cloudflare Pages' direct-upload API, as wrangler uses it: an upload token
//! (a JWT) from `…/upload-token` authorizes `/pages/assets/check-missing`,
//! `upload` (base64 assets keyed by hash) and `upsert-hashes`; the
//! deployment is a multipart form whose `manifest` maps paths to hashes,
//! each checked against the uploaded contents. Its `latest_stage` walks
//! `queued → build → deploy` (or ends in `failure`) while its log grows.
//! Every answer is wrapped in `{success, errors, messages, result}`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{json, Value};

use super::{lock, Common, Listener};

const BUILD_ERROR: &str = "Failed: an internal error occurred while deploying the assets";
/// Files Pages takes as form parts, never as assets.
const CONFIG_FILES: [&str; 4] = ["_headers", "_redirects", "_routes.json", "_worker.js"];

struct Deployment {
    manifest: BTreeMap<String, String>,
    config_files: Vec<String>,
    short_id: String,
    polls: u32,
    stage: (&'static str, &'static str),
    log: Vec<&'static str>,
}

pub struct CloudflareFake {
    pub common: Arc<Common>,
    pub base: String,
    account: String,
    project: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Upload tokens issued, with the requests each has left (`None`: any).
    jwts: HashMap<String, Option<u32>>,
    jwt_uses: Option<u32>,
    issued: u32,
    /// Asset hash → (base64 contents, content type).
    blobs: HashMap<String, (String, String)>,
    uploaded: usize,
    deployments: HashMap<String, Deployment>,
    next_id: u32,
    production: Option<String>,
    env: BTreeMap<String, (String, String)>,
    domains: Vec<String>,
}

type Shared = Arc<CloudflareFake>;

/// Cloudflare's envelope around a result.
fn ok(result: Value) -> Response {
    Json(json!({ "success": true, "errors": [], "messages": [], "result": result })).into_response()
}

/// Cloudflare's envelope around an error.
fn error(status: StatusCode, code: u32, message: &str) -> Response {
    let body =
        json!({ "success": false, "errors": [{ "code": code, "message": message }], "messages": [], "result": null });
    (status, Json(body)).into_response()
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, 8_000_000, message)
}

fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, 8_000_007, &format!("{what} not found"))
}

impl CloudflareFake {
    pub async fn start(token: &str, account: &str, project: &str) -> std::io::Result<Arc<Self>> {
        let listener = Listener::bind("/client/v4").await?;
        let fake = Arc::new(Self {
            common: Common::new(token),
            base: listener.base.clone(),
            account: account.to_owned(),
            project: project.to_owned(),
            inner: Mutex::new(Inner::default()),
        });
        let project = "/accounts/{account}/pages/projects/{project}";
        let router = Router::new()
            .route(&format!("{project}/upload-token"), get(upload_token))
            .route("/pages/assets/check-missing", post(check_missing))
            .route("/pages/assets/upload", post(upload))
            .route("/pages/assets/upsert-hashes", post(upsert_hashes))
            .route(&format!("{project}/deployments"), post(create))
            .route(&format!("{project}/deployments/{{id}}"), get(show))
            .route(&format!("{project}/deployments/{{id}}/history/logs"), get(logs))
            .route(&format!("{project}/deployments/{{id}}/rollback"), post(rollback))
            .route(project, get(show_project).patch(update_project))
            .route(&format!("{project}/domains"), post(add_domain))
            .with_state(fake.clone());
        listener.serve(router, fake.common.clone());
        Ok(fake)
    }

    /// The deployment the project's production domain serves.
    pub fn production(&self) -> Option<String> {
        lock(&self.inner).production.clone()
    }

    /// How many assets were uploaded so far.
    pub fn uploaded(&self) -> usize {
        lock(&self.inner).uploaded
    }

    /// A deployment's manifest (path → hash) and its configuration files.
    pub fn deployment(&self, id: &str) -> Option<(BTreeMap<String, String>, Vec<String>)> {
        let inner = lock(&self.inner);
        inner.deployments.get(id).map(|deployment| (deployment.manifest.clone(), deployment.config_files.clone()))
    }

    /// Production's variables: each one's type and value.
    pub fn env(&self) -> BTreeMap<String, (String, String)> {
        lock(&self.inner).env.clone()
    }

    pub fn domains(&self) -> Vec<String> {
        lock(&self.inner).domains.clone()
    }

    /// Upload tokens issued from now on accept `uses` requests each, to
    /// stand in for their expiry.
    pub fn set_upload_token_uses(&self, uses: Option<u32>) {
        lock(&self.inner).jwt_uses = uses;
    }

    fn check_project(&self, account: &str, project: &str) -> Result<(), Response> {
        if account != self.account {
            return Err(error(StatusCode::FORBIDDEN, 10_000, "Authentication error: not a member of this account"));
        }
        if project != self.project {
            return Err(not_found("Project"));
        }
        Ok(())
    }

    /// The asset endpoints take only a live upload token, not the API token.
    fn check_jwt(&self, headers: &HeaderMap) -> Result<(), Response> {
        let bearer = headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        let mut inner = lock(&self.inner);
        match bearer.and_then(|jwt| inner.jwts.get_mut(jwt)) {
            Some(None) => Ok(()),
            Some(Some(uses)) if *uses > 0 => {
                *uses -= 1;
                Ok(())
            }
            _ => Err(error(StatusCode::UNAUTHORIZED, 8_000_013, "Authorization failed: expired or invalid JWT")),
        }
    }

    fn deployment_json(&self, id: &str, deployment: &Deployment) -> Value {
        json!({
            "id": id,
            "short_id": deployment.short_id,
            "project_name": self.project,
            "environment": "production",
            "url": format!("https://{}.{}.pages.dev", deployment.short_id, self.project),
            "latest_stage": { "name": deployment.stage.0, "status": deployment.stage.1 },
            "deployment_trigger": { "type": "ad_hoc" },
        })
    }
}

/// A request's `{"hashes": [...]}`, every one 32 hex digits.
fn hashes(body: &Value) -> Result<Vec<String>, Response> {
    let hashes = body.get("hashes").and_then(Value::as_array).ok_or_else(|| bad_request("hashes is required"))?;
    hashes
        .iter()
        .map(|hash| match hash.as_str() {
            Some(hash) if is_hash(hash) => Ok(hash.to_owned()),
            _ => Err(bad_request("every hash is 32 hex digits")),
        })
        .collect()
}

fn is_hash(value: &str) -> bool {
    value.len() == 32 && value.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Wrangler's hash, recomputed here from what was uploaded: BLAKE3 of the
/// base64 followed by the extension of the path it is deployed under.
fn expected_hash(path: &str, base64: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = match name.rfind('.') {
        Some(0) | None => "",
        Some(dot) => &name[dot + 1..],
    };
    blake3::hash(format!("{base64}{extension}").as_bytes()).to_hex()[..32].to_owned()
}

async fn upload_token(State(fake): State<Shared>, Path((account, project)): Path<(String, String)>) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let mut inner = lock(&fake.inner);
    inner.issued += 1;
    let jwt = format!("eyJhbGciOiJIUzI1NiJ9.upload-{}.sig", inner.issued);
    let uses = inner.jwt_uses;
    inner.jwts.insert(jwt.clone(), uses);
    fake.common.accept_token(&jwt);
    ok(json!({ "jwt": jwt }))
}

async fn check_missing(State(fake): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_jwt(&headers) {
        return response;
    }
    let hashes = match hashes(&body) {
        Ok(hashes) => hashes,
        Err(response) => return response,
    };
    let inner = lock(&fake.inner);
    ok(json!(hashes.into_iter().filter(|hash| !inner.blobs.contains_key(hash)).collect::<Vec<_>>()))
}

/// One uploaded asset: (hash, base64 contents, content type).
fn asset(entry: &Value) -> Result<(String, String, String), Response> {
    let key = entry.get("key").and_then(Value::as_str).filter(|key| is_hash(key));
    let value = entry.get("value").and_then(Value::as_str);
    let content_type = entry.pointer("/metadata/contentType").and_then(Value::as_str).filter(|kind| kind.contains('/'));
    let (Some(key), Some(value), Some(content_type)) = (key, value, content_type) else {
        return Err(bad_request("every asset needs a hash key, a value and metadata.contentType"));
    };
    if entry.get("base64") != Some(&Value::Bool(true)) || BASE64.decode(value).is_err() {
        return Err(bad_request(&format!("asset {key} is not base64")));
    }
    Ok((key.to_owned(), value.to_owned(), content_type.to_owned()))
}

async fn upload(State(fake): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_jwt(&headers) {
        return response;
    }
    let Some(entries) = body.as_array().filter(|entries| !entries.is_empty()) else {
        return bad_request("the body is a non-empty array of assets");
    };
    let mut assets = Vec::new();
    for entry in entries {
        match asset(entry) {
            Ok(asset) => assets.push(asset),
            Err(response) => return response,
        }
    }
    let mut inner = lock(&fake.inner);
    inner.uploaded += assets.len();
    for (key, value, content_type) in assets {
        inner.blobs.insert(key, (value, content_type));
    }
    ok(json!({ "successful_key_count": entries.len(), "unsuccessful_keys": [] }))
}

async fn upsert_hashes(State(fake): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_jwt(&headers) {
        return response;
    }
    let hashes = match hashes(&body) {
        Ok(hashes) => hashes,
        Err(response) => return response,
    };
    let inner = lock(&fake.inner);
    match hashes.iter().find(|hash| !inner.blobs.contains_key(*hash)) {
        Some(hash) => bad_request(&format!("asset {hash} was never uploaded")),
        None => ok(Value::Null),
    }
}

/// The form's manifest and the configuration files sent alongside.
async fn read_form(mut form: Multipart) -> Result<(Value, Vec<String>), Response> {
    let mut manifest = None;
    let mut config_files = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|error| bad_request(&error.to_string()))? {
        let name = field.name().unwrap_or_default().to_owned();
        let contents = field.bytes().await.map_err(|error| bad_request(&error.to_string()))?;
        match name.as_str() {
            "manifest" => {
                manifest = Some(serde_json::from_slice(&contents).map_err(|_| bad_request("manifest is not JSON"))?);
            }
            name if CONFIG_FILES.contains(&name) => config_files.push(name.to_owned()),
            "commit_hash" | "commit_message" | "commit_dirty" | "branch" => {}
            other => return Err(bad_request(&format!("unexpected form field {other}"))),
        }
    }
    Ok((manifest.ok_or_else(|| bad_request("manifest is required"))?, config_files))
}

/// The manifest as path → hash, each hash uploaded and matching its path.
fn check_manifest(
    manifest: &Value,
    blobs: &HashMap<String, (String, String)>,
) -> Result<BTreeMap<String, String>, Response> {
    let entries = manifest.as_object().ok_or_else(|| bad_request("manifest maps paths to hashes"))?;
    let mut checked = BTreeMap::new();
    for (path, hash) in entries {
        let hash = hash.as_str().unwrap_or_default();
        let name = path.trim_start_matches('/');
        if !path.starts_with('/') || CONFIG_FILES.contains(&name) {
            return Err(bad_request(&format!("{path} cannot be an asset")));
        }
        let Some((base64, _)) = blobs.get(hash) else {
            return Err(bad_request(&format!("{path}: asset {hash} was never uploaded")));
        };
        if expected_hash(path, base64) != hash {
            return Err(bad_request(&format!("{path}: {hash} is not the hash of its contents")));
        }
        checked.insert(path.clone(), hash.to_owned());
    }
    Ok(checked)
}

async fn create(
    State(fake): State<Shared>,
    Path((account, project)): Path<(String, String)>,
    form: Multipart,
) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let (manifest, config_files) = match read_form(form).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let mut inner = lock(&fake.inner);
    let manifest = match check_manifest(&manifest, &inner.blobs) {
        Ok(manifest) => manifest,
        Err(response) => return response,
    };
    inner.next_id += 1;
    let id = format!("{:08x}-0000-4000-8000-{:012x}", inner.next_id, inner.next_id);
    let short_id = format!("{:08x}", inner.next_id);
    let deployment =
        Deployment { manifest, config_files, short_id, polls: 0, stage: ("queued", "active"), log: Vec::new() };
    let json = fake.deployment_json(&id, &deployment);
    inner.deployments.insert(id, deployment);
    ok(json)
}

async fn show(State(fake): State<Shared>, Path((account, project, id)): Path<(String, String, String)>) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let fail = fake.common.builds_fail();
    let mut inner = lock(&fake.inner);
    let Some(deployment) = inner.deployments.get_mut(&id) else { return not_found("Deployment") };
    let mut promoted = false;
    if !matches!(deployment.stage.1, "success" | "failure") {
        deployment.polls += 1;
        let (stage, lines): (_, &[&str]) = match (deployment.polls, fail) {
            (1, _) => (("build", "active"), &["Initializing build environment...", "Uploading assets..."]),
            (_, true) => {
                (("deploy", "failure"), &["Deploying your site to Cloudflare's global network...", BUILD_ERROR])
            }
            _ => (
                ("deploy", "success"),
                &["Deploying your site to Cloudflare's global network...", "Success: Your site was deployed!"],
            ),
        };
        deployment.stage = stage;
        deployment.log.extend(lines);
        promoted = stage.1 == "success";
    }
    let json = fake.deployment_json(&id, deployment);
    if promoted {
        inner.production = Some(id);
    }
    ok(json)
}

async fn logs(State(fake): State<Shared>, Path((account, project, id)): Path<(String, String, String)>) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let inner = lock(&fake.inner);
    let Some(deployment) = inner.deployments.get(&id) else { return not_found("Deployment") };
    let data: Vec<Value> = deployment
        .log
        .iter()
        .enumerate()
        .map(|(index, line)| json!({ "line": line, "ts": format!("2025-01-01T00:00:{index:02}Z") }))
        .collect();
    ok(json!({ "total": data.len(), "includes_container_logs": false, "data": data }))
}

async fn rollback(
    State(fake): State<Shared>,
    Path((account, project, id)): Path<(String, String, String)>,
) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let mut inner = lock(&fake.inner);
    let Some(deployment) = inner.deployments.get(&id) else { return not_found("Deployment") };
    if deployment.stage != ("deploy", "success") {
        return bad_request("only a successful production deployment can be rolled back to");
    }
    let json = fake.deployment_json(&id, deployment);
    inner.production = Some(id);
    ok(json)
}

fn project_json(fake: &CloudflareFake, inner: &Inner) -> Value {
    let env_vars: serde_json::Map<String, Value> = inner
        .env
        .iter()
        .map(|(name, (kind, value))| {
            let value = if kind == "secret_text" { Value::Null } else { Value::from(value.clone()) };
            (name.clone(), json!({ "type": kind, "value": value }))
        })
        .collect();
    json!({
        "name": fake.project,
        "subdomain": format!("{}.pages.dev", fake.project),
        "domains": inner.domains,
        "production_branch": "main",
        "canonical_deployment": inner.production.as_ref().map(|id| json!({ "id": id })),
        "deployment_configs": { "production": { "env_vars": env_vars } },
    })
}

async fn show_project(State(fake): State<Shared>, Path((account, project)): Path<(String, String)>) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    ok(project_json(&fake, &lock(&fake.inner)))
}

/// Production's variables from a project patch, or why they are refused.
fn env_vars(body: &Value) -> Result<Vec<(String, String, String)>, Response> {
    let Some(vars) = body.pointer("/deployment_configs/production/env_vars").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    vars.iter()
        .map(|(name, var)| {
            let kind =
                var.get("type").and_then(Value::as_str).filter(|kind| matches!(*kind, "plain_text" | "secret_text"));
            match (kind, var.get("value").and_then(Value::as_str)) {
                (Some(kind), Some(value)) => Ok((name.clone(), kind.to_owned(), value.to_owned())),
                _ => Err(bad_request(&format!("{name} needs a type (plain_text or secret_text) and a value"))),
            }
        })
        .collect()
}

async fn update_project(
    State(fake): State<Shared>,
    Path((account, project)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let vars = match env_vars(&body) {
        Ok(vars) => vars,
        Err(response) => return response,
    };
    let mut inner = lock(&fake.inner);
    for (name, kind, value) in vars {
        inner.env.insert(name, (kind, value));
    }
    ok(project_json(&fake, &inner))
}

async fn add_domain(
    State(fake): State<Shared>,
    Path((account, project)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if let Err(response) = fake.check_project(&account, &project) {
        return response;
    }
    let Some(name) = body.get("name").and_then(Value::as_str).filter(|name| name.contains('.')) else {
        return bad_request("name must be a domain");
    };
    let mut inner = lock(&fake.inner);
    if inner.domains.iter().any(|domain| domain == name) {
        return error(StatusCode::CONFLICT, 8_000_018, "You have already added this custom domain.");
    }
    inner.domains.push(name.to_owned());
    ok(json!({
        "id": format!("dom-{}", inner.domains.len()),
        "name": name,
        "status": "initializing",
        "verification_data": { "status": "pending" },
        "validation_data": {
            "method": "txt",
            "status": "pending",
            "txt_name": format!("_cf-custom-hostname.{name}"),
            "txt_value": "2c3f9e1a-0d4b-4c55-9f1e-7a6b5c4d3e2f",
        },
        "zone_tag": "",
        "certificate_authority": "google",
    }))
}
