//! End-to-end tests on the real app window (tauri-driver + WebKitWebDriver
//! under Xvfb). Each test has its own data folder and projects folder, and
//! they take turns (one window at a time keeps timings and focus sane on a
//! small machine): `xvfb-run -a cargo test -p flashfusion-e2e --test e2e`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_e2e::{App, Driver};

mod assistant;
mod collab;
mod deploy;
mod learn;
mod market;

struct Sandbox {
    _temp: tempfile::TempDir,
    data: PathBuf,
    projects: PathBuf,
}

/// Held for the length of each test: one app window at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

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
    let _turn = ONE_AT_A_TIME.lock().await;
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
    app.client.active_element().await?.send_keys("\u{E032}").await?; // F2
    app.find("[data-testid=rename-input]").await?;
    // The input is focused with the name selected: select all, type, Enter.
    app.ctrl("a").await?;
    app.type_text("home.html\u{E007}").await?;
    app.find("[data-testid=tree-item][data-path='home.html']").await?;
    ensure!(root.join("home.html").is_file() && !root.join("index.html").exists(), "rename did not reach the disk");
    app.find("[data-testid=tab][data-path='home.html']").await.context("the open tab should follow the rename")?;

    // Another program edits a file: the open, clean editor shows it.
    std::fs::write(root.join("home.html"), "<p>changed outside</p>\n")?;
    app.wait_until("window.__ffEditorView.state.doc.toString().includes('changed outside')", Duration::from_secs(10))
        .await
        .context("external change never reached the editor")?;

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
    let _turn = ONE_AT_A_TIME.lock().await;
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
    let _turn = ONE_AT_A_TIME.lock().await;
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

#[tokio::test(flavor = "multi_thread")]
async fn a_file_changed_on_disk_under_unsaved_edits_asks_and_never_overwrites_silently() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    create_project(&app, "static-site", "Contested", &sandbox.projects).await?;
    let file = sandbox.projects.join("Contested/styles.css");

    open_file(&app, "styles.css").await?;
    cursor_to_end(&app).await?;
    app.type_text("/* mine */").await?;
    std::fs::write(&file, "/* theirs */\n")?;

    // The editor asks; keeping my changes leaves the disk alone.
    app.find("[data-testid=modal]").await.context("no prompt for a change on disk under unsaved edits")?;
    app.click("[data-testid=modal] [data-action=keep]").await?;
    ensure!(editor_text(&app).await?.contains("/* mine */"));
    ensure!(std::fs::read_to_string(&file)? == "/* theirs */\n");

    // Saving now is a conflict: the prompt offers to overwrite.
    app.click(".cm-content").await?;
    app.ctrl("s").await?;
    app.click("[data-testid=modal] [data-action=overwrite]").await.context("no conflict prompt on save")?;
    app.wait_until(
        "document.querySelector('[data-testid=status-saved]').textContent.trim() === 'Saved'",
        Duration::from_secs(5),
    )
    .await?;
    let saved = std::fs::read_to_string(&file)?;
    ensure!(saved.contains("/* mine */") && !saved.contains("theirs"), "after overwrite: {saved}");
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn quick_open_palette_and_theme_work_from_the_keyboard() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    app.find("[data-testid=welcome]").await?;
    app.click("[data-testid=template-option][data-template='react-vite']").await?;
    let name = app.find("[data-testid=new-project-name]").await?;
    name.clear().await?;
    name.send_keys("Notes App").await?;
    let dir = app.find("[data-testid=new-project-dir]").await?;
    dir.clear().await?;
    dir.send_keys(&sandbox.projects.to_string_lossy()).await?;
    app.click("[data-testid=create-project]").await?;
    app.find("[data-testid=tree-item][data-path='src']").await?;

    // Quick open: fuzzy "apptsx" finds src/App.tsx.
    app.click("[data-testid=tree-item][data-path='package.json']").await?;
    app.ctrl("p").await?;
    app.find("[data-testid=palette-input]").await?;
    app.type_text("apptsx\u{E007}").await?;
    app.find("[data-testid=tab][data-path='src/App.tsx']").await.context("quick open did not open src/App.tsx")?;
    ensure!(
        app.text("[data-testid=status-language]").await?.to_lowercase().contains("typescript")
            || app.text("[data-testid=status-language]").await?.to_lowercase().contains("tsx")
    );

    // Go to line.
    app.click(".cm-content").await?;
    app.ctrl("g").await?;
    app.type_text("5\u{E007}").await?;
    app.wait_until(
        "document.querySelector('[data-testid=status-position]').textContent.includes('Ln 5,')",
        Duration::from_secs(5),
    )
    .await?;

    // Multiple cursors: Ctrl+D twice on line 5's "import" selects it and the next one.
    app.ctrl("d").await?;
    app.ctrl("d").await?;
    app.wait_until(
        "document.querySelector('[data-testid=status-position]').textContent.includes('2 cursors')",
        Duration::from_secs(5),
    )
    .await
    .context("Ctrl+D did not add a cursor")?;
    app.client.active_element().await?.send_keys("\u{E00C}").await?; // Escape: back to one cursor

    // The README's screenshot: two files open, the default theme.
    open_file(&app, "src/main.tsx").await?;
    app.click("[data-testid=tab][data-path='src/App.tsx']").await?;
    app.wait_until(
        "document.querySelector('.cm-content').textContent.includes('export default')",
        Duration::from_secs(5),
    )
    .await?;
    app.screenshot(&artifacts().join("screenshot.png")).await?;

    // The command palette toggles the theme, and the choice persists.
    let before = app.run("return document.documentElement.dataset.theme;", vec![]).await?;
    app.client.active_element().await?.send_keys("\u{E009}\u{E008}p").await?;
    app.find("[data-testid=palette-input]").await?;
    app.type_text("toggle theme\u{E007}").await?;
    let after = app.run("return document.documentElement.dataset.theme;", vec![]).await?;
    ensure!(before != after, "theme stayed {before}");
    app.quit().await?;

    let app = driver.launch(&[]).await?;
    let persisted = app.run("return document.documentElement.dataset.theme;", vec![]).await?;
    ensure!(persisted == after, "theme after restart: {persisted}, expected {after}");
    app.quit().await
}
