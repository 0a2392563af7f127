//! The whole pipeline through the service the app uses: a real SQLite file,
//! a real build command, real git, and the Netlify fake; history, rollback
//! and env vars.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::sync::{Arc, Mutex};

use flashfusion_core::secrets::{MemorySecrets, SecretStore};
use flashfusion_core::{Code, ProjectId};
use flashfusion_deploy::log::{DeployEvent, EventSink, Stage};
use flashfusion_deploy::targets::{EnvVar, Platform, TargetConfig};
use flashfusion_deploy::test_server::NetlifyFake;
use flashfusion_deploy::{Deployer, PlatformTokenArgs, SaveEnvArgs, SaveTargetArgs};
use flashfusion_store::{DeployState, Store};

struct Setup {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    project: ProjectId,
    secrets: Arc<MemorySecrets>,
    deployer: Deployer,
}

fn setup(files: &[(&str, &str)]) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    for (path, contents) in files {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), contents).unwrap();
    }
    let store = Arc::new(Store::open(&dir.path().join("db.sqlite3")).unwrap());
    let project = store.open_project_record(&root.to_string_lossy(), "site", None).unwrap().id;
    let secrets = Arc::new(MemorySecrets::default());
    let deployer = Deployer::new(store, secrets.clone(), common::fast()).unwrap();
    Setup { _dir: dir, root, project, secrets, deployer }
}

fn recorder() -> (EventSink, Arc<Mutex<Vec<DeployEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    (Arc::new(move |event| sink_events.lock().unwrap().push(event)), events)
}

fn config(platform: Platform, site: &str, api_base: &str) -> TargetConfig {
    TargetConfig {
        platform,
        site: site.into(),
        account: "team".into(),
        branch: String::new(),
        api_base: api_base.into(),
    }
}

fn tip_tree(bare: &Path, branch: &str) -> (String, usize) {
    let repo = git2::Repository::open_bare(bare).unwrap();
    let commit = repo.find_reference(&format!("refs/heads/{branch}")).unwrap().peel_to_commit().unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push(commit.id()).unwrap();
    (commit.tree_id().to_string(), walk.count())
}

#[tokio::test]
async fn deploys_records_history_and_rolls_back() {
    let fake = NetlifyFake::start("tok", "site-1").await.unwrap();
    let setup = setup(&[("index.html", "<h1>v1</h1>"), ("style.css", "body{}")]);
    let target = setup
        .deployer
        .save_target(&SaveTargetArgs {
            project_id: setup.project,
            id: None,
            config: config(Platform::Netlify, "site-1", &fake.base),
        })
        .unwrap();
    assert!(!target.has_token);
    let (sink, _) = recorder();
    let error = setup.deployer.deploy(&target.id, sink.clone()).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "{error}");

    setup.deployer.set_token(&PlatformTokenArgs { platform: Platform::Netlify, token: "tok".into() }).unwrap();
    assert_eq!(
        setup.secrets.get("deploy.netlify.token").unwrap().as_deref(),
        Some("tok"),
        "the token lives in the keyring"
    );
    let (sink, events) = recorder();
    let first = setup.deployer.deploy(&target.id, sink).await.unwrap();
    assert_eq!((first.state, first.uploaded_files), (DeployState::Ready, 2));
    assert!(first.url.as_deref().unwrap().contains("netlify.app"));
    let events = events.lock().unwrap().clone();
    let stages: Vec<Stage> = events
        .iter()
        .filter_map(|event| match event {
            DeployEvent::Stage { stage } => Some(*stage),
            _ => None,
        })
        .collect();
    assert_eq!(stages.first(), Some(&Stage::Build));
    assert_eq!(stages.last(), Some(&Stage::Done));
    assert!(events.iter().any(|event| matches!(event, DeployEvent::Upload { done: 2, total: 2 })));
    let log = setup.deployer.deployment_log(&first.id).unwrap();
    assert!(log.contains("Static site: no build step") && log.contains("Live at https://"), "{log}");

    let (sink, _) = recorder();
    let second = setup.deployer.deploy(&target.id, sink).await.unwrap();
    assert_eq!(second.uploaded_files, 0, "nothing changed, nothing uploaded");
    let (sink, _) = recorder();
    let rolled = setup.deployer.rollback(&first.id, sink).await.unwrap();
    assert_eq!(rolled.rollback_of.as_deref(), Some(&*first.id));
    assert_eq!(fake.published(), first.platform_id);
    let history = setup.deployer.deployments(setup.project).unwrap();
    assert_eq!(
        history.iter().map(|record| record.id.as_str()).collect::<Vec<_>>(),
        [&*rolled.id, &*second.id, &*first.id]
    );

    fake.common.set_builds_fail(true);
    std::fs::write(setup.root.join("index.html"), "<h1>v3</h1>").unwrap();
    let (sink, _) = recorder();
    let error = setup.deployer.deploy(&target.id, sink).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed);
    let failed = &setup.deployer.deployments(setup.project).unwrap()[0];
    assert_eq!(failed.state, DeployState::Failed);
    assert!(failed.error.as_deref().unwrap().contains("non-zero exit code"));
    let (sink, _) = recorder();
    let error = setup.deployer.rollback(&failed.id, sink).await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "a failed deployment is no rollback point");
}

