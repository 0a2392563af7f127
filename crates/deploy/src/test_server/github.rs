//! GitHub's REST API (under `/api/v3`, as GitHub Enterprise Server serves
//! it) for one account whose repositories are real bare repositories in a
//! folder, so `clone_url` is a `file://` URL a push really reaches: `GET
//! /user`, `POST /user/repos` (creates the bare repository), `GET
//! /repos/{owner}/{repo}`, and Pages: enable (`POST …/pages`, 409 when on,
//! 422 while the branch does not exist), update (`PUT …/pages`), read,
//! request a build of the branch's tip and follow the latest one through
//! `queued → building → built` (or `errored`). Errors use GitHub's
//! `{message, documentation_url, errors}` shape.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{lock, Common, Listener};

const BUILD: &[&str] = &["queued", "building", "built"];
const BUILD_FAILS: &[&str] = &["queued", "building", "errored"];

struct Pages {
    branch: String,
    path: String,
    cname: Option<String>,
}

struct Build {
    commit: String,
    steps: &'static [&'static str],
    step: usize,
}

pub struct GithubFake {
    pub common: Arc<Common>,
    pub base: String,
    login: String,
    repos: PathBuf,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// By `owner/repo`.
    pages: HashMap<String, Pages>,
    builds: HashMap<String, Vec<Build>>,
}

type Shared = Arc<GithubFake>;

impl GithubFake {
    /// The account `login`, whose repository `owner/name` is the bare
    /// repository `{repos}/{owner}/{name}.git`.
    pub async fn start(token: &str, login: &str, repos: &std::path::Path) -> std::io::Result<Arc<Self>> {
        let listener = Listener::bind("/api/v3").await?;
        let fake = Arc::new(Self {
            common: Common::new(token),
            base: listener.base.clone(),
            login: login.to_owned(),
            repos: repos.to_owned(),
            inner: Mutex::new(Inner::default()),
        });
        let router = Router::new()
            .route("/user", get(user))
            .route("/user/repos", post(create_repo))
            .route("/repos/{owner}/{repo}", get(show_repo))
            .route("/repos/{owner}/{repo}/pages", get(show_pages).post(enable_pages).put(update_pages))
            .route("/repos/{owner}/{repo}/pages/builds", post(request_build))
            .route("/repos/{owner}/{repo}/pages/builds/latest", get(latest_build))
            .with_state(fake.clone());
        listener.serve(router, fake.common.clone());
        Ok(fake)
    }

    /// Where the bare repository of `owner/name` lives.
    pub fn repo_path(&self, owner: &str, name: &str) -> PathBuf {
        self.repos.join(owner).join(format!("{name}.git"))
    }

    /// The branch Pages publishes and its custom domain, once Pages is on.
    pub fn pages(&self, full_name: &str) -> Option<(String, Option<String>)> {
        lock(&self.inner).pages.get(full_name).map(|pages| (pages.branch.clone(), pages.cname.clone()))
    }

    /// The commits Pages was asked to build, oldest first.
    pub fn builds(&self, full_name: &str) -> Vec<String> {
        lock(&self.inner)
            .builds
            .get(full_name)
            .map_or_else(Vec::new, |builds| builds.iter().map(|build| build.commit.clone()).collect())
    }

    /// The repository, if it exists.
    fn repository(&self, owner: &str, name: &str) -> Result<git2::Repository, Response> {
        git2::Repository::open_bare(self.repo_path(owner, name))
            .map_err(|_| github_error(StatusCode::NOT_FOUND, "Not Found"))
    }

    /// The tip of `branch`, if it exists.
    fn tip(&self, owner: &str, name: &str, branch: &str) -> Result<Option<String>, Response> {
        let repository = self.repository(owner, name)?;
        let tip =
            repository.find_reference(&format!("refs/heads/{branch}")).and_then(|reference| reference.peel_to_commit());
        Ok(tip.ok().map(|commit| commit.id().to_string()))
    }

