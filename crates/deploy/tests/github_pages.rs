//! The GitHub Pages adapter and the GitHub account client against a local
//! server following GitHub's API, pushing to real bare repositories.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flashfusion_core::Code;
use flashfusion_deploy::git::GitRepo;
use flashfusion_deploy::github::GitHub;
use flashfusion_deploy::site::Site;
use flashfusion_deploy::targets::{adapter, Job, Platform, Target, TargetConfig};
use flashfusion_deploy::test_server::GithubFake;

const TOKEN: &str = "ghp_test";
const V1: &[(&str, &str)] =
    &[("index.html", "<h1>v1</h1>"), ("assets/app.js", "console.log(1)"), ("_next/data.json", "{}")];

/// A fake GitHub whose account `me` has the empty repository `me/site`.
struct World {
    fake: Arc<GithubFake>,
    target: Arc<dyn Target>,
    bare: PathBuf,
    project: PathBuf,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

async fn world() -> World {
    let repos = tempfile::tempdir().unwrap();
    let fake = GithubFake::start(TOKEN, "me", repos.path()).await.unwrap();
    let bare = fake.repo_path("me", "site");
    git2::Repository::init_bare(&bare).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("package.json"), "{}").unwrap();
    GitRepo::open_or_init(&project).unwrap().commit_all("Start").unwrap();
    let target = common::target(Platform::GithubPages, &fake.base, "me/site", "", TOKEN);
    World { fake, target, bare, project, _dirs: (repos, dir) }
}

impl World {
    /// Writes the built site into the project's `dist`.
    fn build(&self, files: &[(&str, &str)]) -> Site {
        common::site(&self.project.join("dist"), files)
    }

    fn job<'a>(&self, site: &'a Site, log: &'a flashfusion_deploy::log::BuildLog) -> Job<'a> {
        let head = GitRepo::open(&self.project).unwrap().unwrap().status().unwrap().head.map(|head| head.id);
        Job { site, project_root: self.project.clone(), commit: head, log }
    }
}

/// The files on `gh-pages` of the bare repository, and its commits newest first.
fn published(bare: &Path) -> (BTreeMap<String, String>, Vec<String>) {
    let repo = git2::Repository::open_bare(bare).unwrap();
    let tip = repo.find_reference("refs/heads/gh-pages").unwrap().peel_to_commit().unwrap();
    let mut files = BTreeMap::new();
    tip.tree()
        .unwrap()
        .walk(git2::TreeWalkMode::PreOrder, |folder, entry| {
            if let Some(git2::ObjectType::Blob) = entry.kind() {
                let blob = repo.find_blob(entry.id()).unwrap();
                let contents = String::from_utf8(blob.content().to_vec()).unwrap();
                files.insert(format!("{folder}{}", entry.name().unwrap()), contents);
            }
            git2::TreeWalkResult::Ok
        })
        .unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push(tip.id()).unwrap();
    let history = walk.map(|id| id.unwrap().to_string()).collect();
    (files, history)
}

/// The site's files as Pages should serve them: with `.nojekyll`, so Jekyll
/// leaves `_next/` alone.
fn served(files: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut served: BTreeMap<String, String> =
        files.iter().map(|(path, contents)| ((*path).to_owned(), (*contents).to_owned())).collect();
    served.insert(".nojekyll".into(), String::new());
    served
}

#[tokio::test]
async fn deploys_push_fast_forwards_to_gh_pages_and_rollback_adds_a_commit() {
    let world = world().await;
    let log = common::log();
    let site = world.build(V1);
    let first = world.target.deploy(&world.job(&site, &log)).await.unwrap();
    assert_eq!(first.url.as_deref(), Some("https://me.github.io/site/"));
    let (files, history) = published(&world.bare);
    assert_eq!(files, served(V1), "gh-pages holds exactly the site");
    assert_eq!(history, [&*first.platform_id], "the deployment's id is the pushed commit");
    assert_eq!(world.fake.pages("me/site"), Some(("gh-pages".into(), None)), "Pages publishes gh-pages");
    assert_eq!(world.fake.builds("me/site").last(), Some(&first.platform_id));
    let text = log.text();
    for line in ["Pushing", "GitHub Pages: enabling it for gh-pages", "GitHub Pages: built"] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }

    let v2: Vec<(&str, &str)> = V1
        .iter()
        .map(|&(path, contents)| if path == "index.html" { (path, "<h1>v2</h1>") } else { (path, contents) })
        .collect();
    let site = world.build(&v2);
    let second = world.target.deploy(&world.job(&site, &log)).await.unwrap();
    let (files, history) = published(&world.bare);
    assert_eq!(files, served(&v2));
    assert_eq!(history, [&*second.platform_id, &*first.platform_id], "a fast-forward on top");
    assert_eq!(world.fake.pages("me/site"), Some(("gh-pages".into(), None)), "Pages was already on");

    let third = world.target.rollback(&first.platform_id, &world.job(&site, &log)).await.unwrap();
    let (files, history) = published(&world.bare);
    assert_eq!(files, served(V1), "the first deployment's files are back");
    assert_eq!(history, [&*third.platform_id, &*second.platform_id, &*first.platform_id], "nothing rewritten");
    assert_eq!(world.fake.builds("me/site").last(), Some(&third.platform_id), "Pages rebuilt the rollback");
    assert_eq!(third.url.as_deref(), Some("https://me.github.io/site/"));
}