#[tokio::test]
async fn a_failing_build_stops_before_anything_is_uploaded() {
    let fake = NetlifyFake::start("tok", "site-1").await.unwrap();
    let package = r#"{"scripts":{"build":"echo compiling && echo 'src/app.ts(3,1): error' >&2 && exit 2"},"devDependencies":{"vite":"5"}}"#;
    let setup = setup(&[("package.json", package), ("node_modules/.keep", ""), ("index.html", "x")]);
    setup.deployer.set_token(&PlatformTokenArgs { platform: Platform::Netlify, token: "tok".into() }).unwrap();
    let config = config(Platform::Netlify, "site-1", &fake.base);
    let target = setup.deployer.save_target(&SaveTargetArgs { project_id: setup.project, id: None, config }).unwrap();
    let (sink, events) = recorder();
    let error = setup.deployer.deploy(&target.id, sink).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    let lines: Vec<String> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|event| match event {
            DeployEvent::Line { line } => Some(line.clone()),
            _ => None,
        })
        .collect();
    assert!(lines.iter().any(|line| line == "compiling"), "{lines:?}");
    assert!(lines.iter().any(|line| line.contains("src/app.ts(3,1): error")), "{lines:?}");
    assert!(fake.common.requests().is_empty(), "nothing reached the platform: {:?}", fake.common.requests());
}

