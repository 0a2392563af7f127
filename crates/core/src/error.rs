use serde::Serialize;
use ts_rs::TS;

/// A stable machine-readable code. The UI branches on it, never on the message.
/// A variant exists only because something needs to tell it apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "ErrorCode")]
pub enum Code {
    NotFound,
    AlreadyExists,
    /// A path from the UI that is absolute, climbs out of the project, or
    /// leads outside it through a symlink.
    InvalidPath,
    /// The file on disk changed since the editor loaded it.
    Conflict,
    BinaryFile,
    TooLarge,
    /// The local database file is not a database or fails its integrity check.
    CorruptDatabase,
    /// The local database was written by a newer FlashFusion.
    FutureDatabase,
    InvalidInput,
    /// No OS keyring (Secret Service) to keep secrets in.
    KeyringUnavailable,
    /// A provider, platform or git server refused the credentials (HTTP 401/403).
    AuthFailed,
    /// The provider account has no credit or quota left.
    QuotaExceeded,
    /// Too many requests: the provider's limit (after waiting and retrying)
    /// or the local per-user message limit.
    RateLimited,
    /// The provider answered with a server error.
    ProviderError,
    /// No answer in time.
    Timeout,
    /// The server could not be reached (no network, nothing listening).
    Offline,
    /// A git remote refused a push (non-fast-forward, protected branch);
    /// nothing local changed.
    Rejected,
    /// A build (local or on the platform) ended in error.
    BuildFailed,
    /// A paid template's files are only for its buyers.
    PaymentRequired,
    Io,
    Internal,
}

/// The one error shape: a code plus a sentence a user can act on.
/// It crosses the IPC boundary as `{code, message}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(rename = "IpcError")]
pub struct Error {
    pub code: Code,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(Code::Internal, message)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match error.sqlite_error_code() {
            Some(NotADatabase | DatabaseCorrupt) => {
                Self::new(Code::CorruptDatabase, format!("the local database is damaged: {error}"))
            }
            _ => Self::internal(format!("database error: {error}")),
        }
    }
}

/// Attach what was being done (and to which path) to an I/O error, keeping a
/// code the UI can act on.
pub trait ResultExt<T> {
    fn context_path(self, action: &str, path: &std::path::Path) -> Result<T>;
}

impl<T> ResultExt<T> for std::io::Result<T> {
    fn context_path(self, action: &str, path: &std::path::Path) -> Result<T> {
        self.map_err(|error| {
            use std::io::ErrorKind;
            let code = match error.kind() {
                ErrorKind::NotFound => Code::NotFound,
                ErrorKind::AlreadyExists => Code::AlreadyExists,
                _ => Code::Io,
            };
            Error::new(code, format!("could not {action} {}: {error}", path.display()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_keep_a_code_and_name_the_path() {
        let path = std::path::Path::new("/nowhere/at/all");
        let error = std::fs::read(path).context_path("read", path).unwrap_err();
        assert_eq!(error.code, Code::NotFound);
        assert!(error.message.contains("could not read /nowhere/at/all"), "{}", error.message);
    }

    #[test]
    fn serializes_as_code_and_message() {
        let json = serde_json::to_string(&Error::new(Code::InvalidPath, "no")).unwrap();
        assert_eq!(json, r#"{"code":"invalid_path","message":"no"}"#);
    }
}
