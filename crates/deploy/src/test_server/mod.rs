//! Local stand-ins for the hosting platforms, following each one's documented
//! endpoints, payloads and states, for tests and the benchmark. Every fake
//! checks the bearer token, records each request (`"PUT /deploys/…"`), and can
//! be told to fail the next requests (401, 422, 429 with `Retry-After`, 5xx)
//! or to end builds in error.

// Routes and their helpers answer errors as ready `Response`s, axum's way;
// boxing a fake's error path buys nothing.
#![allow(clippy::result_large_err)]

mod cloudflare;
mod git_http;
mod github;
mod netlify;
mod railway;
mod render;
mod vercel;

use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use serde_json::json;

pub use cloudflare::CloudflareFake;
pub use git_http::serve_git_http;
pub use github::GithubFake;
pub use netlify::NetlifyFake;
pub use railway::RailwayFake;
pub use render::RenderFake;
pub use vercel::VercelFake;

/// What every fake shares: the expected token, the request log, injected
/// failures and the "builds fail" switch.
pub struct Common {
    token: String,
    /// Tokens the fake handed out itself (Cloudflare's upload JWTs): the
    /// guard lets them through and the routes that take them check them.
    issued: Mutex<HashSet<String>>,
    requests: Mutex<Vec<String>>,
    injected: Mutex<VecDeque<(StatusCode, Option<u64>)>>,
    fail_builds: AtomicBool,
}

impl Common {
    pub fn new(token: &str) -> Arc<Self> {
        Arc::new(Self {
            token: token.to_owned(),
            issued: Mutex::new(HashSet::new()),
            requests: Mutex::new(Vec::new()),
            injected: Mutex::new(VecDeque::new()),
            fail_builds: AtomicBool::new(false),
        })
    }

    /// Every request so far, as `"METHOD /path"` (without the API prefix).
    pub fn requests(&self) -> Vec<String> {
        lock(&self.requests).clone()
    }

    /// How many requests started with `prefix` (e.g. `"PUT /deploys/"`).
    pub fn count(&self, prefix: &str) -> usize {
        lock(&self.requests).iter().filter(|request| request.starts_with(prefix)).count()
    }

    pub fn clear_requests(&self) {
        lock(&self.requests).clear();
    }

    /// The next request is answered with `status` (and `Retry-After`).
    pub fn fail_next(&self, status: u16, retry_after: Option<u64>) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        lock(&self.injected).push_back((status, retry_after));
    }

    /// Lets requests bearing `token` past the guard too.
    pub fn accept_token(&self, token: &str) {
        lock(&self.issued).insert(token.to_owned());
    }

    pub fn set_builds_fail(&self, fail: bool) {
        self.fail_builds.store(fail, Ordering::SeqCst);
    }

    pub fn builds_fail(&self) -> bool {
        self.fail_builds.load(Ordering::SeqCst)
    }
}

pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A JSON error in the `{"message": …}` shape most platforms use.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "message": message }))).into_response()
}

async fn guard(State(common): State<Arc<Common>>, request: Request, next: Next) -> Response {
    let path = request.uri().path_and_query().map_or_else(String::new, |path| path.as_str().to_owned());
    lock(&common.requests).push(format!("{} {path}", request.method()));
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    let authorized = bearer.is_some_and(|token| token == common.token || lock(&common.issued).contains(token));
    // Upload URLs handed out by a platform carry their own authority.
    if !authorized && !path.starts_with("/upload/") {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized: bad or missing token");
    }
    let injected = lock(&common.injected).pop_front();
    if let Some((status, retry_after)) = injected {
        let mut response = error(status, "injected failure");
        if let Some(seconds) = retry_after.and_then(|seconds| HeaderValue::from_str(&seconds.to_string()).ok()) {
            response.headers_mut().insert("retry-after", seconds);
        }
        return response;
    }
    next.run(request).await
}

/// A loopback port bound before the fake is built, so the fake knows its URL.
pub struct Listener {
    listener: tokio::net::TcpListener,
    prefix: &'static str,
    pub base: String,
}

impl Listener {
    /// Binds a loopback port; the API lives under `prefix` (e.g. `/api/v1`).
    pub async fn bind(prefix: &'static str) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}{prefix}", listener.local_addr()?);
        Ok(Self { listener, prefix, base })
    }

    /// Serves `router` (routes relative to the prefix) behind the token check
    /// and the request log, until the runtime stops.
    pub fn serve(self, router: Router, common: Arc<Common>) {
        let app = Router::new().nest(self.prefix, router).layer(axum::middleware::from_fn_with_state(common, guard));
        tokio::spawn(async move {
            if let Err(error) = axum::serve(self.listener, app).await {
                tracing::error!(%error, "a fake platform stopped");
            }
        });
    }
}
