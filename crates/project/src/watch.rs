//! Reports files changed on disk by other programs (and by us: the UI tells
//! its own saves apart by content hash). Events are debounced to one batch
//! per ~100 ms. Only content, creation, rename and removal count (reads and
//! `chmod` do not, or reading a file would report it changed); changes inside
//! `.git`, dependency folders and gitignored folders (build output) are dropped.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use flashfusion_core::{Code, Error, ProjectId, Result};
use ignore::gitignore::Gitignore;
use notify::event::{EventKind, ModifyKind};
use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};
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

fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(modify) => !matches!(modify, ModifyKind::Metadata(_)),
        EventKind::Access(_) | EventKind::Other => false,
    }
}

/// True when `path` lies inside a folder the root `.gitignore` excludes.
/// The file itself may be ignored (`.env`) and still be reported: people
/// edit those. An event on the project folder itself has its parent outside
/// the root, which the matcher must never see (it panics).
fn in_ignored_folder(gitignore: &Gitignore, path: &Path) -> bool {
    path.parent()
        .filter(|parent| parent.starts_with(gitignore.path()))
        .is_some_and(|parent| gitignore.matched_path_or_any_parents(parent, true).is_ignore())
}

impl ProjectWatcher {
    pub fn start(project_id: ProjectId, root: ProjectRoot, sink: ChangeSink) -> Result<Self> {
        let gitignore_path = root.path().join(".gitignore");
        let mut gitignore = read_gitignore(&gitignore_path);
        let root_for_events = root.clone();
        let handler = move |result: DebounceEventResult| match result {
            Ok(events) => {
                if events.iter().any(|event| event.paths.contains(&gitignore_path)) {
                    gitignore = read_gitignore(&gitignore_path);
                }
                let paths: BTreeSet<String> = events
                    .iter()
                    .filter(|event| is_change(&event.kind))
                    .flat_map(|event| event.paths.iter())
                    .filter(|path| !in_ignored_folder(&gitignore, path))
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
        };
        // Following symlinks could watch half the disk (a link to $HOME).
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut debouncer =
            new_debouncer_opt(Duration::from_millis(100), None, handler, RecommendedCache::new(), config)
                .map_err(|error| Error::new(Code::Io, format!("could not start watching the project: {error}")))?;
        debouncer
            .watch(root.path(), RecursiveMode::Recursive)
            .map_err(|error| Error::new(Code::Io, format!("could not watch {}: {error}", root.path().display())))?;
        Ok(Self { _debouncer: debouncer })
    }
}

fn read_gitignore(path: &Path) -> Gitignore {
    let (gitignore, error) = Gitignore::new(path);
    if let Some(error) = error.filter(|_| path.exists()) {
        tracing::warn!(%error, "the project's .gitignore is partly unreadable");
    }
    gitignore
}

fn is_save_temporary(relative: &str) -> bool {
    relative.rsplit('/').next().is_some_and(|name| name.starts_with(".flashfusion-save-"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn events_on_the_project_folder_itself_are_not_matched_against_gitignore() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".gitignore"), "dist/\n").unwrap();
        let gitignore = super::read_gitignore(&dir.path().join(".gitignore"));
        assert!(!super::in_ignored_folder(&gitignore, dir.path()), "no panic for the root itself");
        assert!(super::in_ignored_folder(&gitignore, &dir.path().join("dist/app.js")));
        assert!(!super::in_ignored_folder(&gitignore, &dir.path().join("src/app.js")));
    }
}
