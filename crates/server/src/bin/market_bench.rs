//! market-bench: the marketplace at catalogue scale, on this machine.
//!
//! 1. Generates N approved templates (default 100 000) straight into a fresh
//!    server's SQLite, in one transaction, through the same full-text
//!    `reindex` the catalog uses. Deterministic (seeded): titles of 2–4
//!    topic words ("stripe dashboard starter"), descriptions and READMEs of
//!    common words with a Zipf-like long tail plus the template's own topic
//!    words, 2–4 tags (popular ones far more often: "react" ends up on a
//!    third of the catalogue), 8 categories, ~20 % paid, skewed downloads.
//! 2. Starts the real server on loopback and measures search over HTTP
//!    (reqwest, sequential, keep-alive, body read and parsed) for a mix of
//!    typical queries, page 1: one word, two words of one title, a word
//!    with a category facet, a tag filter, a word sorted by downloads, and
//!    browsing without text (everything or one category). Prints p50, p95
//!    and p99 per kind and overall against the target (p95 < 10 ms), with
//!    how many templates the queries matched, and apart the searches of a
//!    text for the first time (its bm25 ranking is computed) and again
//!    (the server reuses it until the text index changes).
//! 3. Publishes and downloads a 10 MiB bundle (incompressible files,
//!    gzipped tar) through the REST API: MB/s, median of 3.
//!
//! Run: `cargo run --release -p flashfusion-server --bin market-bench`
//! (`-- --templates 20000` for a quicker run).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Parser;
use flashfusion_server::market::search;
use flashfusion_server::{Config, RunningServer};
use rand::distr::weighted::WeightedIndex;
use rand::distr::Distribution;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{params, Connection};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const TARGET_P95_MS: f64 = 10.0;

/// What titles are made of, and what people search for.
const TOPICS: &[&str] = &[
    "react",
    "vue",
    "svelte",
    "angular",
    "next",
    "nuxt",
    "remix",
    "astro",
    "solid",
    "qwik",
    "stripe",
    "paddle",
    "auth",
    "oauth",
    "clerk",
    "supabase",
    "firebase",
    "postgres",
    "mysql",
    "sqlite",
    "mongo",
    "redis",
    "graphql",
    "rest",
    "grpc",
    "websocket",
    "realtime",
    "chat",
    "blog",
    "portfolio",
    "shop",
    "store",
    "ecommerce",
    "saas",
    "starter",
    "boilerplate",
    "kit",
    "template",
    "dashboard",
    "admin",
    "analytics",
    "crm",
    "cms",
    "docs",
    "wiki",
    "forum",
    "landing",
    "pricing",
    "waitlist",
    "newsletter",
    "invoice",
    "booking",
    "calendar",
    "todo",
    "kanban",
    "notes",
    "editor",
    "markdown",
    "game",
    "platformer",
    "puzzle",
    "arcade",
    "shooter",
    "chess",
    "cards",
    "quiz",
    "mobile",
    "ios",
    "android",
    "flutter",
    "expo",
    "tauri",
    "electron",
    "desktop",
    "cli",
    "terminal",
    "tool",
    "scraper",
    "crawler",
    "bot",
    "discord",
    "slack",
    "telegram",
    "openai",
    "llm",
    "agent",
    "rag",
    "embeddings",
    "vector",
    "chatbot",
    "assistant",
    "summarizer",
    "translator",
    "image",
    "video",
    "audio",
    "music",
    "podcast",
    "weather",
    "maps",
    "travel",
    "fitness",
    "recipe",
    "finance",
    "budget",
    "crypto",
    "wallet",
    "payments",
    "subscription",
    "marketplace",
    "directory",
    "jobs",
    "events",
    "tickets",
    "survey",
    "forms",
    "email",
    "monitoring",
    "logging",
    "metrics",
    "deploy",
    "docker",
    "kubernetes",
    "serverless",
    "edge",
    "worker",
    "cron",
    "queue",
    "api",
    "gateway",
    "proxy",
    "cache",
    "search",
    "tailwind",
    "bootstrap",
    "material",
    "shadcn",
    "trpc",
    "prisma",
    "drizzle",
];

