//! What the platform tests share: a site on disk, fast polling, a job.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use flashfusion_deploy::log::BuildLog;
use flashfusion_deploy::site::Site;
use flashfusion_deploy::targets::{adapter, Platform, Target, TargetConfig, Timing};

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
