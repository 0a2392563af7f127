//! "Host locally": the relay (`flashfusion-server`) running inside the app,
//! so a team can collaborate with no hosted service. It listens on every
//! interface (teammates on the LAN join) at a fixed port, so invite links
//! stay valid across restarts, and keeps its data in the app's data folder.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::path::PathBuf;

use flashfusion_core::{Code, Error, Result};
use flashfusion_server::{Config, RunningServer};
use tokio::sync::Mutex;

/// The port invite links of a locally hosted session use unless told otherwise.
pub const DEFAULT_PORT: u16 = 4455;
/// Automatic checkpoints: every 30 s of activity.
const CHECKPOINT_SECS: u64 = 30;

pub struct LocalHost {
    data_dir: PathBuf,
    running: Mutex<Option<RunningServer>>,
}

/// How the owner reaches the local server (over loopback, so a changed
/// network address never strands them) and their token. Invite links name
/// the network address.
pub struct Hosting {
    pub url: String,
    pub owner_token: String,
}

impl LocalHost {
    pub fn new(data_dir: PathBuf) -> Self {
        Self { data_dir, running: Mutex::new(None) }
    }

    /// Starts the server (once) on `port` and returns how to reach it.
    pub async fn ensure(&self, port: u16, owner_name: &str) -> Result<Hosting> {
        let mut running = self.running.lock().await;
        if running.is_none() {
            let mut config = Config::local(self.data_dir.clone());
            config.listen = SocketAddr::from((Ipv4Addr::UNSPECIFIED, port));
            config.local_owner = Some(owner_name.to_owned());
            config.checkpoint_secs = CHECKPOINT_SECS;
            config.public_url = format!("http://{}:{port}", lan_address());
            let server = flashfusion_server::start(config).await.map_err(|error| {
                Error::new(
                    Code::Io,
                    format!("could not host the session on port {port} ({error:#}); is another program using it?"),
                )
            })?;
            tracing::info!(addr = %server.addr, "hosting collaboration locally");
            *running = Some(server);
        }
        let server = running.as_ref().ok_or_else(|| Error::internal("the local server did not start"))?;
        Ok(Hosting {
            url: format!("http://127.0.0.1:{}", server.addr.port()),
            owner_token: server.owner_token.clone().ok_or_else(|| Error::internal("the local server has no owner"))?,
        })
    }
}

/// This machine's address on the local network (the one a default route
/// would use), or loopback when there is no network.
fn lan_address() -> IpAddr {
    let probe = || -> std::io::Result<IpAddr> {
        let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))?;
        // Connecting a UDP socket sends nothing; it only picks a route.
        socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9))?;
        Ok(socket.local_addr()?.ip())
    };
    probe().ok().filter(|ip| !ip.is_unspecified()).unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// The port of a locally hosted session's server URL.
pub fn port_of(server: &str) -> u16 {
    server.rsplit(':').next().and_then(|port| port.trim_end_matches('/').parse().ok()).unwrap_or(DEFAULT_PORT)
}
