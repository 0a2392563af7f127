//! The marketplace in the real window, against a real `flashfusion-server`
//! on loopback: search, open a template, read its README and preview a file,
//! use it as a new project, and edit that project.

use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_e2e::App;
use flashfusion_market::bundle;
use flashfusion_market::client::Client;
use flashfusion_market::types::TemplateFields;
use flashfusion_server::Config;
use serde_json::json;

use super::{editor_text, open_file, sandbox, ONE_AT_A_TIME};

const ADMIN: &str = "admin@example.com";
const PASSWORD: &str = "correct horse battery";

/// Publishes an approved template with two files through the real client.
async fn seed(url: &str, scratch: &std::path::Path) -> Result<i64> {
    let source = scratch.join("source");
    std::fs::create_dir_all(source.join("css"))?;
    std::fs::write(source.join("index.html"), "<!doctype html>\n<h1>Aurora portfolio</h1>\n")?;
    std::fs::write(source.join("css/site.css"), "body { color: rebeccapurple; }\n")?;
    let creator = Client::new(url, None)?.register("ada@example.com", "Ada", PASSWORD).await?;
    let creator = Client::new(url, Some(creator.token))?;
    let fields = TemplateFields {
        title: "Aurora portfolio".into(),
        description: "A one-page portfolio with a dark theme".into(),
        category: "landing-page".into(),
        tags: vec!["portfolio".into(), "static".into()],
        licence: "MIT".into(),
        price_cents: 0,
        readme: "# Aurora\n\nEdit `index.html` and deploy.".into(),
    };
    let template = creator.create_template(&fields).await?;
    let packed = bundle::pack(&source, &["index.html".into(), "css/site.css".into()])?;
    creator.upload_version(template.summary.id, "1.0.0", "first", &packed).await?;
    let admin = Client::new(url, None)?.register(ADMIN, "Admin", PASSWORD).await?;
    let approved = reqwest::Client::new()
        .post(format!("{url}/api/market/admin/templates/{}/approve", template.summary.id))
        .bearer_auth(admin.token)
        .send()
        .await?;
    ensure!(approved.status().is_success(), "approve: {}", approved.text().await?);
    Ok(template.summary.id)
}

async fn set_value(app: &App, css: &str, value: &str) -> Result<()> {
    let input = app.find(css).await?;
    input.clear().await?;
    input.send_keys(value).await.map_err(Into::into)
}

#[tokio::test(flavor = "multi_thread")]
async fn search_open_use_a_template_and_edit_the_new_project() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let mut config = Config::local(sandbox.data.join("server"));
    config.admins = vec![ADMIN.to_owned()];
    let server = flashfusion_server::start(config).await?;
    let url = server.http_url();
    let id = seed(&url, &sandbox.projects).await?;

    let driver = flashfusion_e2e::Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    app.click("[data-testid=open-market]").await?;
    app.find("#market-view").await?;
    app.click("#market-settings").await?;
    set_value(&app, "#market-server", &url).await?;
    app.click("#market-server-save").await?;

    set_value(&app, "#market-search", "portfolio").await?;
    let card = format!(".market-card[data-id='{id}']");
    app.find(&card).await.context("the search did not find the template")?;
    app.click(&card).await?;
    app.wait_until(
        "document.querySelector('#market-view')?.textContent.includes('Edit index.html and deploy')",
        Duration::from_secs(10),
    )
    .await
    .context("the README was not rendered")?;
    app.click(".market-file[data-path='css/site.css']").await?;
    app.wait_until(
        "document.querySelector('#market-preview')?.textContent.includes('rebeccapurple')",
        Duration::from_secs(10),
    )
    .await
    .context("the file preview did not show")?;

    app.click("#market-use").await?;
    set_value(&app, "#use-name", "my-portfolio").await?;
    set_value(&app, "#use-dir", &sandbox.projects.to_string_lossy()).await?;
    app.click("#use-confirm").await?;
    app.find("[data-testid=tree-item][data-path='index.html']").await.context("the new project did not open")?;
    let root = sandbox.projects.join("my-portfolio");
    ensure!(root.join("css/site.css").is_file(), "the template's files are in the new project");

    open_file(&app, "index.html").await?;
    app.run(
        "const view = window.__ffEditorView; view.dispatch({changes: {from: view.state.doc.length, insert: arguments[0]}}); return true;",
        vec![json!("<p>Hello from the e2e test</p>\n")],
    )
    .await?;
    app.ctrl("s").await?;
    app.wait_until(
        "document.querySelector('[data-testid=status-saved]').textContent.trim() === 'Saved'",
        Duration::from_secs(5),
    )
    .await?;
    let saved = std::fs::read_to_string(root.join("index.html"))?;
    ensure!(saved.contains("Aurora portfolio") && saved.contains("Hello from the e2e test"), "{saved}");
    ensure!(editor_text(&app).await?.contains("Hello from the e2e test"));
    app.quit().await?;
    server.shutdown().await
}
