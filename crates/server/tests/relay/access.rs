use std::time::Duration;

use flashfusion_collab::client::SyncClient;
use reqwest::Method;
use serde_json::json;

use crate::support::{start, WAIT};

#[tokio::test]
async fn a_viewer_can_read_but_its_edits_are_refused_and_never_stored() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (viewer, _) = server.guest(&owner, &room, "viewer", "Vic").await;

    let writer = server.client(&room, &owner).await;
    writer.insert_text("doc", 0, "hello");
    let reader = server.client(&room, &viewer).await;
    reader.wait_until(WAIT, |c| c.text("doc") == "hello").await.unwrap();

    reader.insert_text("doc", 0, "HACKED ");
    reader.wait_until(WAIT, |c| !c.state().denied.is_empty()).await.unwrap();
    assert!(reader.state().denied[0].contains("viewers cannot edit"));
    writer.insert_text("doc", 5, "!");
    reader.wait_until(WAIT, |c| c.text("doc").ends_with("hello!")).await.unwrap();
    assert_eq!(writer.text("doc"), "hello!", "a viewer's edit reached an editor");

    // Not stored either: a fresh client after the room reloads sees none of it.
    drop(reader);
    let fresh = server.client(&room, &owner).await;
    assert_eq!(fresh.text("doc"), "hello!");
    // The viewer's connection stays open (refused, not disconnected) and awareness works.
    let reader = server.client(&room, &viewer).await;
    reader.set_awareness(r#"{"user":{"name":"Vic"}}"#).unwrap();
    let id = reader.doc().client_id().get();
    writer.wait_until(WAIT, |c| c.state().awareness.contains_key(&id)).await.unwrap();
}

#[tokio::test]
async fn a_viewers_offline_edits_in_the_handshake_are_refused() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (viewer, _) = server.guest(&owner, &room, "viewer", "Vic").await;
    let writer = server.client(&room, &owner).await;
    writer.insert_text("doc", 0, "original");

    // The viewer's document already holds changes: its sync step 2 carries them.
    let doc = flashfusion_collab::client::new_doc();
    {
        use yrs::{Text, Transact};
        let text = doc.get_or_insert_text("doc");
        text.insert(&mut doc.transact_mut(), 0, "offline edit ");
    }
    let reader = SyncClient::connect_with_doc(&server.socket_url(&room, &viewer), doc).await.unwrap();
    reader.wait_until(WAIT, |c| !c.state().denied.is_empty()).await.unwrap();
    writer.insert_text("doc", 8, "!");
    reader.wait_until(WAIT, |c| c.text("doc").contains("original!")).await.unwrap();
    assert_eq!(writer.text("doc"), "original!");
}

async fn close_code(url: &str) -> (u16, String) {
    let client = SyncClient::connect(url).await.unwrap();
    client.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    let closed = client.state().closed.clone().unwrap();
    closed
}

#[tokio::test]
async fn bad_tokens_and_strangers_are_closed_with_4400_range_codes() {
    let server = start().await;
    let owner = server.account("owner").await;
    let stranger = server.account("stranger").await;
    let room = server.room(&owner).await;

    assert_eq!(close_code(&format!("{}/rooms/{room}", server.server.ws_url())).await.0, 4401);
    assert_eq!(close_code(&server.socket_url(&room, "not-a-token")).await.0, 4401);
    assert_eq!(close_code(&server.socket_url(&room, &stranger)).await.0, 4403);
    assert_eq!(close_code(&server.socket_url("no-such-room", &owner)).await.0, 4404);

    // Logged out: the token is revoked.
    let (status, _) = server.call(Method::DELETE, "/api/sessions", &stranger, None).await;
    assert_eq!(status, 204);
    assert_eq!(close_code(&server.socket_url(&room, &stranger)).await.0, 4401);
}

