use anyhow::Result;
use clap::Parser;
use flashfusion_server::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_env("FLASHFUSION_SERVER_LOG").unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    let config = Config::parse();
    let server = flashfusion_server::start(config).await?;
    if let Some(token) = &server.owner_token {
        println!("owner token: {token}");
    }
    println!("listening on {}", server.addr);
    let interrupted = tokio::signal::ctrl_c();
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        result = interrupted => result?,
        _ = terminate.recv() => {}
    }
    tracing::info!("shutting down");
    server.shutdown().await
}
