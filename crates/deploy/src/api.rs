//! The HTTP side every platform adapter shares: bearer-token requests, JSON,
//! errors a user can act on (401/403 → `auth_failed`, 422 → the platform's
//! own message, 429 → wait for `Retry-After` and retry, 5xx retried, nothing
//! listening → `offline`), and polling until a deployment settles.

use std::future::Future;
use std::time::{Duration, Instant};

use flashfusion_core::{Code, Error, Result};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::git::redact_url;
use crate::targets::{Platform, Timing};

/// Attempts per request when the platform asks to wait (429) or fails (5xx).
const ATTEMPTS: u32 = 4;

/// An error status the platform answered with: its body, and the error
/// [`Api::send`] would have returned for it.
#[derive(Debug)]
pub struct Refusal {
    pub status: StatusCode,
    pub body: String,
    pub error: Error,
}

pub struct Api {
    client: reqwest::Client,
    platform: Platform,
    base: String,
    token: Option<String>,
    pub timing: Timing,
}

impl Api {
    pub fn new(platform: Platform, base: &str, token: Option<String>, timing: Timing) -> Result<Self> {
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(300))
            .user_agent(concat!("FlashFusion/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| Error::internal(format!("could not start an HTTP client: {error}")))?;
        Ok(Self { client, platform, base: base.trim_end_matches('/').to_owned(), token, timing })
    }

    pub fn platform(&self) -> Platform {
        self.platform
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// A request to `path` under the API base, with the bearer token.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// A request to an absolute URL the platform handed out (an upload URL).
    pub fn request_url(&self, method: Method, url: &str) -> RequestBuilder {
        self.client.request(method, url)
    }

    /// Sends and decodes a JSON answer.
    pub async fn json<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = self.send(request).await?;
        self.decode(response).await
    }

    /// Decodes a successful answer's JSON body.
    pub async fn decode<T: DeserializeOwned>(&self, response: Response) -> Result<T> {
        let url = redact_url(response.url().as_str());
        response.json().await.map_err(|error| {
            Error::new(
                Code::ProviderError,
                format!("{} answered {url} with something unexpected: {error}", self.label()),
            )
        })
    }

    /// Sends, retrying on 429 (after `Retry-After`) and on 5xx, and turns
    /// every other failure into an error with the platform's own message.
    pub async fn send(&self, request: RequestBuilder) -> Result<Response> {
        self.send_keeping_refusals(request).await?.map_err(|refusal| refusal.error)
    }

    /// Like [`Api::send`], but a refusal (an error status after the retries)
    /// comes back with its body, for the platforms whose normal flow goes
    /// through one: Vercel answers a deployment that lacks files with 400
    /// `missing_files` and the list of what to upload.
    pub async fn send_keeping_refusals(&self, request: RequestBuilder) -> Result<Result<Response, Refusal>> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let this_try =
                request.try_clone().ok_or_else(|| Error::internal("a streamed request cannot be retried"))?;
            let response = this_try.send().await.map_err(|error| self.transport_error(&error))?;
            let status = response.status();
            if status.is_success() {
                return Ok(Ok(response));
            }
            let wait = retry_wait(&response, attempt);
            let url = redact_url(response.url().as_str());
            let body = response.text().await.unwrap_or_default();
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            match wait {
                Some(wait) if retryable && attempt < ATTEMPTS && wait <= self.timing.max_retry_wait => {
                    tracing::warn!(platform = self.label(), %status, ?wait, "retrying a platform request");
                    tokio::time::sleep(wait).await;
                }
                _ => {
                    let error = self.status_error(status, &url, &body, wait);
                    return Ok(Err(Refusal { status, body, error }));
                }
            }
        }
    }

    /// Calls `check` every `poll_every` until it yields a value, failing with
    /// `timeout` after `give_up_after`.
    pub async fn poll<T, F, Fut>(&self, what: &str, mut check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let started = Instant::now();
        loop {
            if let Some(value) = check().await? {
                return Ok(value);
            }
            if started.elapsed() >= self.timing.give_up_after {
                return Err(Error::new(
                    Code::Timeout,
                    format!(
                        "{} did not finish {what} in {} minutes.",
                        self.label(),
                        self.timing.give_up_after.as_secs() / 60
                    ),
                ));
            }
            tokio::time::sleep(self.timing.poll_every).await;
        }
    }

    fn label(&self) -> &'static str {
        self.platform.label()
    }

    fn transport_error(&self, error: &reqwest::Error) -> Error {
        let url = error.url().map(|url| redact_url(url.as_str())).unwrap_or_else(|| self.base.clone());
        if error.is_timeout() {
            Error::new(Code::Timeout, format!("{} did not answer in time ({url}).", self.label()))
        } else if error.is_connect() {
            Error::new(Code::Offline, format!("Could not reach {} at {url}. Check your connection.", self.label()))
        } else {
            Error::new(Code::ProviderError, format!("The request to {} failed ({url}): {error}", self.label()))
        }
    }

    fn status_error(&self, status: StatusCode, url: &str, body: &str, wait: Option<Duration>) -> Error {
        let label = self.label();
        let detail = platform_message(body).map(|message| format!(": {message}")).unwrap_or_default();
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Error::new(
                Code::AuthFailed,
                format!("{label} refused the token ({status}){detail}. Check it in Deploy settings."),
            ),
            StatusCode::NOT_FOUND => Error::new(
                Code::NotFound,
                format!("{label} has nothing at {url}{detail}. Check the site's name or id."),
            ),
            StatusCode::TOO_MANY_REQUESTS => {
                let after = wait.map(|wait| format!(" Try again in {} s.", wait.as_secs().max(1))).unwrap_or_default();
                Error::new(Code::RateLimited, format!("{label} is limiting requests{detail}.{after}"))
            }
            status if status.is_client_error() => {
                Error::new(Code::InvalidInput, format!("{label} refused the request ({status}){detail}"))
            }
            _ => Error::new(Code::ProviderError, format!("{label} failed ({status}){detail}")),
        }
    }
}

/// How long to wait before retrying: the `Retry-After` seconds for a 429,
/// a short growing pause for a 5xx.
fn retry_wait(response: &Response, attempt: u32) -> Option<Duration> {
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        let seconds = response.headers().get("retry-after")?.to_str().ok()?.trim().parse::<u64>().ok()?;
        return Some(Duration::from_secs(seconds));
    }
    Some(Duration::from_millis(250 * u64::from(attempt)))
}

/// The human part of a platform's error body, whichever shape it uses.
fn platform_message(body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    let candidates = [
        value.pointer("/message"),
        value.pointer("/error/message"),
        value.pointer("/errors/0/message"),
        value.pointer("/error"),
        value.pointer("/errors/0"),
    ];
    let message = candidates.into_iter().flatten().find_map(|candidate| candidate.as_str())?;
    Some(message.chars().take(300).collect())
}

#[cfg(test)]
mod tests {
    use super::platform_message;

    #[test]
    fn finds_the_message_in_each_platform_shape() {
        assert_eq!(platform_message(r#"{"message":"bad"}"#).as_deref(), Some("bad"));
        assert_eq!(platform_message(r#"{"error":{"code":"x","message":"nope"}}"#).as_deref(), Some("nope"));
        assert_eq!(
            platform_message(r#"{"success":false,"errors":[{"code":8000000,"message":"cf"}]}"#).as_deref(),
            Some("cf")
        );
        assert_eq!(platform_message(r#"{"errors":[{"message":"gql"}],"data":null}"#).as_deref(), Some("gql"));
        assert_eq!(platform_message("<html>"), None);
    }
}