#[tokio::test]
async fn removing_a_participant_closes_their_sockets_at_once() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (guest, participant) = server.guest(&owner, &room, "editor", "Gus").await;
    let client = server.client(&room, &guest).await;

    let (_, info) = server.call(Method::GET, &format!("/api/rooms/{room}"), &owner, None).await;
    let gus = info["participants"].as_array().unwrap().iter().find(|p| p["name"] == "Gus").unwrap().clone();
    assert_eq!(gus["online"], true);
    assert_eq!(gus["role"], "editor");

    let (status, _) =
        server.call(Method::DELETE, &format!("/api/rooms/{room}/participants/{participant}"), &owner, None).await;
    assert_eq!(status, 204);
    client.wait_until(WAIT, |c| c.state().closed.is_some()).await.unwrap();
    assert_eq!(client.state().closed.as_ref().unwrap().0, 4403);
    assert_eq!(close_code(&server.socket_url(&room, &guest)).await.0, 4401);
}

#[tokio::test]
async fn a_role_change_applies_to_open_connections() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (guest, participant) = server.guest(&owner, &room, "editor", "Ed").await;
    let watcher = server.client(&room, &owner).await;
    let client = server.client(&room, &guest).await;
    client.insert_text("doc", 0, "allowed");
    watcher.wait_until(WAIT, |c| c.text("doc") == "allowed").await.unwrap();

    let (status, body) = server
        .call(
            Method::PATCH,
            &format!("/api/rooms/{room}/participants/{participant}"),
            &owner,
            Some(json!({ "role": "viewer" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    client.insert_text("doc", 0, "refused ");
    client.wait_until(WAIT, |c| !c.state().denied.is_empty()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(watcher.text("doc"), "allowed");
}

#[tokio::test]
async fn invites_expire_run_out_and_can_be_revoked() {
    let server = start().await;
    let owner = server.account("owner").await;
    let room = server.room(&owner).await;
    let (status, invite) = server
        .post(
            &format!("/api/rooms/{room}/invites"),
            Some(&owner),
            json!({ "role": "viewer", "expires": "never", "maxUses": 1 }),
        )
        .await;
    assert_eq!(status, 201);
    assert!(invite["link"].as_str().unwrap().starts_with("flashfusion://join?"));
    let join_path = format!("/api/invites/{}/join", invite["code"].as_str().unwrap());
    assert_eq!(server.post(&join_path, None, json!({ "name": "first" })).await.0, 201);
    let (status, body) = server.post(&join_path, None, json!({ "name": "second" })).await;
    assert_eq!((status, body["code"].as_str()), (410, Some("invite_used_up")));

    let (_, second) = server
        .post(&format!("/api/rooms/{room}/invites"), Some(&owner), json!({ "role": "editor", "expires": "30d" }))
        .await;
    let (status, listed) = server.call(Method::GET, &format!("/api/rooms/{room}/invites"), &owner, None).await;
    assert_eq!(status, 200);
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(listed[0].get("code").is_none(), "codes are not listed: {listed}");
    let invite_id = second["id"].as_str().unwrap();
    let (status, _) =
        server.call(Method::DELETE, &format!("/api/rooms/{room}/invites/{invite_id}"), &owner, None).await;
    assert_eq!(status, 204);
    let code = second["code"].as_str().unwrap();
    let (status, body) = server.post(&format!("/api/invites/{code}/join"), None, json!({ "name": "late" })).await;
    assert_eq!((status, body["code"].as_str()), (410, Some("invite_revoked")));

    // An expired invite is refused.
    let (_, third) = server
        .post(&format!("/api/rooms/{room}/invites"), Some(&owner), json!({ "role": "editor", "expires": "7d" }))
        .await;
    server
        .server
        .state
        .storage
        .connection()
        .execute("UPDATE invites SET expires_at = 1 WHERE id = ?1", [third["id"].as_str().unwrap()])
        .unwrap();
    let code = third["code"].as_str().unwrap();
    let (status, body) = server.post(&format!("/api/invites/{code}/join"), None, json!({ "name": "late" })).await;
    assert_eq!((status, body["code"].as_str()), (410, Some("invite_expired")));

    // Only the owner manages invites.
    let (guest, _) = server.guest(&owner, &room, "editor", "Ed").await;
    let (status, _) = server.call(Method::GET, &format!("/api/rooms/{room}/invites"), &guest, None).await;
    assert_eq!(status, 403);
}
