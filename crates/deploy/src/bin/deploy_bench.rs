//! The deployment benchmark: prints, for this machine, the figures the
//! deployment issue sets targets for, on a generated 1,000-file, 50 MB site:
//! - a no-op redeploy (hash every file, send the digest manifest, learn that
//!   nothing is required) against the Netlify-shaped local server: < 500 ms,
//!   zero uploads;
//! - pushing the project to a local bare repository with our git2 code and
//!   with the command-line `git push`, in the same run: within 1.5×.
//!
//! Run: `cargo run --release -p flashfusion-deploy --features test-server --bin deploy-bench`

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use flashfusion_deploy::git::{Credentials, GitRepo};
use flashfusion_deploy::log::BuildLog;
use flashfusion_deploy::site::Site;
use flashfusion_deploy::targets::{adapter, Job, Platform, TargetConfig, Timing};
use flashfusion_deploy::test_server::NetlifyFake;

const FILES: usize = 1_000;
const TOTAL_BYTES: usize = 50 * 1024 * 1024;
const RUNS: usize = 7;

type Failure = Box<dyn std::error::Error>;

/// A deterministic site: 900 text files (html/css/js, ~10 KiB) and 100
/// incompressible "images" that make up the rest of the 50 MB.
fn generate(root: &Path) -> std::io::Result<()> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let text_files = FILES * 9 / 10;
    let text_size = 10 * 1024;
    let image_size = (TOTAL_BYTES - text_files * text_size) / (FILES - text_files);
    for index in 0..FILES {
        let (path, bytes) = if index < text_files {
            let extension = ["html", "css", "js"][index % 3];
            let line = format!("/* file {index} */ .selector-{index} {{ color: #{:06x}; }}\n", next() & 0xff_ffff);
            (
                format!("pages/{}/file-{index}.{extension}", index % 30),
                line.repeat(text_size / line.len() + 1).as_bytes()[..text_size].to_vec(),
            )
        } else {
            let bytes: Vec<u8> = (0..image_size / 8).flat_map(|_| next().to_le_bytes()).collect();
            (format!("images/photo-{index}.jpg"), bytes)
        };
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap_or(root))?;
        std::fs::write(path, bytes)?;
    }
    Ok(())
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

async fn no_op_redeploy(site_root: &Path) -> Result<(), Failure> {
    let fake = NetlifyFake::start("bench", "bench-site").await?;
    let config = TargetConfig {
        platform: Platform::Netlify,
        site: "bench-site".into(),
        account: String::new(),
        branch: String::new(),
        api_base: fake.base.clone(),
    };
    let timing = Timing { poll_every: Duration::from_millis(5), ..Timing::default() };
    let target = adapter(&config, Some("bench".into()), timing)?;
    let log = BuildLog::silent();
    let started = Instant::now();
    let site = Site::scan(site_root)?;
    let job = Job { site: &site, project_root: site_root.to_path_buf(), commit: None, log: &log };
    let first = target.deploy(&job).await?;
    println!(
        "first deploy: {} files, {:.1} MB uploaded in {:.0} ms",
        first.uploaded_files,
        first.uploaded_bytes as f64 / 1e6,
        ms(started.elapsed())
    );
    let (mut totals, mut hashing) = (Vec::new(), Vec::new());
    let mut uploads = 0;
    for _ in 0..RUNS {
        fake.common.clear_requests();
        let started = Instant::now();
        let site = Site::scan(site_root)?;
        let hashed = started.elapsed();
        let job = Job { site: &site, project_root: site_root.to_path_buf(), commit: None, log: &log };
        uploads += target.deploy(&job).await?.uploaded_files + u32::try_from(fake.common.count("PUT "))?;
        totals.push(started.elapsed());
        hashing.push(hashed);
    }
    let total = median(&mut totals);
    let verdict = if ms(total) < 500.0 && uploads == 0 { "meets" } else { "MISSES" };
    println!(
        "no-op redeploy (hash 1,000 files + manifest diff): {:.1} ms median of {RUNS} (hashing {:.1} ms), {uploads} uploads  target < 500 ms, 0 uploads ({:.3}× target, {verdict})",
        ms(total),
        ms(median(&mut hashing)),
        ms(total) / 500.0
    );
    Ok(())
}

fn push_comparison(project: &Path, scratch: &Path) -> Result<(), Failure> {
    let repo = GitRepo::open_or_init(project)?;
    let started = Instant::now();
    repo.commit_all("Site")?;
    println!("commit of the project with git2: {:.0} ms", ms(started.elapsed()));
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for run in 0..RUNS {
        let bare = scratch.join(format!("ours-{run}.git"));
        git2::Repository::init_bare(&bare)?;
        let started = Instant::now();
        repo.push(
            &format!("file://{}", bare.display()),
            &["refs/heads/main:refs/heads/main".to_owned()],
            &Credentials::None,
            &mut |_| {},
        )?;
        ours.push(started.elapsed());

        let bare = scratch.join(format!("cli-{run}.git"));
        git2::Repository::init_bare(&bare)?;
        let started = Instant::now();
        let status = Command::new("git")
            .args(["push", "--quiet", &format!("file://{}", bare.display()), "main:main"])
            .current_dir(project)
            .status()?;
        theirs.push(started.elapsed());
        if !status.success() {
            return Err("git push failed".into());
        }
    }
    let (ours, theirs) = (median(&mut ours), median(&mut theirs));
    let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
    let verdict = if ratio <= 1.5 { "meets" } else { "MISSES" };
    println!(
        "push 1,000 files / 50 MB to a local bare repo: ours {:.0} ms, git CLI {:.0} ms (medians of {RUNS})  ratio {ratio:.2}×  target ≤ 1.5× ({verdict})",
        ms(ours),
        ms(theirs)
    );
    Ok(())
}

fn main() -> Result<(), Failure> {
    let scratch = tempfile::tempdir()?;
    let project = scratch.path().join("project");
    let started = Instant::now();
    generate(&project)?;
    let site = Site::scan(&project)?;
    println!(
        "deploy-bench: generated {} files, {:.1} MB in {:.0} ms",
        site.files.len(),
        site.total_bytes() as f64 / 1e6,
        ms(started.elapsed())
    );
    tokio::runtime::Runtime::new()?.block_on(no_op_redeploy(&project))?;
    push_comparison(&project, scratch.path())
}
