//! The REST client against the real relay (in-process, on loopback): every
//! call, and how each kind of refusal reaches the app as an error code.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use flashfusion_collab::client::SyncClient;
use flashfusion_collab::files::{read_files, set_text, FILES};
use flashfusion_collab::invite::{ws_url, InviteLink};
use flashfusion_collab::rest::{CollabRole, RoomApi};
use flashfusion_core::Code;
use flashfusion_server::{Config, RunningServer};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use yrs::{Map, TextPrelim, Transact};

const WAIT: Duration = Duration::from_secs(10);

struct Relay {
    server: RunningServer,
    url: String,
    _data: tempfile::TempDir,
}

/// A relay whose invite links name the address it listens on.
async fn relay() -> Relay {
    let data = tempfile::tempdir().unwrap();
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut config = Config::local(data.path().to_path_buf());
    config.listen = addr;
    config.public_url = format!("http://{addr}/");
    config.local_owner = Some("Olivia".into());
    config.checkpoint_secs = 0;
    let server = flashfusion_server::start(config).await.unwrap();
    Relay { url: server.http_url(), server, _data: data }
}

impl Relay {
    fn owner(&self) -> RoomApi {
        RoomApi::new(&self.url, self.server.owner_token.clone()).unwrap()
    }

    fn anonymous(&self) -> RoomApi {
        RoomApi::new(&self.url, None).unwrap()
    }

    /// A room with an invite for `role`; returns the room id and the invite link.
    async fn room_with_invite(&self, role: CollabRole, expires: &str, max_uses: Option<u32>) -> (String, InviteLink) {
        let owner = self.owner();
        let room = owner.create_room("Demo").await.unwrap();
        let invite = owner.create_invite(&room.id, role, expires, max_uses).await.unwrap();
        (room.id, InviteLink::parse(invite.link.as_deref().unwrap()).unwrap())
    }

    async fn register(&self, email: &str, password: &str) {
        let body = json!({ "email": email, "name": "Ada", "password": password });
        let response =
            reqwest::Client::new().post(format!("{}/api/accounts", self.url)).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 201);
    }
}

