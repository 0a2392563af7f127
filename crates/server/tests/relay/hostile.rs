use flashfusion_collab::client::SyncClient;

use crate::support::{start, WAIT};

/// Connects, lets the handshake settle, sends `frame`, and returns the close code.
async fn close_code_after(url: &str, frame: Vec<u8>) -> u16 {
    let client = SyncClient::connect(url).await.unwrap();
    client.wait_until(WAIT, |c| c.state().synced).await.unwrap();
    client.send_raw(frame).unwrap();
    client.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    let code = client.state().closed.as_ref().unwrap().0;
    code
}

#[tokio::test]
async fn malformed_frames_close_only_the_sender() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let bystander = server.client(&room, &owner).await;
    let url = server.socket_url(&room, &owner);

    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty frame", vec![]),
        ("unknown message type", vec![9]),
        ("unknown sync type", vec![0, 7, 0]),
        ("varint that never ends", vec![0xff; 16]),
        ("length past the end", vec![0, 2, 0xff, 0xff, 0x03, 1, 2]),
        ("truncated awareness", vec![1, 5, 1, 1]),
        ("update that is not an update", vec![0, 2, 4, 0xde, 0xad, 0xbe, 0xef]),
        ("state vector that is not one", vec![0, 0, 3, 0xff, 0xff, 0xff]),
        ("trailing bytes", vec![3, 3, 3]),
    ];
    for (name, frame) in cases {
        assert_eq!(close_code_after(&url, frame).await, 4400, "{name}");
    }

    // Random bytes: whatever they decode to, the server stays up and the
    // bystander keeps syncing.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..20 {
        let frame: Vec<u8> = (0..(seed % 40 + 1))
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let client = SyncClient::connect(&url).await.unwrap();
        client.send_raw(frame).unwrap();
    }
    let other = server.client(&room, &owner).await;
    bystander.insert_text("doc", 0, "still here");
    other.wait_until(WAIT, |c| c.text("doc") == "still here").await.unwrap();
    assert!(bystander.state().closed.is_none());
}

#[tokio::test]
async fn an_oversized_frame_is_closed_with_a_reason() {
    let data = tempfile::tempdir().unwrap();
    let mut config = flashfusion_server::Config::local(data.path().to_path_buf());
    config.max_frame_bytes = 64 * 1024;
    let server = flashfusion_server::start(config).await.unwrap();
    let test = crate::support::TestServer { server, _data: data, http: reqwest::Client::new() };
    let owner = test.account("owner").await;
    let room = test.room(&owner).await;
    let client = test.client(&room, &owner).await;
    client.insert_text("doc", 0, &"x".repeat(100 * 1024));
    client.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    let (code, reason) = client.state().closed.clone().unwrap();
    assert_eq!(code, 4413);
    assert!(reason.contains("exceeds the limit"), "{reason}");
}

#[tokio::test]
async fn flooding_is_cut_off_with_4429() {
    let data = tempfile::tempdir().unwrap();
    let mut config = flashfusion_server::Config::local(data.path().to_path_buf());
    config.messages_per_second = 20;
    let server = flashfusion_server::start(config).await.unwrap();
    let test = crate::support::TestServer { server, _data: data, http: reqwest::Client::new() };
    let owner = test.account("owner").await;
    let room = test.room(&owner).await;
    let client = test.client(&room, &owner).await;
    for index in 0..200 {
        client.insert_text("doc", index, "x");
    }
    client.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    assert_eq!(client.state().closed.as_ref().unwrap().0, 4429);
}

async fn server_with(configure: impl FnOnce(&mut flashfusion_server::Config)) -> crate::support::TestServer {
    let data = tempfile::tempdir().unwrap();
    let mut config = flashfusion_server::Config::local(data.path().to_path_buf());
    configure(&mut config);
    let server = flashfusion_server::start(config).await.unwrap();
    crate::support::TestServer { server, _data: data, http: reqwest::Client::new() }
}

#[tokio::test]
async fn a_full_room_refuses_more_connections_with_4409() {
    let test = server_with(|config| config.max_connections_per_room = 2).await;
    let owner = test.account("owner").await;
    let room = test.room(&owner).await;
    let _first = test.client(&room, &owner).await;
    let _second = test.client(&room, &owner).await;
    let third = SyncClient::connect(&test.socket_url(&room, &owner)).await.unwrap();
    third.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    assert_eq!(third.state().closed.as_ref().unwrap().0, 4409);
}

#[tokio::test]
async fn an_awareness_flood_is_cut_off_and_others_are_told_it_left() {
    let test = server_with(|config| config.awareness_per_second = 5).await;
    let owner = test.account("owner").await;
    let room = test.room(&owner).await;
    let watcher = test.client(&room, &owner).await;
    let flooder = test.client(&room, &owner).await;
    for cursor in 0..100 {
        flooder.set_awareness(&format!(r#"{{"cursor":{cursor}}}"#)).unwrap();
    }
    flooder.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    assert_eq!(flooder.state().closed.as_ref().unwrap().0, 4429);
    let id = flooder.doc().client_id().get();
    watcher.wait_until(WAIT, |c| !c.state().awareness.contains_key(&id)).await.unwrap();
    assert!(watcher.state().closed.is_none());
}

#[tokio::test]
async fn an_idle_room_unloads_and_reloads_with_its_document() {
    let test = server_with(|config| config.unload_after_secs = 0).await;
    let owner = test.account("owner").await;
    let room = test.room(&owner).await;
    let client = test.client(&room, &owner).await;
    client.insert_text("doc", 0, "kept across unloads");
    let metrics = || async { test.http.get(test.url("/metrics")).send().await.unwrap().text().await.unwrap() };
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    drop(client);
    let deadline = std::time::Instant::now() + WAIT;
    while !metrics().await.contains("flashfusion_rooms_loaded 0") {
        assert!(std::time::Instant::now() < deadline, "the room never unloaded");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let again = test.client(&room, &owner).await;
    assert_eq!(again.text("doc"), "kept across unloads");
}