    fn repo_json(&self, owner: &str, name: &str) -> Value {
        json!({
            "name": name,
            "full_name": format!("{owner}/{name}"),
            "owner": { "login": owner },
            "private": false,
            "html_url": format!("https://github.com/{owner}/{name}"),
            "clone_url": format!("file://{}", self.repo_path(owner, name).display()),
            "default_branch": "main",
        })
    }
}

/// GitHub's error body.
fn github_error(status: StatusCode, message: &str) -> Response {
    let body =
        json!({ "message": message, "documentation_url": "https://docs.github.com/rest", "status": status.as_str() });
    (status, Json(body)).into_response()
}

/// GitHub's 422: a message and what was wrong with which field.
fn validation_failed(message: &str, resource: &str, field: &str, code: &str) -> Response {
    let body = json!({
        "message": message,
        "errors": [{ "resource": resource, "field": field, "code": code }],
        "documentation_url": "https://docs.github.com/rest",
        "status": "422",
    });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

async fn user(State(fake): State<Shared>) -> Response {
    Json(json!({ "login": fake.login, "id": 1, "html_url": format!("https://github.com/{}", fake.login) }))
        .into_response()
}

async fn create_repo(State(fake): State<Shared>, Json(body): Json<Value>) -> Response {
    let Some(name) = body.get("name").and_then(Value::as_str).filter(|name| !name.trim().is_empty()) else {
        return validation_failed("Repository creation failed.", "Repository", "name", "missing_field");
    };
    let path = fake.repo_path(&fake.login, name);
    if path.exists() {
        return validation_failed(
            "Repository creation failed: name already exists on this account",
            "Repository",
            "name",
            "custom",
        );
    }
    if let Err(error) = git2::Repository::init_bare(&path) {
        return github_error(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string());
    }
    (StatusCode::CREATED, Json(fake.repo_json(&fake.login, name))).into_response()
}

async fn show_repo(State(fake): State<Shared>, Path((owner, name)): Path<(String, String)>) -> Response {
    match fake.repository(&owner, &name) {
        Ok(_) => Json(fake.repo_json(&owner, &name)).into_response(),
        Err(response) => response,
    }
}

fn pages_json(fake: &GithubFake, owner: &str, name: &str, pages: &Pages, status: Option<&str>) -> Value {
    let html_url = match &pages.cname {
        Some(cname) => format!("https://{cname}/"),
        None => format!("https://{}.github.io/{name}/", owner.to_lowercase()),
    };
    json!({
        "url": format!("{}/repos/{owner}/{name}/pages", fake.base),
        "status": status,
        "cname": pages.cname,
        "custom_404": false,
        "html_url": html_url,
        "build_type": "legacy",
        "source": { "branch": pages.branch, "path": pages.path },
        "public": true,
        "protected_domain_state": pages.cname.as_ref().map(|_| "pending"),
        "pending_domain_unverified_at": null,
        "https_certificate": pages.cname.as_ref().map(|cname| json!({
            "state": "new",
            "description": "Certificate is being requested",
            "domains": [cname],
        })),
        "https_enforced": false,
    })
}

fn show(fake: &GithubFake, owner: &str, name: &str, status: StatusCode) -> Response {
    let full_name = format!("{owner}/{name}");
    let inner = lock(&fake.inner);
    let Some(pages) = inner.pages.get(&full_name) else { return github_error(StatusCode::NOT_FOUND, "Not Found") };
    let latest = inner.builds.get(&full_name).and_then(|builds| builds.last());
    let json = pages_json(fake, owner, name, pages, latest.map(|build| build.steps[build.step]));
    (status, Json(json)).into_response()
}

async fn show_pages(State(fake): State<Shared>, Path((owner, name)): Path<(String, String)>) -> Response {
    show(&fake, &owner, &name, StatusCode::OK)
}

/// The `source` of a Pages request, checked as GitHub does.
fn source(body: &Value) -> Result<Option<(String, String)>, Response> {
    let Some(source) = body.get("source") else { return Ok(None) };
    let branch = source.get("branch").and_then(Value::as_str).filter(|branch| !branch.is_empty());
    let path = source.get("path").and_then(Value::as_str).unwrap_or("/");
    match branch {
        Some(branch) if matches!(path, "/" | "/docs") => Ok(Some((branch.to_owned(), path.to_owned()))),
        _ => Err(validation_failed("Invalid request.", "Page", "source", "invalid")),
    }
}

async fn enable_pages(
    State(fake): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let (branch, path) = match source(&body) {
        Ok(Some(source)) => source,
        Ok(None) => return validation_failed("Invalid request.", "Page", "source", "missing_field"),
        Err(response) => return response,
    };
    let tip = match fake.tip(&owner, &name, &branch) {
        Ok(Some(tip)) => tip,
        Ok(None) => {
            let message = format!("The {branch} branch must exist before GitHub Pages can be built.");
            return validation_failed(&message, "Page", "source", "invalid");
        }
        Err(response) => return response,
    };
    let full_name = format!("{owner}/{name}");
    {
        let mut inner = lock(&fake.inner);
        if inner.pages.contains_key(&full_name) {
            return github_error(StatusCode::CONFLICT, "GitHub Pages is already enabled.");
        }
        inner.pages.insert(full_name.clone(), Pages { branch, path, cname: None });
        // Enabling Pages builds the branch.
        queue_build(&fake, &mut inner, &full_name, tip);
    }
    show(&fake, &owner, &name, StatusCode::CREATED)
}

async fn update_pages(
    State(fake): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    Json(body): Json<Value>,
) -> Response {
    let source = match source(&body) {
        Ok(source) => source,
        Err(response) => return response,
    };
    let cname = body.get("cname").map(|cname| cname.as_str().map(str::to_owned));
    if source.is_none() && cname.is_none() {
        return validation_failed("Invalid request.", "Page", "cname", "missing_field");
    }
    let mut inner = lock(&fake.inner);
    let Some(pages) = inner.pages.get_mut(&format!("{owner}/{name}")) else {
        return github_error(StatusCode::NOT_FOUND, "Not Found");
    };
    if let Some((branch, path)) = source {
        (pages.branch, pages.path) = (branch, path);
    }
    if let Some(cname) = cname {
        pages.cname = cname;
    }
    StatusCode::NO_CONTENT.into_response()
}

fn queue_build(fake: &GithubFake, inner: &mut Inner, full_name: &str, commit: String) {
    let steps = if fake.common.builds_fail() { BUILD_FAILS } else { BUILD };
    inner.builds.entry(full_name.to_owned()).or_default().push(Build { commit, steps, step: 0 });
}

async fn request_build(State(fake): State<Shared>, Path((owner, name)): Path<(String, String)>) -> Response {
    let full_name = format!("{owner}/{name}");
    let Some(branch) = lock(&fake.inner).pages.get(&full_name).map(|pages| pages.branch.clone()) else {
        return github_error(StatusCode::NOT_FOUND, "Not Found");
    };
    let tip = match fake.tip(&owner, &name, &branch) {
        Ok(Some(tip)) => tip,
        Ok(None) => return github_error(StatusCode::NOT_FOUND, "Not Found"),
        Err(response) => return response,
    };
    queue_build(&fake, &mut lock(&fake.inner), &full_name, tip);
    let url = format!("{}/repos/{full_name}/pages/builds/latest", fake.base);
    (StatusCode::CREATED, Json(json!({ "url": url, "status": "queued" }))).into_response()
}

/// Each look at the latest build moves it one step on.
async fn latest_build(State(fake): State<Shared>, Path((owner, name)): Path<(String, String)>) -> Response {
    let mut inner = lock(&fake.inner);
    let Some(build) = inner.builds.get_mut(&format!("{owner}/{name}")).and_then(|builds| builds.last_mut()) else {
        return github_error(StatusCode::NOT_FOUND, "Not Found");
    };
    if build.step + 1 < build.steps.len() {
        build.step += 1;
    }
    let status = build.steps[build.step];
    let error =
        (status == "errored").then_some("Page build failed: the branch holds a file GitHub Pages cannot serve.");
    Json(json!({
        "url": format!("{}/repos/{owner}/{name}/pages/builds/latest", fake.base),
        "status": status,
        "error": { "message": error },
        "pusher": { "login": fake.login },
        "commit": build.commit,
        "duration": 1200,
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:01Z",
    }))
    .into_response()
}
