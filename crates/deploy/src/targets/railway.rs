//! Railway's public GraphQL API: a deploy builds a commit of the service's
//! connected repository (`serviceInstanceDeployV2`, which answers with the
//! deployment id), followed through `deployment(id)` while its build log
//! streams into the job's log. Rollback, env vars and custom domains are one
//! mutation each; the project id they need comes from the service.
//!
//! GraphQL reports errors with HTTP 200 and an `errors` list: those become
//! the same codes as HTTP errors (Railway's "Not Authorized" is a bad token
//! or a service the token cannot see).

use std::sync::Mutex;

use async_trait::async_trait;
use flashfusion_core::{Code, Error, Result};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::OnceCell;

use super::{required, Deployed, DnsRecord, DomainStatus, EnvVar, Job, Platform, Target, TargetConfig};
use crate::api::Api;
use crate::log::{BuildLog, Stage};

/// Build log lines fetched per poll: the newest ones, enough for a poll's worth.
const LOG_LINES: u32 = 500;

const DEPLOY: &str = "mutation deploy($serviceId: String!, $environmentId: String!, $commitSha: String) {
  serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId, commitSha: $commitSha)
}";
const DEPLOYMENT: &str = "query deployment($id: String!) { deployment(id: $id) { id status url staticUrl } }";
const LATEST: &str = "query latest($input: DeploymentListInput!) {
  deployments(input: $input, first: 1) { edges { node { id status url staticUrl } } }
}";
const BUILD_LOGS: &str = "query buildLogs($deploymentId: String!, $limit: Int) {
  buildLogs(deploymentId: $deploymentId, limit: $limit) { timestamp message }
}";
const ROLLBACK: &str = "mutation rollback($id: String!) { deploymentRollback(id: $id) }";
const SERVICE: &str = "query service($id: String!) { service(id: $id) { projectId } }";
const SET_ENV: &str =
    "mutation setEnv($input: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $input) }";
const ADD_DOMAIN: &str = "mutation addDomain($input: CustomDomainCreateInput!) {
  customDomainCreate(input: $input) {
    domain
    status { dnsRecords { recordType fqdn requiredValue status } verificationDnsHost verificationToken }
  }
}";

