//! The desktop shell: start-up, the window, and thin commands over
//! `flashfusion_project::Workbench`. No product logic lives here.

mod cli;
mod commands;
pub mod ipc;
mod local_host;
mod state;

use std::process::ExitCode;
use std::sync::Arc;

use flashfusion_assistant::Assistant;
use flashfusion_collab::service::Collaboration;
use flashfusion_core::paths::AppPaths;
use flashfusion_deploy::targets::Timing;
use flashfusion_deploy::Deployer;
use flashfusion_learn::content::{self, Catalog};
use flashfusion_learn::learning::Learning;
use flashfusion_market::Market;
use flashfusion_project::watch::{ChangeSink, FsChange};
use flashfusion_project::Workbench;
use flashfusion_store::Store;
use tauri::{Emitter, Manager, Runtime};

use local_host::LocalHost;
pub use state::AppState;
use state::{OnFirstUse, Services};

pub const FS_CHANGED_EVENT: &str = "fs-changed";

/// Entry point of the `flashfusion` binary.
pub fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let startup = match cli::parse(std::env::args_os().skip(1)) {
        Ok(cli::Invocation::Run(startup)) => startup,
        Ok(cli::Invocation::Exit(text)) => {
            println!("{text}");
            return ExitCode::SUCCESS;
        }
        Ok(cli::Invocation::VerifyCertificate(path)) => return verify_certificate(&path),
        Err(message) => {
            eprintln!("flashfusion: {message}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    if let Some(message) = cli::missing_display() {
        eprintln!("{message}");
        return ExitCode::from(3);
    }
    let paths = match AppPaths::from_env() {
        Ok(paths) => paths,
        Err(error) => {
            eprintln!("flashfusion: {error}");
            return ExitCode::FAILURE;
        }
    };
    let _log_guard = match flashfusion_core::logging::init(&paths.log_dir()) {
        Ok(guard) => Some(guard),
        Err(error) => {
            eprintln!("flashfusion: logging to a file is off: {error}");
            None
        }
    };
    tracing::info!(version = env!("CARGO_PKG_VERSION"), data_dir = %paths.data_dir().display(), "starting FlashFusion");
    let result = builder(tauri::Builder::default(), paths, startup, started).run(tauri::generate_context!());
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the app stopped with an error");
            eprintln!("flashfusion: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `flashfusion verify-certificate FILE`: exit 0 and the facts if it verifies.
fn verify_certificate(path: &std::path::Path) -> ExitCode {
    let verified = std::fs::read(path)
        .map_err(|error| format!("could not read {}: {error}", path.display()))
        .and_then(|pdf| flashfusion_learn::certificate::verify(&pdf).map_err(|error| error.message));
    match verified {
        Ok(certificate) => {
            let facts = &certificate.facts;
            println!("Valid FlashFusion certificate");
            println!("  name:    {}\n  course:  {}\n  date:    {}", facts.name, facts.course_title, facts.date);
            println!("  code:    {}\n  key:     {}", certificate.code, certificate.key_fingerprint);
            let secrets = flashfusion_core::secrets::from_env();
            match flashfusion_learn::certificate::signed_here(secrets.as_ref(), &certificate) {
                Ok(true) => println!("Signed by this installation's key."),
                Ok(false) => println!(
                    "Signed by a key that is not this installation's: confirm its fingerprint with whoever issued it."
                ),
                Err(error) => println!("Could not read this installation's key to compare ({})", error.message),
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("flashfusion: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The app, generic over the runtime so tests can drive it with a mock.
pub fn builder<R: Runtime>(
    builder: tauri::Builder<R>,
    paths: AppPaths,
    startup: state::StartupArgs,
    started: std::time::Instant,
) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let handle = app.handle().clone();
            let sink: ChangeSink = Arc::new(move |change: FsChange| {
                if let Err(error) = handle.emit(FS_CHANGED_EVENT, change) {
                    tracing::warn!(%error, "could not deliver a file change to the window");
                }
            });
            // A damaged or too-new database must not stop the window from
            // opening: the UI shows the error with its code instead.
            let store = Store::open(&paths.database()).map(Arc::new);
            if let Err(error) = &store {
                tracing::error!(%error, "the local database could not be opened");
            }
            let secrets = flashfusion_core::secrets::from_env();
            let workbench = store.clone().map(|store| Workbench::new(store, sink));
            let assistant = {
                let (store, secrets) = (store.clone(), secrets.clone());
                OnFirstUse::new(move || Assistant::new(store?, secrets))
            };
            let deployer = {
                let (store, secrets) = (store.clone(), secrets.clone());
                OnFirstUse::new(move || Deployer::new(store?, secrets, deploy_timing()))
            };
            let market = {
                let (store, secrets) = (store.clone(), secrets.clone());
                OnFirstUse::new(move || Ok(Market::new(store?, secrets)))
            };
            let lessons = content::locate(app.path().resource_dir().ok().as_deref());
            let collab = Collaboration::new(paths.data_dir().join("collab"), secrets.clone());
            let learning = OnFirstUse::new(move || Ok(Learning::new(store?, secrets, Catalog::load(&lessons)?)));
            let services = Services {
                assistant,
                learning,
                deployer,
                market,
                collab,
                local_host: LocalHost::new(paths.data_dir().join("local-server")),
            };
            app.manage(AppState::new(workbench, services, startup.clone(), started));
            Ok(())
        })
        .invoke_handler(ipc::handler())
}

/// How often to poll hosting platforms: every 2 s, or
/// `FLASHFUSION_DEPLOY_POLL_MS` (a self-hosted platform on the LAN, tests).
fn deploy_timing() -> Timing {
    let poll = std::env::var("FLASHFUSION_DEPLOY_POLL_MS").ok().and_then(|ms| ms.parse().ok());
    let defaults = Timing::default();
    Timing { poll_every: poll.map_or(defaults.poll_every, std::time::Duration::from_millis), ..defaults }
}
