//! The learning-mode benchmark: prints, for this machine, the figures the
//! learning issue sets targets for, over the shipped content:
//! opening a lesson (target < 50 ms), grading a lab (< 200 ms) and
//! generating a certificate (< 500 ms). Medians over every lesson/lab.
//!
//! Run: `cargo run --release -p flashfusion-learn --bin learn-bench`

use std::sync::Arc;
use std::time::Instant;

use flashfusion_core::secrets::MemorySecrets;
use flashfusion_learn::certificate::{self, CertificateFacts};
use flashfusion_learn::content::{self, Catalog};
use flashfusion_learn::learning::{grade, Learning, LessonArgs};
use flashfusion_store::Store;

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn report(name: &str, values: &mut [f64], target: f64) {
    let median = median(values);
    let worst = values[values.len() - 1];
    let verdict = if median < target { "meets" } else { "MISSES" };
    println!(
        "{name:<44} {median:>8.2} ms median, {worst:>8.2} ms worst ({} runs)  target < {target} ms ({:.3}× target, {verdict})",
        values.len(),
        median / target
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = content::source_dir();
    let started = Instant::now();
    let catalog = Catalog::load(&dir)?;
    println!(
        "learn-bench: content from {} (loaded and checked in {:.1} ms)",
        dir.display(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let data = tempfile::tempdir()?;
    let store = Arc::new(Store::open(&data.path().join("flashfusion.sqlite3"))?);
    let secrets = Arc::new(MemorySecrets::default());
    let learning = Learning::new(store, secrets.clone(), catalog.clone());

    // The first open loads the highlighter's syntaxes (the app warms it at start).
    let first = &catalog.courses[0].lessons[0];
    let started = Instant::now();
    learning.open_lesson(&LessonArgs { course_id: catalog.courses[0].id.clone(), lesson_id: first.id.clone() })?;
    let cold = started.elapsed().as_secs_f64() * 1000.0;
    let mut open = Vec::new();
    let mut code_grading = Vec::new();
    let mut prompt_grading = Vec::new();
    for _ in 0..5 {
        for course in &catalog.courses {
            for lesson in &course.lessons {
                let args = LessonArgs { course_id: course.id.clone(), lesson_id: lesson.id.clone() };
                let started = Instant::now();
                learning.open_lesson(&args)?;
                open.push(started.elapsed().as_secs_f64() * 1000.0);
                let started = Instant::now();
                let result = grade(&lesson.lab, &lesson.lab.solution);
                let elapsed = started.elapsed().as_secs_f64() * 1000.0;
                assert!(result.passed, "{}/{}", course.id, lesson.id);
                match lesson.lab.kind {
                    content::LabKind::Code { .. } => code_grading.push(elapsed),
                    content::LabKind::Prompt { .. } => prompt_grading.push(elapsed),
                }
            }
        }
    }
    let mut certificates = Vec::new();
    for run in 0..20 {
        let facts = CertificateFacts {
            name: format!("Learner {run}"),
            course_id: "reading".into(),
            course_title: "Reading and understanding code".into(),
            date: "2026-11-27".into(),
        };
        let started = Instant::now();
        let (pdf, _) = certificate::generate(secrets.as_ref(), &facts)?;
        std::fs::write(data.path().join("certificate.pdf"), pdf)?;
        certificates.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    println!("first lesson opened cold (loads syntax definitions) {cold:>8.2} ms");
    report("open a lesson (Markdown + quiz + lab state)", &mut open, 50.0);
    if !code_grading.is_empty() {
        report("grade a code lab (QuickJS, reference solution)", &mut code_grading, 200.0);
    }
    if !prompt_grading.is_empty() {
        report("grade a prompt lab (rubric)", &mut prompt_grading, 200.0);
    }
    report("generate and write a certificate PDF", &mut certificates, 500.0);
    Ok(())
}
