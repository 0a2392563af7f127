//! The Railway adapter against a local server following Railway's GraphQL API.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use flashfusion_core::Code;
use flashfusion_deploy::targets::{EnvVar, Job, Platform, Target};
use flashfusion_deploy::test_server::RailwayFake;

const TOKEN: &str = "railway_test";
const PROJECT: &str = "proj-1";
const SERVICE: &str = "svc-1";
const ENVIRONMENT: &str = "env-production";
const FIRST: &str = "1111111111111111111111111111111111111111";
const SECOND: &str = "2222222222222222222222222222222222222222";

async fn start() -> (Arc<RailwayFake>, Arc<dyn Target>) {
    let fake = RailwayFake::start(TOKEN, PROJECT, SERVICE, ENVIRONMENT).await.unwrap();
    let target = common::target(Platform::Railway, &fake.base, SERVICE, ENVIRONMENT, TOKEN);
    (fake, target)
}

#[tokio::test]
async fn a_deploy_streams_its_build_log_goes_live_and_rollback_restores_the_earlier_one() {
    let (fake, target) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();

    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some(FIRST.into()), log: &log };
    let first = target.deploy(&job).await.unwrap();
    assert_eq!(first.url, Some(format!("https://{}", fake.static_url())));
    assert_eq!(fake.live().as_deref(), Some(&*first.platform_id));
    assert_eq!(fake.commits()[&first.platform_id].as_deref(), Some(FIRST));
    let text = log.text();
    for line in ["Railway: BUILDING", "Railway: SUCCESS", &format!("Building {FIRST}"), "> npm run build", "Build time"]
    {
        assert_eq!(text.matches(line).count(), 1, "{line:?} is logged once:\n{text}");
    }
    let (building, built) = (text.find("Railway: BUILDING").unwrap(), text.find("> npm run build").unwrap());
    assert!(building < built, "states and build lines arrive in order:\n{text}");

    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some(SECOND.into()), log: &log };
    let second = target.deploy(&job).await.unwrap();
    assert_eq!(fake.live().as_deref(), Some(&*second.platform_id));

    let rolled_back = target.rollback(&first.platform_id, &job).await.unwrap();
    assert_eq!(fake.rolled_back_to().as_deref(), Some(&*first.platform_id), "Railway was asked for the earlier one");
    assert_ne!(rolled_back.platform_id, second.platform_id, "the rollback's own deployment is followed");
    assert_eq!(fake.live().as_deref(), Some(&*rolled_back.platform_id));
    assert_eq!(fake.commits()[&rolled_back.platform_id].as_deref(), Some(FIRST));
}

#[tokio::test]
async fn a_deploy_without_a_commit_builds_the_branch() {
    let (fake, target) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let deployed = target.deploy(&job).await.unwrap();
    assert_eq!(fake.commits()[&deployed.platform_id], None);
    assert!(log.text().contains("Building the latest commit"), "{}", log.text());
}

#[tokio::test]
async fn graphql_and_http_errors_are_clear_and_rate_limits_are_waited_out() {
    let (fake, target) = start().await;
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some(FIRST.into()), log: &log };

    let wrong = common::target(Platform::Railway, &fake.base, SERVICE, ENVIRONMENT, "wrong");
    assert_eq!(wrong.deploy(&job).await.unwrap_err().code, Code::AuthFailed);
    let unseen = common::target(Platform::Railway, &fake.base, "svc-other", ENVIRONMENT, TOKEN);
    let error = unseen.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "GraphQL's Not Authorized: {error}");
    assert!(error.message.contains("Not Authorized"), "{error}");

    let bad = Job { site: &site, project_root: dir.path().to_owned(), commit: Some("HEAD".into()), log: &log };
    let error = target.deploy(&bad).await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("Invalid commit SHA"), "Railway's message: {error}");

    let error = target.rollback("no-such-deployment", &job).await.unwrap_err();
    assert_eq!(error.code, Code::NotFound, "{error}");

    common::shows_the_platforms_refusal(&fake.common, target.as_ref(), &job).await;

    common::waits_out_retry_after(&fake.common, target.as_ref(), &job).await;

    fake.common.set_builds_fail(true);
    let error = target.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    assert!(error.message.contains("Missing script"), "the build log's last line says why: {error}");
    assert!(log.text().contains("Railway: FAILED"), "{}", log.text());
}

#[tokio::test]
async fn env_vars_and_custom_domains_use_the_services_project() {
    let (fake, target) = start().await;
    let vars = [
        EnvVar { name: "API_URL".into(), value: "https://api.example.com".into(), secret: false },
        EnvVar { name: "TOKEN".into(), value: "s3cret".into(), secret: true },
    ];
    target.set_env(&vars).await.unwrap();
    target.set_env(&vars[1..]).await.unwrap();
    assert_eq!(fake.env().get("TOKEN").map(String::as_str), Some("s3cret"));
    assert_eq!(fake.env().len(), 2);

    let status = target.add_domain("www.example.com").await.unwrap();
    assert_eq!(fake.domains(), ["www.example.com"]);
    let records: Vec<_> = status.records.iter().map(|record| (&*record.kind, &*record.name, &*record.value)).collect();
    assert_eq!(
        records,
        [
            ("CNAME", "www.example.com", "k3x9q2.up.railway.app"),
            ("TXT", "_railway-verify.www", "railway-verify=5f2c81d0")
        ]
    );
    assert!(!status.verified);
    let services = fake.operations().iter().filter(|operation| *operation == "service").count();
    assert_eq!(services, 1, "the project id is asked once: {:?}", fake.operations());

    let error = target.add_domain("www.example.com").await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("already in use"), "{error}");
}