#[tokio::test]
async fn errors_are_clear_and_rate_limits_are_waited_out() {
    let world = world().await;
    let log = common::log();
    let site = world.build(V1);
    let job = world.job(&site, &log);

    let wrong = common::target(Platform::GithubPages, &world.fake.base, "me/site", "", "wrong");
    assert_eq!(wrong.deploy(&job).await.unwrap_err().code, Code::AuthFailed);

    common::shows_the_platforms_refusal(&world.fake.common, world.target.as_ref(), &job).await;

    let missing = common::target(Platform::GithubPages, &world.fake.base, "me/nothing", "", TOKEN);
    assert_eq!(missing.deploy(&job).await.unwrap_err().code, Code::NotFound);

    let config = TargetConfig {
        platform: Platform::GithubPages,
        site: "just-a-name".into(),
        account: String::new(),
        branch: String::new(),
        api_base: world.fake.base.clone(),
    };
    let error = adapter(&config, Some(TOKEN.into()), common::fast()).err().unwrap();
    assert_eq!(error.code, Code::InvalidInput);
    assert!(error.message.contains("owner/repo"), "{error}");

    common::waits_out_retry_after(&world.fake.common, world.target.as_ref(), &job).await;

    world.fake.common.set_builds_fail(true);
    let site = world.build(&[("index.html", "<h1>broken</h1>")]);
    let error = world.target.deploy(&world.job(&site, &log)).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    assert!(error.message.contains("Page build failed"), "GitHub's reason: {error}");
    assert!(log.text().contains("GitHub Pages: errored"), "{}", log.text());
}

#[tokio::test]
async fn custom_domains_are_set_on_pages_with_githubs_records() {
    let world = world().await;
    let error = world.target.add_domain("example.com").await.unwrap_err();
    assert_eq!(error.code, Code::NotFound, "Pages is off before the first deploy: {error}");

    let log = common::log();
    let site = world.build(V1);
    world.target.deploy(&world.job(&site, &log)).await.unwrap();

    let apex = world.target.add_domain("example.com").await.unwrap();
    assert_eq!(world.fake.pages("me/site"), Some(("gh-pages".into(), Some("example.com".into()))));
    let ips: Vec<_> = apex.records.iter().map(|record| (&*record.kind, &*record.value)).collect();
    assert_eq!(
        ips,
        [("A", "185.199.108.153"), ("A", "185.199.109.153"), ("A", "185.199.110.153"), ("A", "185.199.111.153")]
    );
    assert!(!apex.verified, "the certificate is not issued yet");

    let sub = world.target.add_domain("www.example.com").await.unwrap();
    let records: Vec<_> = sub.records.iter().map(|record| (&*record.kind, &*record.name, &*record.value)).collect();
    assert_eq!(records, [("CNAME", "www.example.com", "me.github.io")]);
}

#[tokio::test]
async fn the_account_client_reads_the_user_and_creates_repositories() {
    let repos = tempfile::tempdir().unwrap();
    let fake = GithubFake::start(TOKEN, "me", repos.path()).await.unwrap();
    let github = GitHub::new(&fake.base, TOKEN.into(), common::fast()).unwrap();
    assert_eq!(github.user().await.unwrap().login, "me");

    let created = github.create_repo("blog", true).await.unwrap();
    assert_eq!(created.full_name, "me/blog");
    let path = created.clone_url.strip_prefix("file://").unwrap();
    assert!(git2::Repository::open_bare(path).unwrap().is_bare(), "a real repository to push to");
    let read = github.repo("me/blog").await.unwrap();
    assert_eq!((read.clone_url, read.default_branch.as_deref()), (created.clone_url, Some("main")));

    let error = github.create_repo("blog", false).await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("name already exists"), "GitHub's message: {error}");
    assert_eq!(github.repo("me/nothing").await.unwrap_err().code, Code::NotFound);
    assert_eq!(github.repo("no-owner").await.unwrap_err().code, Code::InvalidInput);

    let wrong = GitHub::new(&fake.base, "wrong".into(), common::fast()).unwrap();
    assert_eq!(wrong.user().await.unwrap_err().code, Code::AuthFailed);
}
