//! Secrets (API keys, platform tokens) live in the OS keyring only — never in
//! the database, config files or logs. Behind a trait so tests can use memory.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::{Code, Error, Result};

/// The keyring service name every FlashFusion secret is filed under.
const SERVICE: &str = "dev.flashfusion.ide";

pub trait SecretStore: Send + Sync {
    fn get(&self, name: &str) -> Result<Option<String>>;
    fn set(&self, name: &str, value: &str) -> Result<()>;
    fn delete(&self, name: &str) -> Result<()>;
}

/// The OS keyring (Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows).
#[derive(Debug, Default)]
pub struct OsKeyring;

impl OsKeyring {
    fn entry(name: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, name).map_err(keyring_error)
    }
}

impl SecretStore for OsKeyring {
    fn get(&self, name: &str) -> Result<Option<String>> {
        match Self::entry(name)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keyring_error(error)),
        }
    }

    fn set(&self, name: &str, value: &str) -> Result<()> {
        Self::entry(name)?.set_password(value).map_err(keyring_error)
    }

    fn delete(&self, name: &str) -> Result<()> {
        match Self::entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keyring_error(error)),
        }
    }
}

fn keyring_error(error: keyring::Error) -> Error {
    Error::new(
        Code::KeyringUnavailable,
        format!("The system keyring is not available, so secrets cannot be stored or read ({error}). On Linux, start a Secret Service such as GNOME Keyring and unlock it."),
    )
}

/// Keeps secrets in memory: for tests and for `FLASHFUSION_SECRETS=memory`.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<String, String>>,
}

impl MemorySecrets {
    fn values(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.values.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, name: &str) -> Result<Option<String>> {
        Ok(self.values().get(name).cloned())
    }

    fn set(&self, name: &str, value: &str) -> Result<()> {
        self.values().insert(name.to_owned(), value.to_owned());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<()> {
        self.values().remove(name);
        Ok(())
    }
}

/// The store the app uses: the OS keyring, unless `FLASHFUSION_SECRETS=memory`
/// asks for a session-only store (nothing is written anywhere).
pub fn from_env() -> std::sync::Arc<dyn SecretStore> {
    match std::env::var("FLASHFUSION_SECRETS").as_deref() {
        Ok("memory") => std::sync::Arc::new(MemorySecrets::default()),
        _ => std::sync::Arc::new(OsKeyring),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_round_trips_and_deletes() {
        let store = MemorySecrets::default();
        assert_eq!(store.get("k").unwrap(), None);
        store.set("k", "v").unwrap();
        assert_eq!(store.get("k").unwrap().as_deref(), Some("v"));
        store.delete("k").unwrap();
        store.delete("k").unwrap();
        assert_eq!(store.get("k").unwrap(), None);
    }
}
