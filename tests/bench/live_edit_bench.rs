//! The live-editing benchmark (issue 4): in a room of 10 people typing, how
//! long a keystroke in the real app window takes to be applied to the
//! document and sent (seen by a peer through the relay), and how long a
//! peer's keystroke takes to be painted in the window.
//!
//! A relay runs in-process on loopback; a Rust owner shares a file and 8
//! more Rust peers type into it at 10 keystrokes/s each (one of them also
//! sends numbered probes); the app joins from an invite link through its UI
//! and types numbered keystrokes at 10/s itself. Times are taken on one
//! clock (the system's real-time clock: `performance.timeOrigin + now()` in
//! the page, `SystemTime` here). For scale it also prints the same trip
//! between two Rust peers, which is the relay and network alone.
//!
//! Run: `xvfb-run -a cargo run --release -p flashfusion-e2e --bin live-edit-bench`
//! (or scripts/bench.sh), with the release app built.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use flashfusion_collab::rest::CollabRole;
use flashfusion_collab::service::Host;
use flashfusion_collab::session::{CollabEvent, Session, TextChange};
use flashfusion_e2e::{App, CollabPeer as Peer, Driver};
use flashfusion_server::Config;
use serde_json::{json, Value};

/// Keystrokes typed in the window, and probes sent by a peer (the run fits
/// in WebDriver's 30 s script timeout).
const SAMPLES: usize = 200;
const EVERY: Duration = Duration::from_millis(100);
/// Rust peers besides the owner (with the window: 10 people).
const TYPISTS: usize = 8;
const FILE: &str = "notes.md";

fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |since| since.as_secs_f64() * 1000.0)
}

fn stats(label: &str, mut values: Vec<f64>) {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        println!("{label:<58} no samples");
        return;
    }
    let at = |fraction: f64| values[((values.len() as f64 - 1.0) * fraction).round() as usize];
    println!("{label:<58} median {:>6.2} ms   p99 {:>6.2} ms   (n = {})", at(0.5), at(0.99), values.len());
}

/// Records when each `[<prefix><n>]` token first appears in `person`'s document.
fn watch(person: &Peer, prefix: &'static str) -> Result<Arc<Mutex<HashMap<usize, f64>>>> {
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let record = seen.clone();
    person.session()?.subscribe(Arc::new(move |event| {
        if let CollabEvent::Text { changes, .. } = event {
            let at = now_ms();
            let mut seen = record.lock().unwrap_or_else(|p| p.into_inner());
            for change in changes {
                for token in change.insert.split('[').skip(1) {
                    if let Some(number) = token.strip_prefix(prefix).and_then(|rest| rest.split(']').next()) {
                        if let Ok(number) = number.parse() {
                            seen.entry(number).or_insert(at);
                        }
                    }
                }
            }
        }
    }));
    Ok(seen)
}

/// Appends `text` to line `line` (0-based) of the file, as one keystroke.
fn type_on_line(session: &Session, line: usize, text: &str) -> Result<()> {
    let current = session.text(FILE).context("file gone")?;
    let end: usize = current.split('\n').take(line + 1).map(|l| l.encode_utf16().count() + 1).sum::<usize>() - 1;
    let at = u32::try_from(end)?;
    session.edit(FILE, None, &[TextChange { from: at, to: at, insert: text.into() }])?;
    Ok(())
}

async fn join_in_window(app: &App, link: &str) -> Result<()> {
    app.find("[data-testid=welcome]").await?;
    let field = app.find("[data-testid=welcome-join-link]").await?;
    field.send_keys(link).await?;
    app.click("[data-testid=welcome-join]").await?;
    let name = app.find("[data-testid=collab-join-name]").await?;
    name.clear().await?;
    name.send_keys("Bench").await?;
    app.click("[data-testid=collab-join-submit]").await?;
    app.click(&format!("[data-testid=tree-item][data-path='{FILE}']")).await?;
    app.find(&format!("[data-testid=tab][data-path='{FILE}']")).await?;
    app.wait_until(
        "document.querySelector('[data-testid=collab-status]')?.dataset.state === 'connected'",
        Duration::from_secs(20),
    )
    .await?;
    Ok(())
}

