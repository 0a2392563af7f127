//! relay-bench: the collaboration relay's load generator (issue 3, "Speed").
//!
//! Every scenario runs against OUR relay and the REFERENCE relay
//! (`@y/websocket-server@0.1.1`, Node) in the same run, each as a child
//! process on loopback, and the results are printed side by side:
//!
//! - OUR relay: this binary re-executes itself as `relay-bench serve-ours
//!   <flashfusion-server flags>` (the same library and the same startup as
//!   `flashfusion-server`'s `main`), or runs `--server-bin PATH` (e.g.
//!   `target/release/flashfusion-server`). Per-connection limits are raised
//!   (`--messages-per-second`, `--awareness-per-second`,
//!   `--max-connections-per-room`) so that the bench measures the relay, not
//!   its rate limiter. Rooms are created over REST with the local owner's token.
//! - REFERENCE: `HOST=127.0.0.1 PORT=… node …/@y/websocket-server/src/server.js`.
//!
//! Clients are raw tokio-tungstenite sockets speaking y-websocket with
//! `flashfusion_collab::protocol` (not the full collab client): each sends
//! sync step 1 of its (empty) document and answers the relay's step 1 with
//! step 2. Each client owns a yrs `Doc` with a distinct client id and, while
//! a step runs, inserts one character into the Y.Text "doc" every 100 ms
//! (one transaction, `encode_update_v1`) and sends it as an update message.
//! Send times sit in a per-client ring indexed by the update's clock; most
//! receivers only count update messages (reading the sender's client id from
//! the update's first bytes, to tell deliveries from the reference's echoes
//! to the sender), and `--measurers` clients per room also decode and apply
//! every update into their document and record sender→receiver latency.
//!
//! Scenarios (`--scenarios ramp,idle,trace`):
//! - ramp: rooms of 10 and of 25 clients, R rooms growing step by step (the
//!   clients of earlier steps stay connected; senders pause between steps
//!   until everything in flight is delivered); per step: delivered messages/s
//!   (to other clients), delivery ratio (delivered / sent × (size − 1)),
//!   p50/p99 latency, CPU of the generator, the target and the machine, and
//!   the target's RSS. A target stops ramping at its first failing step (p99
//!   ≥ 100 ms, < 99.9 % delivered, or a dropped connection); a step where the
//!   generator could not send at 10/s is flagged and also ends the ramp.
//!   Then OUR p99 at the reference's own limit load.
//! - idle: N idle connections over 100 rooms (handshake only, then idle):
//!   RSS growth and CPU per connection.
//! - trace: `ascii_only-automerge-paper` (josephg/editing-traces, CC BY 4.0)
//!   replayed from one peer to another: the sender's updates (one yrs
//!   transaction per patch) are encoded beforehand, then sent as fast as the
//!   socket takes them; the receiver notes when each arrives and applies it
//!   into its own doc (asserted equal to the trace's `endContent`). Prints
//!   times, bytes on the wire (WebSocket frames, both directions) and the
//!   final document size.
//!
//! Build and run (2-core machine: build only this binary):
//!   cargo build --release -p flashfusion-server --bin relay-bench
//!   target/release/relay-bench [--quick]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use flashfusion_collab::protocol::{Message, Reader};
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{ClientID, Doc, GetString, OffsetKind, Options, ReadTxn, StateVector, Text, TextRef, Transact, Update};

type Ws = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

const DEFAULT_TRACE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/bench-data/editing-traces/ascii_only-automerge-paper.json.gz"
);
const DEFAULT_REFERENCE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/interop/node_modules/@y/websocket-server/src/server.js");
const TRACE_LICENCE: &str = "editing trace: josephg/editing-traces (Joseph Gentle), licence CC BY 4.0";

/// Keystrokes per client per second.
const RATE: u64 = 10;
const TICK: Duration = Duration::from_millis(1000 / RATE);
/// Send times kept per client (25.6 s at 10/s): latencies are looked up by clock.
const RING: usize = 256;
/// What yrs and Yjs encode for an update with nothing in it.
const EMPTY_UPDATE: [u8; 2] = [0, 0];
/// A step passes with p99 under this and at least `MIN_DELIVERED` delivered.
const P99_LIMIT_MS: f64 = 100.0;
const MIN_DELIVERED: f64 = 0.999;
/// A step is generator-limited when clients sent less than this share of 10/s.
const MIN_SEND_SHARE: f64 = 0.97;
/// Targets from issue 3.
const TARGET_RATIO: f64 = 5.0;
const TARGET_P99_AT_REF_LIMIT_MS: f64 = 20.0;
const TARGET_IDLE_KIB: f64 = 4.0;

#[derive(Parser, Debug, Clone)]
#[command(name = "relay-bench", about = "Load generator: our relay vs @y/websocket-server@0.1.1, side by side")]
struct Opts {
    /// Smoke run: a small ramp with short steps, 1,000 idle connections, the first 20k ops of the trace.
    #[arg(long)]
    quick: bool,
    /// Scenarios to run, comma-separated: ramp, idle, trace.
    #[arg(long, value_delimiter = ',', default_value = "ramp,idle,trace")]
    scenarios: Vec<String>,
    /// Targets, comma-separated: reference, ours.
    #[arg(long, value_delimiter = ',', default_value = "reference,ours")]
    targets: Vec<String>,
    /// Seconds of sending per ramp step (default 5; 2 with --quick).
    #[arg(long)]
    step_secs: Option<f64>,
    /// Ramp steps (number of rooms) for rooms of 10 clients.
    #[arg(long, value_delimiter = ',')]
    steps10: Option<Vec<usize>>,
    /// Ramp steps (number of rooms) for rooms of 25 clients.
    #[arg(long, value_delimiter = ',')]
    steps25: Option<Vec<usize>>,
    /// Clients per room that apply every update and measure latency (the others only count).
    #[arg(long, default_value_t = 2)]
    measurers: usize,
    /// Idle connections (default 5,000; 1,000 with --quick).
    #[arg(long)]
    idle_conns: Option<usize>,
    /// Rooms the idle connections spread over.
    #[arg(long, default_value_t = 100)]
    idle_rooms: usize,
    /// Seconds the idle connections stay idle before measuring.
    #[arg(long, default_value_t = 5.0)]
    idle_secs: f64,
    /// Replay only the first N patches of the trace (default all; 20,000 with --quick).
    #[arg(long)]
    trace_ops: Option<usize>,
    /// The editing trace (gzipped JSON, josephg/editing-traces sequential format).
    #[arg(long, default_value = DEFAULT_TRACE)]
    trace: PathBuf,
    /// Node.js executable.
    #[arg(long, default_value = "node")]
    node: String,
    /// The reference server's entry point.
    #[arg(long, default_value = DEFAULT_REFERENCE)]
    reference_server: PathBuf,
    /// Wait up to this many seconds for the machine to be quiet (< 15% of one core busy) before starting.
    #[arg(long, default_value_t = 0.0)]
    wait_quiet: f64,
    /// Run this flashfusion-server binary as OUR relay instead of `relay-bench serve-ours`.
    #[arg(long)]
    server_bin: Option<PathBuf>,
}

impl Opts {
    fn step_secs(&self) -> f64 {
        self.step_secs.unwrap_or(if self.quick { 2.0 } else { 5.0 })
    }

    fn steps(&self, size: usize) -> Vec<usize> {
        let explicit = if size == 10 { &self.steps10 } else { &self.steps25 };
        if let Some(steps) = explicit {
            return steps.clone();
        }
        match (self.quick, size) {
            (true, 10) => vec![2, 8],
            (true, _) => vec![1, 4],
            (false, 10) => vec![4, 8, 16, 32, 48, 64, 96, 128, 192, 256, 384],
            (false, _) => vec![1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128],
        }
    }

    fn idle_conns(&self) -> usize {
        self.idle_conns.unwrap_or(if self.quick { 1_000 } else { 5_000 })
    }

    fn trace_ops(&self) -> Option<usize> {
        self.trace_ops.or(if self.quick { Some(20_000) } else { None })
    }

    fn wants(&self, scenario: &str) -> bool {
        self.scenarios.iter().any(|s| s == scenario)
    }

