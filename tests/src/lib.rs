//! Drives the real FlashFusion window: starts `tauri-driver` (which runs
//! WebKitWebDriver, which runs the app) on free loopback ports, with the
//! app's data in a private folder, and offers the few WebDriver steps the
//! end-to-end tests and the app benchmark need. Needs a display (Xvfb).
//! Also a second person for collaboration tests ([`CollabPeer`]).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

/// The app binary under test: `$FLASHFUSION_APP`, else the workspace's debug build.
pub fn app_binary() -> PathBuf {
    std::env::var_os("FLASHFUSION_APP")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/debug/flashfusion"))
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One `tauri-driver` process. Stopped with SIGTERM on drop (SIGKILL would
/// leave WebKitWebDriver behind).
pub struct Driver {
    /// The port "host locally" uses in the apps this driver launches.
    pub host_port: u16,
    child: Child,
    port: u16,
    pub data_dir: PathBuf,
}

impl Driver {
    /// Starts a driver whose apps keep their data in `data_dir`.
    pub fn start(data_dir: &Path) -> Result<Self> {
        if std::env::var_os("DISPLAY").is_none() {
            bail!("no DISPLAY: run the end-to-end tests under xvfb-run (see scripts/test.sh)");
        }
        let app = app_binary();
        if !app.is_file() {
            bail!("app binary {} not found: build it first (cargo build -p flashfusion)", app.display());
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let host_port = free_port()?;
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("FLASHFUSION_DATA_DIR", data_dir)
            .env("FLASHFUSION_LOG", "warn")
            // Local stand-ins for hosting platforms answer at once.
            .env("FLASHFUSION_DEPLOY_POLL_MS", "100")
            // Joined sessions get folders here, and a session hosted locally this port.
            .env("FLASHFUSION_PROJECTS_DIR", data_dir.join("projects"))
            .env("FLASHFUSION_HOST_PORT", host_port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .context("could not start tauri-driver (cargo install tauri-driver --locked)")?;
        let driver = Self { host_port, child, port, data_dir: data_dir.to_path_buf() };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("tauri-driver did not listen on port {port}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// Launches the app (with command-line `args`) in a new WebDriver session.
    pub async fn launch(&self, args: &[&str]) -> Result<App> {
        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": { "application": app_binary(), "args": args },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!() };
        let url = format!("http://127.0.0.1:{}", self.port);
        // tauri-driver listens before its WebKitWebDriver is ready: the first
        // session of a driver can be refused once; a second try is honest.
        let first = ClientBuilder::rustls()?.capabilities(capabilities.clone()).connect(&url).await;
        let client = match first {
            Ok(client) => client,
            Err(error) => {
                eprintln!("WebDriver session refused ({error}); trying once more");
                tokio::time::sleep(Duration::from_secs(1)).await;
                ClientBuilder::rustls()?
                    .capabilities(capabilities)
                    .connect(&url)
                    .await
                    .context("WebDriver session (is the app binary runnable?)")?
            }
        };
        let app = App { client, data_dir: self.data_dir.clone() };
        app.wait_until("window.__ffReady === true", Duration::from_secs(30)).await.context("the UI never booted")?;
        Ok(app)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let terminated = Command::new("kill").args(["-TERM", &pid]).status();
        if terminated.is_err() {
            eprintln!("could not signal tauri-driver {pid}");
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Err(error) = self.child.kill() {
            eprintln!("could not kill tauri-driver: {error}");
        }
    }
}

/// One running app window.
pub struct App {
    pub client: Client,
    data_dir: PathBuf,
}

impl App {
    pub async fn find(&self, css: &str) -> Result<Element> {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element matches {css}"))
    }

    /// Runs `step` on the element matching `css`, finding it again if the UI
    /// re-rendered it in between (the tree re-renders on file changes).
    async fn on_element<T, F, Fut>(&self, css: &str, step: F) -> Result<T>
    where
        F: Fn(Element) -> Fut,
        Fut: std::future::Future<Output = Result<T, fantoccini::error::CmdError>>,
    {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let attempt = match self.find(css).await {
                Ok(element) => step(element).await.map_err(anyhow::Error::from),
                Err(error) => Err(error),
            };
            match attempt {
                Ok(value) => return Ok(value),
                Err(error) if Instant::now() > deadline => return Err(error.context(format!("on {css}"))),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }

    pub async fn click(&self, css: &str) -> Result<()> {
        self.on_element(css, |element| async move { element.click().await }).await
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        self.on_element(css, |element| async move { element.text().await }).await
    }

    pub async fn run(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client.execute(script, args).await.with_context(|| format!("script failed: {script}"))
    }

    /// Runs async JS: the script gets `done` as its last argument.
    pub async fn run_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        self.client.execute_async(script, args).await.with_context(|| format!("async script failed: {script}"))
    }

    /// Polls a JS expression until it is truthy.
    pub async fn wait_until(&self, expression: &str, timeout: Duration) -> Result<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self.client.execute(&format!("return ({expression});"), vec![]).await;
            match value {
                Ok(value) if !value.is_null() && value != json!(false) && value != json!("") && value != json!(0) => {
                    return Ok(value)
                }
                _ if Instant::now() > deadline => {
                    return Err(anyhow!("timed out waiting for {expression}: last {value:?}"))
                }
                _ => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Types into the focused editor (keys go to the active element).
    pub async fn type_text(&self, text: &str) -> Result<()> {
        self.client.active_element().await?.send_keys(text).await?;
        Ok(())
    }

    /// Presses Ctrl plus `key` on the active element. (WebKitWebDriver keeps
    /// modifiers held to the end of a send-keys call, so this is one call.)
    pub async fn ctrl(&self, key: &str) -> Result<()> {
        self.client.active_element().await?.send_keys(&format!("\u{E009}{key}\u{E000}")).await?;
        Ok(())
    }

    pub async fn screenshot(&self, path: &Path) -> Result<()> {
        let png = self.client.screenshot().await?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, png)?;
        Ok(())
    }

    /// The app's process id, found by its private data folder.
    pub fn pid(&self) -> Result<u32> {
        let needle = format!("FLASHFUSION_DATA_DIR={}", self.data_dir.display());
        let binary = app_binary().canonicalize()?;
        for entry in std::fs::read_dir("/proc")? {
            let entry = entry?;
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(exe) = std::fs::read_link(entry.path().join("exe")) else { continue };
            if exe != binary {
                continue;
            }
            let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
            if environ.split(|byte| *byte == 0).any(|variable| variable == needle.as_bytes()) {
                return Ok(pid);
            }
        }
        bail!("no running app with {needle}")
    }

    /// `kill -9` the app, as a crash or a power cut of the process would.
    pub async fn kill_hard(self) -> Result<()> {
        let pid = self.pid()?;
        let status = Command::new("kill").args(["-KILL", &pid.to_string()]).status()?;
        if !status.success() {
            bail!("kill -9 {pid} failed");
        }
        // The session is gone with the app; ending it only frees the driver.
        if let Err(error) = self.client.close().await {
            eprintln!("(expected) closing the dead session: {error}");
        }
        Ok(())
    }

    pub async fn quit(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}

/// Another person's app in a collaboration test or benchmark: its own data
/// folder, keyring and project folder, running the same client code.
pub struct CollabPeer {
    pub collab: flashfusion_collab::service::Collaboration,
    pub project: flashfusion_core::ProjectId,
    pub root: tempfile::TempDir,
    _data: tempfile::TempDir,
}

impl CollabPeer {
    pub fn new() -> Result<Self> {
        let data = tempfile::tempdir()?;
        let secrets = std::sync::Arc::new(flashfusion_core::secrets::MemorySecrets::default());
        let collab = flashfusion_collab::service::Collaboration::new(data.path().join("collab"), secrets);
        Ok(Self { collab, project: flashfusion_core::ProjectId(1), root: tempfile::tempdir()?, _data: data })
    }

    /// Joins the session an invite `link` admits to, as a guest named `name`.
    pub async fn join(link: &str, name: &str) -> Result<Self> {
        let peer = Self::new()?;
        let link = flashfusion_collab::invite::InviteLink::parse(link)?;
        let (admission, _room) = peer.collab.redeem(&link, name).await?;
        peer.collab.start_joined(peer.project, peer.root.path(), &link, admission, name)?;
        Ok(peer)
    }

    pub fn session(&self) -> Result<std::sync::Arc<flashfusion_collab::session::Session>> {
        Ok(self.collab.open(self.project)?)
    }

    pub fn text(&self, path: &str) -> Option<String> {
        self.session().ok()?.text(path)
    }
}
