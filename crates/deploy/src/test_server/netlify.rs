//! Netlify's file-digest deploy API: `POST /sites/{site}/deploys` answers
//! with the `required` digests, `PUT /deploys/{id}/files/{path}` takes each
//! (checked against its SHA-1), `GET /sites/{site}/deploys/{id}` walks
//! `uploading → processing → ready` (or `error`), `POST …/restore` rolls back.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use sha1::{Digest, Sha1};

use super::{error, lock, Common, Listener};
use flashfusion_core::hex;

#[derive(Default)]
struct Deploy {
    files: BTreeMap<String, String>,
    missing: HashSet<String>,
    polls: u32,
    state: &'static str,
}

pub struct NetlifyFake {
    pub common: Arc<Common>,
    pub base: String,
    site: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    blobs: HashSet<String>,
    deploys: HashMap<String, Deploy>,
    next_id: u32,
    published: Option<String>,
    env: BTreeMap<String, String>,
    domain: Option<String>,
}

type Shared = Arc<NetlifyFake>;

impl NetlifyFake {
    pub async fn start(token: &str, site: &str) -> std::io::Result<Arc<Self>> {
        let listener = Listener::bind("/api/v1").await?;
        let fake = Arc::new(Self {
            common: Common::new(token),
            base: listener.base.clone(),
            site: site.to_owned(),
            inner: Mutex::new(Inner::default()),
        });
        let router = Router::new()
            .route("/sites/{site}/deploys", post(create))
            .route("/sites/{site}/deploys/{id}", get(show))
            .route("/sites/{site}/deploys/{id}/restore", post(restore))
            .route("/deploys/{id}/files/{*path}", put(upload))
            .route("/sites/{site}", patch(update_site))
            .route("/sites/{site}/ssl", get(ssl))
            .route("/accounts/{account}/env/{key}", put(set_env))
            .route("/accounts/{account}/env", post(create_env))
            .with_state(fake.clone());
        listener.serve(router, fake.common.clone());
        Ok(fake)
    }

    pub fn published(&self) -> Option<String> {
        lock(&self.inner).published.clone()
    }

    pub fn env(&self) -> BTreeMap<String, String> {
        lock(&self.inner).env.clone()
    }

    pub fn domain(&self) -> Option<String> {
        lock(&self.inner).domain.clone()
    }

    fn check_site(&self, site: &str) -> Result<(), Response> {
        if site == self.site {
            Ok(())
        } else {
            Err(error(StatusCode::NOT_FOUND, "Not Found"))
        }
    }
}

fn deploy_json(fake: &NetlifyFake, id: &str, deploy: &Deploy) -> Value {
    let required: Vec<&String> = deploy.missing.iter().collect();
    json!({
        "id": id,
        "site_id": fake.site,
        "state": deploy.state,
        "required": required,
        "ssl_url": format!("https://{}.netlify.app", fake.site),
        "deploy_ssl_url": format!("https://{id}--{}.netlify.app", fake.site),
        "error_message": if deploy.state == "error" { Value::from("Build script returned non-zero exit code: 2") } else { Value::Null },
    })
}

async fn create(State(fake): State<Shared>, Path(site): Path<String>, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_site(&site) {
        return response;
    }
    let Some(files) = body.get("files").and_then(Value::as_object) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "files is required");
    };
    let mut inner = lock(&fake.inner);
    let mut deploy = Deploy { state: "uploading", ..Deploy::default() };
    for (path, sha) in files {
        let Some(sha) = sha.as_str().filter(|sha| sha.len() == 40) else {
            return error(StatusCode::UNPROCESSABLE_ENTITY, &format!("invalid digest for {path}"));
        };
        if !inner.blobs.contains(sha) {
            deploy.missing.insert(sha.to_owned());
        }
        deploy.files.insert(path.clone(), sha.to_owned());
    }
    inner.next_id += 1;
    let id = format!("d{:04}", inner.next_id);
    let json = deploy_json(&fake, &id, &deploy);
    inner.deploys.insert(id, deploy);
    Json(json).into_response()
}