    fn kinds(&self) -> Vec<Kind> {
        [Kind::Reference, Kind::Ours].into_iter().filter(|kind| self.targets.iter().any(|t| t == kind.name())).collect()
    }
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve-ours") {
        return serve_ours(&args[2..]);
    }
    let opts = Opts::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run(opts))
}

/// OUR relay, exactly as `flashfusion-server`'s `main` runs it, in this child process.
fn serve_ours(args: &[String]) -> Result<()> {
    let config = flashfusion_server::Config::parse_from(
        std::iter::once("flashfusion-server".to_owned()).chain(args.iter().cloned()),
    );
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(flashfusion_server::serve_until_signal(config))
}

// ---------------------------------------------------------------- measuring

/// Clock ticks per second for /proc/*/stat.
fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8_lossy(&out.stdout).trim().parse::<f64>().ok())
        .unwrap_or(100.0)
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
}

#[derive(Clone, Copy, Default, Debug)]
struct ProcCpu {
    user: u64,
    sys: u64,
}

/// utime and stime (all threads) of `pid` ("self" or a number).
fn proc_cpu(pid: &str) -> ProcCpu {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return ProcCpu::default() };
    // Fields after the command name (which may hold spaces): state is the first.
    let Some(rest) = stat.rfind(')').map(|at| &stat[at + 1..]) else { return ProcCpu::default() };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |index: usize| fields.get(index).and_then(|value| value.parse().ok()).unwrap_or(0);
    ProcCpu { user: field(11), sys: field(12) }
}

/// (busy, total) ticks of the whole machine.
fn machine_cpu() -> (u64, u64) {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else { return (0, 0) };
    let Some(line) = stat.lines().next() else { return (0, 0) };
    let values: Vec<u64> = line.split_whitespace().skip(1).take(8).filter_map(|value| value.parse().ok()).collect();
    let total: u64 = values.iter().sum();
    let idle = values.get(3).copied().unwrap_or(0) + values.get(4).copied().unwrap_or(0);
    (total.saturating_sub(idle), total)
}

fn status_kib(pid: &str, key: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(key))
                .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn rss_kib(pid: &str) -> u64 {
    status_kib(pid, "VmRSS:")
}

#[derive(Clone, Copy, Debug)]
struct Sample {
    at: Instant,
    generator: ProcCpu,
    target: ProcCpu,
    machine: (u64, u64),
}

fn sample(target_pid: &str) -> Sample {
    Sample { at: Instant::now(), generator: proc_cpu("self"), target: proc_cpu(target_pid), machine: machine_cpu() }
}

/// CPU between two samples, in % of one core (machine: % of all cores).
#[derive(Clone, Copy, Debug, Default)]
struct CpuUse {
    generator: f64,
    target_user: f64,
    target_sys: f64,
    machine: f64,
    /// Target CPU seconds in the window.
    target_secs: f64,
}

impl CpuUse {
    fn between(a: &Sample, b: &Sample, ticks: f64) -> Self {
        let wall = b.at.duration_since(a.at).as_secs_f64().max(1e-6);
        let pct = |from: u64, to: u64| to.saturating_sub(from) as f64 / ticks / wall * 100.0;
        let generator = pct(a.generator.user + a.generator.sys, b.generator.user + b.generator.sys);
        let target_user = pct(a.target.user, b.target.user);
        let target_sys = pct(a.target.sys, b.target.sys);
        let busy = b.machine.0.saturating_sub(a.machine.0) as f64;
        let total = b.machine.1.saturating_sub(a.machine.1) as f64;
        let machine = if total > 0.0 { busy / total * 100.0 } else { 0.0 };
        let target_secs = (b.target.user + b.target.sys).saturating_sub(a.target.user + a.target.sys) as f64 / ticks;
        Self { generator, target_user, target_sys, machine, target_secs }
    }

    fn target(&self) -> f64 {
        self.target_user + self.target_sys
    }

    /// CPU used by other processes on the machine, % of one core.
    fn others(&self) -> f64 {
        (self.machine * cores() - self.generator - self.target()).max(0.0)
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * p).round() as usize;
    f64::from(sorted[index.min(sorted.len() - 1)]) / 1000.0
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn thousands(value: f64) -> String {
    if !value.is_finite() {
        return "-".into();
    }
    let digits = format!("{:.0}", value.abs());
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if value < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

fn micros(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.2} µs")
    } else {
        "-".into()
    }
}

fn ms(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.1}")
    } else {
        "-".into()
    }
}

// ---------------------------------------------------------------- targets

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Reference,
    Ours,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Reference => "reference",
            Kind::Ours => "ours",
        }
    }
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// A relay running as a child process.
struct Target {
    kind: Kind,
    child: Child,
    pid: String,
    addr: SocketAddr,
    token: Option<String>,
    data_dir: Option<PathBuf>,
    rooms_made: u64,
    drain: JoinHandle<()>,
}

impl Target {
    async fn start(kind: Kind, opts: &Opts) -> Result<Self> {
        let (mut command, data_dir, port) = match kind {
            Kind::Ours => {
                let dir = std::env::temp_dir().join(format!(
                    "relay-bench-{}-{}",
                    std::process::id(),
                    NEXT_DIR.fetch_add(1, Ordering::Relaxed)
                ));
                let mut command = match &opts.server_bin {
                    Some(bin) => Command::new(bin),
                    _ => {
                        let mut command = Command::new(std::env::current_exe()?);
                        command.arg("serve-ours");
                        command
                    }
                };
                command.args(["--listen", "127.0.0.1:0", "--data-dir"]).arg(&dir).args([
                    "--messages-per-second",
                    "1000000",
                    "--awareness-per-second",
                    "1000000",
                    "--max-connections-per-room",
                    "1000",
                    "--local-owner",
                    "bench",
                ]);
                (command, Some(dir), None)
            }
            Kind::Reference => {
                let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
                let mut command = Command::new(&opts.node);
                command.arg(&opts.reference_server).env("HOST", "127.0.0.1").env("PORT", port.to_string());
                (command, None, Some(port))
            }
        };
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start the {} relay", kind.name()))?;
        let pid = child.id().ok_or_else(|| anyhow!("the {} relay exited at once", kind.name()))?.to_string();
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        let mut lines = BufReader::new(stdout).lines();
        let mut token = None;
        let mut addr = port.map(|port| SocketAddr::from(([127, 0, 0, 1], port)));
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let line = tokio::time::timeout_at(deadline, lines.next_line())
                .await
                .map_err(|_| anyhow!("the {} relay did not start in 30 s", kind.name()))??
                .ok_or_else(|| anyhow!("the {} relay exited while starting", kind.name()))?;
            if let Some(value) = line.strip_prefix("owner token: ") {
                token = Some(value.trim().to_owned());
            } else if let Some(value) = line.strip_prefix("listening on ") {
                addr = Some(value.trim().parse()?);
                break;
            } else if kind == Kind::Reference && line.contains("running at") {
                break;
            }
        }
        // Keep reading its output so that logging never blocks it.
        let drain = tokio::spawn(async move { while let Ok(Some(_line)) = lines.next_line().await {} });
        let addr = addr.ok_or_else(|| anyhow!("no listening address"))?;
        if kind != Kind::Reference && token.is_none() {
            bail!("our relay printed no owner token");
        }
        Ok(Self { kind, child, pid, addr, token, data_dir, rooms_made: 0, drain })
    }

    fn rss_kib(&self) -> u64 {
        rss_kib(&self.pid)
    }

    /// A new room's WebSocket URL.
    async fn new_room(&mut self) -> Result<String> {
        self.rooms_made += 1;
        match self.kind {
            Kind::Reference => Ok(format!("ws://{}/bench-room-{}", self.addr, self.rooms_made)),
            Kind::Ours => {
                let token = self.token.clone().unwrap_or_default();
                let created = http_post_json(
                    self.addr,
                    "/api/rooms",
                    &token,
                    &format!(r#"{{"name":"bench {}"}}"#, self.rooms_made),
                )
                .await?;
                let id =
                    created.get("id").and_then(|id| id.as_str()).ok_or_else(|| anyhow!("no room id in {created}"))?;
                Ok(format!("ws://{}/rooms/{id}?token={token}", self.addr))
            }
        }
    }

    async fn stop(mut self) {
        let _already_gone = self.child.start_kill();
        let _exited = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
        self.drain.abort();
        if let Some(dir) = &self.data_dir {
            let _cleaned = std::fs::remove_dir_all(dir);
        }
    }
}