/// In the page: types `count` numbered keystrokes at the end of line 1, one
/// every `every` ms, and watches each frame for the peer's probes on line 2.
const PAGE_SCRIPT: &str = r#"
const [count, every] = arguments; const done = arguments[arguments.length - 1];
const view = window.__ffEditorView; const clock = () => performance.timeOrigin + performance.now();
const sent = []; const painted = {}; let watching = true;
const watch = () => {
  const now = clock();
  for (const match of view.contentDOM.textContent.matchAll(/\[r(\d+)\]/g)) if (!(match[1] in painted)) painted[match[1]] = now;
  if (watching) requestAnimationFrame(watch);
};
requestAnimationFrame(watch);
let n = 0;
const timer = setInterval(() => {
  const line = view.state.doc.line(1);
  sent.push(clock());
  view.dispatch({changes: {from: line.to, insert: `[k${n}]`}, userEvent: "input.type"});
  if (++n >= count) { clearInterval(timer); setTimeout(() => { watching = false; done({sent, painted}); }, 3000); }
}, every);
"#;

#[tokio::main]
async fn main() -> Result<()> {
    let temp = tempfile::tempdir()?;
    let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut config = Config::local(temp.path().join("relay"));
    config.listen = addr;
    config.public_url = format!("http://{addr}");
    config.local_owner = Some("Owner".into());
    config.messages_per_second = 1_000;
    let relay = flashfusion_server::start(config).await?;

    let owner = Peer::new()?;
    let lines: String = (0..12).map(|i| format!("line {i}\n")).collect();
    let host =
        Host { server: relay.http_url(), token: relay.owner_token.clone().context("token")?, hosted_locally: false };
    owner
        .collab
        .share(owner.project, owner.root.path(), "bench", BTreeMap::from([(FILE.to_owned(), lines)]), host)
        .await?;
    let link = owner.collab.invite(owner.project, CollabRole::Editor, "7d", None).await?.link.context("link")?;
    let mut typists = Vec::new();
    for n in 0..TYPISTS {
        typists.push(Peer::join(&link, &format!("Typist {n}")).await?);
    }
    for person in &typists {
        let session = person.session()?;
        while session.text(FILE).is_none() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    // The owner hears the window's keystrokes; typist 0 hears typist 1's probes (relay-only baseline).
    let from_window = watch(&owner, "k")?;
    let between_peers = watch(&typists[0], "r")?;

    let driver = Driver::start(&temp.path().join("app-data"))?;
    let app = driver.launch(&[]).await?;
    join_in_window(&app, &link).await?;
    println!("FlashFusion live-editing benchmark: {TYPISTS} Rust peers + owner + the app window in one room, 10 keystrokes/s each\n");

    // Everyone types; typist 1 also sends numbered probes on line 2.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut tasks = Vec::new();
    let probe_sent = Arc::new(Mutex::new(HashMap::new()));
    for (n, person) in typists.iter().enumerate() {
        let session = person.session()?;
        let (stop, probe_sent) = (stop.clone(), probe_sent.clone());
        tasks.push(tokio::spawn(async move {
            let mut ticker = tokio::time::interval(EVERY);
            let mut count = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                ticker.tick().await;
                let result = if n == 1 && count < SAMPLES {
                    probe_sent.lock().unwrap_or_else(|p| p.into_inner()).insert(count, now_ms());
                    type_on_line(&session, 1, &format!("[r{count}]"))
                } else {
                    type_on_line(&session, 3 + n, "x")
                };
                if let Err(error) = result {
                    eprintln!("typist {n}: {error:#}");
                }
                count += 1;
            }
        }));
    }
    let page = app
        .run_async(PAGE_SCRIPT, vec![json!(SAMPLES), json!(EVERY.as_millis() as u64)])
        .await
        .context("page script")?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in tasks {
        task.await?;
    }

    let sent: Vec<f64> = page["sent"].as_array().context("sent")?.iter().filter_map(Value::as_f64).collect();
    let arrived = from_window.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let keystroke: Vec<f64> =
        sent.iter().enumerate().filter_map(|(n, at)| arrived.get(&n).map(|got| got - at)).collect();
    let probes = probe_sent.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let painted = page["painted"].as_object().context("painted")?;
    let remote: Vec<f64> =
        painted.iter().filter_map(|(n, at)| Some(at.as_f64()? - probes.get(&n.parse::<usize>().ok()?)?)).collect();
    let relay_only: Vec<f64> = between_peers
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .filter_map(|(n, at)| Some(at - probes.get(n)?))
        .collect();

    stats("keystroke in the window → applied, sent, at a peer", keystroke);
    stats("peer keystroke → painted in the window", remote);
    stats("for scale: peer → peer through the relay (no window)", relay_only);
    println!(
        "delivered: {}/{} window keystrokes, {}/{} probes painted",
        arrived.len().min(SAMPLES),
        SAMPLES,
        painted.len(),
        SAMPLES
    );
    app.quit().await?;
    relay.shutdown().await
}
