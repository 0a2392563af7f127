//! Railway's public GraphQL API for one service in one environment, at one
//! endpoint: `serviceInstanceDeployV2` starts a deployment, `deployment(id)`
//! walks `QUEUED → INITIALIZING → BUILDING → DEPLOYING → SUCCESS` (or
//! `FAILED`) while `buildLogs` grows, `deploymentRollback` starts a new
//! deployment from an earlier one's image, `deployments` lists the newest
//! first, and `variableCollectionUpsert` / `customDomainCreate` need the
//! project id (`service { projectId }`). Errors come as GraphQL does: HTTP
//! 200 with `{"errors": [{"message"}]}`; ids the token cannot see are
//! "Not Authorized".

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::{lock, Common, Listener};

const BUILD: &[&str] = &["QUEUED", "INITIALIZING", "BUILDING", "DEPLOYING", "SUCCESS"];
const BUILD_FAILS: &[&str] = &["QUEUED", "INITIALIZING", "BUILDING", "FAILED"];
/// A rollback reuses the earlier deployment's image.
const ROLLBACK: &[&str] = &["QUEUED", "DEPLOYING", "SUCCESS"];

const NOT_AUTHORIZED: &str = "Not Authorized";

struct Deployment {
    id: String,
    commit: Option<String>,
    steps: &'static [&'static str],
    step: usize,
    removed: bool,
    logs: Vec<(String, String)>,
}

impl Deployment {
    fn status(&self) -> &'static str {
        if self.removed {
            "REMOVED"
        } else {
            self.steps[self.step]
        }
    }
}

pub struct RailwayFake {
    pub common: Arc<Common>,
    pub base: String,
    project: String,
    service: String,
    environment: String,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Oldest first.
    deployments: Vec<Deployment>,
    live: Option<String>,
    rolled_back_to: Option<String>,
    env: BTreeMap<String, String>,
    domains: Vec<String>,
    operations: Vec<String>,
    clock: u32,
}

type Shared = Arc<RailwayFake>;
type Answer = Result<Value, String>;

impl RailwayFake {
    /// A fake for `service` in `environment`, both in `project`.
    pub async fn start(token: &str, project: &str, service: &str, environment: &str) -> std::io::Result<Arc<Self>> {
        let listener = Listener::bind("/graphql/v2").await?;
        let fake = Arc::new(Self {
            common: Common::new(token),
            base: listener.base.clone(),
            project: project.to_owned(),
            service: service.to_owned(),
            environment: environment.to_owned(),
            inner: Mutex::new(Inner::default()),
        });
        let router = Router::new().route("/", post(graphql)).with_state(fake.clone());
        listener.serve(router, fake.common.clone());
        Ok(fake)
    }

    /// The root field of every operation so far (`"deployment"`, `"buildLogs"`, …).
    pub fn operations(&self) -> Vec<String> {
        lock(&self.inner).operations.clone()
    }

    /// The deployment serving the service now.
    pub fn live(&self) -> Option<String> {
        lock(&self.inner).live.clone()
    }

    /// The commit each deployment built, by deployment id.
    pub fn commits(&self) -> BTreeMap<String, Option<String>> {
        lock(&self.inner)
            .deployments
            .iter()
            .map(|deployment| (deployment.id.clone(), deployment.commit.clone()))
            .collect()
    }

    /// The deployment the last rollback asked for.
    pub fn rolled_back_to(&self) -> Option<String> {
        lock(&self.inner).rolled_back_to.clone()
    }

    pub fn env(&self) -> BTreeMap<String, String> {
        lock(&self.inner).env.clone()
    }

    pub fn domains(&self) -> Vec<String> {
        lock(&self.inner).domains.clone()
    }

    /// The service's public hostname, as Railway hands it out.
    pub fn static_url(&self) -> String {
        format!("{}-production.up.railway.app", self.service)
    }

    fn check_instance(&self, service: &str, environment: &str) -> Result<(), String> {
        if service == self.service && environment == self.environment {
            Ok(())
        } else {
            Err(NOT_AUTHORIZED.to_owned())
        }
    }

    fn deployment_json(&self, deployment: &Deployment) -> Value {
        json!({
            "id": deployment.id,
            "status": deployment.status(),
            "url": self.static_url(),
            "staticUrl": self.static_url(),
        })
    }
}

