//! The assistant benchmark: prints the figures the assistant issue sets
//! targets for, on this machine.
//!
//! - building the context for a generated 5,000-file project (and a 200-file
//!   one) under a 16k-token budget, target < 100 ms;
//! - SSE parsing throughput: the decoder alone, and the whole client path
//!   (loopback HTTP + SSE + JSON chunks) against the local fake provider.
//!
//! The app's share of first byte → first token painted is measured in the
//! real window by `app-bench` (tests/bench/app_bench.rs).
//!
//! Run: `cargo run --release -p flashfusion-assistant --features test-server --bin assistant-bench`

use std::path::Path;
use std::time::{Duration, Instant};

use flashfusion_assistant::context::{self, ContextRequest, OpenFile};
use flashfusion_assistant::provider::{self, ChatMessage, ChatRequest, ProviderConfig, ProviderKind, Role};
use flashfusion_assistant::sse::SseDecoder;
use flashfusion_assistant::test_server::{openai_chunks, FakeProvider, Reply};
use flashfusion_project::confine::ProjectRoot;
use tokio_util::sync::CancellationToken;

type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

const RUNS: usize = 15;
const BUDGET: usize = 16_000;

/// A TypeScript project of `files` modules in folders of 50, each importing
/// two neighbours, with a README, a .gitignore'd build folder and a .env.
fn generate_project(root: &Path, files: usize) -> BenchResult<String> {
    std::fs::write(root.join(".gitignore"), "dist/\n")?;
    std::fs::write(root.join(".env"), "API_KEY=do-not-send\n")?;
    std::fs::create_dir_all(root.join("dist"))?;
    std::fs::write(root.join("dist/bundle.js"), "x".repeat(100_000))?;
    for index in 0..files {
        let folder = root.join(format!("src/feature{:03}", index / 50));
        std::fs::create_dir_all(&folder)?;
        let neighbour = |offset: usize| (index + offset) % 50 + (index / 50) * 50;
        let mut text = format!(
            "import {{ run{a} }} from './module{a:05}';\nimport {{ run{b} }} from './module{b:05}';\n\n",
            a = neighbour(1),
            b = neighbour(2)
        );
        for function in 0..12 {
            text.push_str(&format!(
                "/** Step {function} of module {index}. */\nexport function run{index}_{function}(input: number[]): number {{\n  let total = 0;\n  for (const value of input) {{\n    total += value * {function} - run{a}(value);\n  }}\n  return total;\n}}\n\n",
                a = neighbour(1)
            ));
        }
        text.push_str(&format!("export const run{index} = (x: number) => x + {index};\n"));
        std::fs::write(folder.join(format!("module{index:05}.ts")), text)?;
    }
    Ok(format!("src/feature{:03}/module{:05}.ts", (files / 2) / 50, files / 2))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn bench_context(files: usize) -> BenchResult<()> {
    let dir = tempfile::tempdir()?;
    let open_path = generate_project(dir.path(), files)?;
    let root = ProjectRoot::new(dir.path())?;
    let text = std::fs::read_to_string(dir.path().join(&open_path))?;
    let open = OpenFile { path: open_path, text, selection: None, cursor_line: 10 };
    let history = vec![
        ChatMessage { role: Role::User, content: "What does this module do?".into() },
        ChatMessage { role: Role::Assistant, content: "It sums values in twelve steps. ".repeat(20) },
    ];
    let recent: Vec<String> = vec!["src/feature000/module00001.ts".into(), "src/feature001/module00060.ts".into()];
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..RUNS {
        let started = Instant::now();
        let built = context::build(&ContextRequest {
            root: &root,
            budget: BUDGET,
            instructions: "You are a coding assistant.",
            question: "Why is run slow? Compare with @src/feature000/module00003.ts",
            history: &history,
            open_file: Some(&open),
            recent_files: &recent,
        })?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(built);
    }
    let built = last.ok_or("no runs")?;
    let median = median(&mut times);
    let verdict = if median < 100.0 { "meets" } else { "MISSES" };
    println!(
        "context build, {files:>5} files, 16k budget      {median:>8.1} ms median (p100 {:.1}) target < 100 ms ({:.2}× target, {verdict}); {} tokens in {} items",
        times[times.len() - 1],
        median / 100.0,
        built.summary.total_tokens,
        built.summary.items.len()
    );
    Ok(())
}

fn sse_stream(answer_chars: usize) -> Vec<u8> {
    let text: String = "fn main() { println!(\"hello\"); } ".chars().cycle().take(answer_chars).collect();
    openai_chunks("fake-model", &text, 4, Some((1000, answer_chars as u32 / 4))).concat()
}

fn bench_decoder() {
    let stream = sse_stream(2_000_000);
    let mut times = Vec::new();
    let mut events_seen = 0;
    for _ in 0..RUNS {
        let mut decoder = SseDecoder::new();
        let mut events = Vec::new();
        let started = Instant::now();
        for piece in stream.chunks(4096) {
            decoder.feed(piece, &mut events);
            events_seen = events.len();
        }
        times.push(started.elapsed().as_secs_f64());
    }
    let seconds = median(&mut times);
    println!(
        "SSE decoder alone, 4 KiB reads                 {:>8.0} MB/s, {:.2} M events/s ({} events, {:.1} MB)",
        stream.len() as f64 / seconds / 1e6,
        events_seen as f64 / seconds / 1e6,
        events_seen,
        stream.len() as f64 / 1e6
    );
}

async fn bench_client_path() -> BenchResult<()> {
    let server = FakeProvider::start(ProviderKind::OpenAi, None).await?;
    let chunks = sse_stream(1_000_000);
    let bytes: usize = chunks.len();
    let pieces: Vec<Vec<u8>> = chunks.chunks(16 * 1024).map(<[u8]>::to_vec).collect();
    let http = provider::http_client()?;
    let config = ProviderConfig {
        kind: ProviderKind::OpenAi,
        base_url: server.base_url.clone(),
        model: "fake-model".into(),
        max_output_tokens: 100,
        timeout_seconds: 30,
    };
    let request =
        ChatRequest { system: "s".into(), messages: vec![ChatMessage { role: Role::User, content: "q".into() }] };
    let mut times = Vec::new();
    let mut deltas = 0;
    for _ in 0..5 {
        server.push(Reply::Raw { chunks: pieces.clone(), delay: Duration::ZERO, cut: false });
        deltas = 0;
        let started = Instant::now();
        let completion = provider::stream_chat(&http, &config, None, &request, &CancellationToken::new(), &mut |_| {
            deltas += 1;
        })
        .await?;
        times.push(started.elapsed().as_secs_f64());
        assert_eq!(completion.text.len(), 1_000_000);
    }
    let seconds = median(&mut times);
    println!(
        "client path (HTTP + SSE + JSON), loopback      {:>8.0} MB/s, {:.0} k deltas/s ({} deltas, {:.1} MB)",
        bytes as f64 / seconds / 1e6,
        deltas as f64 / seconds / 1e3,
        deltas,
        bytes as f64 / 1e6
    );
    Ok(())
}

#[tokio::main]
async fn main() -> BenchResult<()> {
    println!("assistant-bench: {RUNS} runs each, release build");
    let started = Instant::now();
    context::count_tokens("warm up the tokenizer");
    println!("tokenizer load (o200k, once per process)       {:>8.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    bench_context(200)?;
    bench_context(5_000)?;
    bench_decoder();
    bench_client_path().await?;
    Ok(())
}
