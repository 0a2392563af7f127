//! The collaboration benchmark: replays a real keystroke-by-keystroke editing
//! trace (josephg/editing-traces, CC BY 4.0; default automerge-paper, 259,778
//! patches) through our yrs document, one transaction per patch, the way the
//! app edits a shared file and sends each update. The same replay runs in the
//! real yjs@13 (tests/interop/replay-trace.mjs) on this machine, side by side.
//!
//! Run: `cargo run --release -p flashfusion-collab --bin collab-bench [trace.json.gz]`

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use flashfusion_collab::client::new_doc;
use serde::Deserialize;
use yrs::updates::decoder::Decode;
use yrs::{Doc, GetString, Map, Out, ReadTxn, StateVector, Text, TextPrelim, TextRef, Transact, Update};

const FILE: &str = "paper.tex";
const RUNS: usize = 3;
const LOADS: usize = 5;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trace {
    end_content: String,
    txns: Vec<Txn>,
}

#[derive(Deserialize)]
struct Txn {
    /// `(position, deleted count, inserted text)`, positions in code points.
    patches: Vec<(u32, u32, String)>,
}

/// What both sides measure; yjs's arrive as JSON from the Node script.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Figures {
    replay_ms: f64,
    update_bytes: usize,
    encoded_bytes: usize,
    load_ms: f64,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn milliseconds(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

/// Replays every patch as its own transaction; returns the document, the
/// time taken and the total size of the v1 updates the app would have sent.
fn replay(trace: &Trace) -> Result<(Doc, f64, usize)> {
    let started = Instant::now();
    let doc = new_doc();
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    doc.observe_update_v1("bench", move |_, event| {
        counter.fetch_add(event.update.len(), Ordering::Relaxed);
    })?;
    let files = doc.get_or_insert_map("files");
    let text: TextRef = files.insert(&mut doc.transact_mut(), FILE, TextPrelim::new(""));
    for (position, deleted, inserted) in trace.txns.iter().flat_map(|txn| &txn.patches) {
        let mut txn = doc.transact_mut();
        if *deleted > 0 {
            text.remove_range(&mut txn, *position, *deleted);
        }
        if !inserted.is_empty() {
            text.insert(&mut txn, *position, inserted);
        }
    }
    let elapsed = milliseconds(started);
    check(&text.get_string(&doc.transact()), trace)?;
    Ok((doc, elapsed, sent.load(Ordering::Relaxed)))
}

/// Loads an encoded document into a fresh one, as a peer joining does.
fn load(encoded: &[u8], trace: &Trace) -> Result<f64> {
    let started = Instant::now();
    let doc = new_doc();
    let files = doc.get_or_insert_map("files");
    let mut txn = doc.transact_mut();
    txn.apply_update(Update::decode_v1(encoded)?)?;
    let Some(Out::YText(text)) = files.get(&txn, FILE) else { bail!("the loaded document has no text {FILE}") };
    let elapsed = milliseconds(started);
    check(&text.get_string(&txn), trace)?;
    Ok(elapsed)
}

fn check(text: &str, trace: &Trace) -> Result<()> {
    if text != trace.end_content {
        bail!("the replayed text ({} chars) differs from endContent ({} chars)", text.len(), trace.end_content.len());
    }
    Ok(())
}

fn yjs(root: &Path, trace: &Path) -> Result<Figures> {
    if !root.join("tests/interop/node_modules/yjs").is_dir() {
        bail!("yjs is not installed: run `npm ci` in tests/interop");
    }
    let output = Command::new("node")
        .arg(root.join("tests/interop/replay-trace.mjs"))
        .arg(trace)
        .output()
        .context("could not run `node` (is Node.js on PATH?)")?;
    if !output.status.success() {
        bail!("replay-trace.mjs failed: {}", String::from_utf8_lossy(&output.stderr).trim());
    }
    serde_json::from_slice(&output.stdout).context("parse the output of replay-trace.mjs")
}

fn main() -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize()?;
    let path = match std::env::args_os().nth(1) {
        Some(path) => PathBuf::from(path),
        // The shared bench data sits beside the repository.
        None => root
            .parent()
            .context("the repository has no parent folder")?
            .join("shared/bench-data/editing-traces/ascii_only-automerge-paper.json.gz"),
    };
    let file = File::open(&path).with_context(|| format!("open the trace {}", path.display()))?;
    let trace: Trace = serde_json::from_reader(flate2::read::GzDecoder::new(std::io::BufReader::new(file)))
        .with_context(|| format!("read the trace {}", path.display()))?;
    let patches = trace.txns.iter().map(|txn| txn.patches.len()).sum::<usize>();
    println!("collab-bench: {} ({patches} patches, one transaction each)", path.display());

    let runs = (0..RUNS).map(|_| replay(&trace)).collect::<Result<Vec<_>>>()?;
    let (doc, _, update_bytes) = &runs[0];
    let encoded = doc.transact().encode_state_as_update_v1(&StateVector::default());
    let loads = (0..LOADS).map(|_| load(&encoded, &trace)).collect::<Result<Vec<_>>>()?;
    let ours = Figures {
        replay_ms: median(runs.iter().map(|(_, elapsed, _)| *elapsed).collect()),
        update_bytes: *update_bytes,
        encoded_bytes: encoded.len(),
        load_ms: median(loads),
    };

    println!("text length: {} chars (equals endContent)", trace.end_content.chars().count());
    println!(
        "yrs: replay {:.1} ms (median of {RUNS}), {:.0} patches/s, {} update bytes, encoded doc {} B, load {:.2} ms (median of {LOADS})",
        ours.replay_ms,
        patches as f64 / (ours.replay_ms / 1000.0),
        ours.update_bytes,
        ours.encoded_bytes,
        ours.load_ms
    );
    match yjs(&root, &path) {
        Ok(theirs) => {
            println!("\n{:<22} {:>14} {:>14} {:>9}", "", "ours (yrs)", "yjs@13", "ours/yjs");
            // (name, ours, yjs's, decimals shown)
            let rows = [
                ("replay ms (median)", ours.replay_ms, theirs.replay_ms, 1),
                ("update bytes", ours.update_bytes as f64, theirs.update_bytes as f64, 0),
                ("encoded doc bytes", ours.encoded_bytes as f64, theirs.encoded_bytes as f64, 0),
                ("load ms (median)", ours.load_ms, theirs.load_ms, 2),
            ];
            for (name, ours, theirs, decimals) in rows {
                println!("{name:<22} {ours:>14.decimals$} {theirs:>14.decimals$} {:>9.3}", ours / theirs);
            }
        }
        Err(error) => println!("\nno yjs comparison: {error:#}"),
    }
    Ok(())
}
