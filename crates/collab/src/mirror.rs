//! Keeps a shared project's folder equal to its document: files changed,
//! added or removed by anyone are written (atomically) or deleted shortly
//! after, so the file tree, builds and git see what the team sees. Paths
//! come from other people's documents and are refused unless they are plain
//! relative paths inside the folder (no `..`, no `.git` anywhere, no
//! symlinks, nothing that may hold secrets). Files that were never shared
//! (binaries, secrets, over 1 MiB) are never overwritten or deleted.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use flashfusion_core::secret_files::is_secret;

use crate::project_files::shareable_text;
use crate::session::Session;

/// Changes closer together than this are written once.
const SETTLE: Duration = Duration::from_millis(150);

/// Runs until aborted (when the session ends).
pub async fn run(session: Arc<Session>, root: PathBuf) {
    loop {
        let mut touched: HashSet<String> = session.touched_files().await;
        tokio::time::sleep(SETTLE).await;
        touched.extend(session.take_touched());
        let root = root.clone();
        let contents: Vec<(String, Option<String>)> =
            touched.into_iter().map(|path| (path.clone(), session.text(&path))).collect();
        let written = tokio::task::spawn_blocking(move || {
            for (path, content) in contents {
                if let Err(error) = write(&root, &path, content.as_deref()) {
                    tracing::warn!(%path, %error, "could not mirror a shared file to disk");
                }
            }
        })
        .await;
        if let Err(error) = written {
            tracing::error!(%error, "the mirror task failed");
        }
    }
}

/// The file `path` of the document under `root`, if `path` is acceptable.
pub fn confined(root: &Path, path: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = path.split('/').collect();
    let plain = |part: &&str| {
        !part.is_empty() && *part != "." && *part != ".." && *part != ".git" && !part.contains(['\\', '\0'])
    };
    if !parts.iter().all(plain) || is_secret(path) {
        return None;
    }
    let mut current = root.to_path_buf();
    for part in parts {
        current.push(part);
        if current.symlink_metadata().is_ok_and(|meta| meta.file_type().is_symlink()) {
            return None;
        }
    }
    Some(current)
}

fn write(root: &Path, path: &str, content: Option<&str>) -> std::io::Result<()> {
    let Some(target) = confined(root, path) else {
        tracing::warn!(%path, "refusing to mirror a path outside the project or one that may hold secrets");
        return Ok(());
    };
    if local_only(&target) {
        tracing::warn!(%path, "not mirroring over a file that was never shared (binary or too large)");
        return Ok(());
    }
    match content {
        None => match std::fs::remove_file(&target) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
            _ => {
                remove_empty_parents(root, &target);
                Ok(())
            }
        },
        Some(content) => {
            if std::fs::read(&target).is_ok_and(|current| current == content.as_bytes()) {
                return Ok(());
            }
            let parent = target.parent().unwrap_or(root);
            std::fs::create_dir_all(parent)?;
            let mut temp = tempfile::NamedTempFile::new_in(parent)?;
            temp.write_all(content.as_bytes())?;
            temp.as_file().sync_data()?;
            temp.persist(&target).map_err(|error| error.error)?;
            Ok(())
        }
    }
}

/// A file on disk that cannot be in the document: not text, or too large.
fn local_only(target: &Path) -> bool {
    target.exists() && shareable_text(target).is_none()
}

/// Folders emptied by a delete or rename go too (a moved folder leaves nothing behind).
fn remove_empty_parents(root: &Path, file: &Path) {
    let mut folder = file.parent();
    while let Some(current) = folder {
        if current == root || std::fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_plain_relative_paths_are_mirrored() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for bad in [
            "",
            "../x",
            "/etc/passwd",
            "a/../../x",
            "a\\b",
            ".git/hooks/pre-commit",
            "sub/.git/config",
            "a/./b",
            "nul\0",
            ".env",
        ] {
            assert!(confined(root, bad).is_none(), "{bad:?}");
        }
        std::os::unix::fs::symlink("/tmp", root.join("link")).unwrap();
        assert!(confined(root, "link/x").is_none());
        assert_eq!(confined(root, "src/main.rs").unwrap(), root.join("src/main.rs"));

        write(root, "src/deep/a.txt", Some("hello")).unwrap();
        assert_eq!(std::fs::read_to_string(root.join("src/deep/a.txt")).unwrap(), "hello");
        write(root, "src/deep/a.txt", None).unwrap();
        assert!(!root.join("src").exists(), "emptied folders are removed");
        write(root, "../escape.txt", Some("x")).unwrap();
        // A binary the owner never shared is not replaced by a peer's text file of that name.
        std::fs::write(root.join("logo.png"), [0x89, b'P', 0, 1]).unwrap();
        write(root, "logo.png", Some("text")).unwrap();
        write(root, "logo.png", None).unwrap();
        assert_eq!(std::fs::read(root.join("logo.png")).unwrap(), [0x89, b'P', 0, 1]);
        assert!(!dir.path().parent().unwrap().join("escape.txt").exists());
    }
}
