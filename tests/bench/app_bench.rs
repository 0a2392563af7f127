//! The app benchmark: prints, for this machine, the figures the foundation
//! issue sets targets for. It drives the real app window (needs Xvfb and
//! tauri-driver, like the end-to-end tests):
//!
//! - cold start: process start → editor painted with a project open;
//! - opening a 100,000-line (~5 MB) file → first paint, and typing latency in it;
//! - listing a 10,000-file project tree (in process, and over IPC from the window);
//! - resident memory idle with that project open (app + WebKit processes);
//! - the assistant: the time the app adds between the first byte of an
//!   answer arriving from the provider (a local fake) and its first token
//!   painted in the chat panel.
//!
//! Run: `xvfb-run -a cargo run --release -p flashfusion-e2e --bin app-bench`
//! (or scripts/bench.sh). Timings are medians over several runs.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use flashfusion_assistant::provider::{ProviderConfig, ProviderKind};
use flashfusion_assistant::settings::AssistantSettings;
use flashfusion_assistant::test_server::{self, FakeProvider, Reply};
use flashfusion_e2e::{App, Driver};
use flashfusion_project::confine::ProjectRoot;
use flashfusion_project::tree;

const TREE_FILES: usize = 10_000;
const BIG_FILE_LINES: usize = 100_000;
const COLD_STARTS: usize = 5;
const KEYSTROKES: usize = 60;
const ANSWERS: usize = 12;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn percentile(values: &mut [f64], fraction: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let index = ((values.len() as f64 - 1.0) * fraction).round() as usize;
    values[index]
}

/// A 10,000-file project (100 folders of 100 files) plus the big file at its root.
fn make_fixture(root: &Path) -> Result<()> {
    for folder in 0..TREE_FILES / 100 {
        let dir = root.join(format!("pkg{folder:03}/src"));
        std::fs::create_dir_all(&dir)?;
        for file in 0..100 {
            std::fs::write(dir.join(format!("module{file:03}.ts")), format!("export const value{file} = {folder};\n"))?;
        }
    }
    let mut big = String::with_capacity(5_200_000);
    for line in 0..BIG_FILE_LINES {
        big.push_str(&format!("export const handler{line:06} = (x: number) => x + {line};\n"));
    }
    std::fs::write(root.join("big.ts"), big)?;
    std::fs::write(root.join("small.ts"), "export const greeting = 'hello';\n")?;
    Ok(())
}

fn report(name: &str, value: f64, unit: &str, target: f64) {
    let verdict = if value <= target { "meets" } else { "MISSES" };
    println!("{name:<48} {value:>10.1} {unit:<3} target < {target} {unit}  ({:.2}× target, {verdict})", value / target);
}

fn tree_in_process(root: &Path) -> Result<f64> {
    let root = ProjectRoot::new(root)?;
    let mut times = Vec::new();
    let mut count = 0;
    for _ in 0..7 {
        let start = Instant::now();
        count = tree::list_tree(&root)?.len();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    println!("(tree: {count} entries listed)");
    Ok(median(&mut times))
}

async fn cold_start(driver: &Driver, project: &Path) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..COLD_STARTS {
        let app = driver.launch(&[&project.to_string_lossy(), "small.ts"]).await?;
        let ready = app.wait_until("window.__ffEditorReadyMs", Duration::from_secs(30)).await?;
        times.push(ready.as_f64().context("__ffEditorReadyMs is not a number")?);
        app.quit().await?;
    }
    Ok(median(&mut times))
}

async fn tree_over_ipc(app: &App) -> Result<f64> {
    let value = app
        .run_async(
            "const done = arguments[arguments.length - 1];
             const invoke = window.__TAURI_INTERNALS__.invoke;
             (async () => {
               const { project } = await invoke('startup_request');
               const times = [];
               for (let i = 0; i < 7; i++) {
                 const start = performance.now();
                 await invoke('list_tree', { args: { projectId: project.id } });
                 times.push(performance.now() - start);
               }
               times.sort((a, b) => a - b);
               done(times[3]);
             })().catch(e => done(-1));",
            vec![],
        )
        .await?;
    value.as_f64().filter(|ms| *ms >= 0.0).context("list_tree over IPC failed")
}