/// The common words of descriptions and READMEs, most frequent first; a
/// long tail of made-up words follows them (see [`Vocabulary`]).
const COMMON: &[&str] = &[
    "the",
    "a",
    "and",
    "to",
    "of",
    "in",
    "for",
    "with",
    "your",
    "this",
    "is",
    "it",
    "on",
    "you",
    "can",
    "run",
    "app",
    "build",
    "start",
    "setup",
    "install",
    "use",
    "simple",
    "fast",
    "modern",
    "clean",
    "minimal",
    "responsive",
    "secure",
    "typed",
    "tested",
    "production",
    "ready",
    "open",
    "source",
    "free",
    "full",
    "stack",
    "frontend",
    "backend",
    "server",
    "client",
    "database",
    "storage",
    "file",
    "upload",
    "form",
    "validation",
    "routing",
    "state",
    "component",
    "library",
    "theme",
    "dark",
    "mode",
    "layout",
    "page",
    "header",
    "footer",
    "sidebar",
    "modal",
    "table",
    "chart",
    "user",
    "account",
    "login",
    "signup",
    "password",
    "session",
    "token",
    "role",
    "team",
    "billing",
    "plan",
    "order",
    "customer",
    "notification",
    "webhook",
    "job",
    "task",
    "rate",
    "limit",
    "error",
    "alert",
    "test",
    "release",
    "version",
    "update",
    "configure",
    "develop",
    "local",
    "cloud",
    "host",
    "domain",
    "performance",
    "optimize",
    "seo",
    "tracking",
    "report",
    "export",
    "import",
    "data",
    "json",
    "csv",
    "endpoint",
    "request",
    "response",
    "query",
    "schema",
    "model",
    "migration",
    "seed",
    "example",
    "demo",
    "tutorial",
    "guide",
    "license",
    "contribute",
    "feature",
    "support",
];

const TAGS: &[&str] = &[
    "react",
    "typescript",
    "javascript",
    "tailwind",
    "nextjs",
    "vue",
    "svelte",
    "node",
    "rust",
    "python",
    "go",
    "stripe",
    "auth",
    "postgres",
    "sqlite",
    "supabase",
    "firebase",
    "openai",
    "llm",
    "docker",
    "serverless",
    "graphql",
    "rest",
    "websocket",
    "pwa",
    "seo",
    "i18n",
    "dark-mode",
    "responsive",
    "testing",
    "ci",
    "markdown",
    "mdx",
    "three",
    "game",
    "canvas",
    "webgl",
    "ai",
    "rag",
    "vector",
    "cli",
    "tui",
    "mobile",
    "flutter",
    "expo",
    "electron",
    "tauri",
    "desktop",
    "charts",
    "admin",
    "crm",
    "ecommerce",
    "blog",
    "docs",
    "saas",
    "analytics",
    "payments",
    "email",
    "cron",
    "queue",
    "redis",
    "prisma",
    "drizzle",
];

const CATEGORIES: &[&str] = &["web-app", "api", "cli", "landing-page", "dashboard", "game", "ai-llm", "mobile"];
const LICENCES: &[(&str, u32)] =
    &[("MIT", 10), ("Apache-2.0", 4), ("GPL-3.0", 2), ("BSD-3-Clause", 2), ("ISC", 1), ("Proprietary", 1)];
const PRICES: &[i64] = &[500, 900, 1900, 4900];
const CREATORS: i64 = 500;
const MIB: usize = 1024 * 1024;

#[derive(Debug, Parser)]
#[command(name = "market-bench", about = "Marketplace search latency and bundle throughput at catalogue scale")]
struct Opts {
    /// Approved templates to generate.
    #[arg(long, default_value_t = 100_000)]
    templates: usize,
    /// Searches to time (spread evenly over the query kinds).
    #[arg(long, default_value_t = 600)]
    queries: usize,
    /// Size of the bundle to publish and download.
    #[arg(long, default_value_t = 10)]
    bundle_mib: usize,
}

