//! The local copy of a shared document: every update (ours and remote ones)
//! appended to a file as it happens, so closing the app, a crash or a restart
//! while offline loses nothing. Records are `u32 little-endian length, bytes`;
//! a torn last record (the process died mid-write) is cut off on load. The log
//! is rewritten as one snapshot when it grows long.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use yrs::updates::decoder::Decode;
use yrs::{Doc, ReadTxn, StateVector, Transact, Update};

/// Records after which loading rewrites the log as a single snapshot.
const COMPACT_AFTER: usize = 2_000;

pub struct UpdateLog {
    path: PathBuf,
    file: File,
    records: usize,
    /// The length of the whole records written: a failed append (a full
    /// disk) is cut back to it, so later records are not lost behind it.
    length: u64,
}

impl UpdateLog {
    /// Applies the log at `path` (if any) to `doc`, then opens it for appending.
    pub fn open(path: &Path, doc: &Doc) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("create {}", parent.display()))?;
        }
        let (records, good_len) = replay(path, doc)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("open {}", path.display()))?;
        file.set_len(good_len).with_context(|| format!("trim {}", path.display()))?;
        let mut log = Self { path: path.to_owned(), file, records, length: good_len };
        if records > COMPACT_AFTER {
            log.compact(doc)?;
        }
        Ok(log)
    }

    pub fn append(&mut self, update: &[u8]) -> Result<()> {
        let length = u32::try_from(update.len()).context("update larger than 4 GiB")?;
        let mut record = Vec::with_capacity(update.len() + 4);
        record.extend_from_slice(&length.to_le_bytes());
        record.extend_from_slice(update);
        if let Err(error) = self.file.write_all(&record) {
            if let Err(trim) = self.file.set_len(self.length) {
                tracing::error!(%trim, path = %self.path.display(), "could not cut a failed append off the log");
            }
            return Err(error).with_context(|| format!("append to {}", self.path.display()));
        }
        self.records += 1;
        self.length += record.len() as u64;
        Ok(())
    }

    /// Forces what was appended to the disk.
    pub fn sync(&self) -> Result<()> {
        self.file.sync_data().with_context(|| format!("sync {}", self.path.display()))
    }

    /// Replaces the log with one record holding the whole document.
    pub fn compact(&mut self, doc: &Doc) -> Result<()> {
        let snapshot = doc.transact().encode_state_as_update_v1(&StateVector::default());
        let temp = self.path.with_extension("compacting");
        {
            let mut file = File::create(&temp).with_context(|| format!("create {}", temp.display()))?;
            let length = u32::try_from(snapshot.len()).context("document larger than 4 GiB")?;
            file.write_all(&length.to_le_bytes())?;
            file.write_all(&snapshot)?;
            file.sync_all()?;
        }
        std::fs::rename(&temp, &self.path).with_context(|| format!("replace {}", self.path.display()))?;
        self.file = OpenOptions::new().append(true).open(&self.path)?;
        self.records = 1;
        self.length = snapshot.len() as u64 + 4;
        Ok(())
    }
}

/// Applies every whole record; returns how many and the length they span.
fn replay(path: &Path, doc: &Doc) -> Result<(usize, u64)> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut file) => {
            file.read_to_end(&mut bytes).with_context(|| format!("read {}", path.display()))?;
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(error) => return Err(error).with_context(|| format!("open {}", path.display())),
    }
    let mut offset = 0usize;
    let mut records = 0;
    let mut txn = doc.transact_mut();
    while let Some(header) = bytes.get(offset..offset + 4) {
        let length = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let Some(record) = bytes.get(offset + 4..offset + 4 + length) else { break };
        let applied = Update::decode_v1(record)
            .map_err(anyhow::Error::from)
            .and_then(|update| txn.apply_update(update).map_err(anyhow::Error::from));
        if let Err(error) = applied {
            // Its length was whole, so the records after it still are.
            tracing::warn!(%error, path = %path.display(), "skipping a damaged record of the document log");
        }
        offset += 4 + length;
        records += 1;
    }
    if offset < bytes.len() {
        tracing::warn!(path = %path.display(), lost = bytes.len() - offset, "cut a torn record off the document log");
    }
    Ok((records, offset as u64))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Write;

    use yrs::{GetString, Text, Transact};

    use super::*;
    use crate::client::new_doc;

    fn log_edits(path: &Path, edits: &[&str]) {
        let doc = new_doc();
        let mut log = UpdateLog::open(path, &doc).unwrap();
        let text = doc.get_or_insert_text("t");
        for edit in edits {
            let mut txn = doc.transact_mut();
            let length = text.len(&txn);
            text.insert(&mut txn, length, edit);
            let update = txn.encode_update_v1();
            drop(txn);
            log.append(&update).unwrap();
        }
    }

    fn load(path: &Path) -> String {
        let doc = new_doc();
        let _log = UpdateLog::open(path, &doc).unwrap();
        let text = doc.get_or_insert_text("t");
        let txn = doc.transact();
        text.get_string(&txn)
    }

    #[test]
    fn updates_survive_reopening_and_a_torn_tail_is_cut() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ylog");
        log_edits(&path, &["hello", " world"]);
        assert_eq!(load(&path), "hello world");

        // A crash in the middle of a record: a length with half its bytes.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&100u32.to_le_bytes()).unwrap();
        file.write_all(b"partial").unwrap();
        drop(file);
        assert_eq!(load(&path), "hello world");
        // The torn record is gone, so new records after it are readable.
        log_edits(&path, &["!"]);
        assert!(load(&path).contains('!'));
    }

    #[test]
    fn compaction_keeps_the_document() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("doc.ylog");
        let edits: Vec<String> = (0..COMPACT_AFTER + 5).map(|i| format!("{}", i % 10)).collect();
        log_edits(&path, &edits.iter().map(String::as_str).collect::<Vec<_>>());
        let before = std::fs::metadata(&path).unwrap().len();
        let expected: String = edits.concat();
        assert_eq!(load(&path), expected); // this load compacts
        assert!(std::fs::metadata(&path).unwrap().len() < before);
        assert_eq!(load(&path), expected);
    }
}
