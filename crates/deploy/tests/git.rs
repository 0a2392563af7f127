//! Real git: a project repository pushed to bare repositories over `file://`
//! and over smart HTTP (Debian git's `git http-backend` behind basic auth).
#![allow(clippy::unwrap_used)]

use std::path::Path;

use flashfusion_core::Code;
use flashfusion_deploy::git::{ChangeKind, Credentials, GitRepo, PushProgress};
use flashfusion_deploy::test_server::serve_git_http;

fn write(root: &Path, path: &str, contents: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

fn bare(path: &Path) -> git2::Repository {
    git2::Repository::init_bare(path).unwrap()
}

fn branch_tip(repo: &git2::Repository, branch: &str) -> Option<String> {
    repo.find_reference(&format!("refs/heads/{branch}"))
        .ok()
        .and_then(|reference| reference.target())
        .map(|id| id.to_string())
}

fn push_main(
    repo: &GitRepo,
    remote: &str,
    credentials: &Credentials,
) -> (flashfusion_core::Result<()>, Vec<PushProgress>) {
    let mut events = Vec::new();
    let result = repo
        .push(remote, &["refs/heads/main:refs/heads/main".to_owned()], credentials, &mut |event| events.push(event));
    (result, events)
}

#[test]
fn init_commit_status_history_branches_and_tags() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "index.html", "<h1>hi</h1>");
    write(dir.path(), "node_modules/dep/index.js", "module.exports = 1");
    write(dir.path(), ".env", "SECRET=1");
    let repo = GitRepo::open_or_init(dir.path()).unwrap();
    assert!(dir.path().join(".gitignore").is_file(), "a sensible .gitignore is created");

    let status = repo.status().unwrap();
    assert_eq!(status.branch.as_deref(), Some("main"));
    assert!(status.head.is_none());
    let untracked: Vec<_> = status.changes.iter().map(|change| (change.path.as_str(), change.kind)).collect();
    assert_eq!(untracked, [(".gitignore", ChangeKind::Untracked), ("index.html", ChangeKind::Untracked)]);

    let first = repo.commit_all("First version").unwrap().unwrap();
    assert!(repo.commit_all("Nothing changed").unwrap().is_none());
    assert_eq!(repo.commit_all("  ").unwrap_err().code, Code::InvalidInput);
    write(dir.path(), "index.html", "<h1>v2</h1>");
    assert_eq!(repo.status().unwrap().changes[0].kind, ChangeKind::Modified);
    let second = repo.commit_all("Second version").unwrap().unwrap();
    let history = repo.history(10).unwrap();
    assert_eq!(history.iter().map(|commit| commit.id.as_str()).collect::<Vec<_>>(), [&*second.id, &*first.id]);
    assert_eq!(history[0].summary, "Second version");

    repo.create_branch("feature").unwrap();
    repo.create_tag("v1.0", "First release").unwrap();
    let status = repo.status().unwrap();
    assert_eq!(status.branches, ["feature", "main"]);
    assert_eq!(status.tags, ["v1.0"]);
    assert!(status.changes.is_empty(), "ignored files stay out: {:?}", status.changes);
    assert!(repo.create_branch("feature").is_err(), "an existing branch is not overwritten");
}

#[test]
fn pushes_over_file_with_progress_and_refuses_a_non_fast_forward() {
    let dir = tempfile::tempdir().unwrap();
    let remote = dir.path().join("remote.git");
    let bare = bare(&remote);
    let url = format!("file://{}", remote.display());
    let project = dir.path().join("project");
    write(&project, "index.html", "v1");
    let repo = GitRepo::open_or_init(&project).unwrap();
    let commit = repo.commit_all("v1").unwrap().unwrap();
    repo.set_remote("origin", &url).unwrap();
    let (result, events) = push_main(&repo, "origin", &Credentials::None);
    result.unwrap();
    assert_eq!(branch_tip(&bare, "main").as_deref(), Some(&*commit.id));
    assert!(
        events.iter().any(|event| matches!(event, PushProgress::Sending { .. } | PushProgress::Packing { .. })),
        "{events:?}"
    );

    // Someone else's history lands on the remote first.
    let other = dir.path().join("other");
    write(&other, "index.html", "theirs");
    let theirs = GitRepo::open_or_init(&other).unwrap();
    theirs.commit_all("theirs").unwrap();
    theirs.push(&url, &["+refs/heads/main:refs/heads/main".to_owned()], &Credentials::None, &mut |_| {}).unwrap();
    let their_tip = branch_tip(&bare, "main");

    write(&project, "index.html", "v2");
    let mine = repo.commit_all("v2").unwrap().unwrap();
    let error = push_main(&repo, "origin", &Credentials::None).0.unwrap_err();
    assert_eq!(error.code, Code::Rejected, "{error}");
    assert!(error.message.contains("Nothing local was changed") || error.message.contains("lacks"), "{error}");
    assert_eq!(branch_tip(&bare, "main"), their_tip, "the remote keeps its history");
    assert_eq!(repo.history(1).unwrap()[0].id, mine.id, "nothing local was rewritten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_over_smart_http_with_basic_auth() {
    let dir = tempfile::tempdir().unwrap();
    let served = dir.path().join("served");
    let bare = bare(&served.join("site.git"));
    let base = serve_git_http(&served, "alice", "s3cret").await.unwrap();
    let project = dir.path().join("project");
    write(&project, "index.html", "v1");
    let (url, tip) = {
        let repo = GitRepo::open_or_init(&project).unwrap();
        (format!("{base}/site.git"), repo.commit_all("v1").unwrap().unwrap().id)
    };

    let outcome = tokio::task::spawn_blocking({
        let (project, url) = (project.clone(), url.clone());
        move || {
            let repo = GitRepo::open(&project).unwrap().unwrap();
            let wrong = Credentials::Token { username: "alice".into(), token: "wrong".into() };
            let refused = push_main(&repo, &url, &wrong).0.unwrap_err();
            let none = push_main(&repo, &url, &Credentials::None).0.unwrap_err();
            let right = Credentials::Token { username: "alice".into(), token: "s3cret".into() };
            let (pushed, events) = push_main(&repo, &url, &right);
            (refused, none, pushed, events)
        }
    })
    .await
    .unwrap();
    let (refused, none, pushed, events) = outcome;
    assert_eq!(refused.code, Code::AuthFailed, "{refused}");
    assert!(refused.message.contains("refused the credentials"), "{refused}");
    assert!(!refused.message.contains("s3cret") && !refused.message.contains("wrong"));
    assert_eq!(none.code, Code::AuthFailed, "{none}");
    pushed.unwrap();
    assert_eq!(branch_tip(&bare, "main").as_deref(), Some(&*tip));
    assert!(events.iter().any(|event| matches!(event, PushProgress::Sending { .. })), "{events:?}");

    let unreachable = tokio::task::spawn_blocking(move || {
        let repo = GitRepo::open(&project).unwrap().unwrap();
        push_main(&repo, "http://127.0.0.1:9/site.git", &Credentials::None).0.unwrap_err()
    })
    .await
    .unwrap();
    assert_eq!(unreachable.code, Code::Offline, "{unreachable}");
}
