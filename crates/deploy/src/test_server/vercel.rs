//! Vercel's deployment API: `POST /v2/files` takes a file under its SHA-1
//! (`x-vercel-digest`, checked against the bytes), `POST /v13/deployments`
//! answers 400 `missing_files` until every listed SHA is uploaded,
//! `GET /v13/deployments/{id}` walks `QUEUED → BUILDING → READY` (or `ERROR`)
//! while `GET /v3/deployments/{id}/events` grows, and the project endpoints
//! roll back, upsert env vars and add domains. Every route checks `teamId`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use super::{lock, Common, Listener};
use flashfusion_core::hex;

const BUILD_ERROR: &str = "Command \"npm run build\" exited with 1";

struct Deployment {
    files: BTreeMap<String, String>,
    polls: u32,
    state: &'static str,
    events: Vec<&'static str>,
}

pub struct VercelFake {
    pub common: Arc<Common>,
    pub base: String,
    project: String,
    team: Option<String>,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    blobs: HashSet<String>,
    deployments: HashMap<String, Deployment>,
    next_id: u32,
    production: Option<String>,
    env: BTreeMap<String, (String, String)>,
    domains: Vec<String>,
}

type Shared = Arc<VercelFake>;

#[derive(Deserialize)]
struct Params {
    #[serde(rename = "teamId")]
    team: Option<String>,
    upsert: Option<String>,
}

/// Vercel's error shape: `{"error": {"code", "message"}}`.
fn error(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(json!({ "error": { "code": code, "message": message } }))).into_response()
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "The deployment or project could not be found.")
}

impl VercelFake {
    /// A fake holding one project, owned by `team` when given.
    pub async fn start(token: &str, project: &str, team: Option<&str>) -> std::io::Result<Arc<Self>> {
        let listener = Listener::bind("/vercel").await?;
        let fake = Arc::new(Self {
            common: Common::new(token),
            base: listener.base.clone(),
            project: project.to_owned(),
            team: team.map(str::to_owned),
            inner: Mutex::new(Inner::default()),
        });
        let router = Router::new()
            .route("/v2/files", post(upload))
            .route("/v13/deployments", post(create))
            .route("/v13/deployments/{id}", get(show))
            .route("/v3/deployments/{id}/events", get(events))
            .route("/v1/projects/{project}/rollback/{id}", post(rollback))
            .route("/v10/projects/{project}/env", post(upsert_env))
            .route("/v10/projects/{project}/domains", post(add_domain))
            .with_state(fake.clone());
        listener.serve(router, fake.common.clone());
        Ok(fake)
    }

    /// The deployment production traffic goes to.
    pub fn production(&self) -> Option<String> {
        lock(&self.inner).production.clone()
    }

    /// Each variable's value and type.
    pub fn env(&self) -> BTreeMap<String, (String, String)> {
        lock(&self.inner).env.clone()
    }

    pub fn domains(&self) -> Vec<String> {
        lock(&self.inner).domains.clone()
    }

    /// The files (path → SHA-1) a deployment was made of.
    pub fn files(&self, id: &str) -> Option<BTreeMap<String, String>> {
        lock(&self.inner).deployments.get(id).map(|deployment| deployment.files.clone())
    }

    /// Vercel answers a team's project only with the team's id, and a
    /// personal project only without one.
    fn check(&self, params: &Params, project: Option<&str>) -> Result<(), Response> {
        if params.team != self.team {
            return Err(error(StatusCode::FORBIDDEN, "forbidden", "You don't have permission to access this team."));
        }
        match project {
            Some(project) if project != self.project => {
                Err(error(StatusCode::NOT_FOUND, "not_found", "Project not found"))
            }
            _ => Ok(()),
        }
    }
}

fn deployment_json(fake: &VercelFake, id: &str, deployment: &Deployment) -> Value {
    json!({
        "id": id,
        "name": fake.project,
        "url": format!("{}-{}.vercel.app", fake.project, id.trim_start_matches("dpl_").to_lowercase()),
        "readyState": deployment.state,
        "target": "production",
        "errorCode": if deployment.state == "ERROR" { Value::from("BUILD_FAILED") } else { Value::Null },
        "errorMessage": if deployment.state == "ERROR" { Value::from(BUILD_ERROR) } else { Value::Null },
    })
}

