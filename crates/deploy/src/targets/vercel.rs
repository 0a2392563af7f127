//! Vercel file-SHA deploys: the deployment is created with every file's
//! SHA-1 and Vercel answers `missing_files` with the digests it lacks, so only
//! those go to `/v2/files` before it is created again. The build is followed
//! through `readyState` while its events stream into the log. Rollback points
//! production back at an earlier deployment; env vars are upserted on the
//! project; a custom domain is added to the project.

use async_trait::async_trait;
use flashfusion_core::{Code, Error, Result};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    build_failed, path_segment, Deployed, DnsRecord, DomainStatus, EnvVar, Job, LogTail, Platform, Target, TargetConfig,
};
use crate::api::{Api, Refusal};
use crate::log::Stage;

/// Where Vercel's documentation points an apex domain and a subdomain.
const APEX_ADDRESS: &str = "76.76.21.21";
const SUBDOMAIN_TARGET: &str = "cname.vercel-dns.com";

pub struct Vercel {
    api: Api,
    project: String,
    team: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Deployment {
    id: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    ready_state: String,
    #[serde(default)]
    error_message: Option<String>,
}

impl Deployment {
    fn deployed(&self) -> Deployed {
        let url = (!self.url.is_empty()).then(|| format!("https://{}", self.url));
        Deployed { platform_id: self.id.clone(), url, ..Deployed::default() }
    }
}

impl Vercel {
    pub fn new(config: &TargetConfig, api: Api) -> Result<Self> {
        let project = path_segment(&config.site, Platform::Vercel, "a project name")?.to_owned();
        let team = match config.account.trim() {
            "" => None,
            team => Some(path_segment(team, Platform::Vercel, "the team id")?.to_owned()),
        };
        Ok(Self { api, project, team })
    }

    /// A request on behalf of the team, when the project belongs to one.
    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        match &self.team {
            Some(team) => {
                let separator = if path.contains('?') { '&' } else { '?' };
                self.api.request(method, &format!("{path}{separator}teamId={team}"))
            }
            None => self.api.request(method, path),
        }
    }

    /// Creates the deployment, or says which digests Vercel still lacks.
    async fn create(&self, body: &Value) -> Result<Result<Deployment, Vec<String>>> {
        let request = self.request(Method::POST, "/v13/deployments").json(body);
        match self.api.send_keeping_refusals(request).await? {
            Ok(response) => Ok(Ok(self.api.decode(response).await?)),
            Err(refusal) => missing_files(&refusal).map(Err).ok_or(refusal.error),
        }
    }

    /// Uploads the files behind `missing`, one request per digest.
    async fn upload(&self, missing: &[String], job: &Job<'_>, uploaded: &mut Deployed) -> Result<()> {
        job.log.line(format!("Vercel: {} of {} files to upload", missing.len(), job.site.files.len()));
        job.log.stage(Stage::Upload);
        for sha in missing {
            let file = job.site.by_sha1(sha).ok_or_else(|| {
                Error::new(Code::ProviderError, format!("Vercel asked for a file this site does not have ({sha})."))
            })?;
            let body = job.site.read(file)?;
            let bytes = body.len() as u64;
            let request = self
                .request(Method::POST, "/v2/files")
                .header("x-vercel-digest", sha)
                .header("content-type", "application/octet-stream")
                .body(body);
            self.api.send(request).await?;
            uploaded.count_upload(bytes, missing.len(), job.log);
        }
        Ok(())
    }

    /// Polls the deployment until it is live, streaming its build log.
    async fn follow(&self, id: &str, job: &Job<'_>) -> Result<Deployment> {
        let last_state = std::sync::Mutex::new(String::new());
        let tail = LogTail::default();
        self.api
            .poll("the deployment", || async {
                let deployment: Deployment =
                    self.api.json(self.request(Method::GET, &format!("/v13/deployments/{id}"))).await?;
                super::log_state_change(job.log, "Vercel", &last_state, &deployment.ready_state);
                tail.show(job.log, &self.build_log(id).await?);
                match deployment.ready_state.as_str() {
                    "READY" => Ok(Some(deployment)),
                    "ERROR" => Err(build_failed(Platform::Vercel, deployment.error_message.as_deref())),
                    "CANCELED" => Err(build_failed(Platform::Vercel, Some("the deployment was canceled"))),
                    _ => Ok(None),
                }
            })
            .await
    }

