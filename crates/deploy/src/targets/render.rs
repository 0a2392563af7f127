//! Render builds from the service's connected repository, so a deploy is a
//! request to build a commit (`POST /services/{id}/deploys`), followed through
//! `created → build_in_progress → update_in_progress → live`. Rollback asks
//! Render to serve an earlier deploy's build again; env vars are upserted one
//! by one; a custom domain answers with the domains Render serves for it
//! (an apex brings its `www`).

use async_trait::async_trait;
use flashfusion_core::Result;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::{required, Deployed, DnsRecord, DomainStatus, EnvVar, Job, Platform, Target, TargetConfig};
use crate::api::Api;
use crate::log::Stage;

/// Render's documented address for apex domains (subdomains use a CNAME).
const APEX_IP: &str = "216.24.57.1";

pub struct Render {
    api: Api,
    service_id: String,
}

#[derive(Debug, Deserialize)]
struct Deploy {
    id: String,
    status: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    service_details: ServiceDetails,
}

#[derive(Deserialize)]
struct ServiceDetails {
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomDomain {
    name: String,
    domain_type: String,
    verification_status: String,
}

impl Render {
    pub fn new(config: &TargetConfig, api: Api) -> Result<Self> {
        let service_id = required(&config.site, Platform::Render, "a service id (srv-…)")?.to_owned();
        Ok(Self { api, service_id })
    }

    fn path(&self, rest: &str) -> String {
        format!("/services/{}{rest}", self.service_id)
    }

    /// Polls the deploy until it is live, logging each status it passes.
    async fn follow(&self, deploy: Deploy, job: &Job<'_>) -> Result<Deployed> {
        let last_state = std::sync::Mutex::new(String::new());
        let path = self.path(&format!("/deploys/{}", deploy.id));
        let live = self
            .api
            .poll("the deploy", || async {
                let deploy: Deploy = self.api.json(self.api.request(Method::GET, &path)).await?;
                super::log_state_change(job.log, "Render", &last_state, &deploy.status);
                match deploy.status.as_str() {
                    "live" => Ok(Some(deploy)),
                    "build_failed" | "update_failed" | "pre_deploy_failed" | "canceled" => Err(super::build_failed(
                        Platform::Render,
                        Some(&format!(
                            "deploy {} ended as {}; its log is on the service's Events page.",
                            deploy.id, deploy.status
                        )),
                    )),
                    "deactivated" => Err(super::superseded(Platform::Render, &deploy.id)),
                    _ => Ok(None),
                }
            })
            .await?;
        Ok(Deployed { platform_id: live.id, url: self.service().await?.service_details.url, ..Deployed::default() })
    }

    async fn service(&self) -> Result<Service> {
        self.api.json(self.api.request(Method::GET, &self.path(""))).await
    }
}

#[async_trait]
impl Target for Render {
    fn platform(&self) -> Platform {
        Platform::Render
    }

    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        job.log.stage(Stage::Deploy);
        let mut body = json!({ "clearCache": "do_not_clear" });
        if let Some(commit) = &job.commit {
            body["commitId"] = json!(commit);
        }
        let request = self.api.request(Method::POST, &self.path("/deploys")).json(&body);
        let deploy: Deploy = self.api.json(request).await?;
        let what = super::build_subject(job.commit.as_deref());
        job.log.line(format!("Render deploy {}: building {what}", deploy.id));
        self.follow(deploy, job).await
    }

    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        job.log.stage(Stage::Deploy);
        let request = self.api.request(Method::POST, &self.path("/rollback")).json(&json!({ "deployId": platform_id }));
        let deploy: Deploy = self.api.json(request).await?;
        job.log.line(format!("Render deploy {}: rolling back to {platform_id}", deploy.id));
        self.follow(deploy, job).await
    }

    /// One upsert per variable: Render's bulk `PUT …/env-vars` replaces the
    /// whole list and would delete the variables set in its dashboard.
    async fn set_env(&self, vars: &[EnvVar]) -> Result<()> {
        for var in vars {
            let path = self.path(&format!("/env-vars/{}", super::encode_path(&var.name)));
            self.api.send(self.api.request(Method::PUT, &path).json(&json!({ "value": var.value }))).await?;
        }
        Ok(())
    }

    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        let request = self.api.request(Method::POST, &self.path("/custom-domains")).json(&json!({ "name": domain }));
        let added: Vec<CustomDomain> = self.api.json(request).await?;
        let url = self.service().await?.service_details.url.unwrap_or_default();
        let host = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest).trim_end_matches('/');
        let records = added
            .iter()
            .map(|entry| {
                if entry.domain_type == "apex" {
                    DnsRecord::new("A", &entry.name, APEX_IP)
                } else {
                    DnsRecord::new("CNAME", &entry.name, host)
                }
            })
            .collect();
        let verified = !added.is_empty() && added.iter().all(|entry| entry.verification_status == "verified");
        Ok(DomainStatus { domain: domain.to_owned(), records, verified })
    }
}