/// A minimal HTTP/1.1 POST (JSON in, JSON out) on loopback.
async fn http_post_json(addr: SocketAddr, path: &str, token: &str, body: &str) -> Result<serde_json::Value> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| anyhow!("malformed HTTP response"))?;
    if !head.starts_with("HTTP/1.1 2") {
        bail!("POST {path}: {}", head.lines().next().unwrap_or_default());
    }
    Ok(serde_json::from_str(body)?)
}

async fn connect(url: &str) -> Result<Ws> {
    let config = WebSocketConfig::default().read_buffer_size(16 * 1024).max_message_size(Some(64 << 20));
    let (ws, _response) = tokio_tungstenite::connect_async_with_config(url, Some(config), true).await?;
    Ok(ws)
}

// ---------------------------------------------------------------- load clients

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Phase {
    Paused,
    Sending,
    Stop,
}

/// One client's counters, shared with the controller and with the room's measurers.
struct ClientStats {
    sent: AtomicU64,
    /// Update messages from other clients.
    received: AtomicU64,
    /// The client's own updates sent back to it (the reference does that).
    echoed: AtomicU64,
    /// Send time (ns since the fleet's epoch, 0 = none) by clock % RING.
    sent_at: Box<[AtomicU64]>,
    /// Latencies measured by this client (µs), if it is a measurer.
    latencies: Mutex<Vec<u32>>,
}

impl ClientStats {
    fn new() -> Self {
        Self {
            sent: AtomicU64::new(0),
            received: AtomicU64::new(0),
            echoed: AtomicU64::new(0),
            sent_at: (0..RING).map(|_| AtomicU64::new(0)).collect(),
            latencies: Mutex::new(Vec::new()),
        }
    }
}

/// A room's clients have ids `base_id + index`.
struct RoomShared {
    base_id: u64,
    clients: Vec<Arc<ClientStats>>,
}

struct Shared {
    epoch: Instant,
    ready: AtomicUsize,
    errors: AtomicUsize,
    misses: AtomicU64,
}

impl Shared {
    fn now_nanos(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX - 1) + 1
    }
}

#[derive(Clone, Copy, Default, Debug)]
struct Totals {
    sent: u64,
    received: u64,
    echoed: u64,
}

/// The generator's clients on one target.
struct Fleet {
    shared: Arc<Shared>,
    phase: watch::Sender<Phase>,
    rooms: Vec<Arc<RoomShared>>,
    tasks: Vec<JoinHandle<()>>,
    next_id: u64,
    measurers: usize,
}

impl Fleet {
    fn new(measurers: usize) -> Self {
        let shared = Arc::new(Shared {
            epoch: Instant::now(),
            ready: AtomicUsize::new(0),
            errors: AtomicUsize::new(0),
            misses: AtomicU64::new(0),
        });
        Self {
            shared,
            phase: watch::channel(Phase::Paused).0,
            rooms: Vec::new(),
            tasks: Vec::new(),
            next_id: 1,
            measurers,
        }
    }

    fn clients(&self) -> usize {
        self.tasks.len()
    }

