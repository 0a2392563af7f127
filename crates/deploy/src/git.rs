//! A project's git repository through libgit2: initialise (with a sensible
//! `.gitignore`), status, commit everything, history, branches, tags, and
//! push with credentials from the keyring or ssh-agent and transfer progress.
//! Nothing here rewrites local history: a refused push changes nothing local.

use std::path::{Path, PathBuf};

use flashfusion_core::{Code, Error, Result};
use git2::{BranchType, Cred, CredentialType, IndexAddOption, PushOptions, RemoteCallbacks, Repository, StatusOptions};
use serde::Serialize;
use ts_rs::TS;

/// Written when a project gets a repository and has no `.gitignore` yet.
const DEFAULT_GITIGNORE: &str = "\
# Dependencies and build output
node_modules/
dist/
build/
.next/
target/
__pycache__/
*.pyc

# Secrets never belong in a repository
.env
.env.*
!.env.example
*.pem
*.key

# Editors and the OS
.vscode/
.idea/
.DS_Store
*.log
";

#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CommitInfo {
    pub id: String,
    pub summary: String,
    pub author: String,
    /// Seconds since the epoch.
    #[ts(type = "number")]
    pub time: i64,
}

#[derive(Debug, Clone, Copy, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Modified,
    Deleted,
    Renamed,
    Untracked,
}

#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub kind: ChangeKind,
}

#[derive(Debug, Clone, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GitStatus {
    /// The current branch; `None` when HEAD is detached.
    pub branch: Option<String>,
    pub head: Option<CommitInfo>,
    pub changes: Vec<FileChange>,
    pub branches: Vec<String>,
    pub tags: Vec<String>,
}

/// What a deployment commit holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeploySource {
    /// The files of a project commit (a git-built platform builds from them).
    Commit(String),
    /// A built site's folder, for GitHub Pages to serve as is: the commit
    /// also holds an empty `.nojekyll`, without which Pages runs Jekyll over
    /// the site and drops `_`-prefixed folders (`_next/`, `_app/`).
    Folder(PathBuf),
}

/// How to authenticate a push.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    None,
    /// HTTPS basic authentication; for GitHub the token is the password.
    Token {
        username: String,
        token: String,
    },
    /// SSH keys held by the running ssh-agent.
    SshAgent,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::None => formatter.write_str("None"),
            Self::Token { username, .. } => write!(formatter, "Token {{ username: {username:?}, token: <hidden> }}"),
            Self::SshAgent => formatter.write_str("SshAgent"),
        }
    }
}

/// Where a push stands, for a progress bar.
#[derive(Debug, Clone, Copy, Serialize, TS, PartialEq, Eq)]
#[serde(rename_all = "camelCase", tag = "stage")]
pub enum PushProgress {
    /// Objects packed so far, of the total.
    Packing { done: u32, total: u32 },
    /// Objects sent so far, of the total, and the bytes sent.
    Sending {
        done: u32,
        total: u32,
        #[ts(type = "number")]
        bytes: u64,
    },
}

pub struct GitRepo {
    repository: Repository,
    root: PathBuf,
}

impl GitRepo {
    /// Opens the repository at `root`, if the project has one.
    pub fn open(root: &Path) -> Result<Option<Self>> {
        match Repository::open(root) {
            Ok(repository) => Ok(Some(Self { repository, root: root.to_path_buf() })),
            Err(error) if error.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(error) => Err(git_error("open the repository", &error)),
        }
    }

