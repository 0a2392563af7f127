//! Git's smart HTTP protocol served by the real `git http-backend` (CGI)
//! behind basic authentication, for push tests and the benchmark.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::io::AsyncWriteExt;

struct Backend {
    root: PathBuf,
    user: String,
    password: String,
}

/// Serves the repositories under `root` at `http://127.0.0.1:PORT/<name>`;
/// only `user`/`password` may fetch or push. Returns the base URL.
pub async fn serve_git_http(root: &Path, user: &str, password: &str) -> std::io::Result<String> {
    let backend = Arc::new(Backend { root: root.to_path_buf(), user: user.to_owned(), password: password.to_owned() });
    let app = Router::new().fallback(handle).with_state(backend);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the git HTTP server stopped");
        }
    });
    Ok(base)
}

fn authorized(headers: &HeaderMap, backend: &Backend) -> bool {
    use base64::Engine;
    let expected = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", backend.user, backend.password));
    headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value == format!("Basic {expected}"))
}

async fn handle(State(backend): State<Arc<Backend>>, request: Request) -> Response {
    if !authorized(request.headers(), &backend) {
        let mut response = (StatusCode::UNAUTHORIZED, "authentication required").into_response();
        response.headers_mut().insert("www-authenticate", HeaderValue::from_static("Basic realm=\"git\""));
        return response;
    }
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 512 * 1024 * 1024).await else {
        return (StatusCode::BAD_REQUEST, "unreadable body").into_response();
    };
    match run_cgi(&backend, &parts, body).await {
        Ok(response) => response,
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response(),
    }
}

/// Runs `git http-backend` with the CGI environment for this request.
async fn run_cgi(backend: &Backend, parts: &axum::http::request::Parts, body: Bytes) -> std::io::Result<Response> {
    let header =
        |name: &str| parts.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default().to_owned();
    let mut child = tokio::process::Command::new("git")
        .arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("GIT_PROJECT_ROOT", &backend.root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REMOTE_USER", &backend.user)
        .env("REMOTE_ADDR", "127.0.0.1")
        .env("REQUEST_METHOD", parts.method.as_str())
        .env("PATH_INFO", parts.uri.path())
        .env("QUERY_STRING", parts.uri.query().unwrap_or_default())
        .env("CONTENT_TYPE", header("content-type"))
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("GIT_PROTOCOL", header("git-protocol"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(&body).await?;
    }
    let output = child.wait_with_output().await?;
    Ok(cgi_response(&output.stdout))
}

/// Splits CGI output into headers (with `Status:`) and the body.
fn cgi_response(output: &[u8]) -> Response {
    let split = output.windows(4).position(|window| window == b"\r\n\r\n").map(|at| (at, 4));
    let split = split.or_else(|| output.windows(2).position(|window| window == b"\n\n").map(|at| (at, 2)));
    let Some((at, gap)) = split else { return (StatusCode::BAD_GATEWAY, "bad CGI output").into_response() };
    let mut response = Response::new(Body::from(output[at + gap..].to_vec()));
    for line in String::from_utf8_lossy(&output[..at]).lines() {
        let Some((name, value)) = line.split_once(':') else { continue };
        let value = value.trim();
        if name.eq_ignore_ascii_case("status") {
            let code = value.split(' ').next().and_then(|code| code.parse().ok());
            *response.status_mut() = code.and_then(|code| StatusCode::from_u16(code).ok()).unwrap_or(StatusCode::OK);
        } else if let (Ok(name), Ok(value)) =
            (axum::http::HeaderName::from_bytes(name.trim().as_bytes()), HeaderValue::from_str(value))
        {
            response.headers_mut().insert(name, value);
        }
    }
    response
}