async fn graphql(State(fake): State<Shared>, Json(body): Json<Value>) -> Response {
    let Some(query) = body.get("query").and_then(Value::as_str) else {
        let errors = json!({ "errors": [{ "message": "Must provide query string." }] });
        return (StatusCode::BAD_REQUEST, Json(errors)).into_response();
    };
    let variables = body.get("variables").cloned().unwrap_or_else(|| json!({}));
    let field = root_field(query);
    lock(&fake.inner).operations.push(field.clone());
    let answer = match field.as_str() {
        "serviceInstanceDeployV2" => deploy(&fake, &variables),
        "deployment" => deployment(&fake, &variables),
        "deployments" => deployments(&fake, &variables),
        "buildLogs" => build_logs(&fake, &variables),
        "deploymentRollback" => rollback(&fake, &variables),
        "service" => service(&fake, &variables),
        "variableCollectionUpsert" => set_env(&fake, &variables),
        "customDomainCreate" => add_domain(&fake, &variables),
        other => Err(format!("Cannot query field \"{other}\" on type \"Query\".")),
    };
    Json(match answer {
        Ok(data) => json!({ "data": { field: data } }),
        Err(message) => json!({ "data": null, "errors": [{ "message": message, "path": [field] }] }),
    })
    .into_response()
}

/// The first field of the operation's selection: what it asks for.
fn root_field(query: &str) -> String {
    query
        .split_once('{')
        .map(|(_, rest)| rest.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect())
        .unwrap_or_default()
}

/// A required `String!` argument, as GraphQL validates it.
fn required<'a>(object: &'a Value, name: &str) -> Result<&'a str, String> {
    object
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| format!("Field \"{name}\" of required type \"String!\" was not provided."))
}

fn deploy(fake: &RailwayFake, variables: &Value) -> Answer {
    fake.check_instance(required(variables, "serviceId")?, required(variables, "environmentId")?)?;
    let commit = match variables.get("commitSha") {
        None | Some(Value::Null) => None,
        Some(Value::String(sha)) if sha.len() == 40 && sha.bytes().all(|byte| byte.is_ascii_hexdigit()) => {
            Some(sha.clone())
        }
        Some(other) => return Err(format!("Invalid commit SHA {other}")),
    };
    let steps = if fake.common.builds_fail() { BUILD_FAILS } else { BUILD };
    Ok(Value::from(start(fake, commit, steps)))
}

fn start(fake: &RailwayFake, commit: Option<String>, steps: &'static [&'static str]) -> String {
    let mut inner = lock(&fake.inner);
    let id = format!("{:08x}-0000-4000-8000-{:012x}", inner.deployments.len() + 1, inner.deployments.len() + 1);
    inner.deployments.push(Deployment { id: id.clone(), commit, steps, step: 0, removed: false, logs: Vec::new() });
    id
}

/// Each look at a deployment moves it one step on and writes that step's
/// build log lines.
fn deployment(fake: &RailwayFake, variables: &Value) -> Answer {
    let id = required(variables, "id")?;
    let mut guard = lock(&fake.inner);
    let inner = &mut *guard;
    let Some(deployment) = inner.deployments.iter_mut().find(|deployment| deployment.id == id) else {
        return Err("Deployment not found".to_owned());
    };
    if deployment.step + 1 < deployment.steps.len() && !deployment.removed {
        deployment.step += 1;
        let rollback = deployment.steps == ROLLBACK;
        for line in log_lines(deployment.status(), deployment.commit.as_deref(), rollback) {
            inner.clock += 1;
            deployment.logs.push((format!("2025-01-01T00:00:{:02}.000Z", inner.clock), line));
        }
    }
    let json = fake.deployment_json(deployment);
    if deployment.status() == "SUCCESS" && inner.live.as_deref() != Some(id) {
        // The deployment it replaces is removed.
        let previous = inner.live.replace(id.to_owned());
        if let Some(previous) =
            inner.deployments.iter_mut().find(|deployment| Some(&deployment.id) == previous.as_ref())
        {
            previous.removed = true;
        }
    }
    Ok(json)
}

fn log_lines(status: &str, commit: Option<&str>, rollback: bool) -> Vec<String> {
    match (status, rollback) {
        ("INITIALIZING", _) => vec!["Using Nixpacks".to_owned()],
        ("BUILDING", _) => {
            vec![format!("Building {}", commit.unwrap_or("the latest commit")), "> npm run build".to_owned()]
        }
        ("DEPLOYING", false) => vec!["Build time: 12.30 seconds".to_owned()],
        ("FAILED", _) => vec!["npm ERR! Missing script: \"build\"".to_owned()],
        _ => Vec::new(),
    }
}