    /// Opens the project's repository, creating one (on branch `main`, with a
    /// `.gitignore` unless the project has its own) if there is none.
    pub fn open_or_init(root: &Path) -> Result<Self> {
        if let Some(repo) = Self::open(root)? {
            return Ok(repo);
        }
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main");
        let repository =
            Repository::init_opts(root, &options).map_err(|error| git_error("create a repository", &error))?;
        let gitignore = root.join(".gitignore");
        if !gitignore.exists() {
            std::fs::write(&gitignore, DEFAULT_GITIGNORE)
                .map_err(|error| Error::new(Code::Io, format!("could not write {}: {error}", gitignore.display())))?;
        }
        tracing::info!(root = %root.display(), "initialised a git repository");
        Ok(Self { repository, root: root.to_path_buf() })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn status(&self) -> Result<GitStatus> {
        let mut options = StatusOptions::new();
        options.include_untracked(true).recurse_untracked_dirs(true).renames_head_to_index(true);
        let statuses =
            self.repository.statuses(Some(&mut options)).map_err(|error| git_error("read the status", &error))?;
        let changes = statuses
            .iter()
            .filter_map(|entry| {
                Some(FileChange { path: entry.path().ok()?.to_owned(), kind: change_kind(entry.status())? })
            })
            .collect();
        let tags = self.repository.tag_names(None).map_err(|error| git_error("list tags", &error))?;
        Ok(GitStatus {
            branch: self.current_branch(),
            head: self.head_commit()?.map(|commit| commit_info(&commit)),
            changes,
            branches: self.branch_names()?,
            tags: tags.iter().filter_map(|tag| tag.ok().flatten().map(str::to_owned)).collect(),
        })
    }

    /// Stages every change (respecting `.gitignore`) and commits it. `None`
    /// when there was nothing to commit.
    pub fn commit_all(&self, message: &str) -> Result<Option<CommitInfo>> {
        let message = message.trim();
        if message.is_empty() {
            return Err(Error::new(Code::InvalidInput, "A commit needs a message."));
        }
        let mut index = self.repository.index().map_err(|error| git_error("read the index", &error))?;
        index
            .add_all(["*"], IndexAddOption::DEFAULT, Some(&mut skip_secrets))
            .and_then(|()| index.update_all(["*"], None))
            .and_then(|()| index.write())
            .map_err(|error| git_error("stage the changes", &error))?;
        let tree_id = index.write_tree().map_err(|error| git_error("write the tree", &error))?;
        let parent = self.head_commit()?;
        if parent.as_ref().is_some_and(|parent| parent.tree_id() == tree_id) {
            return Ok(None);
        }
        let tree = self.repository.find_tree(tree_id).map_err(|error| git_error("read the tree", &error))?;
        let signature = self.signature()?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = self
            .repository
            .commit(Some("HEAD"), &signature, &signature, message, &tree, &parents)
            .map_err(|error| git_error("commit", &error))?;
        let commit = self.repository.find_commit(id).map_err(|error| git_error("read the new commit", &error))?;
        Ok(Some(commit_info(&commit)))
    }

    /// The newest `limit` commits reachable from HEAD.
    pub fn history(&self, limit: usize) -> Result<Vec<CommitInfo>> {
        if self.head_commit()?.is_none() {
            return Ok(Vec::new());
        }
        let mut walk = self.repository.revwalk().map_err(|error| git_error("walk the history", &error))?;
        walk.push_head().map_err(|error| git_error("walk the history", &error))?;
        walk.take(limit)
            .map(|id| {
                let id = id.map_err(|error| git_error("walk the history", &error))?;
                let commit = self.repository.find_commit(id).map_err(|error| git_error("read a commit", &error))?;
                Ok(commit_info(&commit))
            })
            .collect()
    }

    pub fn create_branch(&self, name: &str) -> Result<()> {
        let head = self.require_head()?;
        self.repository
            .branch(name, &head, false)
            .map_err(|error| git_error(&format!("create branch {name}"), &error))?;
        Ok(())
    }

    /// An annotated tag on HEAD.
    pub fn create_tag(&self, name: &str, message: &str) -> Result<()> {
        let head = self.require_head()?;
        let signature = self.signature()?;
        self.repository
            .tag(name, head.as_object(), &signature, message, false)
            .map_err(|error| git_error(&format!("create tag {name}"), &error))?;
        Ok(())
    }

    /// Points `name` at `url`, creating the remote if needed.
    pub fn set_remote(&self, name: &str, url: &str) -> Result<()> {
        let existing = self.remote_url(name);
        let result = match existing {
            Some(current) if current == url => Ok(()),
            Some(_) => self.repository.remote_set_url(name, url),
            None => self.repository.remote(name, url).map(drop),
        };
        result.map_err(|error| git_error(&format!("set remote {name}"), &error))
    }

    pub fn remote_url(&self, name: &str) -> Option<String> {
        self.repository.find_remote(name).ok().and_then(|remote| remote.url().ok().map(str::to_owned))
    }

    /// Records a deployment as a commit on the local ref `local_ref` (under
    /// `refs/flashfusion/`, never a user's branch), whose parent is that ref's
    /// previous tip, so each push of it is a fast-forward. The tree is what
    /// `source` names; nothing in the working tree or the user's branches moves.
    pub fn commit_deploy(&self, local_ref: &str, source: &DeploySource, message: &str) -> Result<String> {
        let tree_id = match source {
            DeploySource::Commit(id) => {
                let id = git2::Oid::from_str(id).map_err(|error| git_error("read the commit id", &error))?;
                let commit = self.repository.find_commit(id).map_err(|error| git_error("find the commit", &error))?;
                commit.tree_id()
            }
            DeploySource::Folder(folder) => self.write_folder(folder)?,
        };
        let tree = self.repository.find_tree(tree_id).map_err(|error| git_error("read the tree", &error))?;
        let parent =
            self.repository.find_reference(local_ref).ok().and_then(|reference| reference.peel_to_commit().ok());
        if let Some(parent) = parent.as_ref().filter(|parent| parent.tree_id() == tree_id) {
            return Ok(parent.id().to_string());
        }
        let signature = self.signature()?;
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let id = self
            .repository
            .commit(Some(local_ref), &signature, &signature, message, &tree, &parents)
            .map_err(|error| git_error("record the deployment", &error))?;
        Ok(id.to_string())
    }

    /// Stores a folder's files, and an empty `.nojekyll`, as a tree (blobs
    /// git already has are reused).
    fn write_folder(&self, folder: &Path) -> Result<git2::Oid> {
        let site = crate::site::Site::scan(folder)?;
        let mut index = git2::Index::new().map_err(|error| git_error("make an index", &error))?;
        let files = site.files.iter().map(|file| site.read(file).map(|bytes| (file.path.as_str(), bytes)));
        for entry in std::iter::once(Ok((".nojekyll", Vec::new()))).chain(files) {
            let (path, bytes) = entry?;
            let id = self.repository.blob(&bytes).map_err(|error| git_error("store a file", &error))?;
            let path = path.as_bytes().to_vec();
            let entry = git2::IndexEntry {
                ctime: git2::IndexTime::new(0, 0),
                mtime: git2::IndexTime::new(0, 0),
                dev: 0,
                ino: 0,
                mode: 0o100_644,
                uid: 0,
                gid: 0,
                file_size: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
                id,
                flags: u16::try_from(path.len().min(0xfff)).unwrap_or(0xfff),
                flags_extended: 0,
                path,
            };
            index.add(&entry).map_err(|error| git_error("stage a file", &error))?;
        }
        index.write_tree_to(&self.repository).map_err(|error| git_error("write the tree", &error))
    }

    /// Pushes `refspecs` to `remote` (a remote name or a URL). Fails with
    /// `auth_failed` after the first refused credentials, `rejected` when the
    /// remote refuses a ref (non-fast-forward), `offline` when it cannot be
    /// reached. Nothing local changes either way.
    pub fn push(
        &self,
        remote: &str,
        refspecs: &[String],
        credentials: &Credentials,
        progress: &mut dyn FnMut(PushProgress),
    ) -> Result<()> {
        let mut remote = match self.repository.find_remote(remote) {
            Ok(found) => found,
            Err(_) => self.repository.remote_anonymous(remote).map_err(|error| git_error("use the remote", &error))?,
        };
        let display_url = remote.url().map(redact_url).unwrap_or_default();
        let mut attempts = 0;
        let mut refused: Vec<String> = Vec::new();
        let progress = std::cell::RefCell::new(progress);
        let result = {
            let mut callbacks = RemoteCallbacks::new();
            callbacks.credentials(|_url, username_from_url, allowed| {
                // SSH first asks for a user name alone: not an attempt.
                if allowed != CredentialType::USERNAME {
                    attempts += 1;
                }
                // libgit2 asks again after refused credentials (up to 15
                // times): the second ask means the first answer was wrong.
                if attempts > 1 {
                    return Err(git2::Error::from_str("credentials refused"));
                }
                credential_for(credentials, username_from_url, allowed)
            });
            callbacks.pack_progress(|_stage, done, total| {
                (progress.borrow_mut())(PushProgress::Packing { done: count(done), total: count(total) });
            });
            callbacks.push_transfer_progress(|done, total, bytes| {
                (progress.borrow_mut())(PushProgress::Sending {
                    done: count(done),
                    total: count(total),
                    bytes: bytes as u64,
                });
            });
            callbacks.push_update_reference(|reference, status| {
                if let Some(message) = status {
                    refused.push(format!("{reference}: {message}"));
                }
                Ok(())
            });
            let mut options = PushOptions::new();
            // Pack with every core, as command-line git does (libgit2 uses one).
            options.remote_callbacks(callbacks).packbuilder_parallelism(0);
            remote.push(refspecs, Some(&mut options))
        };
        if let Err(error) = result {
            return Err(push_error(&error, attempts, &display_url));
        }
        if !refused.is_empty() {
            return Err(Error::new(
                Code::Rejected,
                format!(
                    "{display_url} refused the push ({}). Nothing local was changed; fetch and merge the remote's changes, then push again.",
                    refused.join("; ")
                ),
            ));
        }
        Ok(())
    }

    fn current_branch(&self) -> Option<String> {
        let head = self.repository.head().ok();
        match head {
            Some(head) if head.is_branch() => head.shorthand().ok().map(str::to_owned),
            Some(_) => None,
            // An unborn branch: HEAD names it but no commit exists yet.
            None => self.repository.find_reference("HEAD").ok().and_then(|head| {
                head.symbolic_target().ok().flatten().map(|target| target.trim_start_matches("refs/heads/").to_owned())
            }),
        }
    }

    fn branch_names(&self) -> Result<Vec<String>> {
        let branches =
            self.repository.branches(Some(BranchType::Local)).map_err(|error| git_error("list branches", &error))?;
        Ok(branches.flatten().filter_map(|(branch, _)| branch.name().ok().flatten().map(str::to_owned)).collect())
    }

    fn head_commit(&self) -> Result<Option<git2::Commit<'_>>> {
        match self.repository.head() {
            Ok(head) => head.peel_to_commit().map(Some).map_err(|error| git_error("read HEAD", &error)),
            Err(error) if matches!(error.code(), git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound) => Ok(None),
            Err(error) => Err(git_error("read HEAD", &error)),
        }
    }