#[tokio::test]
async fn an_owner_runs_a_room_and_a_guest_joins_it() {
    let relay = relay().await;
    let owner = relay.owner();
    let room = owner.create_room("Demo").await.unwrap();
    assert_eq!(room.name, "Demo");
    let participants = owner.participants(&room.id).await.unwrap();
    assert_eq!(participants.len(), 1);
    assert_eq!((participants[0].name.as_str(), participants[0].role), ("Olivia", CollabRole::Owner));

    let invite = owner.create_invite(&room.id, CollabRole::Editor, "7d", Some(2)).await.unwrap();
    assert_eq!((invite.role, invite.max_uses, invite.uses, invite.revoked), (CollabRole::Editor, Some(2), 0, false));
    assert!(invite.expires_at.is_some());
    let link = InviteLink::parse(invite.link.as_deref().unwrap()).unwrap();
    assert_eq!((link.server.as_str(), link.room.as_str()), (relay.url.as_str(), room.id.as_str()));

    let admission = RoomApi::new(&link.server, None).unwrap().join(&link.code, "Gus").await.unwrap();
    assert_eq!((admission.room_id.as_str(), admission.role), (room.id.as_str(), CollabRole::Editor));
    let guest_token = admission.token.unwrap();
    let guest = RoomApi::new(&link.server, Some(guest_token.clone())).unwrap();
    let names: Vec<String> = guest.participants(&room.id).await.unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["Olivia", "Gus"]);
    let listed = owner.invites(&room.id).await.unwrap();
    assert_eq!((listed.len(), listed[0].uses, listed[0].link.as_deref()), (1, 1, None));
    assert_eq!(guest.invites(&room.id).await.unwrap_err().code, Code::AuthFailed, "only the owner sees invites");

    // The document, through the WebSocket addresses built for each of them.
    let writer =
        SyncClient::connect(&ws_url(&relay.url, &room.id, relay.server.owner_token.as_deref().unwrap())).await.unwrap();
    let reader = SyncClient::connect(&ws_url(&link.server, &room.id, &guest_token)).await.unwrap();
    writer.wait_until(WAIT, |client| client.state().synced).await.unwrap();
    let text = writer.doc().get_or_insert_map(FILES).insert(
        &mut writer.doc().transact_mut(),
        "a.txt",
        TextPrelim::new("hello"),
    );
    reader
        .wait_until(WAIT, |client| read_files(client.doc()).get("a.txt").is_some_and(|t| t == "hello"))
        .await
        .unwrap();

    let version = owner.save_version(&room.id, "first").await.unwrap();
    assert_eq!((version.message.as_str(), version.author.as_str(), version.automatic), ("first", "Olivia", false));
    assert_eq!(guest.versions(&room.id).await.unwrap(), std::slice::from_ref(&version));
    let files = guest.version_files(&room.id, version.id).await.unwrap();
    assert_eq!(files, BTreeMap::from([("a.txt".to_owned(), "hello".to_owned())]));
    assert_eq!(owner.version_files(&room.id, version.id + 1).await.unwrap_err().code, Code::NotFound);

    set_text(&mut writer.doc().transact_mut(), &text, "hello, world");
    reader.wait_until(WAIT, |client| read_files(client.doc())["a.txt"] == "hello, world").await.unwrap();
    guest.restore(&room.id, version.id).await.unwrap();
    reader.wait_until(WAIT, |client| read_files(client.doc())["a.txt"] == "hello").await.unwrap();

    // The owner makes the guest a viewer: viewers cannot save or restore.
    let gus = admission.participant_id;
    owner.set_role(&room.id, gus, CollabRole::Viewer).await.unwrap();
    let roles: Vec<CollabRole> = owner.participants(&room.id).await.unwrap().iter().map(|p| p.role).collect();
    assert_eq!(roles, [CollabRole::Owner, CollabRole::Viewer]);
    let refused = guest.save_version(&room.id, "mine").await.unwrap_err();
    assert_eq!((refused.code, refused.message.as_str()), (Code::AuthFailed, "viewers cannot save versions"));
    assert_eq!(guest.restore(&room.id, version.id).await.unwrap_err().code, Code::AuthFailed);
    let owner_role = owner.set_role(&room.id, participants[0].participant_id, CollabRole::Editor).await.unwrap_err();
    assert_eq!(owner_role.code, Code::InvalidInput);

    let kinds: Vec<String> = owner.activity(&room.id).await.unwrap().into_iter().map(|entry| entry.kind).collect();
    for kind in ["invited", "version_saved", "version_restored", "role_changed"] {
        assert!(kinds.iter().any(|seen| seen == kind), "{kind} in {kinds:?}");
    }

    owner.revoke_invite(&room.id, &invite.id).await.unwrap();
    assert!(owner.invites(&room.id).await.unwrap()[0].revoked);
    assert_eq!(owner.revoke_invite(&room.id, &invite.id).await.unwrap_err().code, Code::NotFound);

    owner.remove_participant(&room.id, gus).await.unwrap();
    assert_eq!(owner.participants(&room.id).await.unwrap().len(), 1);
    assert_eq!(guest.participants(&room.id).await.unwrap_err().code, Code::AuthFailed);
    assert_eq!(owner.remove_participant(&room.id, gus).await.unwrap_err().code, Code::NotFound);
    assert_eq!(owner.participants("no-such-room").await.unwrap_err().code, Code::NotFound);
}

#[tokio::test]
async fn accounts_sign_in_and_join_as_themselves() {
    let relay = relay().await;
    relay.register("ada@example.com", "correct horse").await;
    let anonymous = relay.anonymous();
    let refused = anonymous.sign_in("ada@example.com", "wrong horse").await.unwrap_err();
    assert_eq!(refused.code, Code::AuthFailed, "{refused:?}");
    assert_eq!(anonymous.create_room("x").await.unwrap_err().code, Code::AuthFailed);

    let token = anonymous.sign_in("ada@example.com", "correct horse").await.unwrap();
    let ada = RoomApi::new(&relay.url, Some(token)).unwrap();
    let room = ada.create_room("").await.unwrap();
    assert_eq!(room.name, "Untitled project");

    let (other_room, link) = relay.room_with_invite(CollabRole::Viewer, "never", None).await;
    let admission = ada.join(&link.code, "ignored").await.unwrap();
    assert_eq!((admission.room_id, admission.role, admission.token), (other_room, CollabRole::Viewer, None));
}

