use serde_json::json;

use crate::support::{start, WAIT};

#[tokio::test]
async fn two_clients_converge_on_text_and_awareness() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (editor, _) = server.guest(&owner, &room, "editor", "Eve").await;

    let a = server.client(&room, &owner).await;
    let b = server.client(&room, &editor).await;
    a.insert_text("main.rs", 0, "fn main() {}");
    b.wait_until(WAIT, |c| c.text("main.rs") == "fn main() {}").await.unwrap();
    b.insert_text("main.rs", 11, " println!(\"hi\"); ");
    a.insert_text("main.rs", 0, "// entry\n");
    let expected = "// entry\nfn main() { println!(\"hi\"); }";
    a.wait_until(WAIT, |c| c.text("main.rs") == expected).await.unwrap();
    b.wait_until(WAIT, |c| c.text("main.rs") == expected).await.unwrap();

    // Awareness reaches everyone, the sender included, and leaves with it.
    a.set_awareness(r#"{"user":{"name":"Owner"},"cursor":3}"#).unwrap();
    let a_id = a.doc().client_id().get();
    b.wait_until(WAIT, |c| c.state().awareness.get(&a_id).is_some_and(|s| s.contains("Owner"))).await.unwrap();
    a.wait_until(WAIT, |c| c.state().awareness.contains_key(&a_id)).await.unwrap();
    drop(a);
    b.wait_until(WAIT, |c| !c.state().awareness.contains_key(&a_id)).await.unwrap();

    // A late joiner gets the whole document.
    let c = server.client(&room, &owner).await;
    assert_eq!(c.text("main.rs"), expected);
}

#[tokio::test]
async fn versions_are_saved_listed_and_restored_to_every_client() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let a = server.client(&room, &owner).await;
    let b = server.client(&room, &owner).await;

    // Files live in the `files` map as Y.Text.
    let files = a.doc().get_or_insert_map("files");
    {
        use yrs::{Map, Transact};
        let mut txn = a.doc().transact_mut();
        files.insert(&mut txn, "index.html", yrs::TextPrelim::new("<h1>v1</h1>"));
    }
    b.wait_until(WAIT, |c| flashfusion_server::versions::read_files(c.doc()).len() == 1).await.unwrap();
    let (status, version) =
        server.post(&format!("/api/rooms/{room}/versions"), Some(&owner), json!({ "message": "first" })).await;
    assert_eq!(status, 201, "{version}");
    let version_id = version["id"].as_i64().unwrap();

    {
        use yrs::{Map, Transact};
        let mut txn = a.doc().transact_mut();
        files.insert(&mut txn, "index.html", yrs::TextPrelim::new("<h1>v2</h1>"));
        files.insert(&mut txn, "extra.css", yrs::TextPrelim::new("body{}"));
    }
    b.wait_until(WAIT, |c| flashfusion_server::versions::read_files(c.doc()).len() == 2).await.unwrap();

    let (status, listed) =
        server.call(reqwest::Method::GET, &format!("/api/rooms/{room}/versions"), &owner, None).await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["message"], "first");
    let (_, old) =
        server.call(reqwest::Method::GET, &format!("/api/rooms/{room}/versions/{version_id}"), &owner, None).await;
    assert_eq!(old["files"], json!({ "index.html": "<h1>v1</h1>" }));

    let (status, _) =
        server.post(&format!("/api/rooms/{room}/versions/{version_id}/restore"), Some(&owner), json!({})).await;
    assert_eq!(status, 204);
    for client in [&a, &b] {
        client
            .wait_until(WAIT, |c| {
                let files = flashfusion_server::versions::read_files(c.doc());
                files.len() == 1 && files.get("index.html").is_some_and(|t| t == "<h1>v1</h1>")
            })
            .await
            .unwrap();
    }
    let (_, activity) = server.call(reqwest::Method::GET, &format!("/api/rooms/{room}/activity"), &owner, None).await;
    let kinds: Vec<_> = activity.as_array().unwrap().iter().map(|a| a["kind"].as_str().unwrap().to_owned()).collect();
    assert!(kinds.contains(&"version_saved".into()) && kinds.contains(&"version_restored".into()), "{kinds:?}");
}

#[tokio::test]
async fn health_and_metrics_are_served() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let client = server.client(&room, &owner).await;
    client.insert_text("t", 0, "x");
    let health = server.http.get(server.url("/healthz")).send().await.unwrap().text().await.unwrap();
    assert_eq!(health, "ok");
    let metrics = server.http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("flashfusion_connections 1"), "{metrics}");
    assert!(metrics.contains("flashfusion_rooms_loaded 1"), "{metrics}");
    assert!(metrics.contains("# TYPE flashfusion_messages_received_total counter"), "{metrics}");
}

#[tokio::test]
async fn rooms_being_edited_get_automatic_checkpoints() {
    let data = tempfile::tempdir().unwrap();
    let mut config = flashfusion_server::Config::local(data.path().to_path_buf());
    config.checkpoint_secs = 1;
    let server = flashfusion_server::start(config).await.unwrap();
    let test = crate::support::TestServer { server, _data: data, http: reqwest::Client::new() };
    let owner = test.account("owner").await;
    let room = test.room(&owner).await;
    let client = test.client(&room, &owner).await;
    client.insert_text("doc", 0, "edited");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let (_, listed) = test.call(reqwest::Method::GET, &format!("/api/rooms/{room}/versions"), &owner, None).await;
    let versions = listed.as_array().unwrap();
    // One checkpoint for the edit, none for the idle second after it.
    assert_eq!(versions.len(), 1, "{listed}");
    assert_eq!(versions[0]["automatic"], true);
}
