//! GitHub Pages serves a branch as is: each deploy commits the built site's
//! folder on a local deploy ref and pushes it to the Pages branch
//! (`gh-pages` unless the target names another) of the repository's clone
//! URL, makes sure Pages publishes that branch, asks for a build and follows
//! it (`queued → building → built`, or `errored`). The pushed commit is the
//! deployment's id; rollback pushes a new commit holding an earlier
//! deployment's files, so the branch's history is never rewritten.

use async_trait::async_trait;
use flashfusion_core::{Code, Result};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::git_remote::{credentials_for, Push};
use super::{required, Deployed, DnsRecord, DomainStatus, Job, Platform, Target, TargetConfig};
use crate::api::Api;
use crate::git::DeploySource;
use crate::github::{split_full_name, GitHub};
use crate::log::Stage;

/// GitHub's documented addresses for an apex domain.
const APEX_IPS: [&str; 4] = ["185.199.108.153", "185.199.109.153", "185.199.110.153", "185.199.111.153"];

pub struct GithubPages {
    github: GitHub,
    owner: String,
    repo: String,
    branch: String,
    token: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Pages {
    #[serde(default)]
    html_url: Option<String>,
    #[serde(default)]
    source: Option<Source>,
    #[serde(default)]
    protected_domain_state: Option<String>,
    #[serde(default)]
    https_certificate: Option<Certificate>,
}

#[derive(Debug, Deserialize)]
struct Source {
    branch: String,
}

#[derive(Debug, Deserialize)]
struct Certificate {
    state: String,
}

#[derive(Debug, Deserialize)]
struct Build {
    status: String,
    #[serde(default)]
    commit: Option<String>,
    #[serde(default)]
    error: Option<BuildError>,
}

#[derive(Debug, Deserialize)]
struct BuildError {
    #[serde(default)]
    message: Option<String>,
}

impl GithubPages {
    /// `token` signs both the API calls and the push.
    pub fn new(config: &TargetConfig, api: Api, token: Option<String>) -> Result<Self> {
        let full_name = required(&config.site, Platform::GithubPages, "the repository (owner/repo)")?;
        let (owner, repo) = split_full_name(full_name)?;
        let branch = if config.branch.trim().is_empty() { "gh-pages" } else { config.branch.trim() };
        Ok(Self {
            github: GitHub::with_api(api),
            owner: owner.to_owned(),
            repo: repo.to_owned(),
            branch: branch.to_owned(),
            token,
        })
    }

    fn path(&self, rest: &str) -> String {
        format!("/repos/{}/{}{rest}", self.owner, self.repo)
    }

    /// Pushes `source` to the Pages branch, then has Pages build and serve it.
    async fn publish(&self, source: DeploySource, message: String, job: &Job<'_>) -> Result<Deployed> {
        let repo = self.github.repo(&format!("{}/{}", self.owner, self.repo)).await?;
        job.log.stage(Stage::Upload);
        let push = Push {
            root: job.project_root.clone(),
            credentials: credentials_for(&repo.clone_url, self.token.clone()),
            url: repo.clone_url,
            branch: self.branch.clone(),
        };
        let mut deployed = push.run(source, message, job.log).await?;
        job.log.stage(Stage::Deploy);
        let pages = self.serve_branch(job).await?;
        self.github.api().send(self.github.request(Method::POST, &self.path("/pages/builds"))).await?;
        self.follow(&deployed.platform_id, job).await?;
        deployed.url = pages.html_url;
        Ok(deployed)
    }

    /// Makes Pages publish the deploy branch: enables Pages when it is off,
    /// or switches its source when it publishes another branch.
    async fn serve_branch(&self, job: &Job<'_>) -> Result<Pages> {
        let source = json!({ "source": { "branch": self.branch, "path": "/" } });
        match self.pages().await {
            Ok(pages) if pages.source.as_ref().is_some_and(|current| current.branch == self.branch) => Ok(pages),
            Ok(pages) => {
                let from = pages.source.map_or_else(|| "nothing".to_owned(), |current| current.branch);
                job.log.line(format!("GitHub Pages: publishing {} instead of {from}", self.branch));
                self.github.api().send(self.github.request(Method::PUT, &self.path("/pages")).json(&source)).await?;
                self.pages().await
            }
            Err(error) if error.code == Code::NotFound => {
                job.log.line(format!("GitHub Pages: enabling it for {}", self.branch));
                self.github.api().json(self.github.request(Method::POST, &self.path("/pages")).json(&source)).await
            }
            Err(error) => Err(error),
        }
    }

    async fn pages(&self) -> Result<Pages> {
        self.github.api().json(self.github.request(Method::GET, &self.path("/pages"))).await
    }

    /// Polls the latest Pages build until the one of `commit` is built.
    async fn follow(&self, commit: &str, job: &Job<'_>) -> Result<()> {
        let last_state = std::sync::Mutex::new(String::new());
        let path = self.path("/pages/builds/latest");
        self.github
            .api()
            .poll("the Pages build", || async {
                let build: Build = self.github.api().json(self.github.request(Method::GET, &path)).await?;
                // A build of an earlier push may still be the latest one.
                if build.commit.as_deref() != Some(commit) {
                    return Ok(None);
                }
                super::log_state_change(job.log, "GitHub Pages", &last_state, &build.status);
                match build.status.as_str() {
                    "built" => Ok(Some(())),
                    "errored" => {
                        let reason = build.error.and_then(|error| error.message);
                        Err(super::build_failed(Platform::GithubPages, reason.as_deref()))
                    }
                    _ => Ok(None),
                }
            })
            .await
    }
}

#[async_trait]
impl Target for GithubPages {
    fn platform(&self) -> Platform {
        Platform::GithubPages
    }

    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        let message = match &job.commit {
            Some(commit) => format!("Deploy {commit}"),
            None => "Deploy the site".to_owned(),
        };
        self.publish(DeploySource::Folder(job.site.root.clone()), message, job).await
    }

    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        let message = format!("Roll back to {platform_id}");
        self.publish(DeploySource::Commit(platform_id.to_owned()), message, job).await
    }

    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        let request = self.github.request(Method::PUT, &self.path("/pages")).json(&json!({ "cname": domain }));
        self.github.api().send(request).await?;
        let pages = self.pages().await?;
        let verified = pages.protected_domain_state.as_deref() == Some("verified")
            || pages.https_certificate.is_some_and(|certificate| certificate.state == "approved");
        let records = if super::is_apex(domain) {
            APEX_IPS.iter().map(|ip| DnsRecord::new("A", domain, ip)).collect()
        } else {
            vec![DnsRecord::new("CNAME", domain, &format!("{}.github.io", self.owner.to_lowercase()))]
        };
        Ok(DomainStatus { domain: domain.to_owned(), records, verified })
    }
}