async fn upload(State(fake): State<Shared>, Query(params): Query<Params>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(response) = fake.check(&params, None) {
        return response;
    }
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let Some(digest) = header("x-vercel-digest") else {
        return error(StatusCode::BAD_REQUEST, "missing_digest", "The x-vercel-digest header is required.");
    };
    if header("content-length") != Some(body.len().to_string()) {
        return error(StatusCode::BAD_REQUEST, "invalid_content_length", "Content-Length does not match the body.");
    }
    if hex(&Sha1::digest(&body)) != digest {
        return error(StatusCode::BAD_REQUEST, "invalid_digest", "The file's SHA-1 does not match x-vercel-digest.");
    }
    lock(&fake.inner).blobs.insert(digest.clone());
    Json(json!({ "urls": [format!("https://api.vercel.com/v2/files/{digest}")] })).into_response()
}

/// The deployment's files as `path → sha`, or why they are refused.
fn file_list(body: &Value) -> Result<BTreeMap<String, String>, Response> {
    let bad = |message: &str| error(StatusCode::BAD_REQUEST, "bad_request", message);
    let files = body.get("files").and_then(Value::as_array).ok_or_else(|| bad("files is required"))?;
    let mut list = BTreeMap::new();
    for file in files {
        let path = file.get("file").and_then(Value::as_str).filter(|path| !path.is_empty());
        let sha = file.get("sha").and_then(Value::as_str).filter(|sha| sha.len() == 40);
        let (Some(path), Some(sha), Some(_size)) = (path, sha, file.get("size").and_then(Value::as_u64)) else {
            return Err(bad("every file needs `file`, a 40-digit `sha` and `size`"));
        };
        list.insert(path.to_owned(), sha.to_owned());
    }
    Ok(list)
}

async fn create(State(fake): State<Shared>, Query(params): Query<Params>, Json(body): Json<Value>) -> Response {
    let project = body.get("project").and_then(Value::as_str);
    if let Err(response) = fake.check(&params, Some(project.unwrap_or_default())) {
        return response;
    }
    if body.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
        return error(StatusCode::BAD_REQUEST, "bad_request", "name is required");
    }
    let files = match file_list(&body) {
        Ok(files) => files,
        Err(response) => return response,
    };
    let mut inner = lock(&fake.inner);
    let missing: HashSet<&String> = files.values().filter(|sha| !inner.blobs.contains(*sha)).collect();
    if !missing.is_empty() {
        let body = json!({ "error": { "code": "missing_files", "message": "Missing files", "missing": missing } });
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    inner.next_id += 1;
    let id = format!("dpl_{:04}", inner.next_id);
    let deployment = Deployment { files, polls: 0, state: "QUEUED", events: Vec::new() };
    let json = deployment_json(&fake, &id, &deployment);
    inner.deployments.insert(id, deployment);
    Json(json).into_response()
}

async fn show(State(fake): State<Shared>, Query(params): Query<Params>, Path(id): Path<String>) -> Response {
    if let Err(response) = fake.check(&params, None) {
        return response;
    }
    let fail = fake.common.builds_fail();
    let mut inner = lock(&fake.inner);
    let Some(deployment) = inner.deployments.get_mut(&id) else { return not_found() };
    let mut promoted = false;
    if !matches!(deployment.state, "READY" | "ERROR") {
        deployment.polls += 1;
        let (state, events): (_, &[&str]) = match (deployment.polls, fail) {
            (1, _) => ("BUILDING", &["Cloning completed", "Running \"vercel build\""]),
            (_, true) => ("ERROR", &["Error: build script failed", BUILD_ERROR]),
            _ => ("READY", &["Build Completed in /vercel/output", "Deployment completed"]),
        };
        deployment.state = state;
        deployment.events.extend(events);
        promoted = state == "READY";
    }
    let json = deployment_json(&fake, &id, deployment);
    if promoted {
        inner.production = Some(id);
    }
    Json(json).into_response()
}

