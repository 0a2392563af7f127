//! Deployment in the real window: a starter project deployed to a git
//! remote (a real bare repository) and to Netlify (a local server speaking
//! Netlify's API), with the live build log, the recorded history, a
//! redeploy that uploads only the changed file, and a rollback.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_deploy::test_server::NetlifyFake;
use flashfusion_e2e::App;
use serde_json::json;

use super::{create_project, sandbox, ONE_AT_A_TIME};

const TOKEN: &str = "nfp_e2e";
const SITE: &str = "e2e-site";
const DEPLOY_TIMEOUT: Duration = Duration::from_secs(60);

/// Sets a form control's value the way typing would, so the form sees it.
async fn set_value(app: &App, css: &str, value: &str) -> Result<()> {
    app.find(css).await?;
    app.run(
        "const input = document.querySelector(arguments[0]); input.value = arguments[1]; \
         input.dispatchEvent(new Event('input', {bubbles: true})); \
         input.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![json!(css), json!(value)],
    )
    .await
    .map(drop)
}

/// Adds a target through the form and returns its id.
async fn add_target(app: &App, platform: &str, fields: &[(&str, &str)]) -> Result<String> {
    app.click("#target-add").await?;
    set_value(app, "#target-platform", platform).await?;
    for (css, value) in fields {
        set_value(app, css, value).await?;
    }
    app.click("#target-save").await?;
    let id = app
        .wait_until(
            &format!("document.querySelector(\".target[data-platform='{platform}']\")?.dataset.id"),
            Duration::from_secs(10),
        )
        .await
        .with_context(|| format!("the {platform} target did not appear"))?;
    id.as_str().map(str::to_owned).context("a target without an id")
}

/// The ids of a target's deployments in a given state, newest first.
async fn deployments(app: &App, target: &str, state: &str) -> Result<Vec<String>> {
    let ids = app
        .run(
            "return [...document.querySelectorAll(`.deployment[data-target='${arguments[0]}'][data-state='${arguments[1]}']`)].map((row) => row.dataset.id);",
            vec![json!(target), json!(state)],
        )
        .await?;
    Ok(serde_json::from_value(ids)?)
}

/// Deploys `target` from its row and waits for the run to end live; returns
/// the run's log.
async fn deploy(app: &App, target: &str, ready_before: usize) -> Result<String> {
    app.click(&format!(".target[data-id='{target}'] .target-deploy")).await?;
    app.wait_until(
        &format!(
            "document.querySelector('#deploy-run')?.dataset.target === '{target}' && \
             document.querySelector('#deploy-run').dataset.state !== 'running' && \
             document.querySelectorAll(\".deployment[data-target='{target}'][data-state='ready']\").length > {ready_before}"
        ),
        DEPLOY_TIMEOUT,
    )
    .await
    .context("the deployment did not finish")?;
    let state = app.run("return document.querySelector('#deploy-run').dataset.state;", vec![]).await?;
    let log = app.text("#deploy-log").await?;
    ensure!(state == "ready", "the run ended {state}:\n{log}");
    Ok(log)
}

fn remote_branch(bare: &Path, branch: &str) -> Result<String> {
    let output = Command::new("git").arg("--git-dir").arg(bare).args(["rev-parse", branch]).output()?;
    ensure!(output.status.success(), "{branch} is not on the remote: {}", String::from_utf8_lossy(&output.stderr));
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_starter_project_deploys_to_a_git_remote_and_netlify_and_rolls_back() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let fake = NetlifyFake::start(TOKEN, SITE).await?;
    let bare = sandbox.projects.join("remote.git");
    ensure!(Command::new("git").args(["init", "--bare", "--quiet"]).arg(&bare).status()?.success());
    let driver = flashfusion_e2e::Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    create_project(&app, "static-site", "launch", &sandbox.projects).await?;
    let project = sandbox.projects.join("launch");

    app.click("#deploy-open").await?;
    app.find("#deploy-panel").await?;

    let remote = add_target(&app, "git_remote", &[("#target-site", &format!("file://{}", bare.display()))]).await?;
    let log = deploy(&app, &remote, 0).await?;
    ensure!(log.contains("Pushed"), "the build log shows the push:\n{log}");
    let pushed = remote_branch(&bare, "main")?;
    ensure!(project.join(".git").is_dir(), "the project got a repository");
    app.wait_until("document.querySelectorAll('.git-history li').length >= 1", Duration::from_secs(10))
        .await
        .context("the deploy commit is not in the git history")?;

    let netlify = add_target(
        &app,
        "netlify",
        &[("#target-site", SITE), ("#target-api-base", &fake.base), ("#target-token", TOKEN)],
    )
    .await?;
    let log = deploy(&app, &netlify, 0).await?;
    ensure!(
        log.contains("Netlify: ready") && log.contains("Live at https://"),
        "the platform's states reach the log:\n{log}"
    );
    let first = deployments(&app, &netlify, "ready").await?;
    ensure!(first.len() == 1, "one Netlify deployment is recorded: {first:?}");
    let first_published = fake.published().context("nothing was published")?;

    std::fs::write(project.join("index.html"), "<!doctype html><title>launch</title><h1>Version two</h1>\n")?;
    fake.common.clear_requests();
    deploy(&app, &netlify, 1).await?;
    let uploads = fake.common.count("PUT ");
    ensure!(uploads == 1, "only the changed file is uploaded, not {uploads}: {:?}", fake.common.requests());
    ensure!(fake.published().as_deref() != Some(&*first_published), "the new deploy is live");
    ensure!(remote_branch(&bare, "main")? == pushed, "deploying to Netlify leaves the git remote alone");

    app.click(&format!(".deployment[data-id='{}'] .rollback", first[0])).await?;
    app.click("[data-testid=modal] [data-action=rollback]").await?;
    app.wait_until(
        &format!(
            "document.querySelectorAll(\".deployment[data-target='{netlify}'][data-state='ready']\").length === 3"
        ),
        DEPLOY_TIMEOUT,
    )
    .await
    .context("the rollback was not recorded")?;
    ensure!(fake.published().as_deref() == Some(&*first_published), "the first deploy is live again");
    app.quit().await
}
