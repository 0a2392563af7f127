//! Reports files changed on disk by other programs (and by us: the UI tells
//! its own saves apart by content hash). Events are debounced to one batch
//! per ~100 ms; changes inside `.git` and dependency folders are dropped.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use flashfusion_core::{Code, Error, ProjectId, Result};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use serde::Serialize;
use ts_rs::TS;

use crate::confine::ProjectRoot;
use crate::tree::is_noise;

/// Sent to the UI as the `fs-changed` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FsChange {
    pub project_id: ProjectId,
    /// Relative paths that were created, changed, renamed or removed.
    pub paths: Vec<String>,
}

pub type ChangeSink = Arc<dyn Fn(FsChange) + Send + Sync>;

/// Watching stops when this is dropped.
pub struct ProjectWatcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
}

impl ProjectWatcher {
    pub fn start(project_id: ProjectId, root: ProjectRoot, sink: ChangeSink) -> Result<Self> {
        let root_for_events = root.clone();
        let mut debouncer =
            new_debouncer(Duration::from_millis(100), None, move |result: DebounceEventResult| match result {
                Ok(events) => {
                    let paths: BTreeSet<String> = events
                        .iter()
                        .flat_map(|event| event.paths.iter())
                        .filter_map(|path| root_for_events.relative(path))
                        .filter(|relative| !relative.is_empty() && !is_noise(relative) && !is_save_temporary(relative))
                        .collect();
                    if !paths.is_empty() {
                        sink(FsChange { project_id, paths: paths.into_iter().collect() });
                    }
                }
                Err(errors) => {
                    for error in errors {
                        tracing::warn!(%error, "file watcher error");
                    }
                }
            })
            .map_err(|error| Error::new(Code::Io, format!("could not start watching the project: {error}")))?;
        debouncer
            .watch(root.path(), RecursiveMode::Recursive)
            .map_err(|error| Error::new(Code::Io, format!("could not watch {}: {error}", root.path().display())))?;
        Ok(Self { _debouncer: debouncer })
    }
}

fn is_save_temporary(relative: &str) -> bool {
    relative.rsplit('/').next().is_some_and(|name| name.starts_with(".flashfusion-save-"))
}
