use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// flashfusion-server: the FlashFusion collaboration relay (y-websocket),
/// with accounts, rooms, roles, invites and version history.
#[derive(Debug, Clone, Parser)]
#[command(name = "flashfusion-server", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "FLASHFUSION_SERVER_LISTEN", default_value = "127.0.0.1:4455")]
    pub listen: SocketAddr,
    /// Folder for the database (server.sqlite3).
    #[arg(long, env = "FLASHFUSION_SERVER_DATA_DIR", default_value = "./flashfusion-server-data")]
    pub data_dir: PathBuf,
    /// The URL clients use to reach this server (put in invite links).
    #[arg(long, env = "FLASHFUSION_SERVER_PUBLIC_URL", default_value = "http://127.0.0.1:4455")]
    pub public_url: String,
    /// Largest accepted WebSocket message, in bytes (larger ones close the connection with 4413).
    #[arg(long, env = "FLASHFUSION_SERVER_MAX_FRAME_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_frame_bytes: usize,
    /// Connections allowed in one room.
    #[arg(long, env = "FLASHFUSION_SERVER_MAX_CONNECTIONS_PER_ROOM", default_value_t = 200)]
    pub max_connections_per_room: usize,
    /// Messages per second a connection may send (bursts of twice that).
    #[arg(long, env = "FLASHFUSION_SERVER_MESSAGES_PER_SECOND", default_value_t = 200)]
    pub messages_per_second: u32,
    /// Awareness updates per second a connection may send (bursts of twice that).
    #[arg(long, env = "FLASHFUSION_SERVER_AWARENESS_PER_SECOND", default_value_t = 30)]
    pub awareness_per_second: u32,
    /// Seconds an empty room stays in memory before it is unloaded.
    #[arg(long, env = "FLASHFUSION_SERVER_UNLOAD_AFTER_SECS", default_value_t = 30)]
    pub unload_after_secs: u64,
    /// Seconds between automatic checkpoints (versions) of rooms being edited; 0 turns them off.
    #[arg(long, env = "FLASHFUSION_SERVER_CHECKPOINT_SECS", default_value_t = 60)]
    pub checkpoint_secs: u64,
    /// Create the local owner account with this name and print its token (for "host locally").
    #[arg(long)]
    pub local_owner: Option<String>,
    /// Accounts (by email) that moderate the marketplace; comma-separated.
    #[arg(long, env = "FLASHFUSION_SERVER_ADMINS", value_delimiter = ',')]
    pub admins: Vec<String>,
    /// Largest accepted template bundle (gzipped tar), in bytes.
    #[arg(long, env = "FLASHFUSION_SERVER_MAX_BUNDLE_BYTES", default_value_t = 50 * 1024 * 1024)]
    pub max_bundle_bytes: usize,
    /// Most files a template bundle may hold.
    #[arg(long, env = "FLASHFUSION_SERVER_MAX_BUNDLE_FILES", default_value_t = 5_000)]
    pub max_bundle_files: usize,
    /// Stripe's API (a local stand-in in tests).
    #[arg(long, env = "FLASHFUSION_STRIPE_API_BASE", default_value = "https://api.stripe.com")]
    pub stripe_api_base: String,
    /// Stripe secret key; without it paid templates cannot be bought.
    #[arg(long, env = "FLASHFUSION_STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<String>,
    /// Signing secret of the Stripe webhook endpoint (`whsec_…`).
    #[arg(long, env = "FLASHFUSION_STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    pub stripe_webhook_secret: Option<String>,
}

impl Config {
    pub fn unload_grace(&self) -> Duration {
        Duration::from_secs(self.unload_after_secs)
    }

    /// Defaults for an in-process server on a free loopback port.
    pub fn local(data_dir: PathBuf) -> Self {
        let mut config = Self::parse_from(["flashfusion-server"]);
        config.listen = SocketAddr::from(([127, 0, 0, 1], 0));
        config.data_dir = data_dir;
        config
    }
}
