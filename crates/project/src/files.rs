//! File contents: text reads with binary and size checks, content hashes,
//! and atomic saves (temp file in the same folder, fsync, rename, fsync the
//! folder) so a crash or a full disk never leaves a half-written file.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use flashfusion_core::{Code, Error, Result, ResultExt};
use sha2::{Digest, Sha256};

/// Larger files are refused rather than freezing the editor.
pub const MAX_TEXT_BYTES: u64 = 64 * 1024 * 1024;

/// New files get the usual rw-r--r-- rather than the temporary file's 0600.
const NEW_FILE_MODE: u32 = 0o644;

pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The file's text and the hash of its bytes.
pub fn read_text(path: &Path) -> Result<(String, String)> {
    let metadata = std::fs::metadata(path).context_path("open", path)?;
    if metadata.is_dir() {
        return Err(Error::new(Code::InvalidInput, format!("{} is a folder", path.display())));
    }
    if metadata.len() > MAX_TEXT_BYTES {
        return Err(Error::new(
            Code::TooLarge,
            format!(
                "{} is {} MiB; files over {} MiB are not opened",
                path.display(),
                metadata.len() >> 20,
                MAX_TEXT_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path).context_path("read", path)?;
    let hash = content_hash(&bytes);
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.contains(&0) {
        return Err(binary(path));
    }
    let text = String::from_utf8(bytes).map_err(|_| binary(path))?;
    Ok((text, hash))
}

fn binary(path: &Path) -> Error {
    Error::new(Code::BinaryFile, format!("{} is not a UTF-8 text file", path.display()))
}

/// Hash of the file's current bytes, `None` if it does not exist.
pub fn current_hash(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(content_hash(&bytes))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).context_path("read", path),
    }
}

/// Replaces `path` with `bytes` atomically, keeping the file's permissions.
/// A symlink is saved through: its target gets the new content.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = match path.symlink_metadata() {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            path.canonicalize().context_path("follow the link", path)?
        }
        _ => path.to_path_buf(),
    };
    let folder = target
        .parent()
        .ok_or_else(|| Error::new(Code::InvalidPath, format!("{} has no parent folder", target.display())))?;
    // A tab may outlive its folder (deleted while the tab kept unsaved text).
    std::fs::create_dir_all(folder).context_path("create the folder", folder)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".flashfusion-save-")
        .permissions(std::fs::Permissions::from_mode(NEW_FILE_MODE))
        .tempfile_in(folder)
        .context_path("create a temporary file in", folder)?;
    temporary.write_all(bytes).context_path("write", &target)?;
    temporary.as_file().sync_all().context_path("flush", &target)?;
    if let Ok(metadata) = std::fs::metadata(&target) {
        std::fs::set_permissions(temporary.path(), metadata.permissions())
            .context_path("keep the permissions of", &target)?;
    }
    temporary.persist(&target).map_err(|error| error.error).context_path("replace", &target)?;
    // The rename is durable only once the folder entry is on disk.
    std::fs::File::open(folder).and_then(|dir| dir.sync_all()).context_path("flush the folder", folder)?;
    Ok(())
}

pub fn create_file(path: &Path) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).context_path("create the folder", parent)?;
    }
    std::fs::OpenOptions::new().write(true).create_new(true).open(path).context_path("create", path)?;
    Ok(())
}

pub fn create_dir(path: &Path) -> Result<()> {
    if path.exists() {
        return Err(Error::new(Code::AlreadyExists, format!("{} already exists", path.display())));
    }
    std::fs::create_dir_all(path).context_path("create the folder", path)
}

/// Renames or moves; never replaces an existing file or folder.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    from.symlink_metadata().context_path("rename", from)?;
    if to.symlink_metadata().is_ok() {
        return Err(Error::new(Code::AlreadyExists, format!("{} already exists", to.display())));
    }
    if to.starts_with(from) {
        return Err(Error::new(Code::InvalidInput, "a folder cannot be moved into itself"));
    }
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).context_path("create the folder", parent)?;
    }
    std::fs::rename(from, to).context_path("rename", from)
}

