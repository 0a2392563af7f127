//! Template bundles on the app's side: picking what a project may publish
//! (what git would track, never secrets), packing it as a gzipped tar with
//! its SHA-256, and unpacking a downloaded one into a new folder — checked
//! as strictly as the server checks uploads, and all-or-nothing.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use flashfusion_core::secret_files::is_secret;
use flashfusion_core::{hex, Code, Error, Result, ResultExt};
use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::client::Bundle;

/// Larger files are left out of a template (build output, media, dumps).
const LARGEST_FILE: u64 = 10 * 1024 * 1024;
/// Previews show files up to this size.
const LARGEST_PREVIEW: u64 = 1024 * 1024;
/// Unpacking stops past this much content (a gzip bomb).
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublishFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Whether it may be published; `reason` says why not.
    pub allowed: bool,
    pub reason: Option<String>,
}

/// Every file under `root` that git would track (`.gitignore` respected,
/// `.git` skipped), with secrets and oversized files marked as not allowed.
pub fn candidates(root: &Path) -> Result<Vec<PublishFile>> {
    let mut files = Vec::new();
    let walker = ignore::WalkBuilder::new(root).hidden(false).git_ignore(true).require_git(false).build();
    for entry in walker {
        let entry = entry.map_err(|error| Error::new(Code::Io, format!("could not list the project: {error}")))?;
        let Some(kind) = entry.file_type() else { continue };
        if !kind.is_file() || entry.path().components().any(|part| part.as_os_str() == ".git") {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else { continue };
        let path = relative.to_string_lossy().replace('\\', "/");
        let size = entry.metadata().map(|metadata| metadata.len()).unwrap_or(0);
        let reason = if is_secret(&path) {
            Some("may hold secrets: never published".to_owned())
        } else if size > LARGEST_FILE {
            Some("larger than 10 MB".to_owned())
        } else {
            None
        };
        files.push(PublishFile { allowed: reason.is_none(), path, size, reason });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Packs the chosen files (each must be an allowed candidate).
pub fn pack(root: &Path, chosen: &[String]) -> Result<Bundle> {
    if chosen.is_empty() {
        return Err(Error::new(Code::InvalidInput, "Choose at least one file to publish."));
    }
    let allowed = candidates(root)?;
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut archive = tar::Builder::new(encoder);
    for path in chosen {
        match allowed.iter().find(|file| &file.path == path) {
            Some(file) if file.allowed => {}
            Some(file) => {
                return Err(Error::new(
                    Code::InvalidInput,
                    format!("{path} cannot be published: {}.", file.reason.as_deref().unwrap_or("")),
                ))
            }
            None => {
                return Err(Error::new(Code::NotFound, format!("{path} is not a publishable file of this project.")))
            }
        }
        let full = root.join(path);
        let mut file = std::fs::File::open(&full).context_path("read", &full)?;
        archive.append_file(path, &mut file).context_path("pack", &full)?;
    }
    let bytes = archive
        .into_inner()
        .and_then(|encoder| encoder.finish())
        .map_err(|error| Error::new(Code::Io, format!("could not pack the template: {error}")))?;
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(Bundle { bytes, sha256 })
}

/// Unpacks a bundle into `target`, which must not exist yet. The bundle's
/// SHA-256 must be the one the server vouched for; only regular files and
/// folders with plain relative paths are accepted. Everything lands in a
/// temporary sibling first and is renamed into place at the end, so a
/// refused or broken bundle leaves nothing behind.
pub fn unpack(bundle: &Bundle, target: &Path) -> Result<()> {
    let actual = hex(&Sha256::digest(&bundle.bytes));
    if !bundle.sha256.eq_ignore_ascii_case(&actual) {
        return Err(Error::new(
            Code::InvalidInput,
            "The downloaded template does not match its checksum: it was not used.",
        ));
    }
    if target.exists() {
        return Err(Error::new(
            Code::AlreadyExists,
            format!("{} already exists: choose another name.", target.display()),
        ));
    }
    let parent = target.parent().ok_or_else(|| Error::new(Code::InvalidPath, "choose a folder for the new project"))?;
    std::fs::create_dir_all(parent).context_path("create", parent)?;
    let staging = parent.join(format!(
        ".{}.unpacking",
        target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let unpacked = extract(&bundle.bytes, &staging)
        .and_then(|()| std::fs::rename(&staging, target).context_path("create", target));
    if unpacked.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    unpacked
}

fn extract(bytes: &[u8], into: &Path) -> Result<()> {
    std::fs::create_dir_all(into).context_path("create", into)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let entries = archive.entries().map_err(|error| broken(&error))?;
    let mut unpacked = 0u64;
    for entry in entries {
        let mut entry = entry.map_err(|error| broken(&error))?;
        let raw = entry.path_bytes().into_owned();
        let path = safe_path(&raw)?;
        match entry.header().entry_type() {
            tar::EntryType::Directory => std::fs::create_dir_all(into.join(&path)).context_path("create", &path)?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                unpacked += entry.size();
                if unpacked > MAX_UNPACKED {
                    return Err(Error::new(
                        Code::TooLarge,
                        "The template unpacks to more than 512 MB: it was not used.",
                    ));
                }
                let destination = into.join(&path);
                if let Some(folder) = destination.parent() {
                    std::fs::create_dir_all(folder).context_path("create", folder)?;
                }
                let mut contents = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
                entry.read_to_end(&mut contents).map_err(|error| broken(&error))?;
                std::fs::write(&destination, contents).context_path("write", &destination)?;
            }
            other => {
                return Err(Error::new(
                    Code::InvalidInput,
                    format!(
                        "The template holds {} ({other:?}), which is never unpacked: it was not used.",
                        path.display()
                    ),
                ))
            }
        }
    }
    Ok(())
}

/// One file's text from a bundle, for a preview.
pub fn read_file(bundle: &Bundle, wanted: &str) -> Result<String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&bundle.bytes[..]));
    for entry in archive.entries().map_err(|error| broken(&error))? {
        let mut entry = entry.map_err(|error| broken(&error))?;
        let raw = entry.path_bytes().into_owned();
        if raw.strip_prefix(b"./").unwrap_or(&raw) != wanted.as_bytes() {
            continue;
        }
        if entry.size() > LARGEST_PREVIEW {
            return Err(Error::new(Code::TooLarge, format!("{wanted} is too big to preview.")));
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|error| broken(&error))?;
        return String::from_utf8(bytes)
            .map_err(|_| Error::new(Code::BinaryFile, format!("{wanted} is not a text file.")));
    }
    Err(Error::new(Code::NotFound, format!("{wanted} is not in this version.")))
}

/// A relative path without `..`, roots, backslashes or NULs.
fn safe_path(raw: &[u8]) -> Result<PathBuf> {
    let text = std::str::from_utf8(raw).map_err(|_| refused("a file name that is not UTF-8"))?;
    if text.contains(['\\', '\0']) {
        return Err(refused(&format!("the path {text:?}")));
    }
    let path = PathBuf::from(text);
    let plain = path.components().all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    // A `.git` folder could run commands (hooks, `core.fsmonitor`) or redirect pushes.
    let git = path.components().any(|part| part.as_os_str().eq_ignore_ascii_case(".git"));
    if !plain || git || path.as_os_str().is_empty() {
        return Err(refused(&format!("the path {text:?}")));
    }
    Ok(path)
}

fn refused(what: &str) -> Error {
    Error::new(Code::InvalidInput, format!("The template holds {what}, which is never unpacked: it was not used."))
}

fn broken(error: &std::io::Error) -> Error {
    Error::new(Code::InvalidInput, format!("The downloaded template is damaged ({error}): it was not used."))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in [
            ("index.html", "<h1>hi</h1>"),
            ("src/app.js", "console.log(1)"),
            (".env", "KEY=1"),
            ("certs/server.key", "-----BEGIN"),
            (".gitignore", "dist/\n"),
            ("dist/bundle.js", "built"),
        ] {
            std::fs::create_dir_all(dir.path().join(path).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(path), text).unwrap();
        }
        dir
    }

    #[test]
    fn candidates_respect_gitignore_and_mark_secrets() {
        let dir = project();
        let files = candidates(dir.path()).unwrap();
        let listed: Vec<_> = files.iter().map(|file| (file.path.as_str(), file.allowed)).collect();
        assert_eq!(
            listed,
            [
                (".env", false),
                (".gitignore", true),
                ("certs/server.key", false),
                ("index.html", true),
                ("src/app.js", true)
            ]
        );
    }

    #[test]
    fn packs_and_unpacks_all_or_nothing() {
        let dir = project();
        assert_eq!(
            pack(dir.path(), &[".env".into()]).unwrap_err().code,
            Code::InvalidInput,
            "secrets are never packed"
        );
        assert_eq!(pack(dir.path(), &["dist/bundle.js".into()]).unwrap_err().code, Code::NotFound);
        let bundle = pack(dir.path(), &["index.html".into(), "src/app.js".into()]).unwrap();
        let target = dir.path().join("out/copy");
        unpack(&bundle, &target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("src/app.js")).unwrap(), "console.log(1)");
        assert_eq!(unpack(&bundle, &target).unwrap_err().code, Code::AlreadyExists);

        let tampered = Bundle { bytes: bundle.bytes.clone(), sha256: "00".repeat(32) };
        assert!(unpack(&tampered, &dir.path().join("out/other")).is_err());
        assert!(!dir.path().join("out/other").exists());
    }

    #[test]
    fn hostile_entries_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
        let mut header = tar::Header::new_gnu();
        header.set_size(2);
        header.set_mode(0o644);
        header.set_cksum();
        archive.append_data(&mut header, "ok.txt", &b"ok"[..]).unwrap();
        let mut link = tar::Header::new_gnu();
        link.set_entry_type(tar::EntryType::Symlink);
        link.set_size(0);
        archive.append_link(&mut link, "escape", "/etc/passwd").unwrap();
        let bytes = archive.into_inner().unwrap().finish().unwrap();
        let bundle = Bundle { sha256: hex(&Sha256::digest(&bytes)), bytes };
        let target = dir.path().join("new");
        let error = unpack(&bundle, &target).unwrap_err();
        assert!(error.message.contains("escape"), "{error}");
        assert!(!target.exists() && std::fs::read_dir(dir.path()).unwrap().count() == 0, "nothing half-unpacked");
        assert!(safe_path(b"../x").is_err() && safe_path(b"/etc/x").is_err() && safe_path(b"a\\b").is_err());
        assert!(safe_path(b"a/./b.txt").is_ok());
        assert!(safe_path(b".git/config").is_err() && safe_path(b"src/.GIT/hooks/pre-commit").is_err());
    }
}
