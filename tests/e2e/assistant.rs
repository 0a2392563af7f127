//! The assistant in the real window against the local fake provider (the
//! OpenAI wire format): configure it, ask about the open file, watch the
//! answer stream in, apply the proposed change, save it.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_assistant::provider::ProviderKind;
use flashfusion_assistant::test_server::{FakeProvider, Reply};
use flashfusion_e2e::{App, Driver};

use super::{create_project, editor_text, open_file, sandbox, status_saved, ONE_AT_A_TIME};

const KEY: &str = "sk-e2e-7c1d-this-key-lives-only-in-the-keyring";

const ANSWER: &str = "This stylesheet defines the theme tokens. To make the accent red:\n\n\
styles.css\n```css\n<<<<<<< SEARCH\n  --accent: #5b5bd6;\n=======\n  --accent: #e5484d;\n>>>>>>> REPLACE\n```\n\n\
That changes buttons and links at once.";

async fn fill(app: &App, css: &str, text: &str) -> Result<()> {
    let input = app.find(css).await?;
    input.clear().await?;
    input.send_keys(text).await.map_err(Into::into)
}

async fn configure_provider(app: &App, base_url: &str) -> Result<()> {
    app.click("[data-testid=assistant-settings-open]").await?;
    app.run(
        "const select = document.querySelector('[data-testid=assistant-kind]'); \
         select.value = 'openAi'; select.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )
    .await?;
    fill(app, "[data-testid=assistant-base-url]", base_url).await?;
    fill(app, "[data-testid=assistant-model]", "fake-model").await?;
    fill(app, "[data-testid=assistant-api-key]", KEY).await?;
    app.click("[data-testid=assistant-save]").await?;
    app.wait_until(
        "(document.querySelector('[data-testid=assistant-key-status]')?.textContent ?? '').includes('keyring')",
        Duration::from_secs(10),
    )
    .await
    .context("the key was not saved to the keyring")?;
    app.click("[data-testid=assistant-test]").await?;
    let listed = app
        .wait_until(
            "(document.querySelector('[data-testid=assistant-test-result]')?.textContent ?? '').includes('fake-model')",
            Duration::from_secs(10),
        )
        .await;
    if listed.is_err() {
        let shown = app.text("[data-testid=modal]").await.unwrap_or_default();
        anyhow::bail!("test connection did not list the fake model; it says: {shown:?}");
    }
    app.run("document.querySelector('[data-testid=modal]')?.querySelector('[data-action=close], [data-action=cancel]')?.click(); return true;", vec![]).await?;
    Ok(())
}

fn files_containing(folder: &std::path::Path, needle: &str) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle)?);
        } else if String::from_utf8_lossy(&std::fs::read(&path)?).contains(needle) {
            found.push(path.display().to_string());
        }
    }
    Ok(found)
}

#[tokio::test(flavor = "multi_thread")]
async fn ask_about_the_open_file_watch_it_stream_apply_the_change_and_save() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let server = FakeProvider::start(ProviderKind::OpenAi, Some(KEY)).await?;
    server.push(Reply::Answer {
        text: ANSWER.into(),
        chunk_chars: 6,
        usage: Some((1200, 80)),
        delay: Duration::from_millis(40),
    });
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    create_project(&app, "static-site", "Themed", &sandbox.projects).await?;
    open_file(&app, "styles.css").await?;

    app.click("[data-testid=chat-toggle]").await?;
    app.find("[data-testid=chat-panel]").await?;
    configure_provider(&app, &server.base_url).await?;

    fill(&app, "[data-testid=chat-input]", "What does this file do? Make the accent red.").await?;
    app.click("[data-testid=chat-send]").await?;
    // The answer is seen while it streams, then complete.
    app.wait_until(
        "[...document.querySelectorAll('[data-testid=chat-message][data-role=assistant][data-state=streaming]')] \
         .some((m) => m.textContent.includes('stylesheet'))",
        Duration::from_secs(10),
    )
    .await
    .context("the answer was never seen streaming")?;
    app.wait_until(
        "!!document.querySelector('[data-testid=chat-message][data-role=assistant][data-state=complete]')",
        Duration::from_secs(15),
    )
    .await?;
    let answer = app.text("[data-testid=chat-message][data-role=assistant] [data-testid=chat-answer-body]").await?;
    ensure!(answer.contains("That changes buttons and links at once."), "answer: {answer}");

    // The model was asked with the open file in its context.
    let request = server.requests().pop().context("no request reached the provider")?;
    let system = request.body["messages"][0]["content"].as_str().unwrap_or_default().to_owned();
    ensure!(system.contains("--accent: #5b5bd6;"), "the open file was not in the context");
    let bearer = format!("Bearer {KEY}");
    ensure!(request.headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(bearer.as_str()));

    // Apply the proposed change: it lands in the editor as an unsaved edit.
    app.find("[data-testid=chat-proposal][data-path='styles.css']").await?;
    app.click("[data-testid=chat-proposal][data-path='styles.css'] [data-testid=proposal-apply]").await?;
    app.wait_until("window.__ffEditorView.state.doc.toString().includes('--accent: #e5484d;')", Duration::from_secs(5))
        .await
        .context("the change did not reach the editor")?;
    let text = editor_text(&app).await?;
    ensure!(!text.contains("--accent: #5b5bd6;"), "the old line is still there");
    ensure!(status_saved(&app).await? == "Unsaved");
    let file = sandbox.projects.join("Themed/styles.css");
    ensure!(std::fs::read_to_string(&file)?.contains("#5b5bd6"), "applying must not write the disk by itself");

    app.click(".cm-content").await?;
    app.ctrl("s").await?;
    app.wait_until(
        "document.querySelector('[data-testid=status-saved]').textContent.trim() === 'Saved'",
        Duration::from_secs(5),
    )
    .await?;
    ensure!(std::fs::read_to_string(&file)?.contains("--accent: #e5484d;"));
    app.quit().await?;

    // The key lives in the OS keyring only: not in the database, not in the log.
    let leaks = files_containing(&sandbox.data, KEY)?;
    ensure!(leaks.is_empty(), "the API key was written to {leaks:?}");
    Ok(())
}