pub struct Railway {
    api: Api,
    service_id: String,
    environment_id: String,
    project_id: OnceCell<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Deployment {
    id: String,
    status: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    static_url: Option<String>,
}

impl Deployment {
    /// Railway hands out bare hostnames; the site is served over HTTPS.
    fn public_url(&self) -> Option<String> {
        let host = self.static_url.as_deref().or(self.url.as_deref()).filter(|host| !host.is_empty())?;
        Some(if host.contains("://") { host.to_owned() } else { format!("https://{host}") })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct LogLine {
    timestamp: String,
    message: String,
}

#[derive(Deserialize)]
struct Connection {
    edges: Vec<Edge>,
}

#[derive(Deserialize)]
struct Edge {
    node: Deployment,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceProject {
    project_id: String,
}

#[derive(Deserialize)]
struct CustomDomain {
    status: CustomDomainStatus,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomDomainStatus {
    dns_records: Vec<Record>,
    #[serde(default)]
    verification_dns_host: Option<String>,
    #[serde(default)]
    verification_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    record_type: String,
    fqdn: String,
    required_value: String,
    status: String,
}

impl Railway {
    pub fn new(config: &TargetConfig, api: Api) -> Result<Self> {
        let service_id = required(&config.site, Platform::Railway, "a service id")?.to_owned();
        let environment_id = required(&config.account, Platform::Railway, "an environment id")?.to_owned();
        Ok(Self { api, service_id, environment_id, project_id: OnceCell::new() })
    }

    /// Runs a GraphQL operation and decodes `data.{field}`.
    async fn graphql<T: DeserializeOwned>(&self, query: &str, field: &str, variables: Value) -> Result<T> {
        let request = self.api.request(Method::POST, "").json(&json!({ "query": query, "variables": variables }));
        let mut body: Value = self.api.json(request).await?;
        if let Some(error) = body.pointer("/errors/0") {
            return Err(graphql_error(error));
        }
        let data = body.pointer_mut(&format!("/data/{field}")).map(Value::take).unwrap_or(Value::Null);
        serde_json::from_value(data).map_err(|error| {
            Error::new(Code::ProviderError, format!("Railway answered {field} with something unexpected: {error}"))
        })
    }

    /// The service's project, asked once: the variable and domain mutations need it.
    async fn project_id(&self) -> Result<&str> {
        let id = self
            .project_id
            .get_or_try_init(|| async {
                let service: ServiceProject =
                    self.graphql(SERVICE, "service", json!({ "id": self.service_id })).await?;
                Ok::<_, Error>(service.project_id)
            })
            .await?;
        Ok(id)
    }

    /// The service's newest deployment in the environment.
    async fn latest(&self) -> Result<Option<Deployment>> {
        let input = json!({ "input": { "serviceId": self.service_id, "environmentId": self.environment_id } });
        let deployments: Connection = self.graphql(LATEST, "deployments", input).await?;
        Ok(deployments.edges.into_iter().next().map(|edge| edge.node))
    }

    /// Polls the deployment until it is live, logging each status it passes
    /// and each new build log line.
    async fn follow(&self, id: &str, log: &BuildLog) -> Result<Deployed> {
        let last_state = Mutex::new(String::new());
        let last_line = Mutex::new(None::<LogLine>);
        let live = self
            .api
            .poll("the deployment", || async {
                let deployment: Deployment = self.graphql(DEPLOYMENT, "deployment", json!({ "id": id })).await?;
                super::log_state_change(log, "Railway", &last_state, &deployment.status);
                self.forward_build_log(id, log, &last_line).await?;
                match deployment.status.as_str() {
                    "SUCCESS" | "SLEEPING" => Ok(Some(deployment)),
                    "FAILED" | "CRASHED" => {
                        // The build log's last line says why.
                        let last = super::lock_ignoring_poison(&last_line).clone();
                        Err(super::build_failed(Platform::Railway, last.as_ref().map(|line| line.message.as_str())))
                    }
                    "REMOVED" | "REMOVING" | "SKIPPED" => Err(super::superseded(Platform::Railway, id)),
                    _ => Ok(None),
                }
            })
            .await?;
        Ok(Deployed { url: live.public_url(), platform_id: live.id, ..Deployed::default() })
    }

    /// Appends the build log lines not logged yet.
    async fn forward_build_log(&self, id: &str, log: &BuildLog, last: &Mutex<Option<LogLine>>) -> Result<()> {
        let lines: Vec<LogLine> =
            self.graphql(BUILD_LOGS, "buildLogs", json!({ "deploymentId": id, "limit": LOG_LINES })).await?;
        let mut last = super::lock_ignoring_poison(last);
        for line in unseen(&lines, last.as_ref()) {
            log.line(&line.message);
        }
        if let Some(newest) = lines.last() {
            *last = Some(newest.clone());
        }
        Ok(())
    }
}

/// The lines after the last one already logged. Each fetch is the newest
/// window of the log, so the last logged line is found in it (or, when the
/// log outgrew the window, everything newer than it is new).
fn unseen<'a>(lines: &'a [LogLine], last: Option<&LogLine>) -> &'a [LogLine] {
    let Some(last) = last else { return lines };
    match lines.iter().rposition(|line| line == last) {
        Some(index) => &lines[index + 1..],
        None => {
            let newer = lines.iter().position(|line| line.timestamp > last.timestamp).unwrap_or(lines.len());
            &lines[newer..]
        }
    }
}

/// The first GraphQL error as an error a user can act on.
fn graphql_error(error: &Value) -> Error {
    let message = error.get("message").and_then(Value::as_str).unwrap_or("no reason given");
    let lower = message.to_lowercase();
    if lower.contains("not authorized") || lower.contains("unauthorized") {
        return Error::new(
            Code::AuthFailed,
            format!(
                "Railway refused the token ({message}). Check it in Deploy settings, and that it can see this service."
            ),
        );
    }
    let code = if lower.contains("not found") {
        Code::NotFound
    } else if error.pointer("/extensions/code").and_then(Value::as_str) == Some("INTERNAL_SERVER_ERROR") {
        Code::ProviderError
    } else {
        Code::InvalidInput
    };
    Error::new(code, format!("Railway refused the request: {message}"))
}

#[async_trait]
impl Target for Railway {
    fn platform(&self) -> Platform {
        Platform::Railway
    }

    /// `serviceInstanceDeployV2` rather than a redeploy even without a
    /// commit: it builds the branch's latest commit and answers with the
    /// deployment's id, where a redeploy reuses the last image.
    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        job.log.stage(Stage::Deploy);
        let mut variables = json!({ "serviceId": self.service_id, "environmentId": self.environment_id });
        if let Some(commit) = &job.commit {
            variables["commitSha"] = json!(commit);
        }
        let id: String = self.graphql(DEPLOY, "serviceInstanceDeployV2", variables).await?;
        let what = super::build_subject(job.commit.as_deref());
        job.log.line(format!("Railway deployment {id}: building {what}"));
        self.follow(&id, job.log).await
    }

    /// `deploymentRollback` answers only `true`: the deployment it starts is
    /// the service's newest one once it differs from the newest before.
    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        job.log.stage(Stage::Deploy);
        let before = self.latest().await?.map(|deployment| deployment.id);
        let accepted: bool = self.graphql(ROLLBACK, "deploymentRollback", json!({ "id": platform_id })).await?;
        if !accepted {
            return Err(Error::new(Code::ProviderError, format!("Railway did not roll back to {platform_id}.")));
        }
        let id = self
            .api
            .poll("starting the rollback", || async {
                Ok(self.latest().await?.map(|deployment| deployment.id).filter(|id| Some(id) != before.as_ref()))
            })
            .await?;
        job.log.line(format!("Railway deployment {id}: rolling back to {platform_id}"));
        self.follow(&id, job.log).await
    }

