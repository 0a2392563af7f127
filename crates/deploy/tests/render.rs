//! The Render adapter against a local server following Render's API.
#![allow(clippy::unwrap_used)]

mod common;

use flashfusion_core::Code;
use flashfusion_deploy::targets::{EnvVar, Job, Platform};
use flashfusion_deploy::test_server::RenderFake;

const TOKEN: &str = "rnd_test";
const SERVICE: &str = "srv-c1a2b3";
const FIRST: &str = "1111111111111111111111111111111111111111";
const SECOND: &str = "2222222222222222222222222222222222222222";

#[tokio::test]
async fn a_deploy_builds_the_commit_goes_live_and_rollback_restores_the_earlier_one() {
    let fake = RenderFake::start(TOKEN, SERVICE, "my-site").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let target = common::target(Platform::Render, &fake.base, SERVICE, "", TOKEN);
    let log = common::log();

    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some(FIRST.into()), log: &log };
    let first = target.deploy(&job).await.unwrap();
    assert_eq!(first.url.as_deref(), Some("https://my-site.onrender.com"));
    assert_eq!(fake.live().as_deref(), Some(&*first.platform_id));
    assert_eq!(fake.commits()[&first.platform_id].as_deref(), Some(FIRST), "the job's commit is built");
    let text = log.text();
    for state in ["Render: build_in_progress", "Render: update_in_progress", "Render: live"] {
        assert_eq!(text.matches(state).count(), 1, "{state} is logged once:\n{text}");
    }

    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some(SECOND.into()), log: &log };
    let second = target.deploy(&job).await.unwrap();
    assert_ne!(second.platform_id, first.platform_id);
    assert_eq!(fake.live().as_deref(), Some(&*second.platform_id));

    let rolled_back = target.rollback(&first.platform_id, &job).await.unwrap();
    assert_eq!(fake.rolled_back_to().as_deref(), Some(&*first.platform_id), "Render was asked for the earlier deploy");
    assert_eq!(fake.live().as_deref(), Some(&*rolled_back.platform_id));
    assert_eq!(fake.commits()[&rolled_back.platform_id].as_deref(), Some(FIRST));
    assert_eq!(rolled_back.url.as_deref(), Some("https://my-site.onrender.com"));
}

#[tokio::test]
async fn a_deploy_without_a_commit_builds_the_branch() {
    let fake = RenderFake::start(TOKEN, SERVICE, "my-site").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let target = common::target(Platform::Render, &fake.base, SERVICE, "", TOKEN);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let deployed = target.deploy(&job).await.unwrap();
    assert_eq!(fake.commits()[&deployed.platform_id], None);
    assert!(log.text().contains("building the branch's latest commit"), "{}", log.text());
}

#[tokio::test]
async fn errors_are_clear_and_rate_limits_are_waited_out() {
    let fake = RenderFake::start(TOKEN, SERVICE, "my-site").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some(FIRST.into()), log: &log };

    let wrong = common::target(Platform::Render, &fake.base, SERVICE, "", "wrong");
    let error = wrong.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "{error}");

    let target = common::target(Platform::Render, &fake.base, SERVICE, "", TOKEN);
    let bad = Job { site: &site, project_root: dir.path().to_owned(), commit: Some("not-a-sha".into()), log: &log };
    let error = target.deploy(&bad).await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("is not a commit of the connected repository"), "Render's message: {error}");

    let error = target.rollback("dep-9999", &job).await.unwrap_err();
    assert_eq!(error.code, Code::NotFound, "{error}");

    common::waits_out_retry_after(&fake.common, target.as_ref(), &job).await;

    fake.common.set_builds_fail(true);
    let error = target.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    assert!(error.message.contains("build_failed"), "{error}");
    assert!(log.text().contains("Render: build_failed"), "{}", log.text());

    let missing = common::target(Platform::Render, &fake.base, "srv-other", "", TOKEN);
    assert_eq!(missing.deploy(&job).await.unwrap_err().code, Code::NotFound);
}

#[tokio::test]
async fn env_vars_are_upserted_and_custom_domains_get_their_records() {
    let fake = RenderFake::start(TOKEN, SERVICE, "my-site").await.unwrap();
    let target = common::target(Platform::Render, &fake.base, SERVICE, "", TOKEN);
    let vars = [
        EnvVar { name: "API_URL".into(), value: "https://api.example.com".into(), secret: false },
        EnvVar { name: "TOKEN".into(), value: "s3cret".into(), secret: true },
    ];
    target.set_env(&vars).await.unwrap();
    target.set_env(&[EnvVar { name: "TOKEN".into(), value: "rotated".into(), secret: true }]).await.unwrap();
    let env = fake.env();
    assert_eq!((env.len(), env["API_URL"].as_str(), env["TOKEN"].as_str()), (2, "https://api.example.com", "rotated"));

    let apex = target.add_domain("example.com").await.unwrap();
    assert_eq!(fake.domains(), ["example.com", "www.example.com"], "Render adds the apex's www");
    let records: Vec<_> = apex.records.iter().map(|record| (&*record.kind, &*record.name, &*record.value)).collect();
    assert_eq!(records, [("A", "example.com", "216.24.57.1"), ("CNAME", "www.example.com", "my-site.onrender.com")]);
    assert!(!apex.verified);

    let sub = target.add_domain("app.example.org").await.unwrap();
    assert_eq!((&*sub.records[0].kind, &*sub.records[0].value), ("CNAME", "my-site.onrender.com"));
    let error = target.add_domain("app.example.org").await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "a domain already added is refused: {error}");
    assert!(error.message.contains("already exists"), "{error}");
}
