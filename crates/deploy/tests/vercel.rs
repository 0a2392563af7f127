//! The Vercel adapter against a local server following Vercel's API.
#![allow(clippy::unwrap_used)]

mod common;

use flashfusion_core::Code;
use flashfusion_deploy::site::Site;
use flashfusion_deploy::targets::{EnvVar, Job, Platform};
use flashfusion_deploy::test_server::VercelFake;

const TOKEN: &str = "vercel_test";
const TEAM: &str = "team_fake1";

#[tokio::test]
async fn a_redeploy_uploads_only_the_changed_file_and_rollback_restores() {
    let fake = VercelFake::start(TOKEN, "shop", Some(TEAM)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(
        dir.path(),
        &[("index.html", "<h1>v1</h1>"), ("a.css", "same"), ("b/c.css", "same"), ("app.js", "1")],
    );
    let target = common::target(Platform::Vercel, &fake.base, "shop", TEAM, TOKEN);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let first = target.deploy(&job).await.unwrap();
    assert_eq!(first.uploaded_files, 3, "identical files share one upload");
    assert_eq!(fake.common.count("POST /vercel/v2/files?teamId=team_fake1"), 3, "{:?}", fake.common.requests());
    assert_eq!(fake.common.count("POST /vercel/v13/deployments"), 2, "created, then again once the files are in");
    assert_eq!(first.url.as_deref(), Some("https://shop-0001.vercel.app"));
    assert_eq!(fake.production().as_deref(), Some(&*first.platform_id));
    assert_eq!(fake.files(&first.platform_id).unwrap().len(), 4);
    let text = log.text();
    assert!(text.contains("Vercel: BUILDING") && text.contains("Vercel: READY"), "{text}");
    assert!(text.contains("Running \"vercel build\"") && text.contains("Deployment completed"), "{text}");
    assert_eq!(text.matches("Cloning completed").count(), 1, "each build line is logged once: {text}");

    fake.common.clear_requests();
    let site = common::site(dir.path(), &[("index.html", "<h1>v2</h1>")]);
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let second = target.deploy(&job).await.unwrap();
    assert_eq!((second.uploaded_files, second.uploaded_bytes), (1, 11));
    assert_eq!(fake.common.count("POST /vercel/v2/files"), 1, "{:?}", fake.common.requests());

    fake.common.clear_requests();
    let third = target.deploy(&job).await.unwrap();
    assert_eq!(
        (third.uploaded_files, fake.common.count("POST /vercel/v2/files")),
        (0, 0),
        "a no-op redeploy uploads nothing"
    );
    assert_eq!(fake.common.count("POST /vercel/v13/deployments"), 1, "nothing missing: created at once");
    assert_eq!(fake.production().as_deref(), Some(&*third.platform_id));

    let back = target.rollback(&first.platform_id, &job).await.unwrap();
    assert_eq!(fake.production().as_deref(), Some(&*first.platform_id));
    assert_eq!(back.url, first.url);
    assert!(log.text().contains(&format!("production points at deployment {} again", first.platform_id)));
}

#[tokio::test]
async fn errors_are_clear_and_rate_limits_are_waited_out() {
    let fake = VercelFake::start(TOKEN, "shop", None).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some("abc123".into()), log: &log };

    let wrong = common::target(Platform::Vercel, &fake.base, "shop", "", "wrong");
    let error = wrong.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "{error}");
    assert!(error.message.contains("Vercel refused the token"), "{error}");

    let target = common::target(Platform::Vercel, &fake.base, "shop", "", TOKEN);
    common::shows_the_platforms_refusal(&fake.common, target.as_ref(), &job).await;

    common::waits_out_retry_after(&fake.common, target.as_ref(), &job).await;

    let team = common::target(Platform::Vercel, &fake.base, "shop", "team_other", TOKEN);
    let error = team.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "{error}");
    assert!(error.message.contains("permission to access this team"), "{error}");

    fake.common.set_builds_fail(true);
    std::fs::write(dir.path().join("index.html"), "changed").unwrap();
    let site = Site::scan(dir.path()).unwrap();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let error = target.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    assert!(error.message.contains("Command \"npm run build\" exited with 1"), "{error}");
    assert!(log.text().contains("Error: build script failed"), "the failed build's log is kept: {}", log.text());

    let missing = common::target(Platform::Vercel, &fake.base, "no-such-project", "", TOKEN);
    assert_eq!(missing.deploy(&job).await.unwrap_err().code, Code::NotFound);
    let config = flashfusion_deploy::targets::TargetConfig {
        platform: Platform::Vercel,
        site: "../escape?x".into(),
        account: String::new(),
        branch: String::new(),
        api_base: fake.base.clone(),
    };
    let error = flashfusion_deploy::targets::adapter(&config, None, common::fast()).err().unwrap();
    assert_eq!(error.code, Code::InvalidInput, "a project name stays one path segment: {error}");
}

#[tokio::test]
async fn env_vars_and_custom_domains() {
    let fake = VercelFake::start(TOKEN, "shop", Some(TEAM)).await.unwrap();
    let target = common::target(Platform::Vercel, &fake.base, "shop", TEAM, TOKEN);
    let vars = [
        EnvVar { name: "API_URL".into(), value: "https://api.example.com".into(), secret: false },
        EnvVar { name: "TOKEN".into(), value: "s3cret".into(), secret: true },
    ];
    target.set_env(&vars).await.unwrap();
    let changed = [EnvVar { name: "TOKEN".into(), value: "n3w".into(), secret: true }];
    target.set_env(&changed).await.unwrap();
    let env = fake.env();
    assert_eq!(env.get("TOKEN"), Some(&("n3w".to_owned(), "encrypted".to_owned())), "upserted");
    assert_eq!(env.get("API_URL"), Some(&("https://api.example.com".to_owned(), "plain".to_owned())));
    assert_eq!(env.len(), 2);

    let status = target.add_domain("example.com").await.unwrap();
    assert_eq!(fake.domains(), ["example.com"]);
    assert_eq!((status.records[0].kind.as_str(), status.records[0].value.as_str()), ("A", "76.76.21.21"));
    assert_eq!(status.records[1].kind, "TXT");
    assert_eq!(status.records[1].name, "_vercel.example.com");
    assert!(status.records[1].value.starts_with("vc-domain-verify="));
    assert!(!status.verified);

    let status = target.add_domain("www.example.com").await.unwrap();
    assert_eq!((status.records[0].kind.as_str(), status.records[0].value.as_str()), ("CNAME", "cname.vercel-dns.com"));
    assert_eq!(status.records[0].name, "www.example.com");
}