    /// Creates `rooms` rooms of `size` clients, connects them and waits for every handshake.
    async fn add_rooms(&mut self, target: &mut Target, rooms: usize, size: usize) -> Result<()> {
        let mut pending = Vec::new();
        for _ in 0..rooms {
            let url = target.new_room().await?;
            let room = Arc::new(RoomShared {
                base_id: self.next_id,
                clients: (0..size).map(|_| Arc::new(ClientStats::new())).collect(),
            });
            self.next_id += size as u64;
            self.rooms.push(room.clone());
            for index in 0..size {
                pending.push((url.clone(), room.clone(), index));
            }
        }
        let expected = self.tasks.len() + pending.len();
        let shared = self.shared.clone();
        let phase = self.phase.clone();
        let measurers = self.measurers;
        let connected: Vec<Result<JoinHandle<()>>> =
            futures_util::stream::iter(pending.into_iter().map(|(url, room, index)| {
                let shared = shared.clone();
                let phase = phase.subscribe();
                async move {
                    let ws = connect(&url).await?;
                    Ok(tokio::spawn(client_task(ws, room, index, index < measurers, shared, phase)))
                }
            }))
            .buffer_unordered(64)
            .collect()
            .await;
        for handle in connected {
            self.tasks.push(handle?);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.shared.ready.load(Ordering::Acquire) < expected {
            if Instant::now() > deadline {
                bail!(
                    "only {} of {expected} clients finished the handshake in 60 s",
                    self.shared.ready.load(Ordering::Acquire)
                );
            }
            if self.shared.errors.load(Ordering::Relaxed) > 0 {
                bail!("{} connections failed during the handshake", self.shared.errors.load(Ordering::Relaxed));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Ok(())
    }

    fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for client in self.rooms.iter().flat_map(|room| room.clients.iter()) {
            totals.sent += client.sent.load(Ordering::Relaxed);
            totals.received += client.received.load(Ordering::Relaxed);
            totals.echoed += client.echoed.load(Ordering::Relaxed);
        }
        totals
    }

    fn take_latencies(&self) -> Vec<u32> {
        let mut all = Vec::new();
        for client in self.rooms.iter().flat_map(|room| room.clients.iter()) {
            all.append(&mut lock(&client.latencies));
        }
        all
    }

    async fn stop(self) {
        self.phase.send_replace(Phase::Stop);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
        for mut task in self.tasks {
            if tokio::time::timeout_at(deadline, &mut task).await.is_err() {
                task.abort();
            }
        }
    }
}

async fn next_tick(ticker: &mut Option<tokio::time::Interval>) {
    match ticker {
        Some(ticker) => {
            ticker.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// The client id and clock of an update's first block (v1 encoding:
/// `numClients, numStructs, client, clock, …`).
fn first_block(update: &[u8]) -> Option<(u64, u64)> {
    let mut reader = Reader::new(update);
    if reader.var_uint().ok()? == 0 {
        return None;
    }
    let _structs = reader.var_uint().ok()?;
    let client = reader.var_uint().ok()?;
    let clock = reader.var_uint().ok()?;
    Some((client, clock))
}

fn apply(doc: &Doc, update: &[u8]) {
    if let Ok(update) = Update::decode_v1(update) {
        let _applied = doc.transact_mut().apply_update(update);
    }
}

async fn client_task(
    mut ws: Ws,
    room: Arc<RoomShared>,
    index: usize,
    measure: bool,
    shared: Arc<Shared>,
    mut phase: watch::Receiver<Phase>,
) {
    let stats = room.clients[index].clone();
    let my_id = room.base_id + index as u64;
    let doc =
        Doc::with_options(Options { offset_kind: OffsetKind::Bytes, ..Options::with_client_id(ClientID::new(my_id)) });
    let text = doc.get_or_insert_text("doc");
    let failed = |phase: &watch::Receiver<Phase>| {
        if *phase.borrow() != Phase::Stop {
            shared.errors.fetch_add(1, Ordering::Relaxed);
        }
    };
    let hello = Message::SyncStep1(doc.transact().state_vector().encode_v1()).encode();
    if ws.send(WsMessage::Binary(hello.into())).await.is_err() {
        return failed(&phase);
    }
    let mut ready = false;
    let mut seq: u64 = 0;
    let mut ticker: Option<tokio::time::Interval> = None;
    loop {
        tokio::select! {
            frame = ws.next() => {
                let bytes = match frame {
                    Some(Ok(WsMessage::Binary(bytes))) => bytes,
                    Some(Ok(WsMessage::Close(_)) | Err(_)) | None => return failed(&phase),
                    Some(Ok(_)) => continue,
                };
                let reply = on_frame(&bytes, my_id, measure, &doc, &room, &stats, &shared, &mut ready);
                if let Some(reply) = reply {
                    if ws.send(WsMessage::Binary(reply.into())).await.is_err() {
                        return failed(&phase);
                    }
                }
            }
            changed = phase.changed() => {
                if changed.is_err() {
                    return;
                }
                let now = *phase.borrow_and_update();
                match now {
                    Phase::Sending => {
                        // A random phase spreads the clients' keystrokes over the tick.
                        let offset = Duration::from_micros(rand::random_range(0..TICK.as_micros() as u64));
                        ticker = Some(tokio::time::interval_at(tokio::time::Instant::now() + offset, TICK));
                    }
                    Phase::Paused => ticker = None,
                    Phase::Stop => {
                        let _closing = tokio::time::timeout(Duration::from_secs(1), ws.close(None)).await;
                        return;
                    }
                }
            }
            () = next_tick(&mut ticker) => {
                let update = keystroke(&doc, &text, seq);
                let frame = Message::Update(update).encode();
                stats.sent_at[(seq % RING as u64) as usize].store(shared.now_nanos(), Ordering::Release);
                if ws.send(WsMessage::Binary(frame.into())).await.is_err() {
                    return failed(&phase);
                }
                seq += 1;
                stats.sent.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// One character appended to the text, as one transaction; its update.
fn keystroke(doc: &Doc, text: &TextRef, seq: u64) -> Vec<u8> {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    let letter = LETTERS[(seq % LETTERS.len() as u64) as usize];
    let mut txn = doc.transact_mut();
    let end = text.len(&txn);
    text.insert(&mut txn, end, std::str::from_utf8(&[letter]).unwrap_or("x"));
    txn.encode_update_v1()
}

/// Handles one frame; returns a frame to send back, if any.
#[allow(clippy::too_many_arguments)]
fn on_frame(
    bytes: &[u8],
    my_id: u64,
    measure: bool,
    doc: &Doc,
    room: &RoomShared,
    stats: &ClientStats,
    shared: &Shared,
    ready: &mut bool,
) -> Option<Vec<u8>> {
    let mut reader = Reader::new(bytes);
    if reader.var_uint().ok()? != 0 {
        return None; // awareness and the rest: not used here
    }
    let kind = reader.var_uint().ok()?;
    let payload = reader.var_bytes().ok()?;
    match kind {
        0 => {
            // The relay's sync step 1: answer with what it lacks.
            let state_vector = StateVector::decode_v1(payload).ok()?;
            let diff = doc.transact().encode_diff_v1(&state_vector);
            Some(Message::SyncStep2(diff).encode())
        }
        1 => {
            if measure {
                apply(doc, payload);
            }
            if !*ready {
                *ready = true;
                shared.ready.fetch_add(1, Ordering::Release);
            }
            None
        }
        2 => {
            if payload == EMPTY_UPDATE {
                return None;
            }
            let block = first_block(payload);
            if block.is_some_and(|(client, _)| client == my_id) {
                stats.echoed.fetch_add(1, Ordering::Relaxed);
                return None;
            }
            stats.received.fetch_add(1, Ordering::Relaxed);
            if measure {
                let now = shared.now_nanos();
                let sent = block.and_then(|(client, clock)| {
                    let sender = room.clients.get(usize::try_from(client.checked_sub(room.base_id)?).ok()?)?;
                    Some(sender.sent_at[(clock % RING as u64) as usize].load(Ordering::Acquire))
                });
                match sent {
                    Some(sent) if sent != 0 && now >= sent => {
                        let micros = u32::try_from((now - sent) / 1000).unwrap_or(u32::MAX);
                        lock(&stats.latencies).push(micros);
                    }
                    _ => {
                        shared.misses.fetch_add(1, Ordering::Relaxed);
                    }
                }
                apply(doc, payload);
            }
            None
        }
        _ => None,
    }
}

// ---------------------------------------------------------------- ramp

#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    Pass,
    Fail(String),
    /// The generator sent less than 10/s per client: no conclusion about the relay.
    GeneratorLimited,
}

#[derive(Clone, Debug)]
struct Step {
    rooms: usize,
    size: usize,
    secs: f64,
    sent: u64,
    delivered: u64,
    echoed: u64,
    expected: u64,
    p50: f64,
    p99: f64,
    max: f64,
    samples: usize,
    cpu: CpuUse,
    rss_kib: u64,
    verdict: Verdict,
}

impl Step {
    fn clients(&self) -> usize {
        self.rooms * self.size
    }
    fn delivered_per_sec(&self) -> f64 {
        self.delivered as f64 / self.secs
    }
    fn ratio(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            self.delivered as f64 / self.expected as f64
        }
    }
    fn send_share(&self) -> f64 {
        self.sent as f64 / (self.clients() as f64 * self.secs * RATE as f64)
    }
}

fn print_step_header() {
    println!(
        "  {:<9} {:>5} {:>6} {:>8} {:>10} {:>8} {:>7} {:>7} {:>7} {:>6} {:>11} {:>6} {:>8}  verdict",
        "target",
        "rooms",
        "conns",
        "sent/s",
        "deliv/s",
        "deliv%",
        "p50ms",
        "p99ms",
        "maxms",
        "gen%",
        "tgt% u+s",
        "oth%",
        "tgtRSS"
    );
}

fn print_step(kind: Kind, step: &Step) {
    let mut verdict = match &step.verdict {
        Verdict::Pass => "ok".to_owned(),
        Verdict::Fail(why) => format!("FAIL: {why}"),
        Verdict::GeneratorLimited => format!("GENERATOR-LIMITED (sent {:.1}% of 10/s)", step.send_share() * 100.0),
    };
    if step.echoed > 0 {
        // The reference also sends every update back to its sender (not counted as delivered).
        verdict.push_str(&format!("  (+{} echoes/s to senders)", thousands(step.echoed as f64 / step.secs)));
    }
    println!(
        "  {:<9} {:>5} {:>6} {:>8} {:>10} {:>8.3} {:>7} {:>7} {:>7} {:>6.0} {:>5.0}+{:<5.0} {:>6.0} {:>6}Mi  {}",
        kind.name(),
        step.rooms,
        step.clients(),
        thousands(step.sent as f64 / step.secs),
        thousands(step.delivered_per_sec()),
        step.ratio() * 100.0,
        ms(step.p50),
        ms(step.p99),
        ms(step.max),
        step.cpu.generator,
        step.cpu.target_user,
        step.cpu.target_sys,
        step.cpu.others(),
        step.rss_kib / 1024,
        verdict
    );
}

/// One step: everyone sends for `secs`, then pauses until all is delivered (≤ 2 s).
async fn run_step(fleet: &Fleet, target: &Target, size: usize, secs: f64, ticks: f64) -> Step {
    let before = fleet.totals();
    let _stale = fleet.take_latencies();
    let errors_before = fleet.shared.errors.load(Ordering::Relaxed);
    let start = sample(&target.pid);
    fleet.phase.send_replace(Phase::Sending);
    tokio::time::sleep(Duration::from_secs_f64(secs)).await;
    fleet.phase.send_replace(Phase::Paused);
    let end = sample(&target.pid);
    let drain_until = Instant::now() + Duration::from_secs(2);
    let (mut sent, mut delivered, mut echoed);
    loop {
        let now = fleet.totals();
        sent = now.sent - before.sent;
        delivered = now.received - before.received;
        echoed = now.echoed - before.echoed;
        if (delivered >= sent * (size as u64 - 1) && Instant::now() > end.at + Duration::from_millis(50))
            || Instant::now() > drain_until
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut latencies = fleet.take_latencies();
    latencies.sort_unstable();
    let errors = fleet.shared.errors.load(Ordering::Relaxed) - errors_before;
    let mut step = Step {
        rooms: fleet.rooms.len(),
        size,
        secs,
        sent,
        delivered,
        echoed,
        expected: sent * (size as u64 - 1),
        p50: percentile(&latencies, 0.50),
        p99: percentile(&latencies, 0.99),
        max: latencies.last().map_or(f64::NAN, |max| f64::from(*max) / 1000.0),
        samples: latencies.len(),
        cpu: CpuUse::between(&start, &end, ticks),
        rss_kib: target.rss_kib(),
        verdict: Verdict::Pass,
    };
    step.verdict = if errors > 0 {
        Verdict::Fail(format!("{errors} connections dropped"))
    } else if step.samples == 0 {
        Verdict::Fail("no latency samples".into())
    } else if step.ratio() < MIN_DELIVERED {
        Verdict::Fail(format!("{:.3}% delivered", step.ratio() * 100.0))
    } else if step.p99 >= P99_LIMIT_MS {
        Verdict::Fail(format!("p99 {:.1} ms", step.p99))
    } else if step.send_share() < MIN_SEND_SHARE {
        Verdict::GeneratorLimited
    } else {
        Verdict::Pass
    };
    step
}

struct Series {
    kind: Kind,
    size: usize,
    steps: Vec<Step>,
    base_rss_kib: u64,
    /// Why the ramp ended.
    ended: String,
}

impl Series {
    /// The highest passing step.
    fn best(&self) -> Option<&Step> {
        self.steps.iter().rev().find(|step| step.verdict == Verdict::Pass)
    }
}

async fn ramp(kind: Kind, size: usize, opts: &Opts, ticks: f64) -> Result<Series> {
    let mut target = Target::start(kind, opts).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base_rss_kib = target.rss_kib();
    let mut fleet = Fleet::new(opts.measurers.min(size));
    let mut steps = Vec::new();
    let mut ended = "ramp exhausted (no failure up to the largest step)".to_owned();
    for rooms in opts.steps(size) {
        let add = rooms.saturating_sub(fleet.rooms.len());
        if let Err(error) = fleet.add_rooms(&mut target, add, size).await {
            println!("  {:<9} {rooms:>5} rooms: could not connect: {error:#}", kind.name());
            ended = format!("connecting {rooms} rooms failed: {error:#}");
            break;
        }
        // Let the handshake traffic settle.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let step = run_step(&fleet, &target, size, opts.step_secs(), ticks).await;
        print_step(kind, &step);
        let verdict = step.verdict.clone();
        steps.push(step);
        match verdict {
            Verdict::Pass => {}
            Verdict::Fail(why) => {
                ended = format!("failed at {rooms} rooms ({why})");
                break;
            }
            Verdict::GeneratorLimited => {
                ended = format!("generator-limited at {rooms} rooms: the relay's limit is higher than measured");
                break;
            }
        }
    }
    let misses = fleet.shared.misses.load(Ordering::Relaxed);
    if misses > 0 {
        println!("  ({misses} latency samples had no send time)");
    }
    fleet.stop().await;
    target.stop().await;
    Ok(Series { kind, size, steps, base_rss_kib, ended })
}

/// One step of `rooms` rooms on a fresh target (OUR p99 at the reference's limit load).
async fn single_step(kind: Kind, size: usize, rooms: usize, opts: &Opts, ticks: f64) -> Result<Step> {
    let mut target = Target::start(kind, opts).await?;
    let mut fleet = Fleet::new(opts.measurers.min(size));
    let result = fleet.add_rooms(&mut target, rooms, size).await;
    let step = match result {
        Ok(()) => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Ok(run_step(&fleet, &target, size, opts.step_secs(), ticks).await)
        }
        Err(error) => Err(error),
    };
    fleet.stop().await;
    target.stop().await;
    step
}

// ---------------------------------------------------------------- idle

struct Idle {
    conns: usize,
    base_rss_kib: u64,
    rss_kib: u64,
    connect_cpu_secs: f64,
    connect_secs: f64,
    idle: CpuUse,
    idle_secs: f64,
    generator_rss_kib: u64,
}

impl Idle {
    fn kib_per_conn(&self) -> f64 {
        (self.rss_kib as f64 - self.base_rss_kib as f64) / self.conns as f64
    }
    /// Target CPU per idle connection, µs per second.
    fn idle_us_per_conn_sec(&self) -> f64 {
        self.idle.target_secs * 1e6 / self.idle_secs / self.conns as f64
    }
}

async fn idle(kind: Kind, opts: &Opts, ticks: f64) -> Result<Idle> {
    let rooms = opts.idle_rooms.max(1);
    let per_room = (opts.idle_conns() / rooms).max(1);
    let mut target = Target::start(kind, opts).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let base_rss_kib = target.rss_kib();
    let mut fleet = Fleet::new(0);
    let start = sample(&target.pid);
    let connected = fleet.add_rooms(&mut target, rooms, per_room).await;
    let connected_at = sample(&target.pid);
    if let Err(error) = connected {
        fleet.stop().await;
        target.stop().await;
        return Err(error.context(format!("{}: {} idle connections", kind.name(), rooms * per_room)));
    }
    tokio::time::sleep(Duration::from_secs_f64(opts.idle_secs)).await;
    let end = sample(&target.pid);
    let result = Idle {
        conns: fleet.clients(),
        base_rss_kib,
        rss_kib: target.rss_kib(),
        connect_cpu_secs: CpuUse::between(&start, &connected_at, ticks).target_secs,
        connect_secs: connected_at.at.duration_since(start.at).as_secs_f64(),
        idle: CpuUse::between(&connected_at, &end, ticks),
        idle_secs: end.at.duration_since(connected_at.at).as_secs_f64(),
        generator_rss_kib: rss_kib("self"),
    };
    let errors = fleet.shared.errors.load(Ordering::Relaxed);
    fleet.stop().await;
    target.stop().await;
    if errors > 0 {
        bail!("{}: {errors} idle connections dropped", kind.name());
    }
    Ok(result)
}

// ---------------------------------------------------------------- trace replay

#[derive(Deserialize)]
struct TraceFile {
    #[serde(rename = "startContent")]
    start_content: String,
    #[serde(rename = "endContent")]
    end_content: String,
    txns: Vec<TraceTxn>,
}

#[derive(Deserialize)]
struct TraceTxn {
    patches: Vec<(u32, u32, String)>,
}

struct Trace {
    start: String,
    patches: Vec<(u32, u32, String)>,
    /// The text after the replayed patches.
    end: String,
    total_patches: usize,
}

fn load_trace(path: &Path, limit: Option<usize>) -> Result<Trace> {
    let file = std::fs::File::open(path).with_context(|| format!("open {}", path.display()))?;
    let mut json = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(file), &mut json)?;
    let trace: TraceFile = serde_json::from_str(&json).context("parse the trace")?;
    if !trace.start_content.is_ascii() || !trace.end_content.is_ascii() {
        bail!("the trace is not ASCII-only");
    }
    let mut patches: Vec<_> = trace.txns.into_iter().flat_map(|txn| txn.patches).collect();
    let total_patches = patches.len();
    let end = match limit {
        Some(limit) if limit < patches.len() => {
            patches.truncate(limit);
            // The expected text after a prefix: replay into a plain string (ASCII: chars are bytes).
            let mut text = trace.start_content.clone();
            for (pos, del, ins) in &patches {
                let (pos, del) = (*pos as usize, *del as usize);
                text.replace_range(pos..pos + del, ins);
            }
            text
        }
        _ => trace.end_content,
    };
    Ok(Trace { start: trace.start_content, patches, end, total_patches })
}

/// Bytes of one WebSocket frame with `payload` bytes (client frames are masked).
fn frame_bytes(payload: usize, masked: bool) -> u64 {
    let header = if payload < 126 {
        2
    } else if payload < 65_536 {
        4
    } else {
        10
    };
    (header + if masked { 4 } else { 0 } + payload) as u64
}

#[derive(Default)]
struct Wire {
    frames: AtomicU64,
    bytes: AtomicU64,
}

impl Wire {
    fn add(&self, payload: usize, masked: bool) {
        self.frames.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(frame_bytes(payload, masked), Ordering::Relaxed);
    }
    fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
    fn frames(&self) -> u64 {
        self.frames.load(Ordering::Relaxed)
    }
}

struct Replay {
    ops: usize,
    updates: u64,
    send_secs: f64,
    /// Until the last update reached the receiver.
    delivered_secs: f64,
    /// Until the receiver had applied the last update.
    applied_secs: f64,
    sender_out: u64,
    sender_in: u64,
    sender_in_frames: u64,
    receiver_in: u64,
    receiver_out: u64,
    doc_v1: usize,
    doc_v2: usize,
    text_len: usize,
    cpu: CpuUse,
    rss_kib: u64,
}

impl Replay {
    fn wire(&self) -> u64 {
        self.sender_out + self.sender_in + self.receiver_in + self.receiver_out
    }
}

/// The trace as update frames, one yrs transaction per patch, made before
/// anything is timed (the same bytes go to every relay).
struct Encoded {
    frames: Vec<Vec<u8>>,
    encode_secs: f64,
}

const SENDER_ID: u64 = 2;
const RECEIVER_ID: u64 = 1;

fn trace_doc(id: u64) -> Doc {
    Doc::with_options(Options { offset_kind: OffsetKind::Bytes, ..Options::with_client_id(ClientID::new(id)) })
}

fn encode_trace(trace: &Trace) -> Result<Encoded> {
    let started = Instant::now();
    let doc = trace_doc(SENDER_ID);
    let text = doc.get_or_insert_text("doc");
    let mut edits: Vec<(u32, u32, &str)> = Vec::with_capacity(trace.patches.len() + 1);
    if !trace.start.is_empty() {
        edits.push((0, 0, trace.start.as_str()));
    }
    edits.extend(trace.patches.iter().map(|(pos, del, ins)| (*pos, *del, ins.as_str())));
    let mut frames = Vec::with_capacity(edits.len());
    for (pos, del, ins) in edits {
        let update = {
            let mut txn = doc.transact_mut();
            if del > 0 {
                text.remove_range(&mut txn, pos, del);
            }
            if !ins.is_empty() {
                text.insert(&mut txn, pos, ins);
            }
            txn.encode_update_v1()
        };
        if update != EMPTY_UPDATE {
            frames.push(Message::Update(update).encode());
        }
    }
    let encode_secs = started.elapsed().as_secs_f64();
    let sender_text = text.get_string(&doc.transact());
    if sender_text != trace.end {
        bail!(
            "the sender's text differs from the trace's expected text ({} vs {} chars)",
            sender_text.len(),
            trace.end.len()
        );
    }
    Ok(Encoded { frames, encode_secs })
}

/// Sends sync step 1, answers the relay's step 1, and returns once its step 2 arrived.
async fn handshake(ws: &mut Ws, doc: &Doc, wire_out: &Wire, wire_in: &Wire) -> Result<()> {
    let hello = Message::SyncStep1(doc.transact().state_vector().encode_v1()).encode();
    wire_out.add(hello.len(), true);
    ws.send(WsMessage::Binary(hello.into())).await?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let frame = tokio::time::timeout_at(deadline, ws.next()).await.map_err(|_| anyhow!("handshake timed out"))?;
        let bytes = match frame {
            Some(Ok(WsMessage::Binary(bytes))) => bytes,
            Some(Ok(_)) => continue,
            Some(Err(error)) => return Err(error.into()),
            None => bail!("closed during the handshake"),
        };
        wire_in.add(bytes.len(), false);
        match Message::decode(&bytes)? {
            Message::SyncStep1(state_vector) => {
                let diff = doc.transact().encode_diff_v1(&StateVector::decode_v1(&state_vector)?);
                let reply = Message::SyncStep2(diff).encode();
                wire_out.add(reply.len(), true);
                ws.send(WsMessage::Binary(reply.into())).await?;
            }
            Message::SyncStep2(update) => {
                if update != EMPTY_UPDATE {
                    apply(doc, &update);
                }
                return Ok(());
            }
            _ => {}
        }
    }
}

async fn replay(kind: Kind, trace: &Trace, encoded: &Encoded, opts: &Opts, ticks: f64) -> Result<Replay> {
    let mut target = Target::start(kind, opts).await?;
    let result = replay_on(&mut target, trace, encoded, ticks).await;
    target.stop().await;
    result
}

async fn replay_on(target: &mut Target, trace: &Trace, encoded: &Encoded, ticks: f64) -> Result<Replay> {
    let url = target.new_room().await?;
    let (sender_out, sender_in, receiver_in, receiver_out) =
        (Arc::new(Wire::default()), Arc::new(Wire::default()), Arc::new(Wire::default()), Arc::new(Wire::default()));

    // The receiver: a reader that notes arrivals, and an applier that applies
    // every update into the receiver's own document, one transaction each.
    let receiver_doc = trace_doc(RECEIVER_ID);
    let mut receiver_ws = connect(&url).await?;
    handshake(&mut receiver_ws, &receiver_doc, &receiver_out, &receiver_in).await?;
    let (arrived, applied) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (last_arrival, last_apply) = (Arc::new(Mutex::new(Instant::now())), Arc::new(Mutex::new(Instant::now())));
    let (stop_tx, mut stop_rx) = watch::channel(false);
    let (to_apply, mut apply_queue) = tokio::sync::mpsc::unbounded_channel();
    let reader = {
        let (arrived, last_arrival, receiver_in) = (arrived.clone(), last_arrival.clone(), receiver_in.clone());
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    frame = receiver_ws.next() => match frame {
                        Some(Ok(WsMessage::Binary(bytes))) => {
                            receiver_in.add(bytes.len(), false);
                            if bytes.starts_with(&[0, 2]) && bytes[2..] != [2, 0, 0] {
                                *lock(&last_arrival) = Instant::now();
                                arrived.fetch_add(1, Ordering::Release);
                                if to_apply.send(bytes).is_err() {
                                    break;
                                }
                            }
                        }
                        Some(Ok(_)) => {}
                        Some(Err(_)) | None => break,
                    },
                    _ = stop_rx.changed() => break,
                }
            }
            let _closing = receiver_ws.close(None).await;
        })
    };
    let applier = {
        let (applied, last_apply) = (applied.clone(), last_apply.clone());
        tokio::spawn(async move {
            while let Some(bytes) = apply_queue.recv().await {
                if let Ok(Message::Update(update)) = Message::decode(&bytes) {
                    apply(&receiver_doc, &update);
                }
                *lock(&last_apply) = Instant::now();
                applied.fetch_add(1, Ordering::Release);
            }
            receiver_doc
        })
    };

    // The sender: the pre-encoded updates, as fast as the socket takes them.
    let sender_doc = trace_doc(SENDER_ID);
    let mut sender_ws = connect(&url).await?;
    handshake(&mut sender_ws, &sender_doc, &sender_out, &sender_in).await?;
    let (mut sink, mut stream) = sender_ws.split();
    let sender_reader = {
        let sender_in = sender_in.clone();
        // Drain what the relay sends back (the reference echoes every update).
        tokio::spawn(async move {
            while let Some(Ok(frame)) = stream.next().await {
                if let WsMessage::Binary(bytes) = frame {
                    sender_in.add(bytes.len(), false);
                }
            }
        })
    };
    let start_sample = sample(&target.pid);
    let started = Instant::now();
    let updates = encoded.frames.len() as u64;
    for (index, frame) in encoded.frames.iter().enumerate() {
        sender_out.add(frame.len(), true);
        sink.feed(WsMessage::Binary(frame.clone().into())).await?;
        if index % 64 == 63 {
            sink.flush().await?;
        }
    }
    sink.flush().await?;
    let send_secs = started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(600);
    while applied.load(Ordering::Acquire) < updates {
        if Instant::now() > deadline || (reader.is_finished() && arrived.load(Ordering::Acquire) < updates) {
            bail!(
                "the receiver got {} and applied {} of {updates} updates",
                arrived.load(Ordering::Acquire),
                applied.load(Ordering::Acquire)
            );
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let delivered_secs = lock(&last_arrival).duration_since(started).as_secs_f64();
    let applied_secs = lock(&last_apply).duration_since(started).as_secs_f64();
    let end_sample = sample(&target.pid);
    let rss_kib = target.rss_kib();
    stop_tx.send_replace(true);
    let _reader_done = reader.await;
    let receiver_doc = applier.await?;
    let _closing = sink.close().await;
    sender_reader.abort();

    let receiver_text = receiver_doc.get_or_insert_text("doc").get_string(&receiver_doc.transact());
    if receiver_text != trace.end {
        bail!(
            "the receiver's text differs from the expected text ({} vs {} chars)",
            receiver_text.len(),
            trace.end.len()
        );
    }
    let (doc_v1, doc_v2) = {
        let txn = receiver_doc.transact();
        (
            txn.encode_state_as_update_v1(&StateVector::default()).len(),
            txn.encode_state_as_update_v2(&StateVector::default()).len(),
        )
    };
    Ok(Replay {
        ops: trace.patches.len(),
        updates,
        send_secs,
        delivered_secs,
        applied_secs,
        sender_out: sender_out.bytes(),
        sender_in: sender_in.bytes(),
        sender_in_frames: sender_in.frames(),
        receiver_in: receiver_in.bytes(),
        receiver_out: receiver_out.bytes(),
        doc_v1,
        doc_v2,
        text_len: receiver_text.len(),
        cpu: CpuUse::between(&start_sample, &end_sample, ticks),
        rss_kib,
    })
}

// ---------------------------------------------------------------- main flow

fn ratio(ours: f64, reference: f64) -> String {
    if ours.is_finite() && reference.is_finite() && reference > 0.0 {
        format!("x{:.2}", ours / reference)
    } else {
        "-".into()
    }
}

fn fd_limit() -> String {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|line| line.starts_with("Max open files"))
                .map(|line| line.split_whitespace().skip(3).take(2).collect::<Vec<_>>().join("/"))
        })
        .unwrap_or_else(|| "?".into())
}

