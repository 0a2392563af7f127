//! flashfusion-server: the hosted service's core, also runnable in-process
//! by the desktop app ("host this session from my machine").
//!
//! - [`ws`]: the y-websocket endpoint `/rooms/{room_id}`;
//! - [`rooms`]: live rooms (yrs documents, connections, awareness);
//! - [`accounts`], [`access`]: accounts, tokens, roles, invites;
//! - [`http`]: the REST API, `/healthz` and `/metrics`;
//! - [`leaderboard`]: the learning leaderboard (weekly XP, opt-in);
//! - [`market`]: the template marketplace (search, versions, reviews, paid templates);
//! - [`storage`]: the embedded SQLite store; [`versions`]: version history.

pub mod access;
pub mod accounts;
pub mod config;
pub mod curriculum;
pub mod error;
pub mod http;
pub mod leaderboard;
pub mod market;
pub mod metrics;
pub mod rooms;
pub mod storage;
pub mod versions;
pub mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};
use tokio::sync::oneshot;

pub use config::Config;

pub struct AppState {
    pub config: Config,
    pub storage: Arc<storage::Storage>,
    pub rooms: Arc<rooms::Rooms>,
    pub metrics: Arc<metrics::Metrics>,
}

pub struct RunningServer {
    pub addr: SocketAddr,
    /// The local owner's token, when `Config::local_owner` was set.
    pub owner_token: Option<String>,
    pub state: Arc<AppState>,
    stop: oneshot::Sender<()>,
    task: tokio::task::JoinHandle<Result<()>>,
}

/// Binds, opens storage and starts serving in the background.
pub async fn start(config: Config) -> Result<RunningServer> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| format!("create {}", config.data_dir.display()))?;
    let storage = Arc::new(storage::Storage::open(&config.data_dir.join("server.sqlite3"))?);
    let owner_token = match &config.local_owner {
        Some(name) => {
            Some(accounts::ensure_local_owner(&storage, name).map_err(|error| anyhow::anyhow!(error.message))?.token)
        }
        None => None,
    };
    let metrics = Arc::new(metrics::Metrics::default());
    let rooms = Arc::new(rooms::Rooms::new(storage.clone(), metrics.clone(), config.unload_grace()));
    let listener =
        tokio::net::TcpListener::bind(config.listen).await.with_context(|| format!("listen on {}", config.listen))?;
    let addr = listener.local_addr()?;
    // Keystroke-sized frames must not wait for Nagle + delayed ACK (~40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |stream: &mut tokio::net::TcpStream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
    });
    let state = Arc::new(AppState { config, storage, rooms, metrics });
    let router = http::router(state.clone());
    if state.config.checkpoint_secs > 0 {
        tokio::spawn(checkpoints(Arc::downgrade(&state)));
    }
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown_rooms = state.rooms.clone();
    let task = tokio::spawn(async move {
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                // Either an explicit stop or the handle being dropped.
                let _stop_or_dropped = stopped.await;
                // Close sockets first, or graceful shutdown would wait on them.
                shutdown_rooms.shutdown();
            })
            .await
            .context("server stopped")
    });
    tracing::info!(%addr, "flashfusion-server listening");
    Ok(RunningServer { addr, owner_token, state, stop, task })
}

/// The `flashfusion-server` command: logs to stderr, serves, prints the
/// address (and the local owner's token), and shuts down gracefully on
/// Ctrl+C or SIGTERM.
pub async fn serve_until_signal(config: Config) -> Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FLASHFUSION_SERVER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).init();
    let server = start(config).await?;
    if let Some(token) = &server.owner_token {
        println!("owner token: {token}");
    }
    println!("listening on {}", server.addr);
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        result = tokio::signal::ctrl_c() => result?,
        _ = terminate.recv() => {}
    }
    tracing::info!("shutting down");
    server.shutdown().await
}

/// Saves an automatic version of every room edited since the last round,
/// until the server is gone.
async fn checkpoints(state: std::sync::Weak<AppState>) {
    let Some(every) = state.upgrade().map(|state| std::time::Duration::from_secs(state.config.checkpoint_secs)) else {
        return;
    };
    let mut interval = tokio::time::interval(every);
    interval.tick().await;
    loop {
        interval.tick().await;
        let Some(state) = state.upgrade() else { return };
        for room_id in state.rooms.take_checkpoint_candidates() {
            if let Err(error) = versions::save(&state, &room_id, "Automatic checkpoint", "FlashFusion", true) {
                tracing::warn!(room = %room_id, error = error.message, "automatic checkpoint failed");
            }
        }
    }
}

impl RunningServer {
    pub fn http_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}", self.addr)
    }

    /// Stops accepting, closes every connection and flushes every room.
    pub async fn shutdown(self) -> Result<()> {
        let _already_stopping = self.stop.send(());
        self.task.await.context("server task")??;
        self.state.rooms.shutdown();
        // Upgraded WebSocket connections outlive the HTTP server's graceful
        // shutdown; wait for them so nothing runs after we return.
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
        while self.state.metrics.connections.load(std::sync::atomic::Ordering::Relaxed) > 0 {
            if tokio::time::Instant::now() > deadline {
                tracing::warn!("connections still open after shutdown");
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        Ok(())
    }
}
