//! Where FlashFusion keeps its own files. Tests and portable installs point
//! `FLASHFUSION_DATA_DIR` somewhere else, so nothing touches the user's real
//! data directory.

use std::path::{Path, PathBuf};

use crate::{Code, Error, Result, ResultExt};

pub const DATA_DIR_ENV: &str = "FLASHFUSION_DATA_DIR";

#[derive(Debug, Clone)]
pub struct AppPaths {
    data_dir: PathBuf,
}

impl AppPaths {
    /// `$FLASHFUSION_DATA_DIR`, else the XDG data dir (`~/.local/share/flashfusion`).
    pub fn from_env() -> Result<Self> {
        let data_dir = match std::env::var_os(DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => dirs::data_dir()
                .ok_or_else(|| Error::new(Code::Io, format!("no home data directory found; set {DATA_DIR_ENV}")))?
                .join("flashfusion"),
        };
        Self::at(data_dir)
    }

    pub fn at(data_dir: impl Into<PathBuf>) -> Result<Self> {
        let data_dir = data_dir.into();
        std::fs::create_dir_all(&data_dir).context_path("create the data directory", &data_dir)?;
        Ok(Self { data_dir })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn database(&self) -> PathBuf {
        self.data_dir.join("flashfusion.sqlite3")
    }

    pub fn log_dir(&self) -> PathBuf {
        self.data_dir.join("logs")
    }

    /// Where "New project" suggests creating projects and joined sessions
    /// get their folder: `FLASHFUSION_PROJECTS_DIR`, else ~/FlashFusion Projects.
    pub fn default_projects_dir() -> PathBuf {
        match std::env::var_os("FLASHFUSION_PROJECTS_DIR") {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => dirs::home_dir().unwrap_or_else(std::env::temp_dir).join("FlashFusion Projects"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_the_data_dir_and_places_files_inside_it() {
        let temp = tempfile::tempdir().unwrap();
        let paths = AppPaths::at(temp.path().join("nested/data")).unwrap();
        assert!(paths.data_dir().is_dir());
        assert!(paths.database().starts_with(paths.data_dir()));
        assert!(paths.log_dir().starts_with(paths.data_dir()));
    }
}
