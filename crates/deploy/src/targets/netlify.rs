//! Netlify file-digest deploys: send `{files: {"/path": sha1}}`, upload only
//! the digests Netlify lists as `required`, poll the deploy's `state` until
//! `ready` (or `error`). Rollback restores an earlier deploy; env vars go
//! through the account env API; a custom domain is set on the site.

use std::collections::BTreeMap;

use async_trait::async_trait;
use flashfusion_core::{Code, Error, Result};
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::{required, Deployed, DnsRecord, DomainStatus, EnvVar, Job, Platform, Target, TargetConfig};
use crate::api::Api;
use crate::log::{DeployEvent, Stage};

pub struct Netlify {
    api: Api,
    site_id: String,
    account: String,
}

#[derive(Debug, Deserialize)]
struct Deploy {
    id: String,
    state: String,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    ssl_url: Option<String>,
    #[serde(default)]
    deploy_ssl_url: Option<String>,
    #[serde(default)]
    error_message: Option<String>,
}

impl Netlify {
    pub fn new(config: &TargetConfig, api: Api) -> Result<Self> {
        let site_id = required(&config.site, Platform::Netlify, "a site id")?.to_owned();
        Ok(Self { api, site_id, account: config.account.trim().to_owned() })
    }

    /// Polls the deploy until it is live.
    async fn follow(&self, deploy_id: &str, job: &Job<'_>) -> Result<Deploy> {
        let last_state = std::sync::Mutex::new(String::new());
        self.api
            .poll("the deploy", || async {
                let deploy: Deploy = self
                    .api
                    .json(self.api.request(Method::GET, &format!("/sites/{}/deploys/{deploy_id}", self.site_id)))
                    .await?;
                super::log_state_change(job.log, "Netlify", &last_state, &deploy.state);
                match deploy.state.as_str() {
                    "ready" => Ok(Some(deploy)),
                    "error" | "rejected" => Err(Error::new(
                        Code::BuildFailed,
                        format!(
                            "Netlify could not publish the deploy: {}",
                            deploy.error_message.as_deref().unwrap_or("no reason given")
                        ),
                    )),
                    _ => Ok(None),
                }
            })
            .await
    }
}

#[async_trait]
impl Target for Netlify {
    fn platform(&self) -> Platform {
        Platform::Netlify
    }

    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        let files: BTreeMap<String, &str> =
            job.site.files.iter().map(|file| (format!("/{}", file.path), file.sha1.as_str())).collect();
        let request = self
            .api
            .request(Method::POST, &format!("/sites/{}/deploys", self.site_id))
            .json(&json!({ "files": files, "async": false, "draft": false }));
        let deploy: Deploy = self.api.json(request).await?;
        job.log.line(format!(
            "Netlify deploy {}: {} of {} files to upload",
            deploy.id,
            deploy.required.len(),
            files.len()
        ));
        job.log.stage(Stage::Upload);
        let mut uploaded = Deployed { platform_id: deploy.id.clone(), ..Deployed::default() };
        let total = u32::try_from(deploy.required.len()).unwrap_or(u32::MAX);
        for sha in &deploy.required {
            // One upload per digest: identical files share it.
            let file = job.site.by_sha1(sha).ok_or_else(|| {
                Error::new(Code::ProviderError, format!("Netlify asked for a file this site does not have ({sha})."))
            })?;
            let body = job.site.read(file)?;
            uploaded.uploaded_bytes += body.len() as u64;
            let path = super::encode_path(&file.path);
            let request = self
                .api
                .request(Method::PUT, &format!("/deploys/{}/files/{path}", deploy.id))
                .header("content-type", "application/octet-stream")
                .body(body);
            self.api.send(request).await?;
            uploaded.uploaded_files += 1;
            job.log.event(DeployEvent::Upload { done: uploaded.uploaded_files, total });
        }
        job.log.stage(Stage::Deploy);
        let live = self.follow(&deploy.id, job).await?;
        uploaded.url = live.deploy_ssl_url.or(live.ssl_url);
        Ok(uploaded)
    }

    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        let path = format!("/sites/{}/deploys/{platform_id}/restore", self.site_id);
        let deploy: Deploy = self.api.json(self.api.request(Method::POST, &path)).await?;
        job.log.line(format!("Netlify: restoring deploy {platform_id}"));
        let live = self.follow(&deploy.id, job).await?;
        Ok(Deployed { platform_id: live.id, url: live.ssl_url.or(live.deploy_ssl_url), ..Deployed::default() })
    }

    async fn set_env(&self, vars: &[EnvVar]) -> Result<()> {
        let account = required(&self.account, Platform::Netlify, "the account slug for environment variables")?;
        for var in vars {
            let body = json!({
                "key": var.name,
                "scopes": ["builds", "functions", "runtime", "post-processing"],
                "values": [{ "context": "all", "value": var.value }],
                "is_secret": var.secret,
            });
            let path = format!("/accounts/{account}/env/{}?site_id={}", var.name, self.site_id);
            match self.api.send(self.api.request(Method::PUT, &path).json(&body)).await {
                Err(error) if error.code == Code::NotFound => {
                    let path = format!("/accounts/{account}/env?site_id={}", self.site_id);
                    self.api.send(self.api.request(Method::POST, &path).json(&json!([body]))).await?;
                }
                other => {
                    other?;
                }
            }
        }
        Ok(())
    }

    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        #[derive(Deserialize)]
        struct Site {
            name: String,
        }
        let request = self
            .api
            .request(Method::PATCH, &format!("/sites/{}", self.site_id))
            .json(&json!({ "custom_domain": domain }));
        let site: Site = self.api.json(request).await?;
        #[derive(Deserialize)]
        struct Ssl {
            #[serde(default)]
            state: String,
        }
        let verified =
            match self.api.json::<Ssl>(self.api.request(Method::GET, &format!("/sites/{}/ssl", self.site_id))).await {
                Ok(ssl) => ssl.state == "issued",
                Err(error) if error.code == Code::NotFound => false,
                Err(error) => return Err(error),
            };
        Ok(DomainStatus { domain: domain.to_owned(), records: dns_records(domain, &site.name), verified })
    }
}

/// Netlify's documented records: an apex domain points at its load
/// balancer, a subdomain is a CNAME to the site.
fn dns_records(domain: &str, site_name: &str) -> Vec<DnsRecord> {
    if super::is_apex(domain) {
        vec![DnsRecord::new("A", domain, "75.2.60.5")]
    } else {
        vec![DnsRecord::new("CNAME", domain, &format!("{site_name}.netlify.app"))]
    }
}
