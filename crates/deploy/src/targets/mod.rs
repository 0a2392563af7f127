//! One trait, one adapter per hosting platform. Each adapter follows its
//! platform's documented API; every base URL is configurable so tests and
//! benchmarks point them at local servers.

mod cloudflare;
mod git_remote;
mod github_pages;
mod netlify;
mod railway;
mod render;
mod vercel;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use flashfusion_core::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::log::BuildLog;
use crate::site::Site;

pub use git_remote::credentials_for;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    GitRemote,
    GithubPages,
    Netlify,
    Vercel,
    CloudflarePages,
    Render,
    Railway,
}

impl Platform {
    pub const ALL: [Platform; 7] = [
        Self::GitRemote,
        Self::GithubPages,
        Self::Netlify,
        Self::Vercel,
        Self::CloudflarePages,
        Self::Render,
        Self::Railway,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::GitRemote => "Git remote",
            Self::GithubPages => "GitHub Pages",
            Self::Netlify => "Netlify",
            Self::Vercel => "Vercel",
            Self::CloudflarePages => "Cloudflare Pages",
            Self::Render => "Render",
            Self::Railway => "Railway",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Self::GitRemote => "git_remote",
            Self::GithubPages => "github_pages",
            Self::Netlify => "netlify",
            Self::Vercel => "vercel",
            Self::CloudflarePages => "cloudflare_pages",
            Self::Render => "render",
            Self::Railway => "railway",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|platform| platform.slug() == slug)
    }

    /// Whether the platform builds the project itself from its repository
    /// (so nothing is built or uploaded locally).
    pub fn builds_remotely(self) -> bool {
        matches!(self, Self::GitRemote | Self::Render | Self::Railway)
    }

    /// Whether the platform builds from a repository connected to it on its
    /// side (so a commit must be pushed there before it can be built).
    pub fn builds_from_connected_repo(self) -> bool {
        matches!(self, Self::Render | Self::Railway)
    }

    /// Whether a deployment goes out as a git commit (so the project needs a
    /// repository).
    pub fn deploys_from_git(self) -> bool {
        matches!(self, Self::GitRemote | Self::GithubPages | Self::Render | Self::Railway)
    }

    /// The public API every adapter talks to unless the target overrides it.
    pub fn default_api(self) -> &'static str {
        match self {
            Self::GitRemote => "",
            Self::GithubPages => "https://api.github.com",
            Self::Netlify => "https://api.netlify.com/api/v1",
            Self::Vercel => "https://api.vercel.com",
            Self::CloudflarePages => "https://api.cloudflare.com/client/v4",
            Self::Render => "https://api.render.com/v1",
            Self::Railway => "https://backboard.railway.com/graphql/v2",
        }
    }
}

/// Where a project deploys to, as the user configured it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetConfig {
    pub platform: Platform,
    /// The platform's name for the site: Netlify site id, Vercel or
    /// Cloudflare project name, Render service id, Railway service id,
    /// GitHub `owner/repo`, or the URL of a git remote.
    pub site: String,
    /// Cloudflare account id, Railway environment id; empty otherwise.
    #[serde(default)]
    pub account: String,
    /// The branch to push (git remote, GitHub Pages); a default when empty.
    #[serde(default)]
    pub branch: String,
    /// Overrides the platform's API base URL (self-hosted, tests).
    #[serde(default)]
    pub api_base: String,
}

impl TargetConfig {
    pub fn api_base(&self) -> String {
        let base = if self.api_base.trim().is_empty() { self.platform.default_api() } else { self.api_base.trim() };
        base.trim_end_matches('/').to_owned()
    }
}

/// An environment variable pushed to the platform on deploy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct EnvVar {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

/// What a deployment works from.
pub struct Job<'a> {
    /// The built site (the output folder), hashed.
    pub site: &'a Site,
    /// The project folder, holding its git repository.
    pub project_root: PathBuf,
    /// The commit being deployed, when the project has a repository.
    pub commit: Option<String>,
    pub log: &'a BuildLog,
}

/// A deployment the platform accepted and finished.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deployed {
    /// The platform's id for it (deploy id, commit id, …): what rollback uses.
    pub platform_id: String,
    pub url: Option<String>,
    pub uploaded_files: u32,
    pub uploaded_bytes: u64,
}

/// A DNS record the user must create for a custom domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DnsRecord {
    /// A, AAAA, CNAME, TXT.
    pub kind: String,
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DomainStatus {
    pub domain: String,
    pub records: Vec<DnsRecord>,
    pub verified: bool,
}

#[async_trait]
pub trait Target: Send + Sync {
    /// Uploads what changed, starts the deployment and follows it (its log
    /// and state) until it is live or fails (`build_failed`).
    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed>;

    /// Makes an earlier deployment (by its platform id) the live one again.
    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed>;

    /// Sets the site's environment variables on the platform.
    async fn set_env(&self, vars: &[EnvVar]) -> Result<()> {
        let _ = vars;
        Err(self.unsupported("environment variables"))
    }

    /// Adds a custom domain and says which DNS records it needs.
    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        let _ = domain;
        Err(self.unsupported("custom domains"))
    }

    fn platform(&self) -> Platform;

    fn unsupported(&self, what: &str) -> Error {
        Error::new(Code::InvalidInput, format!("{} has no {what}.", self.platform().label()))
    }
}

