//! The GitHub account side the app needs around GitHub Pages: who the token
//! belongs to, creating a repository for a project, and reading one (its
//! clone URL and default branch). The Pages adapter talks through the same
//! client, so every GitHub request carries the documented media type and API
//! version.

use flashfusion_core::{Code, Error, Result};
use reqwest::{Method, RequestBuilder};
use serde::Deserialize;
use serde_json::json;

use crate::api::Api;
use crate::targets::{Platform, Timing};

/// The REST API version these requests are written against.
const API_VERSION: &str = "2022-11-28";

pub struct GitHub {
    api: Api,
}

/// The account a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub login: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repo {
    /// `owner/name`.
    pub full_name: String,
    pub clone_url: String,
    pub html_url: String,
    /// Absent in some answers (a just-created empty repository on older servers).
    #[serde(default)]
    pub default_branch: Option<String>,
}

impl GitHub {
    /// A client for `api_base` (empty: api.github.com) with a personal access
    /// token.
    pub fn new(api_base: &str, token: String, timing: Timing) -> Result<Self> {
        let base = if api_base.trim().is_empty() { Platform::GithubPages.default_api() } else { api_base.trim() };
        Ok(Self::with_api(Api::new(Platform::GithubPages, base, Some(token), timing)?))
    }

    pub(crate) fn with_api(api: Api) -> Self {
        Self { api }
    }

    pub(crate) fn api(&self) -> &Api {
        &self.api
    }

    /// A request under the API base with GitHub's headers and the token.
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.api
            .request(method, path)
            .header("accept", "application/vnd.github+json")
            .header("x-github-api-version", API_VERSION)
    }

    /// The account the token belongs to.
    pub async fn user(&self) -> Result<User> {
        self.api.json(self.request(Method::GET, "/user")).await
    }

    /// Creates a repository on the token's account.
    pub async fn create_repo(&self, name: &str, private: bool) -> Result<Repo> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::new(Code::InvalidInput, "A repository needs a name."));
        }
        let request = self.request(Method::POST, "/user/repos").json(&json!({ "name": name, "private": private }));
        self.api.json(request).await
    }

    /// Reads `owner/repo`.
    pub async fn repo(&self, full_name: &str) -> Result<Repo> {
        let (owner, name) = split_full_name(full_name)?;
        self.api.json(self.request(Method::GET, &format!("/repos/{owner}/{name}"))).await
    }
}

/// `owner/repo` split in two, or a message saying what is expected.
pub fn split_full_name(full_name: &str) -> Result<(&str, &str)> {
    full_name
        .trim()
        .split_once('/')
        .filter(|(owner, name)| !owner.is_empty() && !name.is_empty() && !name.contains('/'))
        .ok_or_else(|| {
            Error::new(Code::InvalidInput, format!("\"{full_name}\" is not a GitHub repository: use owner/repo."))
        })
}