    fn require_head(&self) -> Result<git2::Commit<'_>> {
        self.head_commit()?.ok_or_else(|| Error::new(Code::InvalidInput, "Commit something first."))
    }

    /// The user's configured identity, or a stand-in so a first commit works
    /// on a machine where git was never configured.
    fn signature(&self) -> Result<git2::Signature<'static>> {
        self.repository
            .signature()
            .or_else(|_| git2::Signature::now("FlashFusion", "flashfusion@localhost"))
            .map_err(|error| git_error("make a signature", &error))
    }
}

/// Keeps files that may hold credentials out of a commit even when the
/// project's `.gitignore` forgets them (1 = skip, 0 = add).
fn skip_secrets(path: &Path, _spec: &[u8]) -> i32 {
    i32::from(flashfusion_core::secret_files::is_secret(&path.to_string_lossy()))
}

fn credential_for(
    credentials: &Credentials,
    username_from_url: Option<&str>,
    allowed: CredentialType,
) -> Result<Cred, git2::Error> {
    match credentials {
        Credentials::Token { username, token } if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) => {
            Cred::userpass_plaintext(username, token)
        }
        Credentials::SshAgent if allowed.contains(CredentialType::SSH_KEY) => {
            Cred::ssh_key_from_agent(username_from_url.unwrap_or("git"))
        }
        _ if allowed.contains(CredentialType::USERNAME) => Cred::username(username_from_url.unwrap_or("git")),
        _ => Err(git2::Error::from_str("no credentials for this remote")),
    }
}

