//! Learning mode in the real window, offline: open a lesson, answer its
//! quiz, fail then pass its lab, and watch XP rise and badges appear.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_e2e::{App, Driver};
use flashfusion_learn::content::Catalog;
use serde_json::json;

use super::{sandbox, ONE_AT_A_TIME};

const COURSE: &str = "reading";

async fn xp_shown(app: &App) -> Result<u32> {
    let text = app
        .wait_until(
            "((xp) => /\\d/.test(xp) && xp)(document.querySelector('[data-testid=learn-xp]')?.textContent ?? '')",
            Duration::from_secs(5),
        )
        .await?;
    let text = text.as_str().unwrap_or_default().to_owned();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().with_context(|| format!("no XP number in {text:?}"))
}

async fn badge_earned(app: &App, badge: &str) -> Result<bool> {
    let value = app
        .run(
            "return document.querySelector(`[data-testid=learn-badge][data-badge='${arguments[0]}']`)?.dataset.earned ?? 'missing';",
            vec![json!(badge)],
        )
        .await?;
    ensure!(value != "missing", "no badge {badge} on the page");
    Ok(value == "true")
}

async fn set_lab_code(app: &App, code: &str) -> Result<()> {
    app.wait_until("!!window.__ffLabEditorView", Duration::from_secs(5)).await?;
    app.run(
        "const view = window.__ffLabEditorView; \
         view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: arguments[0]}}); return true;",
        vec![json!(code)],
    )
    .await
    .map(drop)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lesson_quiz_and_lab_raise_xp_and_earn_badges() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let catalog = Catalog::load(&flashfusion_learn::content::source_dir())?;
    let lesson = catalog.course(COURSE)?.lessons[0].clone();
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;

    app.click("[data-testid=open-learn]").await?;
    app.find("[data-testid=learn-view]").await?;
    ensure!(xp_shown(&app).await? == 0, "a new learner starts at 0 XP");
    ensure!(!badge_earned(&app, "first-lab").await?);

    app.click(&format!("[data-testid=learn-lesson][data-lesson='{}']", lesson.id)).await?;
    app.find("[data-testid=lesson-view]").await?;
    let heading = app.text("[data-testid=lesson-view]").await?;
    ensure!(heading.contains(&lesson.title), "the lesson {} did not open", lesson.title);

    for (index, question) in lesson.quiz.iter().enumerate() {
        let scope = format!("[data-testid=quiz-question][data-index='{index}']");
        app.click(&format!("{scope} [data-testid=quiz-option][data-choice='{}']", question.answer)).await?;
        app.click(&format!("{scope} [data-testid=quiz-check]")).await?;
        app.wait_until(
            &format!("document.querySelector(\"{scope} [data-testid=quiz-result]\")?.dataset.correct === 'true'"),
            Duration::from_secs(5),
        )
        .await
        .with_context(|| format!("question {} was not marked right", index + 1))?;
    }
    let after_quiz = xp_shown(&app).await?;
    ensure!(after_quiz > 0, "the quiz gave no XP");

    // A wrong solution: the checks say what failed, no XP.
    set_lab_code(&app, &lesson.lab.wrong[0]).await?;
    app.click("[data-testid=lab-run]").await?;
    app.wait_until(
        "document.querySelector('[data-testid=lab-results]')?.dataset.passed === 'false'",
        Duration::from_secs(10),
    )
    .await?;
    ensure!(xp_shown(&app).await? == after_quiz);

    // The reference solution passes: XP rises, the lesson completes, badges appear.
    set_lab_code(&app, &lesson.lab.solution).await?;
    app.click("[data-testid=lab-run]").await?;
    app.wait_until(
        "document.querySelector('[data-testid=lab-results]')?.dataset.passed === 'true'",
        Duration::from_secs(10),
    )
    .await
    .context("the reference solution did not pass in the app")?;
    app.find("[data-testid=learn-toast]").await?;
    app.wait_until(
        &format!(
            "parseInt(document.querySelector('[data-testid=learn-xp]').textContent.replace(/\\D/g, '')) > {after_quiz}"
        ),
        Duration::from_secs(5),
    )
    .await
    .context("XP did not rise after the lab")?;
    let expected = 10 * lesson.quiz.len() as u32 + lesson.lab.xp + lesson.xp;
    ensure!(xp_shown(&app).await? == expected, "XP shown is not {expected}");
    ensure!(badge_earned(&app, "first-lab").await? && badge_earned(&app, "first-lesson").await?);

    // Back on the course map the lesson is complete.
    app.click("[data-testid=learn-back]").await?;
    app.click("[data-testid=open-learn]").await?;
    app.wait_until(
        &format!(
            "document.querySelector(\"[data-testid=learn-lesson][data-lesson='{}']\")?.dataset.complete === 'true'",
            lesson.id
        ),
        Duration::from_secs(5),
    )
    .await?;
    app.quit().await
}