    /// The deployment's build output so far, one entry per line.
    async fn build_log(&self, id: &str) -> Result<Vec<String>> {
        #[derive(Deserialize)]
        struct Event {
            #[serde(default)]
            text: Option<String>,
            #[serde(default)]
            payload: Option<Payload>,
        }
        #[derive(Deserialize)]
        struct Payload {
            #[serde(default)]
            text: Option<String>,
        }
        let path = format!("/v3/deployments/{id}/events?direction=forward&follow=0&limit=-1");
        let events: Vec<Event> = self.api.json(self.request(Method::GET, &path)).await?;
        Ok(events
            .into_iter()
            .filter_map(|event| event.payload.and_then(|payload| payload.text).or(event.text))
            .collect())
    }
}

/// The digests a `missing_files` refusal lists; `None` for any other refusal.
fn missing_files(refusal: &Refusal) -> Option<Vec<String>> {
    #[derive(Deserialize)]
    struct Body {
        error: Missing,
    }
    #[derive(Deserialize)]
    struct Missing {
        code: String,
        #[serde(default)]
        missing: Vec<String>,
    }
    if refusal.status != StatusCode::BAD_REQUEST {
        return None;
    }
    let body: Body = serde_json::from_str(&refusal.body).ok()?;
    (body.error.code == "missing_files").then_some(body.error.missing)
}

#[async_trait]
impl Target for Vercel {
    fn platform(&self) -> Platform {
        Platform::Vercel
    }

    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        let files: Vec<Value> = job
            .site
            .files
            .iter()
            .map(|file| json!({ "file": file.path, "sha": file.sha1, "size": file.size }))
            .collect();
        let mut body = json!({ "name": self.project, "project": self.project, "target": "production", "files": files });
        if let Some(commit) = &job.commit {
            body["gitMetadata"] = json!({ "commitSha": commit });
        }
        let mut uploaded = Deployed::default();
        let deployment = match self.create(&body).await? {
            Ok(deployment) => deployment,
            Err(missing) => {
                self.upload(&missing, job, &mut uploaded).await?;
                self.create(&body).await?.map_err(|missing| {
                    Error::new(
                        Code::ProviderError,
                        format!("Vercel still lacks {} files after they were uploaded.", missing.len()),
                    )
                })?
            }
        };
        job.log.line(format!("Vercel deployment {}", deployment.id));
        job.log.stage(Stage::Deploy);
        let live = self.follow(&deployment.id, job).await?;
        Ok(Deployed {
            uploaded_files: uploaded.uploaded_files,
            uploaded_bytes: uploaded.uploaded_bytes,
            ..live.deployed()
        })
    }

    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        let deployment: Deployment =
            self.api.json(self.request(Method::GET, &format!("/v13/deployments/{platform_id}"))).await?;
        let path = format!("/v1/projects/{}/rollback/{}", self.project, deployment.id);
        self.api.send(self.request(Method::POST, &path)).await?;
        job.log.line(format!("Vercel: production points at deployment {} again", deployment.id));
        Ok(deployment.deployed())
    }

    async fn set_env(&self, vars: &[EnvVar]) -> Result<()> {
        if vars.is_empty() {
            return Ok(());
        }
        let body: Vec<Value> = vars
            .iter()
            .map(|var| {
                json!({
                    "key": var.name,
                    "value": var.value,
                    "type": if var.secret { "encrypted" } else { "plain" },
                    "target": ["production", "preview", "development"],
                })
            })
            .collect();
        let path = format!("/v10/projects/{}/env?upsert=true", self.project);
        self.api.send(self.request(Method::POST, &path).json(&body)).await?;
        Ok(())
    }

    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct ProjectDomain {
            name: String,
            #[serde(default)]
            apex_name: String,
            #[serde(default)]
            verified: bool,
            #[serde(default)]
            verification: Vec<Verification>,
        }
        #[derive(Deserialize)]
        struct Verification {
            #[serde(rename = "type")]
            kind: String,
            domain: String,
            value: String,
        }
        let path = format!("/v10/projects/{}/domains", self.project);
        let added: ProjectDomain =
            self.api.json(self.request(Method::POST, &path).json(&json!({ "name": domain.trim() }))).await?;
        let mut records = vec![if added.name == added.apex_name {
            DnsRecord { kind: "A".into(), name: added.name.clone(), value: APEX_ADDRESS.into() }
        } else {
            DnsRecord { kind: "CNAME".into(), name: added.name.clone(), value: SUBDOMAIN_TARGET.into() }
        }];
        records.extend(added.verification.into_iter().map(|check| DnsRecord {
            kind: check.kind,
            name: check.domain,
            value: check.value,
        }));
        Ok(DomainStatus { domain: added.name, records, verified: added.verified })
    }
}