#[tokio::test]
async fn env_vars_live_in_the_keyring_and_reach_the_platform() {
    let fake = NetlifyFake::start("tok", "site-1").await.unwrap();
    let setup =
        setup(&[("index.html", "hi"), (".env", "API_URL=https://api.example.com\nSTRIPE_SECRET_KEY=sk_live_1\n")]);
    setup.deployer.set_token(&PlatformTokenArgs { platform: Platform::Netlify, token: "tok".into() }).unwrap();
    let config = config(Platform::Netlify, "site-1", &fake.base);
    let target = setup.deployer.save_target(&SaveTargetArgs { project_id: setup.project, id: None, config }).unwrap();

    let imported = setup.deployer.import_env_file(&target.id).unwrap();
    let shown: Vec<_> = imported.iter().map(|var| (var.name.as_str(), var.secret, var.value.as_deref())).collect();
    assert_eq!(shown, [("API_URL", false, Some("https://api.example.com")), ("STRIPE_SECRET_KEY", true, None)]);
    assert_eq!(
        setup.secrets.get(&format!("deploy.env.{}.STRIPE_SECRET_KEY", target.id)).unwrap().as_deref(),
        Some("sk_live_1")
    );

    // Saving a secret with an empty value keeps the stored one.
    let vars = vec![
        EnvVar { name: "STRIPE_SECRET_KEY".into(), value: String::new(), secret: true },
        EnvVar { name: "MODE".into(), value: "production".into(), secret: false },
    ];
    setup.deployer.save_env_vars(&SaveEnvArgs { target_id: target.id.clone(), vars }).unwrap();
    let bad = vec![EnvVar { name: "NOT VALID".into(), value: "x".into(), secret: false }];
    assert_eq!(
        setup.deployer.save_env_vars(&SaveEnvArgs { target_id: target.id.clone(), vars: bad }).unwrap_err().code,
        Code::InvalidInput
    );
    assert!(
        setup.secrets.get(&format!("deploy.env.{}.API_URL", target.id)).unwrap().is_none(),
        "a removed var leaves the keyring"
    );

    let (sink, _) = recorder();
    setup.deployer.deploy(&target.id, sink).await.unwrap();
    let pushed = fake.env();
    assert_eq!(pushed.get("STRIPE_SECRET_KEY").map(String::as_str), Some("sk_live_1"));
    assert_eq!(pushed.get("MODE").map(String::as_str), Some("production"));
    assert!(!pushed.contains_key("API_URL"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_git_remote_gets_each_deploy_as_a_fast_forward_and_rollback_adds_a_commit() {
    let setup = setup(&[("index.html", "v1"), ("Procfile", "web: serve")]);
    let bare_dir = setup.root.parent().unwrap().join("remote.git");
    git2::Repository::init_bare(&bare_dir).unwrap();
    let url = format!("file://{}", bare_dir.display());
    let target = setup
        .deployer
        .save_target(&SaveTargetArgs {
            project_id: setup.project,
            id: None,
            config: config(Platform::GitRemote, &url, ""),
        })
        .unwrap();
    let (sink, events) = recorder();
    let first = setup.deployer.deploy(&target.id, sink).await.unwrap();
    assert!(setup.root.join(".git").is_dir(), "the project got a repository");
    assert!(events.lock().unwrap().iter().any(|event| matches!(event, DeployEvent::Push { .. })));
    let (first_tree, _) = tip_tree(&bare_dir, "main");

    std::fs::write(setup.root.join("index.html"), "v2").unwrap();
    let (sink, _) = recorder();
    let second = setup.deployer.deploy(&target.id, sink).await.unwrap();
    assert_ne!(first.commit_id, second.commit_id, "the change was committed");
    let (sink, _) = recorder();
    setup.deployer.rollback(&first.id, sink).await.unwrap();
    let (tree, commits) = tip_tree(&bare_dir, "main");
    assert_eq!(tree, first_tree, "the remote holds the first deployment's files again");
    assert_eq!(commits, 3, "rollback is a new commit; nothing was rewritten");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn render_builds_a_commit_that_was_pushed_to_origin_first() {
    let fake = flashfusion_deploy::test_server::RenderFake::start("tok", "srv-1", "my-site").await.unwrap();
    let setup = setup(&[("index.html", "v1")]);
    setup.deployer.set_token(&PlatformTokenArgs { platform: Platform::Render, token: "tok".into() }).unwrap();
    let target = setup
        .deployer
        .save_target(&SaveTargetArgs {
            project_id: setup.project,
            id: None,
            config: config(Platform::Render, "srv-1", &fake.base),
        })
        .unwrap();

    // Without an origin, Render builds its repository's newest commit.
    let (sink, _) = recorder();
    let first = setup.deployer.deploy(&target.id, sink).await.unwrap();
    assert_eq!(fake.commits()[first.platform_id.as_deref().unwrap()], None);

    let origin = setup.root.parent().unwrap().join("origin.git");
    git2::Repository::init_bare(&origin).unwrap();
    flashfusion_deploy::git::GitRepo::open(&setup.root)
        .unwrap()
        .unwrap()
        .set_remote("origin", &format!("file://{}", origin.display()))
        .unwrap();
    std::fs::write(setup.root.join("index.html"), "v2").unwrap();
    let (sink, _) = recorder();
    let second = setup.deployer.deploy(&target.id, sink).await.unwrap();
    let commit = second.commit_id.clone().unwrap();
    assert_eq!(fake.commits()[second.platform_id.as_deref().unwrap()].as_deref(), Some(&*commit));
    let pushed =
        git2::Repository::open_bare(&origin).unwrap().find_reference("refs/heads/main").unwrap().target().unwrap();
    assert_eq!(pushed.to_string(), commit, "the commit Render builds is on origin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_github_account_gets_a_repository_for_the_project_as_origin() {
    let setup = setup(&[("index.html", "hello")]);
    let repos = setup.root.parent().unwrap().join("github");
    let fake = flashfusion_deploy::test_server::GithubFake::start("ghp_ok", "octo", &repos).await.unwrap();
    let connect =
        |token: &str| flashfusion_deploy::GithubConnectArgs { token: token.into(), api_base: fake.base.clone() };
    assert_eq!(setup.deployer.github_connect(&connect("ghp_bad")).await.unwrap_err().code, Code::AuthFailed);
    assert!(setup.secrets.get("deploy.github_pages.token").unwrap().is_none(), "a refused token is not kept");
    assert_eq!(setup.deployer.github_connect(&connect("ghp_ok")).await.unwrap().login, "octo");

    let args = flashfusion_deploy::GithubRepoArgs {
        project_id: setup.project,
        name: "site".into(),
        private: true,
        api_base: fake.base.clone(),
    };
    let (sink, _) = recorder();
    let status = setup.deployer.github_create_repo(&args, sink).await.unwrap();
    let head = status.head.unwrap().id;
    let remote = git2::Repository::open_bare(fake.repo_path("octo", "site")).unwrap();
    let pushed = remote.find_reference("refs/heads/main").unwrap().target().unwrap();
    assert_eq!(pushed.to_string(), head, "the project's first commit is on GitHub");
}
