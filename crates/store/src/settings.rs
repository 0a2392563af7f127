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

impl Store {
    /// Keeps an online service's answer for `key`, for when it is unreachable.
    pub fn cache_put<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let json =
            serde_json::to_string(value).map_err(|error| Error::internal(format!("cannot cache {key}: {error}")))?;
        self.connection().execute(
            "INSERT INTO service_cache (key, value, fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at",
            params![key, json, flashfusion_core::now_millis()],
        )?;
        Ok(())
    }

    /// The last answer kept for `key` and when it was fetched (Unix ms).
    pub fn cache_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<(T, i64)>> {
        let row: Option<(String, i64)> = self
            .connection()
            .query_row("SELECT value, fetched_at FROM service_cache WHERE key = ?1", [key], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        // An entry from an older version that no longer parses is a miss.
        Ok(row.and_then(|(json, at)| serde_json::from_str(&json).ok().map(|value| (value, at))))
    }
}