#[tokio::test]
async fn spent_invites_say_why() {
    let relay = relay().await;
    let guest = relay.anonymous();

    let (_, once) = relay.room_with_invite(CollabRole::Editor, "never", Some(1)).await;
    guest.join(&once.code, "first").await.unwrap();
    let used_up = guest.join(&once.code, "second").await.unwrap_err();
    assert_eq!((used_up.code, used_up.message.as_str()), (Code::InvalidInput, "this invite link has been used up"));

    let (room, revoked) = relay.room_with_invite(CollabRole::Editor, "30d", None).await;
    let owner = relay.owner();
    let invite_id = owner.invites(&room).await.unwrap()[0].id.clone();
    owner.revoke_invite(&room, &invite_id).await.unwrap();
    let error = guest.join(&revoked.code, "late").await.unwrap_err();
    assert_eq!((error.code, error.message.as_str()), (Code::InvalidInput, "this invite link was revoked"));

    let (room, expired) = relay.room_with_invite(CollabRole::Editor, "7d", None).await;
    let invite_id = owner.invites(&room).await.unwrap()[0].id.clone();
    let storage = relay.server.state.storage.clone();
    storage.connection().execute("UPDATE invites SET expires_at = 1 WHERE id = ?1", [&invite_id]).unwrap();
    let error = guest.join(&expired.code, "late").await.unwrap_err();
    assert_eq!((error.code, error.message.as_str()), (Code::InvalidInput, "this invite link has expired"));

    assert_eq!(guest.join("0123abcd", "who").await.unwrap_err().code, Code::NotFound);
    let (_, fresh) = relay.room_with_invite(CollabRole::Editor, "never", None).await;
    assert_eq!(guest.join(&fresh.code, "  ").await.unwrap_err().code, Code::InvalidInput, "a guest needs a name");
    let bad_expiry = owner.create_invite(&room, CollabRole::Editor, "tomorrow", None).await.unwrap_err();
    assert_eq!(bad_expiry.code, Code::InvalidInput, "{bad_expiry:?}");
}

#[tokio::test]
async fn a_server_that_is_gone_is_offline() {
    let relay = relay().await;
    let url = relay.url.clone();
    relay.server.shutdown().await.unwrap();
    let error = RoomApi::new(&url, None).unwrap().participants("room").await.unwrap_err();
    assert_eq!(error.code, Code::Offline, "{error:?}");
    assert!(error.message.contains(&url), "{}", error.message);
    assert_eq!(RoomApi::new("ftp://example.com", None).unwrap_err().code, Code::InvalidInput);
}

/// Answers every request with `status` and `body`, like a server or proxy
/// the relay sits behind might.
async fn canned(status: &'static str, body: &'static str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = [0; 4096];
            let _read = socket.read(&mut request).await;
            let response = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _written = socket.write_all(response.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn each_refusal_has_its_code_and_the_server_sentence() {
    for (status, body, code, message) in [
        (
            "409 Conflict",
            r#"{"code":"conflict","message":"that email is taken"}"#,
            Code::Conflict,
            "that email is taken",
        ),
        ("429 Too Many Requests", r#"{"code":"rate_limited","message":"slow down"}"#, Code::RateLimited, "slow down"),
        ("413 Payload Too Large", r#"{"code":"too_large","message":"too big"}"#, Code::TooLarge, "too big"),
        (
            "500 Internal Server Error",
            r#"{"code":"internal","message":"internal server error"}"#,
            Code::Internal,
            "internal server error",
        ),
        ("502 Bad Gateway", "<html>proxy</html>", Code::Internal, "the server answered 502 Bad Gateway"),
    ] {
        let api = RoomApi::new(&canned(status, body).await, None).unwrap();
        let error = api.versions("room").await.unwrap_err();
        assert_eq!((error.code, error.message.as_str()), (code, message), "{status}");
    }
    let api = RoomApi::new(&canned("200 OK", "not json").await, None).unwrap();
    assert_eq!(api.versions("room").await.unwrap_err().code, Code::Internal);
}