#[tokio::main]
async fn main() -> Result<()> {
    let opts = Opts::parse();
    let data = std::env::temp_dir().join(format!("market-bench-{}", std::process::id()));
    let result = bench(&opts, &data).await;
    // Best effort: the corpus is a few hundred MB.
    if let Err(error) = std::fs::remove_dir_all(&data) {
        eprintln!("could not remove {}: {error}", data.display());
    }
    result
}

async fn bench(opts: &Opts, data: &Path) -> Result<()> {
    let mut config = Config::local(PathBuf::from(data));
    config.admins = vec!["moderator@bench.example".into()];
    let server = flashfusion_server::start(config).await?;
    let mut rng = StdRng::seed_from_u64(2026);
    let started = Instant::now();
    let titles = generate(&server.state.storage.connection(), opts.templates, &mut rng)?;
    println!(
        "market-bench: {} approved templates ({} categories, ~20 % paid, {CREATORS} creators) generated and indexed in {:.1} s",
        opts.templates,
        CATEGORIES.len(),
        started.elapsed().as_secs_f64()
    );
    let http = reqwest::Client::new();
    let base = format!("{}/api/market", server.http_url());
    let started = Instant::now();
    search_once(&http, &base, &[]).await?;
    println!("{:<44} {:>8.1} ms", "first search (loads the in-memory listings)", millis(started));
    let timings = measure(&http, &base, &queries(&titles, opts.queries, &mut rng)).await?;
    report_search(&timings);
    report_throughput(&server, &http, opts.bundle_mib).await?;
    server.shutdown().await
}

