use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use flashfusion_assistant::Assistant;
use flashfusion_collab::service::Collaboration;
use flashfusion_core::{Error, Result};
use flashfusion_deploy::Deployer;
use flashfusion_learn::learning::Learning;
use flashfusion_market::Market;
use flashfusion_project::Workbench;

use crate::local_host::LocalHost;

/// What the command line asked to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StartupArgs {
    pub folder: Option<PathBuf>,
    pub file: Option<String>,
    /// A `flashfusion://join?…` invite link the app was opened with.
    pub join_link: Option<String>,
}

/// The app's services, each built at start or on first use.
pub struct Services {
    pub assistant: OnFirstUse<Assistant>,
    pub learning: OnFirstUse<Learning>,
    pub deployer: OnFirstUse<Deployer>,
    pub market: OnFirstUse<Market>,
    pub collab: Collaboration,
    pub local_host: LocalHost,
}

pub struct AppState {
    workbench: Result<Workbench>,
    assistant: OnFirstUse<Assistant>,
    learning: OnFirstUse<Learning>,
    deployer: OnFirstUse<Deployer>,
    market: OnFirstUse<Market>,
    pub collab: Collaboration,
    pub local_host: LocalHost,
    pub startup: StartupArgs,
    pub started: Instant,
}

impl AppState {
    pub fn new(workbench: Result<Workbench>, services: Services, startup: StartupArgs, started: Instant) -> Self {
        let Services { assistant, learning, deployer, market, collab, local_host } = services;
        Self { workbench, assistant, learning, deployer, market, collab, local_host, startup, started }
    }

    /// The workbench, or the error that kept the database from opening.
    pub fn workbench(&self) -> Result<&Workbench> {
        self.workbench.as_ref().map_err(Error::clone)
    }

    pub fn assistant(&self) -> Result<&Assistant> {
        self.assistant.get()
    }

    pub fn learning(&self) -> Result<&Learning> {
        self.learning.get()
    }

    pub fn deployer(&self) -> Result<&Deployer> {
        self.deployer.get()
    }

    pub fn market(&self) -> Result<&Market> {
        self.market.get()
    }
}

type Build<T> = Box<dyn FnOnce() -> Result<T> + Send>;

/// A service built the first time it is used, so start-up (and a user who
/// never opens it) does not pay for it: the assistant's and the leaderboard's
/// HTTP clients load the system's TLS certificates (~40 ms each), and the
/// lesson catalogue reads ~150 files.
pub struct OnFirstUse<T> {
    build: Mutex<Option<Build<T>>>,
    value: OnceLock<Result<T>>,
}

impl<T> OnFirstUse<T> {
    pub fn new(build: impl FnOnce() -> Result<T> + Send + 'static) -> Self {
        Self { build: Mutex::new(Some(Box::new(build))), value: OnceLock::new() }
    }

    pub fn get(&self) -> Result<&T> {
        self.value
            .get_or_init(|| {
                let build = self.build.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
                let built =
                    build.map_or_else(|| Err(Error::internal("a service failed while starting")), |build| build());
                if let Err(error) = &built {
                    tracing::error!(%error, "a service could not start");
                }
                built
            })
            .as_ref()
            .map_err(Error::clone)
    }
}