async fn events(State(fake): State<Shared>, Query(params): Query<Params>, Path(id): Path<String>) -> Response {
    if let Err(response) = fake.check(&params, None) {
        return response;
    }
    let inner = lock(&fake.inner);
    let Some(deployment) = inner.deployments.get(&id) else { return not_found() };
    let events: Vec<Value> = deployment
        .events
        .iter()
        .enumerate()
        .map(|(index, text)| json!({ "type": "stdout", "created": index, "payload": { "deploymentId": id, "text": text } }))
        .collect();
    Json(events).into_response()
}

async fn rollback(
    State(fake): State<Shared>,
    Query(params): Query<Params>,
    Path((project, id)): Path<(String, String)>,
) -> Response {
    if let Err(response) = fake.check(&params, Some(&project)) {
        return response;
    }
    let mut inner = lock(&fake.inner);
    let Some(deployment) = inner.deployments.get(&id) else { return not_found() };
    if deployment.state != "READY" {
        return error(StatusCode::BAD_REQUEST, "invalid_deployment", "Only a ready deployment can be rolled back to.");
    }
    inner.production = Some(id);
    (StatusCode::CREATED, Json(json!({}))).into_response()
}

/// One variable as the env API takes it, or why it is refused.
fn env_var(var: &Value) -> Result<(String, String, String), Response> {
    let text = |key: &str| var.get(key).and_then(Value::as_str).map(str::to_owned);
    let targets = var.get("target").and_then(Value::as_array).is_some_and(|targets| {
        !targets.is_empty()
            && targets.iter().all(|target| matches!(target.as_str(), Some("production" | "preview" | "development")))
    });
    match (text("key"), text("value"), text("type")) {
        (Some(key), Some(value), Some(kind))
            if targets && matches!(kind.as_str(), "plain" | "encrypted" | "sensitive") && !key.is_empty() =>
        {
            Ok((key, value, kind))
        }
        _ => Err(error(StatusCode::BAD_REQUEST, "bad_request", "each variable needs key, value, type and target")),
    }
}

async fn upsert_env(
    State(fake): State<Shared>,
    Query(params): Query<Params>,
    Path(project): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Err(response) = fake.check(&params, Some(&project)) {
        return response;
    }
    let vars = match body {
        Value::Array(vars) => vars,
        var => vec![var],
    };
    let mut parsed = Vec::new();
    for var in &vars {
        match env_var(var) {
            Ok(var) => parsed.push(var),
            Err(response) => return response,
        }
    }
    let upsert = params.upsert.as_deref() == Some("true");
    let mut inner = lock(&fake.inner);
    if let Some((key, ..)) = parsed.iter().find(|(key, ..)| !upsert && inner.env.contains_key(key)) {
        return error(StatusCode::BAD_REQUEST, "ENV_ALREADY_EXISTS", &format!("{key} already exists"));
    }
    for (key, value, kind) in parsed {
        inner.env.insert(key, (value, kind));
    }
    (StatusCode::CREATED, Json(json!({ "created": vars, "failed": [] }))).into_response()
}

async fn add_domain(
    State(fake): State<Shared>,
    Query(params): Query<Params>,
    Path(project): Path<String>,
    Json(body): Json<Value>,
) -> Response {
    if let Err(response) = fake.check(&params, Some(&project)) {
        return response;
    }
    let Some(name) = body.get("name").and_then(Value::as_str).filter(|name| name.contains('.')) else {
        return error(StatusCode::BAD_REQUEST, "invalid_domain", "name must be a domain");
    };
    let labels: Vec<&str> = name.split('.').collect();
    let apex = labels[labels.len().saturating_sub(2)..].join(".");
    lock(&fake.inner).domains.push(name.to_owned());
    Json(json!({
        "name": name,
        "apexName": apex,
        "projectId": "prj_fake",
        "verified": false,
        "verification": [{
            "type": "TXT",
            "domain": format!("_vercel.{apex}"),
            "value": format!("vc-domain-verify={name},f4ke"),
            "reason": "pending_domain_verification",
        }],
    }))
    .into_response()
}