/// Deletes a file, a symlink (not its target) or a folder with its contents.
pub fn delete(path: &Path) -> Result<()> {
    let metadata = path.symlink_metadata().context_path("delete", path)?;
    if metadata.is_dir() {
        std::fs::remove_dir_all(path).context_path("delete", path)
    } else {
        std::fs::remove_file(path).context_path("delete", path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.sh");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o750)).unwrap();

        atomic_write(&path, b"#!/bin/sh\necho new\n").unwrap();

        assert_eq!(std::fs::read_to_string(&path).unwrap(), "#!/bin/sh\necho new\n");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o750);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["run.sh"], "no temporary file may remain");
    }

    /// A write that fails half-way (here: the file-size limit, which fails
    /// like a full disk with EFBIG instead of ENOSPC) must leave the original
    /// file intact and no temporary file behind. Runs in a child process so
    /// the limit applies to it alone.
    #[test]
    fn a_write_that_fails_midway_keeps_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keep.txt");
        std::fs::write(&path, "precious").unwrap();
        let test_binary = std::env::current_exe().unwrap();
        // Output goes through pipes: the size limit would also stop the child
        // printing to a log file that is already bigger than the limit.
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(r#"trap '' XFSZ; ulimit -f 16; exec "$0" --exact files::tests::child_writes_past_the_size_limit --ignored --quiet"#)
            .arg(&test_binary)
            .env("FLASHFUSION_CHILD_TARGET", &path)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "child failed: {}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, ["keep.txt"]);
    }

    #[test]
    #[ignore = "run by a_write_that_fails_midway_keeps_the_original"]
    fn child_writes_past_the_size_limit() {
        let path = std::path::PathBuf::from(std::env::var_os("FLASHFUSION_CHILD_TARGET").unwrap());
        let error = atomic_write(&path, &vec![b'x'; 1 << 20]).unwrap_err();
        assert_eq!(error.code, Code::Io, "{error:?}");
    }

    #[test]
    fn a_new_file_is_readable_by_others_like_any_editor_would_make_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gone/again/new.txt");
        atomic_write(&path, b"x").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, NEW_FILE_MODE);
    }

    #[test]
    fn writing_through_a_symlink_updates_the_target() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("real.txt"), "a").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real.txt"), dir.path().join("link.txt")).unwrap();
        atomic_write(&dir.path().join("link.txt"), b"b").unwrap();
        assert!(dir.path().join("link.txt").symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(dir.path().join("real.txt")).unwrap(), "b");
    }

    #[test]
    fn binary_and_oversized_files_are_refused_with_codes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("image.png"), [0x89, b'P', b'N', b'G', 0, 0, 1]).unwrap();
        std::fs::write(dir.path().join("latin1.txt"), [b'c', b'a', b'f', 0xE9]).unwrap();
        assert_eq!(read_text(&dir.path().join("image.png")).unwrap_err().code, Code::BinaryFile);
        assert_eq!(read_text(&dir.path().join("latin1.txt")).unwrap_err().code, Code::BinaryFile);

        let big = std::fs::File::create(dir.path().join("big.log")).unwrap();
        big.set_len(MAX_TEXT_BYTES + 1).unwrap();
        assert_eq!(read_text(&dir.path().join("big.log")).unwrap_err().code, Code::TooLarge);
    }

    #[test]
    fn rename_never_overwrites_and_refuses_moving_into_itself() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/x.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b.txt"), "b").unwrap();
        assert_eq!(
            rename(&dir.path().join("a/x.txt"), &dir.path().join("b.txt")).unwrap_err().code,
            Code::AlreadyExists
        );
        assert_eq!(rename(&dir.path().join("a"), &dir.path().join("a/inner")).unwrap_err().code, Code::InvalidInput);
        rename(&dir.path().join("a/x.txt"), &dir.path().join("moved/deeper/x.txt")).unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("moved/deeper/x.txt")).unwrap(), "x");
    }
}