fn millis(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

// ---- the corpus --------------------------------------------------------------

/// Common words, then made-up ones ("kalomi"), drawn with weight 1/rank:
/// a few words are in every README, most in very few.
struct Vocabulary {
    words: Vec<String>,
    weights: WeightedIndex<f64>,
}

impl Vocabulary {
    fn new(rng: &mut StdRng) -> Result<Self> {
        const SYLLABLES: &[&str] =
            &["ka", "lo", "mi", "nu", "ra", "te", "si", "vo", "pe", "du", "ba", "ze", "fi", "go"];
        let mut words: Vec<String> = COMMON.iter().map(|word| (*word).to_owned()).collect();
        for _ in 0..3000 {
            let length = rng.random_range(2..=4);
            words.push((0..length).filter_map(|_| SYLLABLES.choose(rng).copied()).collect());
        }
        let weights = WeightedIndex::new((1..=words.len()).map(|rank| 1.0 / rank as f64))?;
        Ok(Self { words, weights })
    }

    /// `count` words, with `own` mentions of the template's topic words
    /// and, sometimes, of another topic.
    fn text(&self, rng: &mut StdRng, count: usize, topic: &[&str], own: usize) -> String {
        let mut words: Vec<&str> = (0..count).map(|_| self.words[self.weights.sample(rng)].as_str()).collect();
        for _ in 0..own {
            let word = topic.choose(rng).copied().unwrap_or_default();
            words.insert(rng.random_range(0..=words.len()), word);
        }
        if rng.random_bool(0.3) {
            words.push(TOPICS.choose(rng).copied().unwrap_or_default());
        }
        words.join(" ")
    }
}

/// Inserts the creators and templates, all approved, and indexes them.
/// Returns each template's title words (ids 1..=count), for queries.
fn generate(connection: &Connection, count: usize, rng: &mut StdRng) -> Result<Vec<Vec<&'static str>>> {
    let vocabulary = Vocabulary::new(rng)?;
    let tag_weights = WeightedIndex::new((1..=TAGS.len()).map(|rank| 1.0 / (rank as f64).powf(0.8)))?;
    let licence_weights = WeightedIndex::new(LICENCES.iter().map(|(_, weight)| *weight))?;
    let transaction = connection.unchecked_transaction()?;
    let mut account = transaction.prepare(
        "INSERT INTO accounts (id, email, name, password_hash, created_at) VALUES (?1, ?2, ?3, 'not-a-hash', 0)",
    )?;
    for id in 1..=CREATORS {
        account.execute(params![id, format!("creator{id}@bench.example"), format!("Creator {id}")])?;
    }
    let mut template = transaction.prepare(
        "INSERT INTO market_templates (id, creator_id, title, description, category, licence, price_cents, readme,
             status, featured, downloads, rating_sum, rating_count, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'approved', ?9, ?10, ?11, ?12, ?13, ?13)",
    )?;
    let mut tag = transaction.prepare("INSERT INTO market_template_tags (template_id, tag) VALUES (?1, ?2)")?;
    let mut titles = Vec::with_capacity(count);
    for id in 1..=i64::try_from(count)? {
        let words = rng.random_range(2..=4);
        let topic: Vec<&'static str> = TOPICS.choose_multiple(rng, words).copied().collect();
        let (description_words, readme_words) = (rng.random_range(8..=16), rng.random_range(80..=200));
        let reviews = rng.random_range(0..=40_i64);
        template.execute(params![
            id,
            rng.random_range(1..=CREATORS),
            title(&topic),
            vocabulary.text(rng, description_words, &topic, 2),
            CATEGORIES.choose(rng).copied().unwrap_or_default(),
            LICENCES[licence_weights.sample(rng)].0,
            if rng.random_bool(0.2) { PRICES.choose(rng).copied().unwrap_or_default() } else { 0 },
            vocabulary.text(rng, readme_words, &topic, 5),
            rng.random_bool(0.001),
            // Pareto-like: most templates have a few downloads, some thousands.
            (10.0 / rng.random_range(0.001..1.0_f64).powf(1.0 / 1.2)) as i64,
            (0..reviews).map(|_| rng.random_range(1..=5_i64)).sum::<i64>(),
            reviews,
            1_700_000_000_000 + id * 60_000,
        ])?;
        for name in tags(rng, &tag_weights, &topic) {
            tag.execute(params![id, name])?;
        }
        search::reindex(&transaction, id)?;
        titles.push(topic);
    }
    drop((account, template, tag));
    transaction.commit()?;
    Ok(titles)
}

/// "Stripe Dashboard Starter".
fn title(topic: &[&str]) -> String {
    let capitalized = |word: &&str| {
        let mut chars = word.chars();
        chars.next().map(|first| first.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
    };
    topic.iter().map(capitalized).collect::<Vec<_>>().join(" ")
}

/// 2–4 tags by popularity, plus the topic words that are tags.
fn tags(rng: &mut StdRng, weights: &WeightedIndex<f64>, topic: &[&str]) -> std::collections::BTreeSet<&'static str> {
    let count = rng.random_range(2..=4);
    let popular = (0..count).map(|_| TAGS[weights.sample(rng)]);
    popular.chain(TAGS.iter().copied().filter(|tag| topic.contains(tag))).collect()
}

// ---- the searches ----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    OneWord,
    TwoWords,
    WordInCategory,
    Tag,
    WordByDownloads,
    NoText,
}

impl Kind {
    const ALL: [Self; 6] =
        [Self::OneWord, Self::TwoWords, Self::WordInCategory, Self::Tag, Self::WordByDownloads, Self::NoText];

    fn label(self) -> &'static str {
        match self {
            Self::OneWord => "one word",
            Self::TwoWords => "two words (of one title)",
            Self::WordInCategory => "one word + category facet",
            Self::Tag => "tag filter",
            Self::WordByDownloads => "one word, sort=downloads",
            Self::NoText => "no text (all, or one category)",
        }
    }
}

type Params = Vec<(String, String)>;

fn param(key: &str, value: &str) -> (String, String) {
    (key.to_owned(), value.to_owned())
}

