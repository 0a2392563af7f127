//! The built site: every file under the output folder with its size and
//! SHA-1 (the digest Netlify and Vercel key uploads by). Hashing runs on all
//! cores; a file's bytes are read again only when it must be uploaded.

use std::path::{Path, PathBuf};

use flashfusion_core::{hex, Code, Error, Result, ResultExt};
use sha1::{Digest, Sha1};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Relative to the site's root, with `/` separators, no leading slash.
    pub path: String,
    pub size: u64,
    /// Lowercase hex SHA-1 of the contents.
    pub sha1: String,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    /// Sorted by path.
    pub files: Vec<SiteFile>,
}

impl Site {
    /// Scans and hashes `root`. Hidden files and folders are left out (except
    /// `.well-known`), as are symlinks and files that may hold secrets (keys,
    /// certificates, credentials): a site is what its folder holds.
    pub fn scan(root: &Path) -> Result<Self> {
        let metadata = std::fs::metadata(root).context_path("read the output folder", root)?;
        if !metadata.is_dir() {
            return Err(Error::new(Code::NotFound, format!("{} is not a folder.", root.display())));
        }
        let mut paths = Vec::new();
        collect(root, "", &mut paths)?;
        paths.sort();
        let files = hash_all(root, paths)?;
        if files.is_empty() {
            return Err(Error::new(
                Code::NotFound,
                format!("The output folder {} is empty: nothing to deploy.", root.display()),
            ));
        }
        Ok(Self { root: root.to_path_buf(), files })
    }

    pub fn read(&self, file: &SiteFile) -> Result<Vec<u8>> {
        let path = self.root.join(&file.path);
        std::fs::read(&path).context_path("read", &path)
    }

    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|file| file.size).sum()
    }

    pub fn by_sha1(&self, sha1: &str) -> Option<&SiteFile> {
        self.files.iter().find(|file| file.sha1 == sha1)
    }
}

fn collect(root: &Path, prefix: &str, out: &mut Vec<String>) -> Result<()> {
    let folder = root.join(prefix);
    let entries = std::fs::read_dir(&folder).context_path("list", &folder)?;
    for entry in entries {
        let entry = entry.context_path("list", &folder)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name != ".well-known" {
            continue;
        }
        let relative = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
        // A site served from the project folder must not publish its keys.
        if flashfusion_core::secret_files::is_secret(&relative) {
            continue;
        }
        let kind = entry.file_type().context_path("read", &entry.path())?;
        if kind.is_dir() {
            collect(root, &relative, out)?;
        } else if kind.is_file() {
            out.push(relative);
        }
    }
    Ok(())
}

fn hash_all(root: &Path, paths: Vec<String>) -> Result<Vec<SiteFile>> {
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(8);
    let chunk = paths.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || chunk.iter().map(|path| hash_file(root, path)).collect::<Result<Vec<_>>>())
            })
            .collect();
        let mut files = Vec::with_capacity(paths.len());
        for handle in handles {
            files.extend(handle.join().map_err(|_| Error::internal("hashing the site failed"))??);
        }
        Ok(files)
    })
}

fn hash_file(root: &Path, relative: &str) -> Result<SiteFile> {
    let path = root.join(relative);
    let bytes = std::fs::read(&path).context_path("read", &path)?;
    Ok(SiteFile { path: relative.to_owned(), size: bytes.len() as u64, sha1: hex(&Sha1::digest(&bytes)) })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn scans_hashes_and_skips_hidden_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("assets/.cache")).unwrap();
        std::fs::create_dir_all(dir.path().join(".well-known")).unwrap();
        std::fs::write(dir.path().join("index.html"), "hello").unwrap();
        std::fs::write(dir.path().join("assets/app.js"), "").unwrap();
        std::fs::write(dir.path().join("assets/.cache/x"), "x").unwrap();
        std::fs::write(dir.path().join(".env"), "SECRET=1").unwrap();
        std::fs::write(dir.path().join("server.key"), "-----BEGIN").unwrap();
        std::fs::write(dir.path().join(".well-known/security.txt"), "hi").unwrap();
        let site = Site::scan(dir.path()).unwrap();
        let paths: Vec<_> = site.files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, [".well-known/security.txt", "assets/app.js", "index.html"]);
        assert_eq!(site.files[2].sha1, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        assert_eq!(site.files[1].sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(site.total_bytes(), 7);
    }

    #[test]
    fn an_empty_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Site::scan(dir.path()).unwrap_err().code, Code::NotFound);
    }
}
