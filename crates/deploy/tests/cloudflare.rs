//! The Cloudflare Pages adapter against a local server following the
//! direct-upload API wrangler uses.
#![allow(clippy::unwrap_used)]

mod common;

use flashfusion_core::Code;
use flashfusion_deploy::site::Site;
use flashfusion_deploy::targets::{EnvVar, Job, Platform};
use flashfusion_deploy::test_server::CloudflareFake;

const TOKEN: &str = "cf_test";
const ACCOUNT: &str = "0123abcd";
const UPLOADS: &str = "POST /client/v4/pages/assets/upload";

#[tokio::test]
async fn a_redeploy_uploads_only_the_changed_file_and_rollback_restores() {
    let fake = CloudflareFake::start(TOKEN, ACCOUNT, "blog").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(
        dir.path(),
        &[
            ("index.html", "<h1>v1</h1>"),
            ("a.css", "same"),
            ("b/c.css", "same"),
            ("same.txt", "same"),
            ("app.js", "1"),
            ("_headers", "/*\n  X-Frame-Options: DENY\n"),
        ],
    );
    let target = common::target(Platform::CloudflarePages, &fake.base, "blog", ACCOUNT, TOKEN);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: Some("abc123".into()), log: &log };
    let first = target.deploy(&job).await.unwrap();
    assert_eq!(first.uploaded_files, 4, "same contents and extension share one asset; _headers is no asset");
    assert_eq!((fake.uploaded(), fake.common.count(UPLOADS)), (4, 1), "one bucket: {:?}", fake.common.requests());
    let (manifest, config_files) = fake.deployment(&first.platform_id).unwrap();
    assert_eq!(manifest.keys().collect::<Vec<_>>(), ["/a.css", "/app.js", "/b/c.css", "/index.html", "/same.txt"]);
    assert_eq!(manifest["/a.css"], manifest["/b/c.css"]);
    assert_eq!(config_files, ["_headers"]);
    assert_eq!(fake.production().as_deref(), Some(&*first.platform_id));
    assert_eq!(first.url.as_deref(), Some("https://00000001.blog.pages.dev"));
    let text = log.text();
    assert!(text.contains("Cloudflare Pages: build active") && text.contains("deploy success"), "{text}");
    assert!(text.contains("Success: Your site was deployed!"), "{text}");
    assert_eq!(text.matches("Initializing build environment").count(), 1, "each line is logged once: {text}");

    fake.common.clear_requests();
    let site = common::site(dir.path(), &[("index.html", "<h1>v2</h1>")]);
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let second = target.deploy(&job).await.unwrap();
    assert_eq!((second.uploaded_files, second.uploaded_bytes), (1, 11));
    assert_eq!((fake.uploaded(), fake.common.count(UPLOADS)), (5, 1), "{:?}", fake.common.requests());

    fake.common.clear_requests();
    let third = target.deploy(&job).await.unwrap();
    assert_eq!((third.uploaded_files, fake.common.count(UPLOADS)), (0, 0), "a no-op redeploy uploads nothing");
    assert_eq!(fake.production().as_deref(), Some(&*third.platform_id));

    let back = target.rollback(&first.platform_id, &job).await.unwrap();
    assert_eq!(fake.production().as_deref(), Some(&*first.platform_id));
    assert_eq!(back.url, first.url);
}

#[tokio::test]
async fn an_expired_upload_token_is_replaced() {
    let fake = CloudflareFake::start(TOKEN, ACCOUNT, "blog").await.unwrap();
    fake.set_upload_token_uses(Some(1));
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let target = common::target(Platform::CloudflarePages, &fake.base, "blog", ACCOUNT, TOKEN);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    target.deploy(&job).await.unwrap();
    assert_eq!(fake.common.count("GET /client/v4/accounts/0123abcd/pages/projects/blog/upload-token"), 3);
}

#[tokio::test]
async fn errors_are_clear_and_rate_limits_are_waited_out() {
    let fake = CloudflareFake::start(TOKEN, ACCOUNT, "blog").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let site = common::site(dir.path(), &[("index.html", "hi")]);
    let log = common::log();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };

    let wrong = common::target(Platform::CloudflarePages, &fake.base, "blog", ACCOUNT, "wrong");
    let error = wrong.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::AuthFailed, "{error}");
    assert!(error.message.contains("Cloudflare Pages refused the token"), "{error}");

    let target = common::target(Platform::CloudflarePages, &fake.base, "blog", ACCOUNT, TOKEN);
    common::shows_the_platforms_refusal(&fake.common, target.as_ref(), &job).await;

    common::waits_out_retry_after(&fake.common, target.as_ref(), &job).await;

    fake.common.set_builds_fail(true);
    std::fs::write(dir.path().join("index.html"), "changed").unwrap();
    let site = Site::scan(dir.path()).unwrap();
    let job = Job { site: &site, project_root: dir.path().to_owned(), commit: None, log: &log };
    let error = target.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::BuildFailed, "{error}");
    assert!(error.message.contains("an internal error occurred while deploying"), "{error}");

    let missing = common::target(Platform::CloudflarePages, &fake.base, "no-such-project", ACCOUNT, TOKEN);
    let error = missing.deploy(&job).await.unwrap_err();
    assert_eq!(error.code, Code::NotFound, "{error}");
    assert!(error.message.contains("Project not found"), "Cloudflare's own message: {error}");
    let no_account = flashfusion_deploy::targets::TargetConfig {
        platform: Platform::CloudflarePages,
        site: "blog".into(),
        account: String::new(),
        branch: String::new(),
        api_base: fake.base.clone(),
    };
    let error = flashfusion_deploy::targets::adapter(&no_account, None, common::fast()).err().unwrap();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("account id"), "{error}");
}

#[tokio::test]
async fn env_vars_and_custom_domains() {
    let fake = CloudflareFake::start(TOKEN, ACCOUNT, "blog").await.unwrap();
    let target = common::target(Platform::CloudflarePages, &fake.base, "blog", ACCOUNT, TOKEN);
    let vars = [
        EnvVar { name: "API_URL".into(), value: "https://api.example.com".into(), secret: false },
        EnvVar { name: "TOKEN".into(), value: "s3cret".into(), secret: true },
    ];
    target.set_env(&vars).await.unwrap();
    let env = fake.env();
    assert_eq!(env.get("TOKEN"), Some(&("secret_text".to_owned(), "s3cret".to_owned())));
    assert_eq!(env.get("API_URL"), Some(&("plain_text".to_owned(), "https://api.example.com".to_owned())));

    let status = target.add_domain("www.example.com").await.unwrap();
    assert_eq!(fake.domains(), ["www.example.com"]);
    assert_eq!(status.records[0].kind, "CNAME");
    assert_eq!(status.records[0].value, "blog.pages.dev");
    assert_eq!(status.records[1].kind, "TXT");
    assert_eq!(status.records[1].name, "_cf-custom-hostname.www.example.com");
    assert!(!status.verified);

    let error = target.add_domain("www.example.com").await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("already added this custom domain"), "{error}");
}
