//! A real `kill -9` of the server process: nothing any client saw is lost.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::WAIT;

struct Process {
    child: std::process::Child,
    url: String,
}

fn spawn(data: &std::path::Path, port: u16) -> Process {
    let child = Command::new(env!("CARGO_BIN_EXE_flashfusion-server"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data)
        .env("FLASHFUSION_SERVER_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Process { child, url: format!("http://127.0.0.1:{port}") }
}

#[tokio::test]
async fn kill_dash_nine_loses_no_update_a_client_has_seen() {
    let data = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut process = spawn(data.path(), port);
    let socket = crate::support::owner_room_socket(&process.url).await;

    let writer = flashfusion_collab::client::SyncClient::connect(&socket).await.unwrap();
    let watcher = flashfusion_collab::client::SyncClient::connect(&socket).await.unwrap();
    let mut expected = String::new();
    for index in 0..300u32 {
        writer.insert_text("doc", index, "k");
        expected.push('k');
    }
    // Everything the watcher has seen was durable before it was forwarded.
    watcher.wait_until(WAIT, |c| c.text("doc") == expected).await.unwrap();
    let seen = watcher.text("doc");

    Command::new("kill").args(["-KILL", &process.child.id().to_string()]).status().unwrap();
    process.child.wait().unwrap();
    drop((writer, watcher));

    let mut process = spawn(data.path(), port);
    let fresh = flashfusion_collab::client::SyncClient::connect(&socket).await.unwrap();
    fresh.wait_until(WAIT, |c| c.state().synced).await.unwrap();
    assert_eq!(fresh.text("doc"), seen);
    process.child.kill().unwrap();
    process.child.wait().unwrap();
}