fn query(kind: Kind, titles: &[Vec<&str>], rng: &mut StdRng) -> Params {
    let one = TOPICS.choose(rng).copied().unwrap_or_default();
    let category = CATEGORIES.choose(rng).copied().unwrap_or_default();
    match kind {
        Kind::OneWord => vec![param("q", one)],
        Kind::TwoWords => {
            let title = titles.choose(rng).map(|title| title[..2].join(" ")).unwrap_or_default();
            vec![param("q", &title)]
        }
        Kind::WordInCategory => vec![param("q", one), param("category", category)],
        Kind::Tag => vec![param("tag", TAGS.choose(rng).copied().unwrap_or_default())],
        Kind::WordByDownloads => vec![param("q", one), param("sort", "downloads")],
        Kind::NoText if rng.random_bool(0.5) => vec![param("category", category)],
        Kind::NoText => Vec::new(),
    }
}

/// `count` queries, the kinds interleaved at random.
fn queries(titles: &[Vec<&str>], count: usize, rng: &mut StdRng) -> Vec<(Kind, Params)> {
    let mut kinds: Vec<Kind> = Kind::ALL.iter().copied().cycle().take(count).collect();
    rand::seq::SliceRandom::shuffle(&mut kinds[..], rng);
    kinds.into_iter().map(|kind| (kind, query(kind, titles, rng))).collect()
}

/// One search; returns how many templates matched (`total`).
async fn search_once(http: &reqwest::Client, base: &str, params: &[(String, String)]) -> Result<u64> {
    let response = http.get(format!("{base}/templates")).query(params).send().await?;
    if !response.status().is_success() {
        bail!("{params:?}: {} {}", response.status(), response.text().await?);
    }
    let results: Value = response.json().await?;
    results["total"].as_u64().context("no total in the results")
}

struct Timing {
    kind: Kind,
    millis: f64,
    matched: u64,
    /// With text: whether it was its first search.
    first: Option<bool>,
}

async fn measure(http: &reqwest::Client, base: &str, queries: &[(Kind, Params)]) -> Result<Vec<Timing>> {
    let mut timings = Vec::with_capacity(queries.len());
    let mut texts = std::collections::HashSet::new();
    for (kind, params) in queries {
        let first = params.iter().find(|(key, _)| key == "q").map(|(_, text)| texts.insert(text.clone()));
        let started = Instant::now();
        let matched = search_once(http, base, params).await?;
        timings.push(Timing { kind: *kind, millis: millis(started), matched, first });
    }
    Ok(timings)
}

/// p50, p95 and p99 of the timings, in ms (nearest rank).
fn percentiles(timings: &[&Timing]) -> [f64; 3] {
    let mut values: Vec<f64> = timings.iter().map(|timing| timing.millis).collect();
    values.sort_by(f64::total_cmp);
    [0.50, 0.95, 0.99].map(|share| {
        let rank = (share * values.len() as f64).ceil() as usize;
        values.get(rank.clamp(1, values.len().max(1)) - 1).copied().unwrap_or_default()
    })
}

fn shown([p50, p95, p99]: [f64; 3]) -> String {
    format!("p50 {p50:>7.2} ms  p95 {p95:>7.2} ms  p99 {p99:>7.2} ms")
}

fn row(label: &str, timings: &[&Timing]) {
    if timings.is_empty() {
        return;
    }
    let matched: Vec<u64> = timings.iter().map(|timing| timing.matched).collect();
    let average = matched.iter().sum::<u64>() / matched.len() as u64;
    println!(
        "  {label:<34} {}  ({} queries; matches: {average} on average, {} at most)",
        shown(percentiles(timings)),
        timings.len(),
        matched.iter().max().copied().unwrap_or_default()
    );
}