fn deployments(fake: &RailwayFake, variables: &Value) -> Answer {
    let input = variables
        .get("input")
        .ok_or("Variable \"$input\" of required type \"DeploymentListInput!\" was not provided.")?;
    fake.check_instance(required(input, "serviceId")?, required(input, "environmentId")?)?;
    let inner = lock(&fake.inner);
    let edges: Vec<Value> =
        inner.deployments.iter().rev().map(|deployment| json!({ "node": fake.deployment_json(deployment) })).collect();
    Ok(json!({ "edges": edges }))
}

fn build_logs(fake: &RailwayFake, variables: &Value) -> Answer {
    let id = required(variables, "deploymentId")?;
    let limit = variables.get("limit").and_then(Value::as_u64).map_or(usize::MAX, |limit| limit as usize);
    let inner = lock(&fake.inner);
    let deployment = inner.deployments.iter().find(|deployment| deployment.id == id).ok_or("Deployment not found")?;
    let skip = deployment.logs.len().saturating_sub(limit);
    let lines: Vec<Value> = deployment.logs[skip..]
        .iter()
        .map(|(timestamp, message)| json!({ "timestamp": timestamp, "message": message, "severity": "info" }))
        .collect();
    Ok(Value::from(lines))
}

fn rollback(fake: &RailwayFake, variables: &Value) -> Answer {
    let id = required(variables, "id")?;
    let commit = {
        let mut inner = lock(&fake.inner);
        let deployment =
            inner.deployments.iter().find(|deployment| deployment.id == id).ok_or("Deployment not found")?;
        if !(deployment.removed || deployment.status() == "SUCCESS") {
            return Err("Deployment cannot be rolled back".to_owned());
        }
        let commit = deployment.commit.clone();
        inner.rolled_back_to = Some(id.to_owned());
        commit
    };
    start(fake, commit, ROLLBACK);
    Ok(Value::Bool(true))
}

fn service(fake: &RailwayFake, variables: &Value) -> Answer {
    if required(variables, "id")? != fake.service {
        return Err(NOT_AUTHORIZED.to_owned());
    }
    Ok(json!({ "id": fake.service, "name": "web", "projectId": fake.project }))
}

/// The project, environment and service of a mutation's `input`.
fn check_input<'a>(fake: &RailwayFake, variables: &'a Value) -> Result<&'a Value, String> {
    let input = variables.get("input").ok_or("Variable \"$input\" was not provided.")?;
    if required(input, "projectId")? != fake.project {
        return Err(NOT_AUTHORIZED.to_owned());
    }
    fake.check_instance(required(input, "serviceId")?, required(input, "environmentId")?)?;
    Ok(input)
}

fn set_env(fake: &RailwayFake, variables: &Value) -> Answer {
    let input = check_input(fake, variables)?;
    let vars = input
        .get("variables")
        .and_then(Value::as_object)
        .ok_or("Field \"variables\" of required type \"EnvironmentVariables!\" was not provided.")?;
    let mut inner = lock(&fake.inner);
    for (name, value) in vars {
        let value = value.as_str().ok_or_else(|| format!("Variable {name} must be a string"))?;
        inner.env.insert(name.clone(), value.to_owned());
    }
    Ok(Value::Bool(true))
}

fn add_domain(fake: &RailwayFake, variables: &Value) -> Answer {
    let input = check_input(fake, variables)?;
    let domain = required(input, "domain")?;
    let (label, zone) = match domain.split_once('.') {
        Some((label, zone)) if zone.contains('.') => (label, zone),
        Some(_) => ("@", domain),
        None => return Err(format!("Invalid domain {domain}")),
    };
    let mut inner = lock(&fake.inner);
    if inner.domains.iter().any(|existing| existing == domain) {
        return Err(format!("Domain {domain} is already in use"));
    }
    inner.domains.push(domain.to_owned());
    Ok(json!({
        "id": format!("cd-{}", inner.domains.len()),
        "domain": domain,
        "status": {
            "dnsRecords": [{
                "recordType": "DNS_RECORD_TYPE_CNAME",
                "hostlabel": label,
                "zone": zone,
                "fqdn": domain,
                "requiredValue": "k3x9q2.up.railway.app",
                "currentValue": "",
                "status": "DNS_RECORD_STATUS_REQUIRES_UPDATE",
                "purpose": "DNS_RECORD_PURPOSE_TRAFFIC_ROUTE",
            }],
            "verificationDnsHost": format!("_railway-verify.{label}"),
            "verificationToken": "railway-verify=5f2c81d0",
            "certificateStatus": "CERTIFICATE_STATUS_TYPE_ISSUING",
        },
    }))
}
