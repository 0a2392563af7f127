//! Local storage in one SQLite file (WAL): projects, saved-file metadata,
//! settings, recent projects, the journal of unsaved buffers and the
//! assistant's conversations.
//! One connection, owned here; every other crate goes through [`Store`].

mod conversations;
mod deployments;
mod journal;
mod learning;
mod migrations;
mod projects;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use flashfusion_core::{Code, Error, Result};
use rusqlite::Connection;

pub use conversations::{
    ConversationId, ConversationSummary, MessageId, MessageRecord, MessageRole, MessageState, NewMessage, Usage,
};
pub use deployments::{DeployState, DeployTargetRecord, DeploymentOutcome, DeploymentRecord, NewDeployment};
pub use journal::JournalEntry;
pub use learning::{Award, NewAward};
pub use projects::{ProjectRecord, RecentProject};

pub struct Store {
    connection: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) and migrates the database at `path`.
    /// A damaged file or one from a newer version is reported, never wiped.
    pub fn open(path: &Path) -> Result<Self> {
        let connection = Connection::open(path).map_err(|error| describe_open_error(path, error.into()))?;
        configure(&connection).map_err(|error| describe_open_error(path, error))?;
        migrations::migrate(&connection, path)?;
        Ok(Self { connection: Mutex::new(connection), path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (the
        // transaction rolls back), so a poisoned lock is safe to reuse.
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn configure(connection: &Connection) -> Result<()> {
    connection.busy_timeout(std::time::Duration::from_secs(5))?;
    // Reading the journal mode is the first statement that touches the file,
    // so a file that is not a database fails here with SQLITE_NOTADB.
    let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite refused WAL mode");
    }
    // NORMAL in WAL mode survives a killed process; only power loss can drop
    // the last commits.
    connection.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
    let check: String = connection.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(Error::new(Code::CorruptDatabase, format!("integrity check failed: {check}")));
    }
    Ok(())
}

fn describe_open_error(path: &Path, error: Error) -> Error {
    match error.code {
        Code::CorruptDatabase => Error::new(
            Code::CorruptDatabase,
            format!(
                "The local database {} is damaged and was not changed ({}). Move it aside to start fresh, or restore it from a backup.",
                path.display(),
                error.message
            ),
        ),
        _ => error,
    }
}

#[cfg(test)]
mod tests;