fn push_error(error: &git2::Error, attempts: u32, url: &str) -> Error {
    if attempts > 1 || error.class() == git2::ErrorClass::Http && error.message().contains("401") {
        return Error::new(
            Code::AuthFailed,
            format!("{url} refused the credentials. Check the token (it needs permission to push) and try again."),
        );
    }
    if error.message().contains("no credentials") {
        return Error::new(Code::AuthFailed, format!("{url} asks for credentials: connect an account or add a token."));
    }
    if matches!(error.class(), git2::ErrorClass::Net | git2::ErrorClass::Os | git2::ErrorClass::Ssl)
        || error.message().contains("failed to connect")
    {
        return Error::new(Code::Offline, format!("Could not reach {url}: {}", error.message()));
    }
    if error.code() == git2::ErrorCode::NotFastForward {
        return Error::new(
            Code::Rejected,
            format!("{url} refused the push: the remote has commits this branch lacks."),
        );
    }
    git_error(&format!("push to {url}"), error)
}

fn git_error(action: &str, error: &git2::Error) -> Error {
    Error::new(Code::Io, format!("git could not {action}: {}", error.message()))
}

fn change_kind(status: git2::Status) -> Option<ChangeKind> {
    use git2::Status;
    if status.contains(Status::WT_NEW) {
        Some(ChangeKind::Untracked)
    } else if status.intersects(Status::INDEX_NEW) {
        Some(ChangeKind::Added)
    } else if status.intersects(Status::INDEX_DELETED | Status::WT_DELETED) {
        Some(ChangeKind::Deleted)
    } else if status.intersects(Status::INDEX_RENAMED | Status::WT_RENAMED) {
        Some(ChangeKind::Renamed)
    } else if status
        .intersects(Status::INDEX_MODIFIED | Status::WT_MODIFIED | Status::INDEX_TYPECHANGE | Status::WT_TYPECHANGE)
    {
        Some(ChangeKind::Modified)
    } else {
        None
    }
}