/// Busy CPU of the whole machine over 1 s (% of one core), waiting up to `secs` for it to drop under 15%.
async fn wait_quiet(secs: f64) -> f64 {
    let deadline = Instant::now() + Duration::from_secs_f64(secs);
    loop {
        let (busy0, total0) = machine_cpu();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (busy1, total1) = machine_cpu();
        let busy = (busy1 - busy0) as f64 / (total1 - total0).max(1) as f64 * 100.0 * cores();
        if busy < 15.0 || Instant::now() > deadline {
            return busy;
        }
    }
}

async fn run(opts: Opts) -> Result<()> {
    let began = Instant::now();
    let ticks = clock_ticks();
    let kinds = opts.kinds();
    println!(
        "relay-bench{}: {} cores, fd limit (soft/hard) {}",
        if opts.quick { " --quick" } else { "" },
        cores(),
        fd_limit()
    );
    println!(
        "clients send one-character yrs updates at {RATE}/s; {} measurer(s) per room apply and time them; \
         ramp steps of {:.1} s; pass = p99 < {P99_LIMIT_MS} ms and >= {:.1}% delivered",
        opts.measurers,
        opts.step_secs(),
        MIN_DELIVERED * 100.0
    );
    println!(
        "CPU columns, % of ONE core ({} cores here): gen% = this generator, tgt% = the relay (user+sys), \
         oth% = every other process on the machine",
        cores()
    );
    let quiet = wait_quiet(opts.wait_quiet).await;
    println!("machine before the run: {quiet:.0}% of one core busy (other processes)");
    if opts.server_bin.is_none() {
        println!("ours = flashfusion_server::start in a child process (relay-bench serve-ours), limits raised");
    }
    println!("reference = node {}", opts.reference_server.display());

    // a. Load ramps.
    let mut series: Vec<Series> = Vec::new();
    if opts.wants("ramp") {
        for size in [10, 25] {
            println!("\n== Ramp: rooms of {size} clients ==");
            print_step_header();
            for &kind in &kinds {
                match ramp(kind, size, &opts, ticks).await {
                    Ok(result) => {
                        println!("  -> {} (rooms of {size}): {}", kind.name(), result.ended);
                        series.push(result);
                    }
                    Err(error) => println!("  -> {} (rooms of {size}): could not run: {error:#}", kind.name()),
                }
            }
        }
    }
    let find = |kind: Kind, size: usize| series.iter().find(|s| s.kind == kind && s.size == size);

    // c. OUR p99 at the reference's own limit load.
    let mut at_ref_limit: Vec<(usize, usize, Option<Step>)> = Vec::new();
    if opts.wants("ramp") && kinds.contains(&Kind::Ours) && kinds.contains(&Kind::Reference) {
        for size in [10, 25] {
            let Some(limit) = find(Kind::Reference, size).and_then(Series::best).map(|step| step.rooms) else {
                continue;
            };
            let from_ramp =
                find(Kind::Ours, size).and_then(|s| s.steps.iter().find(|step| step.rooms == limit)).cloned();
            let step = match from_ramp {
                Some(step) => Some(step),
                None => {
                    println!("\n== Ours at the reference's limit load: {limit} rooms of {size} ==");
                    print_step_header();
                    match single_step(Kind::Ours, size, limit, &opts, ticks).await {
                        Ok(step) => {
                            print_step(Kind::Ours, &step);
                            Some(step)
                        }
                        Err(error) => {
                            println!("  could not run: {error:#}");
                            None
                        }
                    }
                }
            };
            at_ref_limit.push((size, limit, step));
        }
    }

    // b. Idle connections.
    let mut idles: Vec<(Kind, Result<Idle>)> = Vec::new();
    if opts.wants("idle") {
        println!(
            "\n== Idle: {} connections over {} rooms, idle {:.0} s ==",
            opts.idle_conns() / opts.idle_rooms.max(1) * opts.idle_rooms.max(1),
            opts.idle_rooms,
            opts.idle_secs
        );
        for &kind in &kinds {
            let result = idle(kind, &opts, ticks).await;
            match &result {
                Ok(idle) => println!(
                    "  {:<9} conns {:>5}  RSS {:>7} -> {:>7} KiB = {:>6.1} KiB/conn  connect: {:.2} s wall, {:.3} ms relay CPU/conn  \
                     idle: relay {:.2}% of a core = {:.2} µs/s per conn  (generator RSS {} MiB)",
                    kind.name(),
                    idle.conns,
                    idle.base_rss_kib,
                    idle.rss_kib,
                    idle.kib_per_conn(),
                    idle.connect_secs,
                    idle.connect_cpu_secs * 1000.0 / idle.conns as f64,
                    idle.idle.target(),
                    idle.idle_us_per_conn_sec(),
                    idle.generator_rss_kib / 1024
                ),
                Err(error) => println!("  {:<9} could not run: {error:#}", kind.name()),
            }
            idles.push((kind, result));
        }
    }

    // d. Trace replay.
    let mut replays: Vec<(Kind, Result<Replay>)> = Vec::new();
    if opts.wants("trace") {
        match load_trace(&opts.trace, opts.trace_ops()) {
            Ok(trace) => {
                println!(
                    "\n== Trace replay: {} ({} of {} patches, one yrs transaction per patch, peer -> relay -> peer) ==",
                    opts.trace.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default(),
                    thousands(trace.patches.len() as f64),
                    thousands(trace.total_patches as f64)
                );
                println!("  ({TRACE_LICENCE})");
                match encode_trace(&trace) {
                    Ok(encoded) => {
                        println!(
                            "  sender: {} updates encoded beforehand in {:.2} s (yrs, one transaction per patch); \
                             they are then sent as fast as the socket takes them",
                            thousands(encoded.frames.len() as f64),
                            encoded.encode_secs
                        );
                        for &kind in &kinds {
                            let result = replay(kind, &trace, &encoded, &opts, ticks).await;
                            match &result {
                                Ok(r) => println!(
                                    "  {:<9} sent in {:.3} s; relay delivered all after {:.2} s ({} updates/s); receiver applied all after {:.2} s\n            \
                                     wire {} B (sender->relay {} B, relay->sender {} B in {} frames, relay->receiver {} B, receiver->relay {} B)\n            \
                                     final doc {} B v1 / {} B v2, text {} chars == expected text: yes; relay CPU {:.0}% of a core (u {:.0} + s {:.0}), RSS {} MiB",
                                    kind.name(),
                                    r.send_secs,
                                    r.delivered_secs,
                                    thousands(r.updates as f64 / r.delivered_secs),
                                    r.applied_secs,
                                    thousands(r.wire() as f64),
                                    thousands(r.sender_out as f64),
                                    thousands(r.sender_in as f64),
                                    thousands(r.sender_in_frames as f64),
                                    thousands(r.receiver_in as f64),
                                    thousands(r.receiver_out as f64),
                                    thousands(r.doc_v1 as f64),
                                    thousands(r.doc_v2 as f64),
                                    thousands(r.text_len as f64),
                                    r.cpu.target(),
                                    r.cpu.target_user,
                                    r.cpu.target_sys,
                                    r.rss_kib / 1024
                                ),
                                Err(error) => println!("  {:<9} FAILED: {error:#}", kind.name()),
                            }
                            replays.push((kind, result));
                        }
                    }
                    Err(error) => println!("  could not encode the trace: {error:#}"),
                }
            }
            Err(error) => println!("\n== Trace replay: could not load {}: {error:#}", opts.trace.display()),
        }
    }

    // Summary.
    println!("\n== Summary (targets from issue 3) ==");
    println!("  {:<44} {:>22} {:>22} {:>9}  target", "metric", "ours", "reference", "ours/ref");
    let row = |metric: &str, ours: String, reference: String, ratio: String, target: &str| {
        println!("  {metric:<44} {ours:>22} {reference:>22} {ratio:>9}  {target}");
    };
    for size in [10, 25] {
        if !series.iter().any(|s| s.size == size) {
            continue;
        }
        let best = |kind| find(kind, size).and_then(Series::best);
        let (ours, reference) = (best(Kind::Ours), best(Kind::Reference));
        let bounded = |kind| {
            find(kind, size).map_or("", |s| match s.steps.last().map(|step| &step.verdict) {
                Some(Verdict::Fail(_)) => "",
                _ => ">=",
            })
        };
        let rate = |step: Option<&Step>, kind| {
            step.map_or("none passed".to_owned(), |step| {
                format!("{}{} ({}x{})", bounded(kind), thousands(step.delivered_per_sec()), step.rooms, step.size)
            })
        };
        let lat =
            |step: Option<&Step>| step.map_or("-".to_owned(), |step| format!("{} / {} ms", ms(step.p50), ms(step.p99)));
        row(
            &format!("rooms of {size}: delivered msg/s at limit"),
            rate(ours, Kind::Ours),
            rate(reference, Kind::Reference),
            ratio(ours.map_or(f64::NAN, Step::delivered_per_sec), reference.map_or(f64::NAN, Step::delivered_per_sec)),
            &format!(">= x{TARGET_RATIO:.0}"),
        );
        row(&format!("rooms of {size}: p50 / p99 at that load"), lat(ours), lat(reference), String::new(), "");
        let per_room = |kind| {
            find(kind, size).and_then(|s| {
                s.best().map(|step| {
                    format!(
                        "{:.2}% / {:.0} KiB",
                        step.cpu.target() / step.rooms as f64,
                        (step.rss_kib as f64 - s.base_rss_kib as f64) / step.rooms as f64
                    )
                })
            })
        };
        row(
            &format!("rooms of {size}: per loaded room CPU / RSS"),
            per_room(Kind::Ours).unwrap_or_else(|| "-".into()),
            per_room(Kind::Reference).unwrap_or_else(|| "-".into()),
            String::new(),
            "(at the limit load)",
        );
        let per_message = |step: Option<&Step>| {
            step.map_or(f64::NAN, |step| step.cpu.target() / 100.0 * 1e6 / step.delivered_per_sec().max(1.0))
        };
        row(
            &format!("rooms of {size}: relay CPU per delivered msg"),
            micros(per_message(ours)),
            micros(per_message(reference)),
            ratio(per_message(ours), per_message(reference)),
            "(at the limit load; machine-independent-ish)",
        );
        let gen_peak = series
            .iter()
            .filter(|s| s.size == size)
            .flat_map(|s| s.steps.iter())
            .map(|step| step.cpu.generator)
            .fold(0.0_f64, f64::max);
        if gen_peak > 0.0 {
            row(
                &format!("rooms of {size}: generator CPU peak"),
                format!("{gen_peak:.0}% of a core"),
                String::new(),
                String::new(),
                "",
            );
        }
    }
    for (size, limit, step) in &at_ref_limit {
        let value = step.as_ref().map_or("-".to_owned(), |step| {
            format!(
                "{} / {} ms{}",
                ms(step.p50),
                ms(step.p99),
                if step.verdict == Verdict::Pass { "" } else { " (failed step)" }
            )
        });
        let met = step.as_ref().map_or("", |step| if step.p99 < TARGET_P99_AT_REF_LIMIT_MS { "met" } else { "MISSED" });
        row(
            &format!(
                "p50/p99 of ours at ref's limit ({}{limit}x{size})",
                if find(Kind::Reference, *size)
                    .is_some_and(|s| s.steps.last().is_some_and(|step| step.verdict == Verdict::Pass))
                {
                    ">="
                } else {
                    ""
                }
            ),
            value,
            String::new(),
            String::new(),
            &format!("p99 < {TARGET_P99_AT_REF_LIMIT_MS} ms: {met}"),
        );
    }
    let idle_of = |kind| idles.iter().find(|(k, _)| *k == kind).and_then(|(_, r)| r.as_ref().ok());
    if !idles.is_empty() {
        let (ours, reference) = (idle_of(Kind::Ours), idle_of(Kind::Reference));
        let kib = |idle: Option<&Idle>| idle.map_or(f64::NAN, Idle::kib_per_conn);
        let met = if kib(ours) < TARGET_IDLE_KIB { "met" } else { "MISSED" };
        row(
            &format!("idle: RSS per connection ({} conns)", ours.or(reference).map_or(0, |idle| idle.conns)),
            format!("{:.1} KiB", kib(ours)),
            format!("{:.1} KiB", kib(reference)),
            ratio(kib(ours), kib(reference)),
            &format!("< {TARGET_IDLE_KIB} KiB: {met}"),
        );
        let cpu = |idle: Option<&Idle>| {
            idle.map_or("-".to_owned(), |idle| format!("{:.2} µs/s", idle.idle_us_per_conn_sec()))
        };
        row("idle: relay CPU per idle connection", cpu(ours), cpu(reference), String::new(), "");
        let connect = |idle: Option<&Idle>| {
            idle.map_or("-".to_owned(), |idle| format!("{:.3} ms", idle.connect_cpu_secs * 1000.0 / idle.conns as f64))
        };
        row("idle: relay CPU to connect + handshake", connect(ours), connect(reference), String::new(), "");
    }
    let replay_of = |kind| replays.iter().find(|(k, _)| *k == kind).and_then(|(_, r)| r.as_ref().ok());
    if !replays.is_empty() {
        let (ours, reference) = (replay_of(Kind::Ours), replay_of(Kind::Reference));
        let value = |r: Option<&Replay>, f: &dyn Fn(&Replay) -> f64| r.map_or(f64::NAN, f);
        let secs = |r: &Replay| r.delivered_secs;
        let applied = |r: &Replay| r.applied_secs;
        let wire = |r: &Replay| r.wire() as f64;
        let doc = |r: &Replay| r.doc_v1 as f64;
        let ops = ours.or(reference).map_or(0, |r| r.ops);
        row(
            &format!("trace ({} ops): relay delivered all", thousands(ops as f64)),
            format!("{:.2} s", value(ours, &secs)),
            format!("{:.2} s", value(reference, &secs)),
            ratio(value(ours, &secs), value(reference, &secs)),
            "",
        );
        row(
            "trace: receiver applied all",
            format!("{:.2} s", value(ours, &applied)),
            format!("{:.2} s", value(reference, &applied)),
            ratio(value(ours, &applied), value(reference, &applied)),
            "",
        );
        row(
            "trace: bytes on the wire (both ways)",
            thousands(value(ours, &wire)),
            thousands(value(reference, &wire)),
            ratio(value(ours, &wire), value(reference, &wire)),
            "",
        );
        row(
            "trace: final document (v1 state bytes)",
            thousands(value(ours, &doc)),
            thousands(value(reference, &doc)),
            String::new(),
            "",
        );
        println!("  ({TRACE_LICENCE})");
    }
    println!("\nTotal bench time {:.0} s", began.elapsed().as_secs_f64());
    Ok(())
}
