use std::path::PathBuf;
use std::time::Instant;

use flashfusion_assistant::Assistant;
use flashfusion_core::{Error, Result};
use flashfusion_learn::learning::Learning;
use flashfusion_project::Workbench;

/// What the command line asked to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartupArgs {
    pub folder: Option<PathBuf>,
    pub file: Option<String>,
}

pub struct AppState {
    workbench: Result<Workbench>,
    assistant: Result<Assistant>,
    learning: Result<Learning>,
    pub startup: StartupArgs,
    pub started: Instant,
}

impl AppState {
    pub fn new(
        workbench: Result<Workbench>,
        assistant: Result<Assistant>,
        learning: Result<Learning>,
        startup: StartupArgs,
        started: Instant,
    ) -> Self {
        Self { workbench, assistant, learning, startup, started }
    }

    /// The workbench, or the error that kept the database from opening.
    pub fn workbench(&self) -> Result<&Workbench> {
        self.workbench.as_ref().map_err(Error::clone)
    }

    pub fn assistant(&self) -> Result<&Assistant> {
        self.assistant.as_ref().map_err(Error::clone)
    }

    pub fn learning(&self) -> Result<&Learning> {
        self.learning.as_ref().map_err(Error::clone)
    }
}