/// Sends `ANSWERS` chat messages through the panel; for each, from the Rust
/// side's arrival time of the first byte to the first token in the page, and
/// to the frame that paints it (both on the machine's wall clock).
async fn first_token_paint(app: &App) -> Result<(Vec<f64>, Vec<f64>)> {
    let server = FakeProvider::start(ProviderKind::OpenAi, None).await?;
    let settings = serde_json::to_value(AssistantSettings {
        provider: ProviderConfig {
            kind: ProviderKind::OpenAi,
            base_url: server.base_url.clone(),
            model: "fake-model".into(),
            max_output_tokens: 256,
            timeout_seconds: 30,
        },
        messages_per_minute: 1000,
        ..AssistantSettings::default()
    })?;
    app.run_async(
        "const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('update_assistant_settings', { args: arguments[0] })
           .then(() => done(true), (e) => done(String(e)));",
        vec![settings],
    )
    .await?;
    app.click("[data-testid=chat-toggle]").await?;
    let (mut in_page, mut painted) = (Vec::new(), Vec::new());
    for index in 0..ANSWERS {
        // The first piece carries the first token, so first byte = first token.
        let mut chunks = test_server::openai_chunks("fake-model", "Hello there, this is the answer.", 6, Some((5, 5)));
        let first = [chunks.remove(0), chunks.remove(0)].concat();
        chunks.insert(0, first);
        server.push(Reply::Raw { chunks, delay: Duration::from_millis(5), cut: false });
        app.run("window.__ffFirstTokenPaint = undefined; return true;", vec![]).await?;
        let input = app.find("[data-testid=chat-input]").await?;
        input.send_keys(&format!("question {index}")).await?;
        app.click("[data-testid=chat-send]").await?;
        let timing = app.wait_until("window.__ffFirstTokenPaint", Duration::from_secs(10)).await?;
        let first_byte = timing["firstByteEpochMs"].as_f64().context("no first-byte time")?;
        in_page.push(timing["inPageEpochMs"].as_f64().context("no in-page time")? - first_byte);
        painted.push(timing["paintedEpochMs"].as_f64().context("no paint time")? - first_byte);
        app.wait_until(
            "!document.querySelector('[data-testid=chat-message][data-state=streaming]')",
            Duration::from_secs(10),
        )
        .await?;
    }
    Ok((in_page, painted))
}

