//! `tracing` to stderr and to a daily-rolling file in the data directory.

use std::path::Path;

use crate::ResultExt;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

/// Installs the global subscriber. Keep the guard alive for the life of the
/// process: dropping it flushes and stops the file writer.
pub fn init(log_dir: &Path) -> crate::Result<WorkerGuard> {
    std::fs::create_dir_all(log_dir).context_path("create the log folder", log_dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("flashfusion")
        .filename_suffix("log")
        .max_log_files(7)
        .build(log_dir)
        .map_err(|error| {
            crate::Error::new(crate::Code::Io, format!("could not open the log file in {}: {error}", log_dir.display()))
        })?;
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("FLASHFUSION_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer))
        .try_init();
    if let Err(error) = installed {
        // A subscriber is already set (tests, embedding): keep it.
        eprintln!("flashfusion: logging already initialised: {error}");
    }
    Ok(guard)
}
