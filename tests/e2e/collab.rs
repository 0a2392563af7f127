//! Collaboration in the real window with a second peer: our Rust client, the
//! same code another app runs. The window shares a project (hosting the relay
//! itself) and the peer joins from the invite link; then the window joins a
//! session from a pasted link.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use flashfusion_collab::rest::CollabRole;
use flashfusion_collab::service::Host;
use flashfusion_collab::session::TextChange;
use flashfusion_e2e::{App, CollabPeer as Peer, Driver};
use flashfusion_server::Config;

use super::{create_project, cursor_to_end, editor_text, open_file, sandbox, ONE_AT_A_TIME};

const WAIT: Duration = Duration::from_secs(20);

/// Polls the peer until `check` holds.
async fn until(peer: &Peer, what: &str, check: impl Fn(&Peer) -> bool) -> Result<()> {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check(peer) {
        ensure!(tokio::time::Instant::now() < deadline, "the peer timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

async fn palette(app: &App, command: &str) -> Result<()> {
    app.client.active_element().await?.send_keys("\u{E009}\u{E008}p").await?;
    app.find("[data-testid=palette-input]").await?;
    app.type_text(&format!("{command}\u{E007}")).await
}

async fn set_value(app: &App, css: &str, value: &str) -> Result<()> {
    let input = app.find(css).await?;
    input.clear().await?;
    input.send_keys(value).await.map_err(Into::into)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_peer_joins_from_the_invite_and_edits_cursors_and_comments_flow_both_ways() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    create_project(&app, "static-site", "Team Site", &sandbox.projects).await?;
    open_file(&app, "index.html").await?;

    // Share, hosting the relay in the app; an editor invite for 7 days.
    app.click("[data-testid=collab-share]").await?;
    app.find(".collab-share-dialog").await?;
    app.run(
        "const host = document.querySelector('[data-testid=collab-host]'); host.value = 'local'; \
         host.dispatchEvent(new Event('change', {bubbles: true})); return true;",
        vec![],
    )
    .await?;
    app.click("[data-testid=collab-share-submit]").await?;
    let link = app
        .wait_until("document.querySelector('[data-testid=collab-invite-link]')?.value", WAIT)
        .await?
        .as_str()
        .context("no invite link")?
        .to_owned();
    ensure!(link.starts_with("flashfusion://join?"), "link: {link}");
    ensure!(link.contains(&driver.host_port.to_string()), "the link names the local relay's port: {link}");
    app.client.active_element().await?.send_keys("\u{E00C}").await?; // Escape closes the dialog

    let peer = Peer::join(&link, "Pat").await?;
    until(&peer, "the peer has the shared files", |peer| peer.text("index.html").is_some()).await?;
    app.wait_until("document.querySelector('[data-testid=collab-status]')?.dataset.state === 'connected'", WAIT)
        .await
        .context("status bar does not say connected")?;

    // The peer types at the top and puts its cursor there: the window shows both.
    let session = peer.session()?;
    session.edit("index.html", None, &[TextChange { from: 0, to: 0, insert: "<!-- from Pat -->\n".into() }])?;
    session.set_cursor(Some("index.html"), 5, 5, true);
    app.wait_until("window.__ffEditorView.state.doc.toString().startsWith('<!-- from Pat -->')", WAIT)
        .await
        .context("the peer's text did not reach the editor")?;
    app.wait_until(
        "[...document.querySelectorAll('.cm-remote-cursor-label')].some(label => label.textContent.includes('Pat'))",
        WAIT,
    )
    .await
    .context("no cursor label for the peer")?;

    // Typing in the window reaches the peer.
    cursor_to_end(&app).await?;
    app.type_text("<p>typed in the app</p>").await?;
    until(&peer, "the window's typing arrives", |peer| {
        peer.text("index.html").is_some_and(|text| text.contains("<p>typed in the app</p>"))
    })
    .await?;
    let text = editor_text(&app).await?;
    ensure!(Some(&text) == peer.text("index.html").as_ref(), "the window and the peer differ:\n{text}");

    // A comment on the first line, added in the window, reaches the peer.
    app.run(
        "const view = window.__ffEditorView; view.dispatch({selection: {anchor: 0}}); view.focus(); return true;",
        vec![],
    )
    .await?;
    palette(&app, "Add comment on this line").await?;
    set_value(&app, "[data-testid=comment-new-input]", "Can we keep this banner? @Pat").await?;
    app.click("[data-testid=comment-new-submit]").await?;
    until(&peer, "the comment arrives", |peer| {
        peer.session().is_ok_and(|session| {
            session.threads().iter().any(|thread| {
                thread.line == 1 && thread.comments.first().is_some_and(|c| c.body.contains("keep this banner"))
            })
        })
    })
    .await?;
    app.find("[data-testid=comment-marker]").await.context("no gutter marker for the thread")?;
    app.quit().await
}

#[tokio::test(flavor = "multi_thread")]
async fn joining_from_a_pasted_invite_link_opens_the_shared_files_live() -> Result<()> {
    let _turn = ONE_AT_A_TIME.lock().await;
    let sandbox = sandbox()?;
    // The team's relay, and its owner sharing a project from their machine.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    let mut config = Config::local(sandbox.data.join("relay"));
    config.listen = addr;
    config.public_url = format!("http://{addr}");
    config.local_owner = Some("Olivia".into());
    let relay = flashfusion_server::start(config).await?;
    let owner = Peer::new()?;
    let files = BTreeMap::from([
        ("README.md".to_owned(), "# Team notes\n".to_owned()),
        ("src/app.js".to_owned(), "console.log('hi');\n".to_owned()),
    ]);
    let host = Host {
        server: relay.http_url(),
        token: relay.owner_token.clone().context("owner token")?,
        hosted_locally: false,
    };
    owner.collab.share(owner.project, owner.root.path(), "Notes", files, host).await?;
    let invite = owner.collab.invite(owner.project, CollabRole::Editor, "7d", None).await?;
    let link = invite.link.context("invite link")?;

    let driver = Driver::start(&sandbox.data)?;
    let app = driver.launch(&[]).await?;
    app.find("[data-testid=welcome]").await?;
    set_value(&app, "[data-testid=welcome-join-link]", &link).await?;
    app.click("[data-testid=welcome-join]").await?;
    set_value(&app, "[data-testid=collab-join-name]", "Ann").await?;
    app.click("[data-testid=collab-join-submit]").await?;
    app.find("[data-testid=tree-item][data-path='README.md']").await.context("the shared files are not in the tree")?;
    open_file(&app, "README.md").await?;
    ensure!(editor_text(&app).await? == "# Team notes\n");

    owner.session()?.edit("README.md", None, &[TextChange { from: 13, to: 13, insert: "Olivia was here\n".into() }])?;
    app.wait_until("window.__ffEditorView.state.doc.toString().includes('Olivia was here')", WAIT)
        .await
        .context("the owner's edit did not reach the joined window")?;
    app.quit().await?;
    relay.shutdown().await
}
