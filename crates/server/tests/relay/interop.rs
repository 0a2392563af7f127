//! Interoperability with the real Yjs ecosystem (npm packages in
//! tests/interop, installed by scripts/setup.sh):
//! - two `yjs` + `y-websocket` clients and our Rust client converge on text
//!   and awareness through our server, both ways;
//! - our Rust client works against the reference `@y/websocket-server@0.1.1`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use flashfusion_collab::client::SyncClient;
use tokio::process::Command;

use crate::support::{start, WAIT};

fn interop_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop");
    assert!(dir.join("node_modules/yjs").is_dir(), "run `npm ci` in {} first (scripts/setup.sh does)", dir.display());
    dir
}

#[tokio::test]
async fn yjs_clients_and_our_client_converge_through_our_server() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (editor, _) = server.guest(&owner, &room, "editor", "Yjs").await;

    let node = Command::new("node")
        .current_dir(interop_dir())
        .arg("yjs-peers.mjs")
        .arg(format!("{}/rooms", server.server.ws_url()))
        .args([&room, &owner, &editor])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node is required");

    let rust = server.client(&room, &owner).await;
    rust.set_awareness(r#"{"user":{"name":"rust"}}"#).unwrap();
    rust.insert_text("doc", 0, "from-rust;");
    rust.wait_until(WAIT * 2, |c| {
        let text = c.text("doc");
        text.contains("from-yjs-a;") && text.contains("from-yjs-b;")
    })
    .await
    .unwrap();
    rust.wait_until(WAIT, |c| {
        let names: Vec<_> = c.state().awareness.values().cloned().collect();
        names.iter().any(|s| s.contains("yjs-a")) && names.iter().any(|s| s.contains("yjs-b"))
    })
    .await
    .unwrap();
    rust.set_awareness(r#"{"user":{"name":"rust-done"}}"#).unwrap();

    let output = tokio::time::timeout(Duration::from_secs(30), node.wait_with_output()).await.unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the Yjs peers failed: {stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["text"].as_str().unwrap(), rust.text("doc"), "Yjs and Rust ended with different text");
}

#[tokio::test]
async fn our_client_works_against_the_reference_server() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut reference = Command::new("node")
        .current_dir(interop_dir())
        .arg("node_modules/@y/websocket-server/src/server.js")
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("node is required");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "the reference server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let url = format!("ws://127.0.0.1:{port}/interop-room");
    let a = SyncClient::connect(&url).await.unwrap();
    let b = SyncClient::connect(&url).await.unwrap();
    for client in [&a, &b] {
        client.wait_until(WAIT, |c| c.state().synced).await.unwrap();
    }
    a.insert_text("doc", 0, "hello from a");
    b.wait_until(WAIT, |c| c.text("doc") == "hello from a").await.unwrap();
    b.insert_text("doc", 0, "b says: ");
    a.wait_until(WAIT, |c| c.text("doc") == "b says: hello from a").await.unwrap();

    a.set_awareness(r#"{"user":{"name":"a"}}"#).unwrap();
    let a_id = a.doc().client_id().get();
    b.wait_until(WAIT, |c| c.state().awareness.get(&a_id).is_some_and(|s| s.contains("\"a\""))).await.unwrap();
    // A late joiner gets the document from the reference server.
    let c = SyncClient::connect(&url).await.unwrap();
    c.wait_until(WAIT, |c| c.text("doc") == "b says: hello from a").await.unwrap();
    reference.kill().await.unwrap();
}
