use clap::Parser;
use flashfusion_server::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    flashfusion_server::serve_until_signal(Config::parse()).await
}