fn commit_info(commit: &git2::Commit<'_>) -> CommitInfo {
    CommitInfo {
        id: commit.id().to_string(),
        summary: commit.summary().ok().flatten().unwrap_or_default().to_owned(),
        author: commit.author().name().unwrap_or_default().to_owned(),
        time: commit.time().seconds(),
    }
}

fn count(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The host of a `scheme://[user@]host[:port]/…` URL (without the port).
pub fn url_host(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if host.starts_with('[') {
        return host.split_inclusive(']').next();
    }
    host.split(':').next()
}

/// A URL without any user, password or query, for messages and logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/').map_or((rest, ""), |(authority, path)| (authority, path));
    let host = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    if path.is_empty() {
        format!("{scheme}://{host}")
    } else {
        format!("{scheme}://{host}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(redact_url("https://me:secret@example.com/a/b.git?x=1"), "https://example.com/a/b.git");
        assert_eq!(redact_url("https://example.com"), "https://example.com");
        assert_eq!(redact_url("git@github.com:me/site.git"), "git@github.com:me/site.git");
        assert_eq!(url_host("https://me:pw@github.com:443/a.git"), Some("github.com"));
        assert_eq!(url_host("https://evil.example/github.com/x.git"), Some("evil.example"));
        assert_eq!(url_host("git@github.com:me/x.git"), None);
    }

    #[test]
    fn tokens_never_appear_in_debug_output() {
        let credentials = Credentials::Token { username: "me".into(), token: "ghp_secret".into() };
        assert!(!format!("{credentials:?}").contains("ghp_secret"));
    }
}
