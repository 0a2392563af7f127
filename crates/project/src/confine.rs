//! Confinement: a relative path from the UI may name only something inside
//! the project root. Absolute paths, `..`, and symlinks that lead outside are
//! refused with `Code::InvalidPath`.

use std::path::{Component, Path, PathBuf};

use flashfusion_core::{Code, Error, Result, ResultExt};

#[derive(Debug, Clone)]
pub struct ProjectRoot {
    root: PathBuf,
}

impl ProjectRoot {
    pub fn new(root: &Path) -> Result<Self> {
        let root = root.canonicalize().context_path("open the project folder", root)?;
        if !root.is_dir() {
            return Err(Error::new(Code::InvalidInput, format!("{} is not a folder", root.display())));
        }
        Ok(Self { root })
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The absolute path for `relative` ('/'-separated, "" = the root),
    /// checked to stay inside the root even through symlinks.
    pub fn resolve(&self, relative: &str) -> Result<PathBuf> {
        let refuse = |why: &str| Error::new(Code::InvalidPath, format!("refused path {relative:?}: {why}"));
        if relative.contains('\0') {
            return Err(refuse("it contains a NUL byte"));
        }
        let mut joined = self.root.clone();
        for component in Path::new(relative).components() {
            match component {
                Component::Normal(part) => joined.push(part),
                Component::CurDir => {}
                Component::ParentDir => return Err(refuse("'..' is not allowed")),
                Component::RootDir | Component::Prefix(_) => return Err(refuse("it must be relative to the project")),
            }
        }
        // The deepest part that exists decides where the path really leads.
        let mut existing = joined.as_path();
        while existing.symlink_metadata().is_err() {
            existing = existing.parent().ok_or_else(|| refuse("no part of it exists"))?;
        }
        let real = existing.canonicalize().map_err(|_| refuse("it goes through a broken symlink"))?;
        if !real.starts_with(&self.root) {
            return Err(refuse("it leads outside the project"));
        }
        Ok(joined)
    }

    /// The '/'-separated path of `absolute` relative to the root, if inside.
    pub fn relative(&self, absolute: &Path) -> Option<String> {
        let inside = absolute.strip_prefix(&self.root).ok()?;
        let parts: Vec<_> = inside.components().map(|part| part.as_os_str().to_string_lossy()).collect();
        Some(parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, ProjectRoot) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("project/src")).unwrap();
        std::fs::write(dir.path().join("project/src/main.rs"), "fn main() {}").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        let root = ProjectRoot::new(&dir.path().join("project")).unwrap();
        (dir, root)
    }

    #[test]
    fn paths_inside_resolve_even_when_they_do_not_exist_yet() {
        let (_dir, root) = project();
        assert_eq!(root.resolve("src/main.rs").unwrap(), root.path().join("src/main.rs"));
        assert_eq!(root.resolve("./src/new/deep.rs").unwrap(), root.path().join("src/new/deep.rs"));
        assert_eq!(root.resolve("").unwrap(), root.path());
    }

    #[test]
    fn climbing_out_and_absolute_paths_are_refused() {
        let (dir, root) = project();
        let outside = dir.path().join("secret.txt");
        for path in ["../secret.txt", "src/../../secret.txt", "/etc/passwd", outside.to_str().unwrap(), "a\0b"] {
            let error = root.resolve(path).unwrap_err();
            assert_eq!(error.code, Code::InvalidPath, "{path}: {error:?}");
        }
    }

    #[test]
    fn symlinks_leading_outside_are_refused_and_inside_ones_allowed() {
        let (dir, root) = project();
        std::os::unix::fs::symlink(dir.path(), root.path().join("escape")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.path().join("secret-link")).unwrap();
        std::os::unix::fs::symlink(root.path().join("src"), root.path().join("src-link")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/target", root.path().join("dangling")).unwrap();

        for path in ["escape/secret.txt", "escape/new-file", "secret-link", "dangling", "dangling/x"] {
            assert_eq!(root.resolve(path).unwrap_err().code, Code::InvalidPath, "{path}");
        }
        assert!(root.resolve("src-link/main.rs").is_ok());
    }

    #[test]
    fn relative_paths_use_forward_slashes() {
        let (_dir, root) = project();
        assert_eq!(root.relative(&root.path().join("src/main.rs")).as_deref(), Some("src/main.rs"));
        assert_eq!(root.relative(Path::new("/elsewhere")), None);
    }
}
