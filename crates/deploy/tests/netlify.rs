//! The Netlify adapter against a local server following Netlify's API.
#![allow(clippy::unwrap_used)]

mod common;

use flashfusion_core::Code;
use flashfusion_deploy::targets::{EnvVar, Job, Platform};
use flashfusion_deploy::test_server::NetlifyFake;

const TOKEN: &str = "nfp_test";

#[tokio::test]
async fn a_redeploy_uploads_only_the_changed_file_and_rollback_restores() {
    let fake = NetlifyFake::start(TOKEN, "site-1").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(
        dir.path(),
        &[("index.html", "<h1>v1</h1>"), ("a.css", "same"), ("b/c.css", "same"), ("app.js", "1")],
    );
    let target = common::target(Platform::Netlify, &fake.base, "site-1", "", TOKEN);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let first = target.deploy(&job).await.unwrap();
    assert_eq!(first.uploaded_files, 3, "identical files share one upload");
    assert_eq!(first.url.as_deref(), Some(&*format!("https://{}--site-1.netlify.app", first.platform_id)));
    assert_eq!(fake.published().as_deref(), Some(&*first.platform_id));
    assert!(log.text().contains("Netlify: ready"), "{}", log.text());

    fake.common.clear_requests();
    let site = common::site(dir.path(), &[("index.html", "<h1>v2</h1>")]);
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let second = target.deploy(&job).await.unwrap();
    assert_eq!(second.uploaded_files, 1);
    assert_eq!(fake.common.count("PUT /api/v1/deploys/"), 1, "{:?}", fake.common.requests());
    assert!(fake.common.requests().iter().any(|request| request.ends_with("/files/index.html")));

    fake.common.clear_requests();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let third = target.deploy(&job).await.unwrap();
    assert_eq!((third.uploaded_files, fake.common.count("PUT ")), (0, 0), "a no-op redeploy uploads nothing");

    target.rollback(&first.platform_id, &job).await.unwrap();
    assert_eq!(fake.published().as_deref(), Some(&*first.platform_id));
}

#[tokio::test]
async fn errors_are_clear_and_rate_limits_are_waited_out() {
    let fake = NetlifyFake::start(TOKEN, "site-1").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };

    let wrong = common::target(Platform::Netlify, &fake.base, "site-1", "", "wrong");
    let error = wrong.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "{error}");
    assert!(error.message.contains("Netlify refused the token"), "{error}");

    let target = common::target(Platform::Netlify, &fake.base, "site-1", "", TOKEN);
    common::shows_the_platforms_refusal(&fake.common, target.as_ref(), &job).await;

    common::waits_out_retry_after(&fake.common, target.as_ref(), &job).await;

    fake.common.fail_next(429, Some(3600));
    let error = target.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::RateLimited, "a wait over the limit is reported: {error}");
    assert!(error.message.contains("3600 s"), "{error}");

    fake.common.set_builds_fail(true);
    std::fs::write(dir.path().join("index.html"), "changed").unwrap();
    let site = flashfusion_deploy::site::Site::scan(dir.path()).unwrap();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let error = target.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    assert!(error.message.contains("non-zero exit code"), "{error}");

    let missing = common::target(Platform::Netlify, &fake.base, "no-such-site", "", TOKEN);
    assert_eq!(missing.deploy(&job).await.unwrap_err().code, Code::NotFound);
    let offline = common::target(Platform::Netlify, "http://127.0.0.1:9", "site-1", "", TOKEN);
    assert_eq!(offline.deploy(&job).await.unwrap_err().code, Code::Offline);
}

#[tokio::test]
async fn env_vars_and_custom_domains() {
    let fake = NetlifyFake::start(TOKEN, "site-1").await.unwrap();
    let target = common::target(Platform::Netlify, &fake.base, "site-1", "team-1", TOKEN);
    let vars = [
        EnvVar { name: "API_URL".into(), value: "https://api.example.com".into(), secret: false },
        EnvVar { name: "TOKEN".into(), value: "s3cret".into(), secret: true },
    ];
    target.set_env(&vars).await.unwrap();
    target.set_env(&vars[1..]).await.unwrap();
    assert_eq!(fake.env().get("TOKEN").map(String::as_str), Some("s3cret"));
    assert_eq!(fake.env().len(), 2);

    let status = target.add_domain("www.example.com").await.unwrap();
    assert_eq!(fake.domain().as_deref(), Some("www.example.com"));
    assert_eq!(status.records[0].kind, "CNAME");
    assert_eq!(status.records[0].value, "site-1.netlify.app");
    assert!(!status.verified);
}
