use std::time::Duration;

use flashfusion_collab::client::SyncClient;
use flashfusion_server::{Config, RunningServer};
use serde_json::{json, Value};

pub const WAIT: Duration = Duration::from_secs(10);

pub struct TestServer {
    pub server: RunningServer,
    /// Kept alive for the server's lifetime.
    pub _data: tempfile::TempDir,
    pub http: reqwest::Client,
}

pub async fn start() -> TestServer {
    let data = tempfile::tempdir().unwrap();
    let server = flashfusion_server::start(Config::local(data.path().to_path_buf())).await.unwrap();
    TestServer { server, _data: data, http: reqwest::Client::new() }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.http_url())
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut request = self.http.post(self.url(path)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, token: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, self.url(path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Registers an account and returns its token.
    pub async fn account(&self, name: &str) -> String {
        let (status, body) = self
            .post(
                "/api/accounts",
                None,
                json!({ "email": format!("{name}@example.com"), "name": name, "password": "correct horse" }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn room(&self, owner_token: &str) -> String {
        let (status, body) = self.post("/api/rooms", Some(owner_token), json!({ "name": "Demo" })).await;
        assert_eq!(status, 201, "{body}");
        body["id"].as_str().unwrap().to_owned()
    }

    /// A guest token with `role` in `room`, through an invite link.
    pub async fn guest(&self, owner_token: &str, room: &str, role: &str, name: &str) -> (String, i64) {
        let (status, invite) = self
            .post(&format!("/api/rooms/{room}/invites"), Some(owner_token), json!({ "role": role, "expires": "7d" }))
            .await;
        assert_eq!(status, 201, "{invite}");
        let code = invite["code"].as_str().unwrap();
        let (status, admission) = self.post(&format!("/api/invites/{code}/join"), None, json!({ "name": name })).await;
        assert_eq!(status, 201, "{admission}");
        (admission["token"].as_str().unwrap().to_owned(), admission["participantId"].as_i64().unwrap())
    }

    pub fn socket_url(&self, room: &str, token: &str) -> String {
        format!("{}/rooms/{room}?token={token}", self.server.ws_url())
    }

    pub async fn client(&self, room: &str, token: &str) -> SyncClient {
        let client = SyncClient::connect(&self.socket_url(room, token)).await.unwrap();
        client.wait_until(WAIT, |c| c.state().synced).await.unwrap();
        client
    }
}

/// Registers an owner and creates a room on the server at `http_base`
/// (in-process or a child process); returns the room's WebSocket URL.
pub async fn owner_room_socket(http_base: &str) -> String {
    let http = reqwest::Client::new();
    let session: Value = http
        .post(format!("{http_base}/api/accounts"))
        .json(&json!({ "email": "o@example.com", "name": "o", "password": "correct horse" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let room: Value = http
        .post(format!("{http_base}/api/rooms"))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ws_base = http_base.replacen("http://", "ws://", 1);
    format!("{ws_base}/rooms/{}?token={token}", room["id"].as_str().unwrap())
}
