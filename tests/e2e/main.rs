//! End-to-end tests on the real app window (tauri-driver + WebKitWebDriver
//! under Xvfb). Each test has its own data folder and projects folder.
//! Run serially: `cargo test -p flashfusion-e2e --test e2e -- --test-threads=1`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_e2e::{App, Driver};

struct Sandbox {
    _temp: tempfile::TempDir,
    data: PathBuf,
    projects: PathBuf,
}

fn sandbox() -> Result<Sandbox> {
    let temp = tempfile::tempdir()?;
    let data = temp.path().join("data");
    let projects = temp.path().join("projects");
    std::fs::create_dir_all(&data)?;
    std::fs::create_dir_all(&projects)?;
    Ok(Sandbox { _temp: temp, data, projects })
}

fn artifacts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".artifacts")
}

/// Welcome screen → New project from `template` named `name` in `parent`.
async fn create_project(app: &App, template: &str, name: &str, parent: &Path) -> Result<()> {
    app.find("[data-testid=welcome]").await?;
    app.click(&format!("[data-testid=template-option][data-template='{template}']")).await?;
    let name_input = app.find("[data-testid=new-project-name]").await?;
    name_input.clear().await?;
    name_input.send_keys(name).await?;
    let dir_input = app.find("[data-testid=new-project-dir]").await?;
    dir_input.clear().await?;
    dir_input.send_keys(&parent.to_string_lossy()).await?;
    app.click("[data-testid=create-project]").await?;
    app.find("[data-testid=tree-item][data-path='index.html']").await.map(drop)
}

async fn open_file(app: &App, path: &str) -> Result<()> {
    app.click(&format!("[data-testid=tree-item][data-path='{path}']")).await?;
    app.find(&format!("[data-testid=tab][data-path='{path}']")).await?;
    app.click(".cm-content").await
}

/// The editor's full text, read through CodeMirror's view.
async fn editor_text(app: &App) -> Result<String> {
    let value = app.run("const view = window.__ffEditorView; return view.state.doc.toString();", vec![]).await?;
    value.as_str().map(str::to_owned).context("editor text is not a string")
}

/// Moves the cursor to the end of the document through CodeMirror.
async fn cursor_to_end(app: &App) -> Result<()> {
    app.run(
        "const view = window.__ffEditorView; \
         view.dispatch({selection: {anchor: view.state.doc.length}}); view.focus(); return true;",
        vec![],
    )
    .await
    .map(drop)
}

async fn status_saved(app: &App) -> Result<String> {
    app.text("[data-testid=status-saved]").await
}

#[tokio::test(flavor = "multi_thread")]
async fn create_edit_save_rename_and_reopen_from_recent() -> Result<()> {
    let sandbox = sandbox()?;
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    create_project(&app, "static-site", "Launch Page", &sandbox.projects).await?;
    let root = sandbox.projects.join("Launch Page");

    open_file(&app, "index.html").await?;
    ensure!(app.text("[data-testid=status-language]").await?.to_lowercase().contains("html"));
    cursor_to_end(&app).await?;
    app.type_text("<!-- typed in FlashFusion -->").await?;
    app.wait_until(
        "document.querySelector('[data-testid=status-saved]').textContent.trim() === 'Unsaved'",
        Duration::from_secs(5),
    )
    .await?;
    app.ctrl("s").await?;
    app.wait_until(
        "document.querySelector('[data-testid=status-saved]').textContent.trim() === 'Saved'",
        Duration::from_secs(5),
    )
    .await?;
    let on_disk = std::fs::read_to_string(root.join("index.html"))?;
    ensure!(on_disk.trim_end().ends_with("<!-- typed in FlashFusion -->"), "file on disk: {on_disk}");
    ensure!(editor_text(&app).await? == on_disk, "editor and disk differ after save");

    // Rename with F2 in the tree.
    app.click("[data-testid=tree-item][data-path='index.html']").await?;
    app.client.active_element().await?.send_keys("\u{E031}").await?; // F2
    let input = app.find("[data-testid=rename-input]").await?;
    input.clear().await?;
    input.send_keys("home.html\u{E007}").await?; // Enter
    app.find("[data-testid=tree-item][data-path='home.html']").await?;
    ensure!(root.join("home.html").is_file() && !root.join("index.html").exists(), "rename did not reach the disk");
    app.find("[data-testid=tab][data-path='home.html']").await.context("the open tab should follow the rename")?;

    // Another program edits a file: the open, clean editor shows it.
    std::fs::write(root.join("home.html"), "<p>changed outside</p>\n")?;
    app.wait_until("window.__ffEditorView.state.doc.toString().includes('changed outside')", Duration::from_secs(10))
        .await
        .context("external change never reached the editor")?;

    app.screenshot(&artifacts().join("screenshot.png")).await?;
    app.quit().await?;

    // Restart: the project is in the recent list and opens again.
    let app = driver.launch(&[]).await?;
    let recent =
        app.find(&format!("[data-testid=recent-item][data-root='{}']", root.canonicalize()?.display())).await?;
    ensure!(recent.text().await?.contains("Launch Page"));
    recent.click().await?;
    app.find("[data-testid=tree-item][data-path='home.html']").await?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn unsaved_text_survives_kill_dash_nine() -> Result<()> {
    let sandbox = sandbox()?;
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    create_project(&app, "static-site", "Crashy", &sandbox.projects).await?;
    let root = sandbox.projects.join("Crashy");
    let original = std::fs::read_to_string(root.join("index.html"))?;

    open_file(&app, "index.html").await?;
    cursor_to_end(&app).await?;
    app.type_text("unsaved words that must survive").await?;
    ensure!(status_saved(&app).await? == "Unsaved");
    // The journal is debounced (~300 ms); give it a moment, as a user's
    // typing pause would, then kill the process without warning.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    app.kill_hard().await?;
    ensure!(
        std::fs::read_to_string(root.join("index.html"))? == original,
        "nothing was saved, so the file must be unchanged"
    );

    let app = driver.launch(&[]).await?;
    app.click(&format!("[data-testid=recent-item][data-root='{}']", root.canonicalize()?.display())).await?;
    app.find("[data-testid=restored-notice]").await?;
    app.find("[data-testid=tab][data-path='index.html'].dirty").await?;
    app.click("[data-testid=tab][data-path='index.html']").await?;
    let text = editor_text(&app).await?;
    ensure!(text.contains("unsaved words that must survive"), "restored text: {text}");
    ensure!(status_saved(&app).await? == "Unsaved");
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_passed_on_the_command_line_opens_with_its_file() -> Result<()> {
    let sandbox = sandbox()?;
    let project = sandbox.projects.join("cli");
    std::fs::create_dir_all(project.join("src"))?;
    std::fs::write(project.join("src/lib.rs"), "pub fn answer() -> u32 { 42 }\n")?;
    std::fs::write(project.join("Cargo.toml"), "[package]\nname = \"cli\"\n")?;
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[&project.to_string_lossy(), "src/lib.rs"]).await?;
    app.find("[data-testid=tab][data-path='src/lib.rs']").await?;
    app.wait_until("typeof window.__ffEditorReadyMs === 'number'", Duration::from_secs(10)).await?;
    ensure!(app.text("[data-testid=status-language]").await?.to_lowercase().contains("rust"));
    ensure!(editor_text(&app).await?.contains("answer() -> u32"));
    let highlighted = app.run("return document.querySelectorAll('.cm-content span[class]').length;", vec![]).await?;
    ensure!(highlighted.as_u64().unwrap_or(0) > 2, "no syntax highlighting spans: {highlighted}");
    app.quit().await
}
