//! Which files of a project go into its shared document: what git would
//! track (`.gitignore` respected), as text, never files that may hold
//! secrets, binaries or anything over 1 MiB.

use std::collections::BTreeMap;
use std::path::Path;

use flashfusion_core::secret_files::is_secret;
use flashfusion_core::{Code, Error, Result};

/// Files larger than this stay out of the shared document.
const LARGEST_SHARED_FILE: u64 = 1024 * 1024;
/// Folders of dependencies and build output, shared by no one even without a `.gitignore`.
const NEVER_SHARED: [&str; 4] = [".git", "node_modules", "target", "dist"];

pub fn shareable_files(root: &Path) -> Result<BTreeMap<String, String>> {
    let mut files = BTreeMap::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .require_git(false)
        .filter_entry(|entry| !NEVER_SHARED.iter().any(|name| entry.file_name() == *name))
        .build();
    for entry in walker {
        let entry = entry.map_err(|error| Error::new(Code::Io, format!("could not list the project: {error}")))?;
        if !entry.file_type().is_some_and(|kind| kind.is_file()) {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else { continue };
        let path = relative.to_string_lossy().replace('\\', "/");
        if is_secret(&path) {
            continue;
        }
        if let Some(text) = shareable_text(entry.path()) {
            files.insert(path, text);
        }
    }
    Ok(files)
}

/// The file's text if it can be in a shared document: UTF-8 without NUL
/// bytes and at most 1 MiB.
pub fn shareable_text(file: &Path) -> Option<String> {
    let metadata = std::fs::metadata(file).ok()?;
    if !metadata.is_file() || metadata.len() > LARGEST_SHARED_FILE {
        return None;
    }
    std::fs::read(file).ok().and_then(|bytes| String::from_utf8(bytes).ok()).filter(|text| !text.contains('\0'))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn text_files_git_would_track_are_shared_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
        std::fs::write(root.join("src/main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(root.join(".gitignore"), "build/\n").unwrap();
        std::fs::create_dir_all(root.join("build")).unwrap();
        std::fs::write(root.join("build/out.js"), "x").unwrap();
        std::fs::write(root.join("node_modules/x/index.js"), "x").unwrap();
        std::fs::write(root.join(".env"), "KEY=1").unwrap();
        std::fs::write(root.join("logo.png"), [0x89, b'P', b'N', b'G', 0, 0]).unwrap();
        std::fs::write(root.join("big.txt"), "a".repeat(LARGEST_SHARED_FILE as usize + 1)).unwrap();

        let files = shareable_files(root).unwrap();
        assert_eq!(files.keys().collect::<Vec<_>>(), [".gitignore", "src/main.rs"]);
        assert_eq!(files["src/main.rs"], "fn main() {}\n");
    }
}