async fn upload(State(fake): State<Shared>, Path((id, path)): Path<(String, String)>, body: Bytes) -> Response {
    let mut inner = lock(&fake.inner);
    let sha = hex(&Sha1::digest(&body));
    let Some(deploy) = inner.deploys.get_mut(&id) else { return error(StatusCode::NOT_FOUND, "Not Found") };
    if deploy.files.get(&format!("/{path}")) != Some(&sha) {
        return error(StatusCode::UNPROCESSABLE_ENTITY, &format!("/{path} does not match its digest"));
    }
    deploy.missing.remove(&sha);
    inner.blobs.insert(sha.clone());
    Json(json!({ "id": sha, "path": format!("/{path}"), "sha": sha })).into_response()
}

async fn show(State(fake): State<Shared>, Path((site, id)): Path<(String, String)>) -> Response {
    if let Err(response) = fake.check_site(&site) {
        return response;
    }
    let fail = fake.common.builds_fail();
    let mut inner = lock(&fake.inner);
    let Some(deploy) = inner.deploys.get_mut(&id) else { return error(StatusCode::NOT_FOUND, "Not Found") };
    if deploy.missing.is_empty() && !matches!(deploy.state, "ready" | "error") {
        deploy.polls += 1;
        deploy.state = match (deploy.polls, fail) {
            (1, _) => "processing",
            (_, true) => "error",
            _ => "ready",
        };
    }
    let json = deploy_json(&fake, &id, deploy);
    if deploy.state == "ready" {
        inner.published = Some(id);
    }
    Json(json).into_response()
}

async fn restore(State(fake): State<Shared>, Path((site, id)): Path<(String, String)>) -> Response {
    if let Err(response) = fake.check_site(&site) {
        return response;
    }
    let mut inner = lock(&fake.inner);
    let Some(deploy) = inner.deploys.get(&id).filter(|deploy| deploy.state == "ready") else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "only a ready deploy can be restored");
    };
    let json = deploy_json(&fake, &id, deploy);
    inner.published = Some(id);
    Json(json).into_response()
}

async fn update_site(State(fake): State<Shared>, Path(site): Path<String>, Json(body): Json<Value>) -> Response {
    if let Err(response) = fake.check_site(&site) {
        return response;
    }
    let domain = body.get("custom_domain").and_then(Value::as_str).map(str::to_owned);
    lock(&fake.inner).domain.clone_from(&domain);
    Json(json!({ "id": site, "name": fake.site, "custom_domain": domain })).into_response()
}

async fn ssl(State(fake): State<Shared>, Path(site): Path<String>) -> Response {
    if let Err(response) = fake.check_site(&site) {
        return response;
    }
    Json(json!({ "state": "pending", "domains": lock(&fake.inner).domain.iter().collect::<Vec<_>>() })).into_response()
}

fn store_env(fake: &NetlifyFake, var: &Value) -> Result<(), Response> {
    let key = var.get("key").and_then(Value::as_str);
    let value = var.pointer("/values/0/value").and_then(Value::as_str);
    let (Some(key), Some(value)) = (key, value) else {
        return Err(error(StatusCode::UNPROCESSABLE_ENTITY, "key and values are required"));
    };
    lock(&fake.inner).env.insert(key.to_owned(), value.to_owned());
    Ok(())
}

async fn set_env(
    State(fake): State<Shared>,
    Path((_account, key)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    if !lock(&fake.inner).env.contains_key(&key) {
        return error(StatusCode::NOT_FOUND, "Environment variable not found");
    }
    match store_env(&fake, &body) {
        Ok(()) => Json(body).into_response(),
        Err(response) => response,
    }
}

async fn create_env(State(fake): State<Shared>, Json(body): Json<Vec<Value>>) -> Response {
    for var in &body {
        if let Err(response) = store_env(&fake, var) {
            return response;
        }
    }
    (StatusCode::CREATED, Json(body)).into_response()
}
