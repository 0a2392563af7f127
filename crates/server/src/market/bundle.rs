//! Template bundles are hostile until proven otherwise, and the blob store
//! that keeps them (and preview images) by content hash.
//!
//! A bundle is a gzipped tar that other people's machines will unpack, so
//! it is read entry by entry *before* anything is stored: only regular files
//! and directories, only relative paths that stay inside the template, no
//! duplicates, a bounded number of files and a bounded unpacked size (read
//! through a cap, so a gzip bomb costs at most that much work and is never
//! unpacked in full). What passes becomes the manifest (path, size).
//!
//! Blobs live at `{data_dir}/blobs/{first two hex}/{sha256}`: written to a
//! temporary file first, renamed into place under the storage lock, and
//! removed again when the rows that refer to them do not commit.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderMap};
use futures_util::StreamExt;
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tar::EntryType;

use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::storage::{now_millis, Storage};

/// Longer paths are not source files; they would only bloat the manifest.
const MAX_PATH_BYTES: usize = 1024;

/// One file of a bundle, as listed in a version's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleFile {
    pub path: String,
    pub size: u64,
}

/// What a bundle holds, once it has passed every check (counts as SQLite stores them).
#[derive(Debug, Clone)]
pub struct Manifest {
    pub files: Vec<BundleFile>,
    pub file_count: i64,
    pub total_bytes: i64,
}

/// How much a bundle may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_files: usize,
    /// The whole unpacked tar stream (headers and file data).
    pub max_unpacked_bytes: u64,
}