    /// One upsert for all variables; `skipDeploys` because the deploy that
    /// follows picks them up (Railway would otherwise redeploy right away).
    async fn set_env(&self, vars: &[EnvVar]) -> Result<()> {
        let variables: serde_json::Map<String, Value> =
            vars.iter().map(|var| (var.name.clone(), Value::from(var.value.as_str()))).collect();
        let input = json!({
            "projectId": self.project_id().await?,
            "environmentId": self.environment_id,
            "serviceId": self.service_id,
            "variables": variables,
            "skipDeploys": true,
        });
        let _: bool = self.graphql(SET_ENV, "variableCollectionUpsert", json!({ "input": input })).await?;
        Ok(())
    }

    async fn add_domain(&self, domain: &str) -> Result<DomainStatus> {
        let input = json!({
            "domain": domain,
            "projectId": self.project_id().await?,
            "environmentId": self.environment_id,
            "serviceId": self.service_id,
        });
        let added: CustomDomain = self.graphql(ADD_DOMAIN, "customDomainCreate", json!({ "input": input })).await?;
        let status = added.status;
        let verified = !status.dns_records.is_empty()
            && status.dns_records.iter().all(|record| record.status == "DNS_RECORD_STATUS_PROPAGATED");
        let mut records: Vec<DnsRecord> = status
            .dns_records
            .iter()
            .map(|record| {
                let kind = record.record_type.trim_start_matches("DNS_RECORD_TYPE_");
                DnsRecord::new(kind, &record.fqdn, &record.required_value)
            })
            .collect();
        // The TXT record proving the domain is the user's.
        if let (Some(host), Some(token)) = (status.verification_dns_host, status.verification_token) {
            records.push(DnsRecord::new("TXT", &host, &token));
        }
        Ok(DomainStatus { domain: domain.to_owned(), records, verified })
    }
}
