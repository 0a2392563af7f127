//! The marketplace's REST API (docs/market-api.md) over HTTP, with the
//! server's `{code, message}` errors turned into codes the UI acts on.

use std::time::Duration;

use flashfusion_core::{Code, Error, Result};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::types::{
    Category, Creator, Review, SearchPage, SearchQuery, Template, TemplateFields, TemplateSummary, Version,
};

pub struct Client {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

/// A signed-in session: the bearer token (kept in the keyring) and the name.
#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub token: String,
    pub name: String,
}

/// A downloaded bundle and the hash the server vouched for.
#[derive(Debug)]
pub struct Bundle {
    pub bytes: Vec<u8>,
    pub sha256: String,
}

#[derive(Serialize)]
struct ReviewBody<'a> {
    stars: u8,
    body: &'a str,
}

impl Client {
    pub fn new(base: &str, token: Option<String>) -> Result<Self> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("FlashFusion/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| Error::internal(format!("could not start an HTTP client: {error}")))?;
        Ok(Self { http, base: base.trim().trim_end_matches('/').to_owned(), token })
    }

    pub fn signed_in(&self) -> bool {
        self.token.is_some()
    }

    pub async fn register(&self, email: &str, name: &str, password: &str) -> Result<Session> {
        let body = json!({ "email": email, "name": name, "password": password });
        self.json(self.request(Method::POST, "/api/accounts").json(&body)).await
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Result<Session> {
        let body = json!({ "email": email, "password": password });
        self.json(self.request(Method::POST, "/api/sessions").json(&body)).await
    }

    pub async fn categories(&self) -> Result<Vec<Category>> {
        self.json(self.request(Method::GET, "/api/market/categories")).await
    }

    pub async fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        let mut pairs: Vec<(&str, String)> = vec![("q", query.q.clone()), ("perPage", "24".to_owned())];
        let optional = [
            ("category", &query.category),
            ("price", &query.price),
            ("licence", &query.licence),
            ("sort", &query.sort),
        ];
        pairs.extend(optional.into_iter().filter_map(|(key, value)| value.clone().map(|value| (key, value))));
        pairs.extend(query.tags.iter().map(|tag| ("tag", tag.clone())));
        pairs.push(("page", query.page.unwrap_or(1).to_string()));
        self.json(self.request(Method::GET, "/api/market/templates").query(&pairs)).await
    }

    pub async fn template(&self, id: i64) -> Result<Template> {
        self.json(self.request(Method::GET, &format!("/api/market/templates/{id}"))).await
    }

    pub async fn reviews(&self, id: i64) -> Result<Vec<Review>> {
        self.json(self.request(Method::GET, &format!("/api/market/templates/{id}/reviews?sort=helpful"))).await
    }

    pub async fn review(&self, id: i64, stars: u8, body: &str) -> Result<crate::types::Review> {
        let request =
            self.request(Method::PUT, &format!("/api/market/templates/{id}/review")).json(&ReviewBody { stars, body });
        self.json(request).await
    }

    pub async fn helpful(&self, review: i64) -> Result<()> {
        self.send(self.request(Method::POST, &format!("/api/market/reviews/{review}/helpful"))).await.map(drop)
    }

    pub async fn follow(&self, creator: i64, follow: bool) -> Result<Creator> {
        let method = if follow { Method::POST } else { Method::DELETE };
        self.json(self.request(method, &format!("/api/market/creators/{creator}/follow"))).await
    }

    pub async fn my_templates(&self) -> Result<Vec<TemplateSummary>> {
        self.json(self.request(Method::GET, "/api/market/me/templates")).await
    }

    pub async fn create_template(&self, fields: &TemplateFields) -> Result<Template> {
        self.json(self.request(Method::POST, "/api/market/templates").json(fields)).await
    }

    pub async fn update_template(&self, id: i64, fields: &TemplateFields) -> Result<Template> {
        self.json(self.request(Method::PATCH, &format!("/api/market/templates/{id}")).json(fields)).await
    }

    pub async fn upload_version(&self, id: i64, version: &str, notes: &str, bundle: &Bundle) -> Result<Version> {
        let request = self
            .request(Method::POST, &format!("/api/market/templates/{id}/versions"))
            .query(&[("version", version), ("notes", notes)])
            .header("content-type", "application/gzip")
            .header("x-bundle-sha256", &bundle.sha256)
            .body(bundle.bytes.clone());
        self.json(request).await
    }

    pub async fn download(&self, id: i64, version: &str) -> Result<Bundle> {
        let response = self
            .send(self.request(Method::GET, &format!("/api/market/templates/{id}/versions/{version}/bundle")))
            .await?;
        let sha256 = response
            .headers()
            .get("x-bundle-sha256")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let bytes = response.bytes().await.map_err(|error| transport_error(&self.base, &error))?.to_vec();
        Ok(Bundle { bytes, sha256 })
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self.http.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    async fn json<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = self.send(request).await?;
        response.json().await.map_err(|error| {
            Error::new(Code::ProviderError, format!("The marketplace answered with something unexpected: {error}"))
        })
    }

    async fn send(&self, request: RequestBuilder) -> Result<Response> {
        let response = request.send().await.map_err(|error| transport_error(&self.base, &error))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        let message = body.get("message").and_then(|message| message.as_str()).unwrap_or("no details").to_owned();
        Err(status_error(status, &message))
    }
}

fn status_error(status: StatusCode, message: &str) -> Error {
    let code = match status {
        StatusCode::UNAUTHORIZED => {
            return Error::new(Code::AuthFailed, format!("Sign in to the marketplace again ({message})."))
        }
        StatusCode::FORBIDDEN => Code::AuthFailed,
        StatusCode::PAYMENT_REQUIRED => Code::PaymentRequired,
        StatusCode::NOT_FOUND => Code::NotFound,
        StatusCode::CONFLICT => Code::Conflict,
        StatusCode::PAYLOAD_TOO_LARGE => Code::TooLarge,
        StatusCode::TOO_MANY_REQUESTS => Code::RateLimited,
        status if status.is_client_error() => Code::InvalidInput,
        _ => Code::ProviderError,
    };
    let first = message.chars().next().map(|first| first.to_uppercase().collect::<String>()).unwrap_or_default();
    Error::new(code, format!("{first}{}", message.chars().skip(1).collect::<String>()))
}

fn transport_error(base: &str, error: &reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::new(Code::Timeout, format!("The marketplace at {base} did not answer in time."))
    } else {
        Error::new(
            Code::Offline,
            format!("The marketplace at {base} cannot be reached: you are offline or it is down."),
        )
    }
}
