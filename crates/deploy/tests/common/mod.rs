//! What the platform tests share: a site on disk, fast polling, a job.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use flashfusion_core::Code;
use flashfusion_deploy::log::BuildLog;
use flashfusion_deploy::site::Site;
use flashfusion_deploy::targets::{adapter, Job, Platform, Target, TargetConfig, Timing};
use flashfusion_deploy::test_server::Common;

/// Polls every 10 ms; waits for `Retry-After` up to 5 s.
pub fn fast() -> Timing {
    Timing {
        poll_every: Duration::from_millis(10),
        give_up_after: Duration::from_secs(20),
        max_retry_wait: Duration::from_secs(5),
    }
}

/// Writes `files` (path, contents) under `root` and scans it.
pub fn site(root: &Path, files: &[(&str, &str)]) -> Site {
    for (path, contents) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    Site::scan(root).unwrap()
}

pub fn target(platform: Platform, api_base: &str, site: &str, account: &str, token: &str) -> Arc<dyn Target> {
    let config = TargetConfig {
        platform,
        site: site.to_owned(),
        account: account.to_owned(),
        branch: String::new(),
        api_base: api_base.to_owned(),
    };
    adapter(&config, Some(token.to_owned()), fast()).unwrap()
}

/// A log that keeps its lines for assertions.
pub fn log() -> BuildLog {
    BuildLog::silent()
}

/// A 429 with `Retry-After: 1` is waited out and the deploy goes through.
pub async fn waits_out_retry_after(fake: &Common, target: &dyn Target, job: &Job<'_>) {
    fake.fail_next(429, Some(1));
    let started = std::time::Instant::now();
    target.deploy(job).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited for Retry-After");
}

/// A 422 is `invalid_input` carrying the platform's own message.
pub async fn shows_the_platforms_refusal(fake: &Common, target: &dyn Target, job: &Job<'_>) {
    fake.fail_next(422, None);
    let error = target.deploy(job).await.unwrap_err();
    assert_eq!(error.code, Code::InvalidInput, "{error}");
    assert!(error.message.contains("injected failure"), "the platform's message is shown: {error}");
}
