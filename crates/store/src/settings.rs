use flashfusion_core::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use crate::Store;

impl Store {
    /// A setting stored as JSON; `None` when unset. A value that no longer
    /// parses (an older format) is treated as unset and logged.
    pub fn setting<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        let raw: Option<String> = self
            .connection()
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0))
            .optional()?;
        Ok(raw.and_then(|raw| match serde_json::from_str(&raw) {
            Ok(value) => Some(value),
            Err(error) => {
                tracing::warn!(key, %error, "ignoring an unreadable setting");
                None
            }
        }))
    }

    pub fn set_setting<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let raw = serde_json::to_string(value).map_err(|error| Error::internal(format!("setting {key}: {error}")))?;
        self.connection().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, raw],
        )?;
        Ok(())
    }
}
