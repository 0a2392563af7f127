//! The deploy service the app talks to: targets and their tokens, the
//! pipeline (build → commit → upload/push → follow) with its log streamed and
//! recorded, history and rollback, env vars (values in the keyring) and
//! custom domains, and the git panel's commands.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{now_millis, Code, Error, ProjectId, Result};
use flashfusion_store::{DeployState, DeployTargetRecord, DeploymentOutcome, DeploymentRecord, NewDeployment, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::build::{self, BuildPlan};
use crate::git::{CommitInfo, GitRepo, GitStatus};
use crate::github::GitHub;
use crate::log::{BuildLog, DeployEvent, EventSink, Stage};
use crate::site::Site;
use crate::targets::{self, Deployed, DomainStatus, EnvVar, Job, Platform, Target, TargetConfig, Timing};

/// How many deployments the history shows.
const HISTORY: u32 = 50;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetView {
    pub id: String,
    pub label: String,
    pub config: TargetConfig,
    /// Whether the platform's token is in the keyring.
    pub has_token: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeployOverview {
    /// `None` when the project has no repository yet.
    pub git: Option<GitStatus>,
    pub build: BuildPlan,
    pub targets: Vec<TargetView>,
    pub deployments: Vec<DeploymentRecord>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveTargetArgs {
    pub project_id: ProjectId,
    /// `None` adds a target.
    pub id: Option<String>,
    pub config: TargetConfig,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetArgs {
    pub target_id: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentArgs {
    pub deployment_id: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PlatformTokenArgs {
    pub platform: Platform,
    /// Empty removes the token.
    pub token: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommitArgs {
    pub project_id: ProjectId,
    pub message: String,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RefKind {
    Branch,
    Tag,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RefArgs {
    pub project_id: ProjectId,
    pub kind: RefKind,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PushArgs {
    pub project_id: ProjectId,
    /// A remote's name (`origin`) or URL.
    pub remote: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarView {
    pub name: String,
    pub secret: bool,
    /// The value, except for secrets (never sent back to the window).
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveEnvArgs {
    pub target_id: String,
    /// The full list; a secret with an empty value keeps its stored value.
    pub vars: Vec<EnvVar>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DomainArgs {
    pub target_id: String,
    pub domain: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GithubConnectArgs {
    pub token: String,
    /// GitHub Enterprise's API; empty for github.com.
    #[serde(default)]
    pub api_base: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GithubAccount {
    pub login: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GithubRepoArgs {
    pub project_id: ProjectId,
    pub name: String,
    pub private: bool,
    #[serde(default)]
    pub api_base: String,
}

pub struct Deployer {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    timing: Timing,
    /// Projects with a deployment running.
    running: Mutex<HashSet<ProjectId>>,
    next_id: AtomicU32,
}

impl Deployer {
    pub fn new(store: Arc<Store>, secrets: Arc<dyn SecretStore>, timing: Timing) -> Result<Self> {
        let interrupted = store.mark_running_deployments_interrupted()?;
        if interrupted > 0 {
            tracing::warn!(interrupted, "deployments were running when the app stopped");
        }
        Ok(Self { store, secrets, timing, running: Mutex::new(HashSet::new()), next_id: AtomicU32::new(0) })
    }

    pub fn overview(&self, project: ProjectId) -> Result<DeployOverview> {
        let root = self.root(project)?;
        let git = GitRepo::open(&root)?.map(|repo| repo.status()).transpose()?;
        let targets = self
            .store
            .deploy_targets(project)?
            .into_iter()
            .map(|record| self.target_view(&record))
            .collect::<Result<_>>()?;
        Ok(DeployOverview {
            git,
            build: build::detect(&root),
            targets,
            deployments: self.store.deployments(project, HISTORY)?,
        })
    }

    pub fn save_target(&self, args: &SaveTargetArgs) -> Result<TargetView> {
        if let Some(id) = &args.id {
            self.target(id)?;
        }
        // Build the adapter once so a missing setting is reported now.
        targets::adapter(&args.config, None, self.timing)?;
        let id = args.id.clone().unwrap_or_else(|| self.new_id("target"));
        let record = DeployTargetRecord { id, project_id: args.project_id, config: to_json(&args.config)? };
        self.store.save_deploy_target(&record)?;
        self.target_view(&record)
    }

    pub fn delete_target(&self, target: &str) -> Result<()> {
        for (name, _) in self.store.deploy_env(target)? {
            self.secrets.delete(&env_secret_name(target, &name))?;
        }
        self.store.delete_deploy_target(target)
    }

    pub fn set_token(&self, args: &PlatformTokenArgs) -> Result<()> {
        let name = token_name(args.platform);
        match args.token.trim() {
            "" => self.secrets.delete(&name),
            token => self.secrets.set(&name, token),
        }
    }

    /// Builds, commits, deploys and follows the deployment, streaming its
    /// log to `sink`; the outcome (either way) is recorded.
    pub async fn deploy(&self, target_id: &str, sink: EventSink) -> Result<DeploymentRecord> {
        let (record, config) = self.target(target_id)?;
        let _running = self.claim(record.project_id)?;
        let root = self.root(record.project_id)?;
        // A target that is not connected fails before anything is recorded.
        let adapter = self.adapter(&config)?;
        let id = self.new_id("deploy");
        self.store.start_deployment(&NewDeployment {
            id: &id,
            target_id,
            project_id: record.project_id,
            rollback_of: None,
        })?;
        let log = BuildLog::new(sink);
        let result = self.run_deploy(&id, target_id, &config, adapter.as_ref(), &root, &log).await;
        self.finish(&id, result.as_ref().map(|(deployed, commit)| (deployed, commit.as_deref())), &log)
    }

    /// Makes an earlier deployment live again, recorded as a new deployment.
    pub async fn rollback(&self, deployment_id: &str, sink: EventSink) -> Result<DeploymentRecord> {
        let earlier = self
            .store
            .deployment(deployment_id)?
            .ok_or_else(|| Error::new(Code::NotFound, "That deployment no longer exists."))?;
        let platform_id =
            earlier.platform_id.clone().filter(|_| earlier.state == DeployState::Ready).ok_or_else(|| {
                Error::new(Code::InvalidInput, "Only a deployment that went live can be rolled back to.")
            })?;
        let (record, config) = self.target(&earlier.target_id)?;
        let _running = self.claim(record.project_id)?;
        let root = self.root(record.project_id)?;
        let adapter = self.adapter(&config)?;
        let id = self.new_id("deploy");
        let new = NewDeployment {
            id: &id,
            target_id: &earlier.target_id,
            project_id: record.project_id,
            rollback_of: Some(deployment_id),
        };
        self.store.start_deployment(&new)?;
        let log = BuildLog::new(sink);
        log.line(format!(
            "Rolling back to the deployment of {}",
            short(earlier.commit_id.as_deref().unwrap_or(&platform_id))
        ));
        let site = Site { root: root.clone(), files: Vec::new() };
        let job = Job { site: &site, project_root: root.clone(), commit: earlier.commit_id.clone(), log: &log };
        let result = adapter.rollback(&platform_id, &job).await;
        self.finish(&id, result.as_ref().map(|deployed| (deployed, earlier.commit_id.as_deref())), &log)
    }

    pub fn deployments(&self, project: ProjectId) -> Result<Vec<DeploymentRecord>> {
        self.store.deployments(project, HISTORY)
    }

    pub fn deployment_log(&self, deployment: &str) -> Result<String> {
        self.store
            .deployment_log(deployment)?
            .ok_or_else(|| Error::new(Code::NotFound, "That deployment no longer exists."))
    }

    pub fn env_vars(&self, target: &str) -> Result<Vec<EnvVarView>> {
        self.target(target)?;
        self.store
            .deploy_env(target)?
            .into_iter()
            .map(|(name, secret)| {
                let value = if secret { None } else { self.secrets.get(&env_secret_name(target, &name))? };
                Ok(EnvVarView { name, secret, value })
            })
            .collect()
    }

    pub fn save_env_vars(&self, args: &SaveEnvArgs) -> Result<Vec<EnvVarView>> {
        self.target(&args.target_id)?;
        // Every name is checked before anything reaches the keyring.
        let mut seen = HashSet::new();
        for var in &args.vars {
            let name = var.name.trim();
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Error::new(
                    Code::InvalidInput,
                    format!("\"{name}\" is not a valid variable name (letters, digits, _)."),
                ));
            }
            if !seen.insert(name) {
                return Err(Error::new(Code::InvalidInput, format!("{name} is listed twice.")));
            }
        }
        let mut names = Vec::new();
        for var in &args.vars {
            let name = var.name.trim();
            let keeps_old = var.secret && var.value.is_empty();
            if !keeps_old {
                self.secrets.set(&env_secret_name(&args.target_id, name), &var.value)?;
            }
            names.push((name.to_owned(), var.secret));
        }
        for (old, _) in self.store.deploy_env(&args.target_id)? {
            if !names.iter().any(|(name, _)| *name == old) {
                self.secrets.delete(&env_secret_name(&args.target_id, &old))?;
            }
        }
        self.store.set_deploy_env(&args.target_id, &names)?;
        self.env_vars(&args.target_id)
    }

    /// Adds the project's `.env` entries to the target's variables (a value
    /// already set is replaced); names that look secret, or were marked
    /// secret before, are secret.
    pub fn import_env_file(&self, target: &str) -> Result<Vec<EnvVarView>> {
        let (record, _) = self.target(target)?;
        let path = self.root(record.project_id)?.join(".env");
        let text = std::fs::read_to_string(&path)
            .map_err(|error| Error::new(Code::NotFound, format!("Could not read {}: {error}", path.display())))?;
        let mut vars = self.stored_env(target)?;
        for entry in crate::envfile::parse(&text) {
            let was_secret = vars.iter().any(|var| var.name == entry.name && var.secret);
            vars.retain(|var| var.name != entry.name);
            vars.push(EnvVar { name: entry.name, value: entry.value, secret: entry.looks_secret || was_secret });
        }
        self.save_env_vars(&SaveEnvArgs { target_id: target.to_owned(), vars })
    }

    pub async fn add_domain(&self, args: &DomainArgs) -> Result<DomainStatus> {
        let domain = args.domain.trim().trim_end_matches('.').to_ascii_lowercase();
        let valid = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid {
            return Err(Error::new(Code::InvalidInput, format!("\"{}\" is not a domain name.", args.domain.trim())));
        }
        let (_, config) = self.target(&args.target_id)?;
        self.adapter(&config)?.add_domain(&domain).await
    }

    /// Checks a GitHub personal access token and keeps it in the keyring.
    pub async fn github_connect(&self, args: &GithubConnectArgs) -> Result<GithubAccount> {
        let github = GitHub::new(&args.api_base, args.token.trim().to_owned(), self.timing)?;
        let user = github.user().await?;
        self.secrets.set(&token_name(Platform::GithubPages), args.token.trim())?;
        Ok(GithubAccount { login: user.login })
    }

    /// Creates a GitHub repository for the project, makes it `origin` and
    /// pushes the current branch (committing first if there is nothing yet).
    pub async fn github_create_repo(&self, args: &GithubRepoArgs, sink: EventSink) -> Result<GitStatus> {
        let token = self.secrets.get(&token_name(Platform::GithubPages))?.ok_or_else(|| {
            Error::new(
                Code::AuthFailed,
                "Connect a GitHub account first (a personal access token with the repo scope).",
            )
        })?;
        let root = self.root(args.project_id)?;
        {
            let repo = GitRepo::open_or_init(&root)?;
            if repo.status()?.head.is_none() {
                repo.commit_all("Initial commit")?;
            }
        }
        let created = GitHub::new(&args.api_base, token, self.timing)?.create_repo(&args.name, args.private).await?;
        GitRepo::open_or_init(&root)?.set_remote("origin", &created.clone_url)?;
        tracing::info!(repo = created.full_name, "created a GitHub repository for the project");
        self.push_branch(root, "origin".to_owned(), sink).await
    }

    pub fn git_status(&self, project: ProjectId) -> Result<Option<GitStatus>> {
        GitRepo::open(&self.root(project)?)?.map(|repo| repo.status()).transpose()
    }

    pub fn git_init(&self, project: ProjectId) -> Result<GitStatus> {
        GitRepo::open_or_init(&self.root(project)?)?.status()
    }

    pub fn git_commit(&self, args: &CommitArgs) -> Result<GitStatus> {
        let repo = GitRepo::open_or_init(&self.root(args.project_id)?)?;
        if repo.commit_all(&args.message)?.is_none() {
            return Err(Error::new(Code::InvalidInput, "Nothing to commit: the project matches the last commit."));
        }
        repo.status()
    }

    pub fn git_history(&self, project: ProjectId) -> Result<Vec<CommitInfo>> {
        Ok(match GitRepo::open(&self.root(project)?)? {
            Some(repo) => repo.history(200)?,
            None => Vec::new(),
        })
    }

    pub fn git_create_ref(&self, args: &RefArgs) -> Result<GitStatus> {
        let repo = GitRepo::open(&self.root(args.project_id)?)?
            .ok_or_else(|| Error::new(Code::InvalidInput, "This project has no repository yet."))?;
        let name = args.name.trim();
        match args.kind {
            RefKind::Branch => repo.create_branch(name)?,
            RefKind::Tag => repo.create_tag(name, name)?,
        }
        repo.status()
    }

    /// Pushes the current branch, with the Git-remote token when there is
    /// one, reporting transfer progress to `sink`.
    pub async fn git_push(&self, args: &PushArgs, sink: EventSink) -> Result<GitStatus> {
        let root = self.root(args.project_id)?;
        self.push_branch(root, args.remote.trim().to_owned(), sink).await
    }

    /// Pushes the current branch to `remote` (a name or URL) with the token
    /// for its host: the GitHub token for github.com, else the Git-remote one.
    async fn push_branch(&self, root: PathBuf, remote: String, sink: EventSink) -> Result<GitStatus> {
        let github = self.secrets.get(&token_name(Platform::GithubPages))?;
        let other = self.secrets.get(&token_name(Platform::GitRemote))?;
        tokio::task::spawn_blocking(move || {
            let repo = GitRepo::open(&root)?
                .ok_or_else(|| Error::new(Code::InvalidInput, "This project has no repository yet."))?;
            let branch =
                repo.status()?.branch.ok_or_else(|| Error::new(Code::InvalidInput, "Check out a branch to push."))?;
            let url = repo.remote_url(&remote).unwrap_or_else(|| remote.clone());
            let token = if crate::git::url_host(&url) == Some("github.com") { github } else { other };
            let credentials = crate::targets::credentials_for(&url, token);
            let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
            repo.push(&remote, &[refspec], &credentials, &mut |progress| sink(DeployEvent::Push { progress }))?;
            repo.status()
        })
        .await
        .map_err(|error| Error::internal(format!("the push stopped: {error}")))?
    }

    /// Render and Railway build a commit of the repository connected to
    /// them, so the commit must be there: push the branch to `origin` first.
    /// Without an `origin` they build their repository's newest commit.
    async fn publish_commit(
        &self,
        root: &std::path::Path,
        platform: Platform,
        commit: Option<String>,
        log: &BuildLog,
    ) -> Result<Option<String>> {
        let origin = GitRepo::open(root)?.and_then(|repo| repo.remote_url("origin"));
        if origin.is_none() {
            log.line(format!(
                "No `origin` remote: {} builds the newest commit of the repository connected to it.",
                platform.label()
            ));
            return Ok(None);
        }
        let log_events = log.clone();
        let status = self
            .push_branch(root.to_path_buf(), "origin".to_owned(), Arc::new(move |event| log_events.event(event)))
            .await?;
        log.line(format!("Pushed {} to origin.", status.branch.as_deref().unwrap_or("the branch")));
        Ok(commit)
    }

    async fn run_deploy(
        &self,
        id: &str,
        target_id: &str,
        config: &TargetConfig,
        adapter: &dyn Target,
        root: &std::path::Path,
        log: &BuildLog,
    ) -> Result<(Deployed, Option<String>)> {
        let site = if config.platform.builds_remotely() {
            log.line(format!("{} builds the project itself: no local build.", config.platform.label()));
            Site { root: root.to_path_buf(), files: Vec::new() }
        } else {
            log.stage(Stage::Build);
            let plan = build::detect(root);
            log.line(format!("Building: {}", plan.framework));
            let output = build::run(root, &plan, log).await?;
            self.store.save_deployment_log(id, &log.text())?;
            Site::scan(&output)?
        };
        log.stage(Stage::Commit);
        let mut commit = commit_for_deploy(root, config.platform, log)?;
        if config.platform.builds_from_connected_repo() {
            commit = self.publish_commit(root, config.platform, commit, log).await?;
        }
        self.push_env(target_id, config.platform, adapter, log).await?;
        log.stage(Stage::Upload);
        self.store.save_deployment_log(id, &log.text())?;
        let job = Job { site: &site, project_root: root.to_path_buf(), commit: commit.clone(), log };
        let deployed = adapter.deploy(&job).await?;
        Ok((deployed, commit))
    }

    /// Sends the target's env vars to the platform before a deploy.
    async fn push_env(&self, target: &str, platform: Platform, adapter: &dyn Target, log: &BuildLog) -> Result<()> {
        let vars = self.stored_env(target)?;
        if vars.is_empty() {
            return Ok(());
        }
        log.line(format!("Setting {} environment variable(s) on {}", vars.len(), platform.label()));
        adapter.set_env(&vars).await
    }

    fn finish(
        &self,
        id: &str,
        result: Result<(&Deployed, Option<&str>), &Error>,
        log: &BuildLog,
    ) -> Result<DeploymentRecord> {
        let (state, error) = match &result {
            Ok(_) => (DeployState::Ready, None),
            Err(error) => (DeployState::Failed, Some(error.message.as_str())),
        };
        match &result {
            Ok((deployed, _)) => {
                let url = deployed.url.as_deref().map(|url| format!(" at {url}")).unwrap_or_default();
                log.line(format!("Live{url}."));
            }
            Err(error) => log.line(format!("Failed: {}", error.message)),
        }
        log.stage(Stage::Done);
        let deployed = result.as_ref().ok().map(|(deployed, _)| *deployed);
        let outcome = DeploymentOutcome {
            state,
            commit_id: result.as_ref().ok().and_then(|(_, commit)| *commit),
            platform_id: deployed.map(|deployed| deployed.platform_id.as_str()),
            url: deployed.and_then(|deployed| deployed.url.as_deref()),
            error,
            uploaded_files: deployed.map_or(0, |deployed| deployed.uploaded_files),
            uploaded_bytes: deployed.map_or(0, |deployed| deployed.uploaded_bytes),
            log: &log.text(),
        };
        self.store.finish_deployment(id, &outcome)?;
        match result {
            Ok(_) => self.store.deployment(id)?.ok_or_else(|| Error::internal("the deployment's record vanished")),
            Err(error) => Err(error.clone()),
        }
    }

    fn adapter(&self, config: &TargetConfig) -> Result<Arc<dyn Target>> {
        let token = self.secrets.get(&token_name(config.platform))?;
        let needs_token = !matches!(config.platform, Platform::GitRemote);
        if needs_token && token.is_none() {
            return Err(Error::new(
                Code::AuthFailed,
                format!("Connect {} first: add an API token in the target's settings.", config.platform.label()),
            ));
        }
        targets::adapter(config, token, self.timing)
    }

    fn target(&self, id: &str) -> Result<(DeployTargetRecord, TargetConfig)> {
        let record = self
            .store
            .deploy_target(id)?
            .ok_or_else(|| Error::new(Code::NotFound, "That deployment target no longer exists."))?;
        let config = serde_json::from_str(&record.config)
            .map_err(|error| Error::internal(format!("the target's saved settings are unreadable: {error}")))?;
        Ok((record, config))
    }

    fn stored_env(&self, target: &str) -> Result<Vec<EnvVar>> {
        self.store
            .deploy_env(target)?
            .into_iter()
            .map(|(name, secret)| {
                let value = self.secrets.get(&env_secret_name(target, &name))?.unwrap_or_default();
                Ok(EnvVar { name, value, secret })
            })
            .collect()
    }

    fn target_view(&self, record: &DeployTargetRecord) -> Result<TargetView> {
        let config: TargetConfig = serde_json::from_str(&record.config)
            .map_err(|error| Error::internal(format!("the target's saved settings are unreadable: {error}")))?;
        // A keyring that cannot be read shows as "not connected".
        let has_token = self.secrets.get(&token_name(config.platform)).ok().flatten().is_some();
        Ok(TargetView { id: record.id.clone(), label: config.platform.label().to_owned(), config, has_token })
    }

    fn root(&self, project: ProjectId) -> Result<PathBuf> {
        Ok(PathBuf::from(self.store.project(project)?.root))
    }

    /// One deployment per project at a time: two would build in the same
    /// folder and commit to the same index.
    fn claim(&self, project: ProjectId) -> Result<Running<'_>> {
        let mut running = self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !running.insert(project) {
            return Err(Error::new(Code::Conflict, "A deployment of this project is already running."));
        }
        Ok(Running { deployer: self, project })
    }

    fn new_id(&self, kind: &str) -> String {
        format!("{kind}-{:x}-{:x}", now_millis(), self.next_id.fetch_add(1, Ordering::Relaxed))
    }
}

/// Releases a project's "deployment running" claim when dropped.
struct Running<'a> {
    deployer: &'a Deployer,
    project: ProjectId,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.deployer.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&self.project);
    }
}

/// Commits the project's current state so the deployment records exactly
/// what went out. A project without a repository gets one when the platform
/// deploys from git; otherwise it deploys without a commit.
fn commit_for_deploy(root: &std::path::Path, platform: Platform, log: &BuildLog) -> Result<Option<String>> {
    let repo = match GitRepo::open(root)? {
        Some(repo) => repo,
        None if platform.deploys_from_git() => {
            log.line("Creating a git repository for the project.");
            GitRepo::open_or_init(root)?
        }
        None => return Ok(None),
    };
    if let Some(commit) = repo.commit_all(&format!("Deploy to {}", platform.label()))? {
        log.line(format!("Committed {} \"{}\"", short(&commit.id), commit.summary));
    }
    Ok(repo.status()?.head.map(|head| head.id))
}

fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

fn to_json(config: &TargetConfig) -> Result<String> {
    serde_json::to_string(config).map_err(|error| Error::internal(format!("could not save the target: {error}")))
}

fn token_name(platform: Platform) -> String {
    format!("deploy.{}.token", platform.slug())
}

fn env_secret_name(target: &str, name: &str) -> String {
    format!("deploy.env.{target}.{name}")
}