async fn open_big_file(app: &App) -> Result<f64> {
    let value = app
        .run_async(
            "const done = arguments[arguments.length - 1];
             const item = document.querySelector(\"[data-testid=tree-item][data-path='big.ts']\");
             const start = performance.now();
             item.click();
             const check = () => {
               const view = window.__ffEditorView;
               const tab = document.querySelector(\"[data-testid=tab][data-path='big.ts']\");
               if (tab && view && view.state.doc.lines >= 100000 && document.querySelector('.cm-line')
                   && document.querySelector('.cm-content').textContent.includes('handler000000')) {
                 requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
               } else {
                 requestAnimationFrame(check);
               }
             };
             check();",
            vec![],
        )
        .await?;
    value.as_f64().context("open timing is not a number")
}

/// Keypress → paint, per keystroke: from the keydown event to the frame after
/// CodeMirror's DOM update. The cursor jumps to the middle of the file first;
/// `settle` is how long the person pauses before typing (the syntax parser
/// catches up in the background meanwhile).
async fn typing_latency(app: &App, line: usize, settle: Duration) -> Result<Vec<f64>> {
    app.run(
        "window.__ffLatencies = [];
         const view = window.__ffEditorView;
         view.dispatch({ selection: { anchor: view.state.doc.line(arguments[0]).to }, scrollIntoView: true });
         view.focus();
         if (!window.__ffProbe) {
           window.__ffProbe = true;
           view.contentDOM.addEventListener('keydown', () => {
             const start = performance.now();
             requestAnimationFrame(() => setTimeout(() => window.__ffLatencies.push(performance.now() - start), 0));
           }, { capture: true });
         }
         return true;",
        vec![serde_json::json!(line)],
    )
    .await?;
    tokio::time::sleep(settle).await;
    for _ in 0..KEYSTROKES {
        app.type_text("x").await?;
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let values = app.run("return window.__ffLatencies;", vec![]).await?;
    let latencies: Vec<f64> = serde_json::from_value(values)?;
    anyhow::ensure!(latencies.len() == KEYSTROKES, "recorded {} of {KEYSTROKES} keystrokes", latencies.len());
    Ok(latencies)
}

/// Memory of the app and the WebKit processes it started, in MiB: the sum of
/// proportional set sizes (shared library pages split between the processes
/// that map them, so nothing is counted twice) and, for reference, of RSS.
#[derive(Clone, Copy)]
struct Memory {
    app_pss: f64,
    webkit_pss: f64,
    total_rss: f64,
}

fn memory(app_pid: u32) -> Result<Memory> {
    let field = |pid: u32, name: &str| -> Option<f64> {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
        let kib: f64 = rollup.lines().find(|l| l.starts_with(name))?.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    };
    let parent_of = |pid: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        stat.rsplit(')').next()?.split_whitespace().nth(1)?.parse().ok()
    };
    let mut memory = Memory {
        app_pss: field(app_pid, "Pss:").context("app process vanished")?,
        webkit_pss: 0.0,
        total_rss: field(app_pid, "Rss:").unwrap_or(0.0),
    };
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else { continue };
        if parent_of(pid) == Some(app_pid) {
            memory.webkit_pss += field(pid, "Pss:").unwrap_or(0.0);
            memory.total_rss += field(pid, "Rss:").unwrap_or(0.0);
        }
    }
    Ok(memory)
}

fn report_memory(label: &str, memory: Memory) {
    report(&format!("memory {label}, PSS app + WebKit"), memory.app_pss + memory.webkit_pss, "MB", 200.0);
    println!(
        "{:<48} {:>10.1} MB app + {:.1} MB WebKit web/network processes (RSS sum {:.1} MB)",
        "  of which", memory.app_pss, memory.webkit_pss, memory.total_rss
    );
}

#[tokio::main]
async fn main() -> Result<()> {
    let temp = tempfile::tempdir()?;
    let project = temp.path().join("bench-project");
    let data = temp.path().join("data");
    std::fs::create_dir_all(&data)?;
    make_fixture(&project)?;
    println!("FlashFusion app benchmark — app binary {}", flashfusion_e2e::app_binary().display());
    println!(
        "fixture: {TREE_FILES} files in 100 folders + big.ts ({BIG_FILE_LINES} lines, {:.1} MB)\n",
        std::fs::metadata(project.join("big.ts"))?.len() as f64 / 1e6
    );

    let in_process = tree_in_process(&project)?;
    let driver = Driver::start(&data)?;
    let cold = cold_start(&driver, &project).await?;

    // Baseline: the same app idle with a one-file project.
    let tiny = temp.path().join("tiny-project");
    std::fs::create_dir_all(&tiny)?;
    std::fs::write(tiny.join("small.ts"), "export const greeting = 'hello';\n")?;
    let app = driver.launch(&[&tiny.to_string_lossy(), "small.ts"]).await?;
    app.wait_until("window.__ffEditorReadyMs", Duration::from_secs(30)).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let baseline_memory = memory(app.pid()?)?;
    let mut small_file = typing_latency(&app, 1, Duration::from_millis(500)).await?;
    let (mut token_in_page, mut token_painted) = first_token_paint(&app).await?;
    app.quit().await?;

    let app = driver.launch(&[&project.to_string_lossy(), "small.ts"]).await?;
    app.wait_until("window.__ffEditorReadyMs", Duration::from_secs(30)).await?;
    let over_ipc = tree_over_ipc(&app).await?;
    let open = open_big_file(&app).await?;
    let mut at_once = typing_latency(&app, BIG_FILE_LINES / 2, Duration::ZERO).await?;
    let mut settled = typing_latency(&app, BIG_FILE_LINES / 2 + 10, Duration::from_secs(3)).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let loaded_memory = memory(app.pid()?)?;
    app.quit().await?;

    println!();
    report(&format!("cold start to editor painted (median of {COLD_STARTS})"), cold, "ms", 1000.0);
    report("open 100k-line file to first paint", open, "ms", 300.0);
    report(&format!("typing latency mid-file, median of {KEYSTROKES} keys"), median(&mut settled), "ms", 16.0);
    println!("{:<48} {:>10.1} ms", "  p95", percentile(&mut settled, 0.95));
    report("  same, typing right after the jump (median)", median(&mut at_once), "ms", 16.0);
    println!("{:<48} {:>10.1} ms", "  p95", percentile(&mut at_once, 0.95));
    report("  baseline: typing in a one-line file (median)", median(&mut small_file), "ms", 16.0);
    println!("{:<48} {:>10.1} ms", "  p95", percentile(&mut small_file, 0.95));
    report("list 10k-file tree, in process (median of 7)", in_process, "ms", 200.0);
    report("list 10k-file tree, over IPC from the window", over_ipc, "ms", 200.0);
    report_memory("idle, 10k-file project + big file open", loaded_memory);
    report_memory("idle, one-file project (baseline)", baseline_memory);
    report(
        &format!("assistant: first byte → first token in the page (median of {ANSWERS})"),
        median(&mut token_in_page),
        "ms",
        5.0,
    );
    report("  same, p95", percentile(&mut token_in_page, 0.95), "ms", 5.0);
    report("  first byte → the frame that paints it (median)", median(&mut token_painted), "ms", 5.0);
    report("  same, p95", percentile(&mut token_painted, 0.95), "ms", 5.0);
    Ok(())
}
