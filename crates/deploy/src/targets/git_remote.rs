//! Any git remote you own (a self-hosted server, a Dokku-style host that
//! builds on push): each deploy is a commit on a local deploy ref holding the
//! project commit's files, pushed to the remote's deploy branch. Rollback
//! pushes a new commit with an earlier deployment's files, so the remote's
//! history is never rewritten.

use std::path::PathBuf;

use async_trait::async_trait;
use flashfusion_core::{Code, Error, Result};
use sha1::Digest;

use super::{required, Deployed, Job, Platform, Target, TargetConfig};
use crate::git::{Credentials, DeploySource, GitRepo};
use crate::log::{BuildLog, DeployEvent, Stage};

pub struct GitRemote {
    url: String,
    branch: String,
    credentials: Credentials,
}

impl GitRemote {
    pub fn new(config: &TargetConfig, token: Option<String>) -> Result<Self> {
        let url = required(&config.site, Platform::GitRemote, "the remote's URL")?.to_owned();
        let branch = if config.branch.trim().is_empty() { "main".to_owned() } else { config.branch.trim().to_owned() };
        Ok(Self { credentials: credentials_for(&url, token), url, branch })
    }

    async fn push(&self, root: PathBuf, source: DeploySource, message: String, log: &BuildLog) -> Result<Deployed> {
        let push =
            Push { root, url: self.url.clone(), branch: self.branch.clone(), credentials: self.credentials.clone() };
        push.run(source, message, log).await
    }
}

/// Where a deployment commit goes: the project's repository, the remote and
/// its branch, and how to sign in.
pub struct Push {
    pub root: PathBuf,
    pub url: String,
    pub branch: String,
    pub credentials: Credentials,
}

impl Push {
    /// [`push_deploy`] on the blocking pool: libgit2 blocks, the adapters
    /// are async.
    pub async fn run(self, source: DeploySource, message: String, log: &BuildLog) -> Result<Deployed> {
        let log = log.clone();
        tokio::task::spawn_blocking(move || {
            push_deploy(&self.root, &self.url, &self.branch, &self.credentials, &source, &message, &log)
        })
        .await
        .map_err(|error| Error::internal(format!("the push stopped: {error}")))?
    }
}

/// Commits `source` on the local deploy ref and pushes it to `branch`.
pub fn push_deploy(
    root: &std::path::Path,
    url: &str,
    branch: &str,
    credentials: &Credentials,
    source: &DeploySource,
    message: &str,
    log: &BuildLog,
) -> Result<Deployed> {
    let repo = GitRepo::open(root)?
        .ok_or_else(|| Error::new(Code::InvalidInput, "This project has no git repository: commit it first."))?;
    // One local ref per remote and branch: two targets never share history.
    let remote_key = flashfusion_core::hex(&sha1::Sha1::digest(url.as_bytes()));
    let local_ref = format!("refs/flashfusion/deploy/{}/{branch}", &remote_key[..12]);
    let commit = repo.commit_deploy(&local_ref, source, message)?;
    log.line(format!("Pushing {} to {} ({branch})", &commit[..commit.len().min(8)], crate::git::redact_url(url)));
    repo.push(url, &[format!("{local_ref}:refs/heads/{branch}")], credentials, &mut |progress| {
        log.event(DeployEvent::Push { progress });
    })?;
    log.line("Pushed.");
    Ok(Deployed { platform_id: commit, ..Deployed::default() })
}

/// How to authenticate to `url`: ssh-agent for SSH remotes; the token for
/// HTTPS (or plain HTTP on this machine), going with the user named in the URL
/// (`https://alice@host/…`) or GitHub's `x-access-token` convention. A token
/// never goes over plain HTTP to another machine.
pub fn credentials_for(url: &str, token: Option<String>) -> Credentials {
    let Some((scheme, _)) = url.split_once("://") else {
        // `git@host:path` is SSH; a bare path is a local repository.
        return if url.starts_with('/') { Credentials::None } else { Credentials::SshAgent };
    };
    let host = crate::git::url_host(url).unwrap_or_default();
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    match scheme {
        "ssh" | "git+ssh" | "ssh+git" => return Credentials::SshAgent,
        "https" => {}
        "http" if loopback => {}
        _ => return Credentials::None,
    }
    let Some(token) = token.filter(|token| !token.is_empty()) else { return Credentials::None };
    let username = url
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .and_then(|authority| authority.rsplit_once('@'))
        .map(|(user, _)| user.split(':').next().unwrap_or(user).to_owned())
        .unwrap_or_else(|| "x-access-token".to_owned());
    Credentials::Token { username, token }
}

#[async_trait]
impl Target for GitRemote {
    fn platform(&self) -> Platform {
        Platform::GitRemote
    }

    async fn deploy(&self, job: &Job<'_>) -> Result<Deployed> {
        let commit = job.commit.clone().ok_or_else(|| {
            Error::new(Code::InvalidInput, "A git remote deploys a commit: commit the project first.")
        })?;
        job.log.stage(Stage::Upload);
        let message = format!("Deploy {commit}");
        self.push(job.project_root.clone(), DeploySource::Commit(commit), message, job.log).await
    }

    async fn rollback(&self, platform_id: &str, job: &Job<'_>) -> Result<Deployed> {
        job.log.stage(Stage::Upload);
        let message = format!("Roll back to {platform_id}");
        self.push(job.project_root.clone(), DeploySource::Commit(platform_id.to_owned()), message, job.log).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_goes_with_the_user_in_the_url() {
        let named = credentials_for("https://alice@git.example.com/site.git", Some("pw".into()));
        assert_eq!(named, Credentials::Token { username: "alice".into(), token: "pw".into() });
        let github = credentials_for("https://github.com/me/site.git", Some("ghp".into()));
        assert_eq!(github, Credentials::Token { username: "x-access-token".into(), token: "ghp".into() });
        assert_eq!(credentials_for("git@github.com:me/site.git", Some("ghp".into())), Credentials::SshAgent);
        assert_eq!(credentials_for("ssh://git@host/site.git", Some("ghp".into())), Credentials::SshAgent);
        assert_eq!(credentials_for("file:///srv/site.git", Some("ghp".into())), Credentials::None);
        assert_eq!(
            credentials_for("http://git.example.com/site.git", Some("pw".into())),
            Credentials::None,
            "no token over plain HTTP"
        );
        let local = credentials_for("http://alice@127.0.0.1:8080/site.git", Some("pw".into()));
        assert_eq!(local, Credentials::Token { username: "alice".into(), token: "pw".into() });
    }
}
