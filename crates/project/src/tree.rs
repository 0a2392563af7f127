//! The project tree as a flat pre-order listing: folders first, then files,
//! case-insensitively by name. Folders that `.gitignore` excludes, and
//! dependency or cache folders (`node_modules`, `.venv`, …), are listed but
//! not descended into: the UI shows them collapsed and lists them on demand.

use std::path::Path;

use flashfusion_core::{Result, ResultExt};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use serde::Serialize;
use ts_rs::TS;

use crate::confine::ProjectRoot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TreeEntry {
    /// Relative to the project root, '/'-separated.
    pub path: String,
    pub name: String,
    pub kind: EntryKind,
    pub depth: u32,
    /// Ignored entries are shown dimmed; ignored folders are not descended into.
    pub ignored: bool,
}

/// Never shown: version-control internals.
const HIDDEN: &[&str] = &[".git", ".hg", ".svn", ".DS_Store"];

/// Dependency and cache folders: huge, generated, rarely edited.
const HEAVY_FOLDERS: &[&str] = &[
    "node_modules",
    "bower_components",
    ".venv",
    "venv",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".gradle",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".parcel-cache",
    ".cache",
];

fn is_heavy(name: &str, folder: &Path) -> bool {
    HEAVY_FOLDERS.contains(&name) || (name == "target" && folder.join("Cargo.toml").is_file())
}

/// True for paths the watcher should not report: inside hidden or heavy folders.
pub fn is_noise(relative: &str) -> bool {
    relative.split('/').any(|part| HIDDEN.contains(&part) || HEAVY_FOLDERS.contains(&part))
}

/// The whole tree below the root, descending into everything not ignored.
pub fn list_tree(root: &ProjectRoot) -> Result<Vec<TreeEntry>> {
    list(root, "", Depth::Recursive)
}