/// Builds the adapter for a target. `token` is the platform's API token from
/// the keyring (for a git remote: the HTTPS token, if any).
pub fn adapter(config: &TargetConfig, token: Option<String>, timing: Timing) -> Result<Arc<dyn Target>> {
    let api = || crate::api::Api::new(config.platform, &config.api_base(), token.clone(), timing);
    Ok(match config.platform {
        Platform::GitRemote => Arc::new(git_remote::GitRemote::new(config, token.clone())?),
        Platform::GithubPages => Arc::new(github_pages::GithubPages::new(config, api()?, token.clone())?),
        Platform::Netlify => Arc::new(netlify::Netlify::new(config, api()?)?),
        Platform::Vercel => Arc::new(vercel::Vercel::new(config, api()?)?),
        Platform::CloudflarePages => Arc::new(cloudflare::CloudflarePages::new(config, api()?)?),
        Platform::Render => Arc::new(render::Render::new(config, api()?)?),
        Platform::Railway => Arc::new(railway::Railway::new(config, api()?)?),
    })
}

/// How often to poll a platform and how long to wait for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    pub poll_every: Duration,
    pub give_up_after: Duration,
    /// The longest `Retry-After` worth waiting for before reporting the limit.
    pub max_retry_wait: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            poll_every: Duration::from_secs(2),
            give_up_after: Duration::from_secs(30 * 60),
            max_retry_wait: Duration::from_secs(60),
        }
    }
}

/// Fails with a clear message when a required setting is empty.
fn required<'a>(value: &'a str, platform: Platform, what: &str) -> Result<&'a str> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::new(Code::InvalidInput, format!("{} needs {what}.", platform.label())));
    }
    Ok(value)
}

/// Percent-encodes each segment of a site path for use in a URL path.
fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            segment.bytes().fold(String::new(), |mut out, byte| {
                if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
                    out.push(char::from(byte));
                } else {
                    out.push_str(&format!("%{byte:02X}"));
                }
                out
            })
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Logs a platform's deployment state when it differs from the last one seen.
fn log_state_change(log: &crate::log::BuildLog, label: &str, last: &std::sync::Mutex<String>, state: &str) {
    let mut last = lock_ignoring_poison(last);
    if *last != state {
        log.line(format!("{label}: {state}"));
        state.clone_into(&mut last);
    }
}

/// Locks `mutex`; a panic elsewhere while holding it leaves plain data
/// (a log position, a state name) that is still fine to use.
fn lock_ignoring_poison<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A deployment the platform dropped before it went live, because a newer
/// one (from a push or the dashboard) took its place.
fn superseded(platform: Platform, id: &str) -> Error {
    Error::new(
        Code::ProviderError,
        format!("{} replaced deployment {id} with a newer one before it went live.", platform.label()),
    )
}

/// What a platform that builds from the repository is asked to build, for
/// the log: the commit's short id, or the branch's tip.
fn build_subject(commit: Option<&str>) -> &str {
    commit.map_or("the branch's latest commit", |commit| commit.get(..8).unwrap_or(commit))
}

/// Whether `domain` is an apex (`example.com`) rather than a subdomain: an
/// apex cannot hold a CNAME, so platforms give it A records instead.
fn is_apex(domain: &str) -> bool {
    domain.trim_end_matches('.').matches('.').count() <= 1
}

impl DnsRecord {
    fn new(kind: &str, name: &str, value: &str) -> Self {
        Self { kind: kind.to_owned(), name: name.to_owned(), value: value.to_owned() }
    }
}

/// Checks a name that goes into API paths as one segment (a project, an
/// account, a team), so a typo cannot reach another endpoint.
fn path_segment<'a>(value: &'a str, platform: Platform, what: &str) -> Result<&'a str> {
    let value = required(value, platform, what)?;
    if value.chars().all(|char| char.is_ascii_alphanumeric() || "-._".contains(char)) {
        return Ok(value);
    }
    Err(Error::new(
        Code::InvalidInput,
        format!("{}: {what} can only hold letters, digits, '-', '.' and '_' (not {value:?}).", platform.label()),
    ))
}

/// The error for a deployment the platform ended in error, with its reason.
fn build_failed(platform: Platform, reason: Option<&str>) -> Error {
    let reason = reason.map(str::trim).filter(|reason| !reason.is_empty()).unwrap_or("no reason given");
    Error::new(Code::BuildFailed, format!("{} could not deploy: {reason}", platform.label()))
}

impl Deployed {
    /// Counts one uploaded file and reports the progress.
    fn count_upload(&mut self, bytes: u64, total: usize, log: &crate::log::BuildLog) {
        self.uploaded_files += 1;
        self.uploaded_bytes += bytes;
        let total = u32::try_from(total).unwrap_or(u32::MAX);
        log.event(crate::log::DeployEvent::Upload { done: self.uploaded_files, total });
    }
}

/// Follows a build log that the platform returns whole at every poll: only
/// the lines not seen yet reach the job's log.
#[derive(Default)]
struct LogTail {
    seen: std::sync::Mutex<usize>,
}

impl LogTail {
    fn show(&self, log: &crate::log::BuildLog, lines: &[String]) {
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for line in lines.iter().skip(*seen) {
            log.line(line.trim_end());
        }
        *seen = (*seen).max(lines.len());
    }
}