fn report_search(timings: &[Timing]) {
    println!("search over HTTP, sequential, page 1 (24 items) — target p95 < {TARGET_P95_MS} ms");
    let mut by_kind: BTreeMap<Kind, Vec<&Timing>> = BTreeMap::new();
    for timing in timings {
        by_kind.entry(timing.kind).or_default().push(timing);
    }
    for (kind, timings) in &by_kind {
        row(kind.label(), timings);
    }
    for (first, label) in [(true, "text searched the first time"), (false, "text searched again")] {
        let timings: Vec<&Timing> = timings.iter().filter(|timing| timing.first == Some(first)).collect();
        row(label, &timings);
    }
    let all = percentiles(&timings.iter().collect::<Vec<_>>());
    let verdict = if all[1] < TARGET_P95_MS { "meets" } else { "MISSES" };
    println!(
        "  {:<34} {}  ({} queries)  target p95 < {TARGET_P95_MS} ms ({:.3}× target, {verdict})",
        "all",
        shown(all),
        timings.len(),
        all[1] / TARGET_P95_MS
    );
}

// ---- bundles ---------------------------------------------------------------------

/// A gzipped tar of 1 MiB files of pseudo-random (incompressible) bytes.
fn bundle(mib: usize, seed: u64) -> Result<Vec<u8>> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
    for file in 0..mib {
        let mut bytes = vec![0_u8; MIB];
        rng.fill(&mut bytes[..]);
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, format!("assets/blob-{file}.bin"), &bytes[..])?;
    }
    Ok(builder.into_inner()?.finish()?)
}

async fn rest(request: reqwest::RequestBuilder) -> Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        bail!("{status}: {body}");
    }
    Ok(body)
}

/// Registers `name@bench.example`; returns its token.
async fn account(http: &reqwest::Client, server: &RunningServer, name: &str) -> Result<String> {
    let body = json!({ "email": format!("{name}@bench.example"), "name": name, "password": "correct horse" });
    let session = rest(http.post(format!("{}/api/accounts", server.http_url())).json(&body)).await?;
    session["token"].as_str().map(str::to_owned).context("no token")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Publishes three versions of a `mib` MiB bundle and downloads each.
async fn report_throughput(server: &RunningServer, http: &reqwest::Client, mib: usize) -> Result<()> {
    let base = format!("{}/api/market", server.http_url());
    let creator = account(http, server, "publisher").await?;
    let moderator = account(http, server, "moderator").await?;
    let new = json!({ "title": "Bundle bench", "description": "", "category": "web-app", "tags": [],
                      "licence": "MIT", "priceCents": 0, "readme": "" });
    let template = rest(http.post(format!("{base}/templates")).bearer_auth(&creator).json(&new)).await?;
    let id = template["id"].as_i64().context("no template id")?;
    rest(http.post(format!("{base}/admin/templates/{id}/approve")).bearer_auth(&moderator).json(&json!({}))).await?;
    let (mut published, mut downloaded) = (Vec::new(), Vec::new());
    for patch in 0..3 {
        let bytes = bundle(mib, patch)?;
        let megabytes = bytes.len() as f64 / 1e6;
        let hash = format!("{:x}", Sha256::digest(&bytes));
        let version = format!("1.0.{patch}");
        let started = Instant::now();
        let upload = http
            .post(format!("{base}/templates/{id}/versions?version={version}"))
            .bearer_auth(&creator)
            .header("content-type", "application/gzip")
            .header("x-bundle-sha256", &hash)
            .body(bytes);
        rest(upload).await?;
        published.push(megabytes / started.elapsed().as_secs_f64());
        let started = Instant::now();
        let response = http.get(format!("{base}/templates/{id}/versions/{version}/bundle")).send().await?;
        let body = response.error_for_status()?.bytes().await?;
        downloaded.push(megabytes / started.elapsed().as_secs_f64());
        if format!("{:x}", Sha256::digest(&body)) != hash {
            bail!("version {version} came back different");
        }
    }
    println!(
        "{:<44} {:>8.1} MB/s (median of 3)",
        format!("publish a {mib} MiB bundle (POST …/versions)"),
        median(published)
    );
    println!(
        "{:<44} {:>8.1} MB/s (median of 3)",
        format!("download a {mib} MiB bundle (GET …/bundle)"),
        median(downloaded)
    );
    Ok(())
}