impl Limits {
    /// Unpacked, a bundle may be 4× its upload limit: source compresses well,
    /// but nothing legitimate compresses a hundredfold like a gzip bomb.
    pub fn from_config(config: &Config) -> Self {
        let packed = u64::try_from(config.max_bundle_bytes).unwrap_or(u64::MAX);
        Self { max_files: config.max_bundle_files, max_unpacked_bytes: packed.saturating_mul(4) }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// True for what a SHA-256 hex digest looks like (and so safe in a path).
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
}

/// Buffers a request body of at most `limit` bytes. Bigger ones are refused
/// with `413` from their Content-Length, or as soon as the stream crosses the
/// limit, so an oversized upload is never held in memory. (The limit comes
/// from the running config, which a static `DefaultBodyLimit` layer cannot
/// see; the `Body` extractor is not subject to axum's default limit.)
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize, what: &str) -> ApiResult<Vec<u8>> {
    let too_large = || ApiError::too_large(format!("the {what} is larger than the limit of {limit} bytes"));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|error| ApiError::invalid(format!("the upload was interrupted: {error}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Checks a bundle against the hash its uploader claims and against
/// `limits`, and lists its files. Nothing is written anywhere.
pub fn inspect(bundle: &[u8], claimed_sha256: &str, limits: Limits) -> ApiResult<Manifest> {
    let actual = sha256_hex(bundle);
    if !actual.eq_ignore_ascii_case(claimed_sha256.trim()) {
        return Err(ApiError::invalid(format!(
            "X-Bundle-Sha256 does not match the body (the body's SHA-256 is {actual}); the upload may be damaged"
        )));
    }
    let mut stream = Capped { inner: flate2::read::GzDecoder::new(bundle), limit: limits.max_unpacked_bytes, read: 0 };
    let walked = walk(&mut stream, limits).and_then(|manifest| {
        // Reads to the end of the gzip stream, which is what verifies its CRC.
        io::copy(&mut stream, &mut io::sink()).map_err(corrupt)?;
        Ok(manifest)
    });
    if stream.exceeded() {
        return Err(ApiError::invalid(format!(
            "the bundle unpacks to more than {} bytes (the limit is 4× the upload limit)",
            limits.max_unpacked_bytes
        )));
    }
    walked
}

/// Counts the unpacked stream and fails once it passes `limit`, so a gzip
/// bomb stops here (one read buffer past the limit at most) instead of
/// being inflated in full.
struct Capped<R> {
    inner: R,
    limit: u64,
    read: u64,
}

impl<R> Capped<R> {
    fn exceeded(&self) -> bool {
        self.read > self.limit
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.read = self.read.saturating_add(read as u64);
        if self.exceeded() {
            return Err(io::Error::other("unpacked size limit reached"));
        }
        Ok(read)
    }
}

fn corrupt(error: io::Error) -> ApiError {
    ApiError::invalid(format!("the bundle is not a readable gzipped tar: {error}"))
}

fn walk(stream: impl Read, limits: Limits) -> ApiResult<Manifest> {
    let mut archive = tar::Archive::new(stream);
    let mut tree = Tree::default();
    for entry in archive.entries().map_err(corrupt)? {
        let entry = entry.map_err(corrupt)?;
        let raw_path = entry.path_bytes();
        let kind = entry.header().entry_type();
        let size = match kind {
            EntryType::Regular => Some(entry.size()),
            EntryType::Directory => None,
            other => {
                return Err(ApiError::invalid(format!(
                    "{:?}: {} entries are not allowed, only regular files and directories",
                    String::from_utf8_lossy(&raw_path),
                    kind_name(other)
                )))
            }
        };
        tree.add(checked_path(&raw_path)?, size, limits.max_files)?;
    }
    tree.into_manifest()
}

fn kind_name(kind: EntryType) -> String {
    match kind {
        EntryType::Symlink => "symlink".into(),
        EntryType::Link => "hard link".into(),
        EntryType::Char => "character device".into(),
        EntryType::Block => "block device".into(),
        EntryType::Fifo => "FIFO".into(),
        EntryType::XGlobalHeader => "PAX global header".into(),
        other => format!("type {:?}", char::from(other.as_byte())),
    }
}

/// Paths deeper than this are refused (no real project needs more).
const MAX_DEPTH: usize = 32;

/// The entry's path made canonical (`./src/` → `src`), or a refusal when it
/// could land outside the folder it is unpacked into on any system.
fn checked_path(raw: &[u8]) -> ApiResult<String> {
    let shown = format!("{:?}", String::from_utf8_lossy(raw));
    let refuse = |why: &str| Err(ApiError::invalid(format!("{shown}: {why}")));
    if raw.contains(&0) {
        return refuse("paths may not contain a NUL byte");
    }
    if raw.len() > MAX_PATH_BYTES {
        return refuse("paths may be at most 1024 bytes long");
    }
    let Ok(path) = std::str::from_utf8(raw) else { return refuse("paths must be UTF-8") };
    if path.contains('\\') {
        return refuse("paths may not contain a backslash");
    }
    let drive = path.len() >= 2 && path.as_bytes()[0].is_ascii_alphabetic() && path.as_bytes()[1] == b':';
    if path.starts_with('/') || drive {
        return refuse("absolute paths are not allowed");
    }
    let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty() && *part != ".").collect();
    if parts.contains(&"..") {
        return refuse("paths may not contain `..`");
    }
    // A `.git` folder in a project made from the template could run commands
    // (hooks, `core.fsmonitor`) or redirect pushes.
    if parts.iter().any(|part| part.eq_ignore_ascii_case(".git")) {
        return refuse("a template may not contain a `.git` folder");
    }
    if parts.len() > MAX_DEPTH {
        return refuse("paths may be at most 32 folders deep");
    }
    Ok(parts.join("/"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    File,
    Directory,
    /// A parent of some entry, without an entry of its own (yet).
    ImpliedDirectory,
}

/// The paths seen so far, to refuse duplicates and a file that is also used
/// as a directory (which unpacks differently on every system).
#[derive(Default)]
struct Tree {
    nodes: HashMap<String, Node>,
    files: Vec<BundleFile>,
}

impl Tree {
    fn add(&mut self, path: String, file_size: Option<u64>, max_files: usize) -> ApiResult<()> {
        let node = if file_size.is_some() { Node::File } else { Node::Directory };
        if path.is_empty() {
            // The archive's own root (`./`) is fine; a file without a name is not.
            return match node {
                Node::Directory => Ok(()),
                _ => Err(ApiError::invalid("a file entry has an empty path")),
            };
        }
        let shown = format!("{path:?}");
        match (self.nodes.get(&path), node) {
            (None, _) | (Some(Node::ImpliedDirectory), Node::Directory) => {}
            (Some(Node::ImpliedDirectory), _) => {
                return Err(ApiError::invalid(format!("{shown}: is a file, but other entries are inside it")))
            }
            (Some(_), _) => return Err(ApiError::invalid(format!("{shown}: the path appears twice"))),
        }
        for parent in parents(&path) {
            match self.nodes.entry(parent.to_owned()).or_insert(Node::ImpliedDirectory) {
                Node::File => return Err(ApiError::invalid(format!("{shown}: is inside {parent:?}, which is a file"))),
                Node::Directory | Node::ImpliedDirectory => {}
            }
        }
        self.nodes.insert(path.clone(), node);
        // Folders cost memory too: every entry and implied parent counts.
        if self.nodes.len() > max_files * MAX_DEPTH {
            return Err(ApiError::invalid(format!("the bundle holds more than {max_files} files and folders")));
        }
        if let Some(size) = file_size {
            if self.files.len() == max_files {
                return Err(ApiError::invalid(format!("the bundle holds more than {max_files} files")));
            }
            self.files.push(BundleFile { path, size });
        }
        Ok(())
    }

    fn into_manifest(self) -> ApiResult<Manifest> {
        if self.files.is_empty() {
            return Err(ApiError::invalid("the bundle holds no files"));
        }
        // Both are bounded by the limits, far below i64::MAX.
        let total_bytes = i64::try_from(self.files.iter().map(|file| file.size).sum::<u64>()).unwrap_or(i64::MAX);
        let file_count = i64::try_from(self.files.len()).unwrap_or(i64::MAX);
        Ok(Manifest { files: self.files, file_count, total_bytes })
    }
}

/// `a/b/c` → `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(at, _)| &path[..at])
}

/// The content-addressed files under `{data_dir}/blobs`.
pub struct BlobStore {
    root: PathBuf,
}

impl BlobStore {
    pub fn new(data_dir: &Path) -> Self {
        Self { root: data_dir.join("blobs") }
    }

    /// Where the blob with this hash lives; `hash` must be a SHA-256 hex
    /// digest (see [`is_sha256_hex`]), which keeps it inside the store.
    pub fn path(&self, hash: &str) -> PathBuf {
        self.root.join(&hash[..2]).join(hash)
    }

    /// Writes `bytes` to a temporary file in the store, flushed to disk, for
    /// [`store`] to move into place. Dropped unstored, it is removed.
    pub fn stage(&self, bytes: &[u8]) -> io::Result<Staged> {
        let folder = self.root.join("tmp");
        fs::create_dir_all(&folder)?;
        let hash = sha256_hex(bytes);
        let staged = Staged {
            temp: folder.join(format!("{}.part", &crate::accounts::new_secret()[..24])),
            target: self.path(&hash),
            hash,
            size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        };
        // From here on, `staged` removes the temporary file if writing fails.
        let mut file = File::create(&staged.temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        Ok(staged)
    }
}

/// A blob written to a temporary file, not yet in the store.
pub struct Staged {
    temp: PathBuf,
    target: PathBuf,
    hash: String,
    size: i64,
}

impl Staged {
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Renames the file into place unless an identical blob is there already;
    /// returns whether this call created it.
    fn place(&self) -> io::Result<bool> {
        if self.target.exists() {
            return Ok(false);
        }
        let folder = self.target.parent().ok_or_else(|| io::Error::other("blob path without a folder"))?;
        fs::create_dir_all(folder)?;
        fs::rename(&self.temp, &self.target)?;
        // The rename itself must survive a crash before the row that refers to it commits.
        File::open(folder)?.sync_all()?;
        Ok(true)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Err(error) = fs::remove_file(&self.temp) {
            if error.kind() != io::ErrorKind::NotFound {
                tracing::warn!(%error, path = %self.temp.display(), "could not remove a staged blob");
            }
        }
    }
}

/// Moves a staged blob into the store and records it in `market_blobs`,
/// then lets `rows` write what refers to it, all in one transaction. The
/// file is in place before its row commits; when anything fails, a file
/// this call created is removed again, so a refusal leaves nothing behind.
/// Every placement happens under the storage lock, which is what makes
/// "created by this call" true when it is removed.
pub fn store<T>(storage: &Storage, staged: Staged, rows: impl FnOnce(&Connection) -> ApiResult<T>) -> ApiResult<T> {
    let connection = storage.connection();
    let transaction = connection.unchecked_transaction()?;
    let created = staged.place()?;
    let result = transaction
        .execute(
            "INSERT INTO market_blobs (hash, size, created_at) VALUES (?1, ?2, ?3) ON CONFLICT(hash) DO NOTHING",
            params![staged.hash, staged.size, now_millis()],
        )
        .map_err(ApiError::from)
        .and_then(|_| rows(&transaction))
        .and_then(|value| Ok(transaction.commit().map(|()| value)?));
    if result.is_err() && created {
        if let Err(error) = fs::remove_file(&staged.target) {
            tracing::warn!(%error, path = %staged.target.display(), "could not remove an unreferenced blob");
        }
    }
    result
}