/// The direct children of one folder: how the UI expands an ignored folder
/// (a huge `node_modules` stays cheap, one level at a time).
pub fn list_dir(root: &ProjectRoot, relative: &str) -> Result<Vec<TreeEntry>> {
    list(root, relative, Depth::Children)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Depth {
    Recursive,
    Children,
}

fn list(root: &ProjectRoot, relative: &str, depth_mode: Depth) -> Result<Vec<TreeEntry>> {
    let folder = root.resolve(relative)?;
    let mut matchers = Vec::new();
    // Rules from the root down to the listed folder apply to it too.
    let mut ancestor = root.path().to_path_buf();
    push_gitignore(&mut matchers, &ancestor);
    for part in relative.split('/').filter(|part| !part.is_empty()) {
        ancestor.push(part);
        if ancestor != folder {
            push_gitignore(&mut matchers, &ancestor);
        }
    }
    let mut entries = Vec::new();
    let depth = u32::try_from(relative.split('/').filter(|part| !part.is_empty()).count()).unwrap_or(u32::MAX);
    walk(root, &folder, depth, depth_mode, &mut matchers, &mut entries)?;
    Ok(entries)
}

fn push_gitignore(matchers: &mut Vec<Gitignore>, folder: &Path) -> bool {
    let file = folder.join(".gitignore");
    if !file.is_file() {
        return false;
    }
    let mut builder = GitignoreBuilder::new(folder);
    if let Some(error) = builder.add(&file) {
        tracing::warn!(file = %file.display(), %error, "part of a .gitignore could not be read");
    }
    match builder.build() {
        Ok(matcher) => {
            matchers.push(matcher);
            true
        }
        Err(error) => {
            tracing::warn!(file = %file.display(), %error, "ignoring an unreadable .gitignore");
            false
        }
    }
}

fn is_gitignored(matchers: &[Gitignore], path: &Path, is_dir: bool) -> bool {
    // The deepest .gitignore with an opinion wins, as in git.
    for matcher in matchers.iter().rev() {
        match matcher.matched(path, is_dir) {
            Match::Ignore(_) => return true,
            Match::Whitelist(_) => return false,
            Match::None => {}
        }
    }
    false
}

fn walk(
    root: &ProjectRoot,
    folder: &Path,
    depth: u32,
    mode: Depth,
    matchers: &mut Vec<Gitignore>,
    out: &mut Vec<TreeEntry>,
) -> Result<()> {
    let pushed = if depth == 0 { false } else { push_gitignore(matchers, folder) };
    let mut children = Vec::new();
    for child in std::fs::read_dir(folder).context_path("list", folder)? {
        let child = child.context_path("list", folder)?;
        let name = child.file_name().to_string_lossy().into_owned();
        if HIDDEN.contains(&name.as_str()) {
            continue;
        }
        let file_type = child.file_type().context_path("inspect", &child.path())?;
        // A symlinked folder is listed as a folder but never descended into
        // (it could loop or lead outside); expanding it goes through the
        // confinement check like any other path.
        let is_link = file_type.is_symlink();
        let is_dir = file_type.is_dir() || (is_link && child.path().is_dir());
        children.push((name, is_dir, is_link));
    }
    children.sort_by(|(a_name, a_dir, _), (b_name, b_dir, _)| {
        b_dir
            .cmp(a_dir)
            .then_with(|| a_name.to_lowercase().cmp(&b_name.to_lowercase()))
            .then_with(|| a_name.cmp(b_name))
    });
    for (name, is_dir, is_link) in children {
        let path = folder.join(&name);
        let ignored = (is_dir && (is_link || is_heavy(&name, folder))) || is_gitignored(matchers, &path, is_dir);
        out.push(TreeEntry {
            path: root.relative(&path).unwrap_or_else(|| name.clone()),
            name,
            kind: if is_dir { EntryKind::Dir } else { EntryKind::File },
            depth,
            ignored,
        });
        if is_dir && !ignored && mode == Depth::Recursive {
            walk(root, &path, depth + 1, mode, matchers, out)?;
        }
    }
    if pushed {
        matchers.pop();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn summary(entries: &[TreeEntry]) -> Vec<String> {
        entries
            .iter()
            .map(|e| {
                format!("{}{}{}", "  ".repeat(e.depth as usize), e.path, if e.ignored { " (ignored)" } else { "" })
            })
            .collect()
    }

    #[test]
    fn lists_folders_first_and_honours_gitignore_and_heavy_folders() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        write(p, ".gitignore", "*.log\nbuild/\n!keep.log\n");
        write(p, "README.md", "");
        write(p, "b.txt", "");
        write(p, "A.txt", "");
        write(p, "debug.log", "");
        write(p, "keep.log", "");
        write(p, "build/out.js", "");
        write(p, "node_modules/left-pad/index.js", "");
        write(p, "src/main.rs", "");
        write(p, "src/.gitignore", "generated.rs\n");
        write(p, "src/generated.rs", "");
        write(p, "Cargo.toml", "");
        write(p, "target/debug/app", "");
        write(p, ".git/HEAD", "");

        let root = ProjectRoot::new(p).unwrap();
        assert_eq!(
            summary(&list_tree(&root).unwrap()),
            [
                "build (ignored)",
                "node_modules (ignored)",
                "src",
                "  src/.gitignore",
                "  src/generated.rs (ignored)",
                "  src/main.rs",
                "target (ignored)",
                ".gitignore",
                "A.txt",
                "b.txt",
                "Cargo.toml",
                "debug.log (ignored)",
                "keep.log",
                "README.md",
            ]
        );
    }

    #[test]
    fn an_ignored_folder_can_be_listed_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "node_modules/left-pad/index.js", "");
        write(dir.path(), "node_modules/left-pad/node_modules/inner/x.js", "");
        let root = ProjectRoot::new(dir.path()).unwrap();
        assert_eq!(summary(&list_dir(&root, "node_modules").unwrap()), ["  node_modules/left-pad"]);
        assert_eq!(
            summary(&list_dir(&root, "node_modules/left-pad").unwrap()),
            ["    node_modules/left-pad/node_modules (ignored)", "    node_modules/left-pad/index.js"]
        );
    }

    #[test]
    fn symlinked_folders_are_folders_that_are_not_descended_into() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "project/src/lib.rs", "");
        write(dir.path(), "outside/secret.txt", "");
        std::os::unix::fs::symlink(dir.path().join("outside"), dir.path().join("project/linked")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("project/src"), dir.path().join("project/loop")).unwrap();
        let root = ProjectRoot::new(&dir.path().join("project")).unwrap();
        let entries = list_tree(&root).unwrap();
        assert_eq!(summary(&entries), ["linked (ignored)", "loop (ignored)", "src", "  src/lib.rs"]);
        assert!(entries.iter().take(2).all(|e| e.kind == EntryKind::Dir));
        assert_eq!(list_dir(&root, "linked").unwrap_err().code, flashfusion_core::Code::InvalidPath);
        assert_eq!(summary(&list_dir(&root, "loop").unwrap()), ["  loop/lib.rs"]);
    }

    #[test]
    fn noise_paths_are_recognised() {
        assert!(is_noise(".git/index"));
        assert!(is_noise("web/node_modules/x/y.js"));
        assert!(!is_noise("src/git.rs"));
    }
}
