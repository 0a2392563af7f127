//! The leaderboard client: opt in with an account on a FlashFusion server,
//! send the XP awards queued while offline, read this week's board. Awards
//! stay queued (and learning goes on) while the server cannot be reached.

use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{Code, Error, Result};
use flashfusion_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

const SETTINGS_KEY: &str = "learn.leaderboard";

/// Opt-in settings; the account's token lives in the keyring.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeaderboardSettings {
    pub server_url: String,
    pub display_name: String,
    pub opted_in: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JoinArgs {
    pub server_url: String,
    pub email: String,
    pub password: String,
    pub display_name: String,
    /// Register a new account instead of signing in.
    pub create_account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BoardEntry {
    pub rank: u32,
    pub name: String,
    pub xp: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeaderboardView {
    pub settings: LeaderboardSettings,
    /// Awards waiting to be sent.
    pub queued: u32,
    pub sent: u32,
    /// Awards the server would not count, with its reasons.
    pub refused: Vec<String>,
    pub board: Vec<BoardEntry>,
    /// Why the board could not be reached, if it could not.
    pub offline: Option<String>,
}

fn token_name(server_url: &str) -> String {
    format!("leaderboard-token:{}", server_url.trim_end_matches('/'))
}

pub fn settings(store: &Store) -> Result<LeaderboardSettings> {
    Ok(store.setting(SETTINGS_KEY)?.unwrap_or_default())
}

fn unreachable(server_url: &str, error: &reqwest::Error) -> Error {
    Error::new(Code::Offline, format!("Could not reach the leaderboard at {server_url}: {error}"))
}

async fn refused_by_server(response: reqwest::Response) -> Error {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let message = body["message"].as_str().unwrap_or("the server refused the request").to_owned();
    let code = if status.as_u16() == 401 { Code::AuthFailed } else { Code::InvalidInput };
    Error::new(code, message)
}

/// The HTTP client for the leaderboard: it never waits forever.
pub fn http_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|error| Error::internal(format!("could not set up HTTP: {error}")))
}

/// Passwords and tokens travel only over HTTPS, or to this machine.
fn check_server_url(base: &str) -> Result<()> {
    let url = reqwest::Url::parse(base)
        .map_err(|_| Error::new(Code::InvalidInput, format!("{base:?} is not a server URL")))?;
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]" | "::1"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if local => Ok(()),
        _ => Err(Error::new(Code::InvalidInput, "use an https:// server URL (plain http only for this machine)")),
    }
}

/// Signs in (or registers), joins the board, and keeps the token in the keyring.
pub async fn join(http: &reqwest::Client, store: &Store, secrets: &dyn SecretStore, args: &JoinArgs) -> Result<()> {
    let base = args.server_url.trim().trim_end_matches('/').to_owned();
    check_server_url(&base)?;
    let (path, body) = if args.create_account {
        ("api/accounts", json!({"email": args.email, "name": args.display_name, "password": args.password}))
    } else {
        ("api/sessions", json!({"email": args.email, "password": args.password}))
    };
    let response = http.post(format!("{base}/{path}")).json(&body).send().await.map_err(|e| unreachable(&base, &e))?;
    if !response.status().is_success() {
        return Err(refused_by_server(response).await);
    }
    let session: Value = response.json().await.map_err(|e| unreachable(&base, &e))?;
    let token = session["token"].as_str().ok_or_else(|| Error::internal("the server sent no token"))?.to_owned();
    let response = http
        .post(format!("{base}/api/leaderboard/membership"))
        .bearer_auth(&token)
        .json(&json!({"displayName": args.display_name}))
        .send()
        .await
        .map_err(|e| unreachable(&base, &e))?;
    if !response.status().is_success() {
        return Err(refused_by_server(response).await);
    }
    secrets.set(&token_name(&base), &token)?;
    let settings = LeaderboardSettings { server_url: base, display_name: args.display_name.clone(), opted_in: true };
    store.set_setting(SETTINGS_KEY, &settings)
}

/// Opts out: nothing more is sent (the server keeps what it counted).
pub fn leave(store: &Store) -> Result<()> {
    let settings = LeaderboardSettings { opted_in: false, ..settings(store)? };
    store.set_setting(SETTINGS_KEY, &settings)
}

/// Sends queued awards (when opted in) and reads the weekly board.
pub async fn sync(http: &reqwest::Client, store: &Store, secrets: &dyn SecretStore) -> Result<LeaderboardView> {
    let settings = settings(store)?;
    let queued = store.unsynced_awards()?;
    let mut view = LeaderboardView {
        queued: u32::try_from(queued.len()).unwrap_or(u32::MAX),
        sent: 0,
        refused: Vec::new(),
        board: Vec::new(),
        offline: None,
        settings: settings.clone(),
    };
    if !settings.opted_in {
        return Ok(view);
    }
    let base = settings.server_url.clone();
    let outcome = async {
        if !queued.is_empty() {
            let token = secrets
                .get(&token_name(&base))?
                .ok_or_else(|| Error::new(Code::AuthFailed, "sign in to the leaderboard again"))?;
            let events: Vec<Value> = queued
                .iter()
                .map(|award| {
                    json!({"id": award.id, "kind": award.kind, "subject": award.subject, "xp": award.xp, "earnedAt": award.earned_at})
                })
                .collect();
            let response = http
                .post(format!("{base}/api/leaderboard/events"))
                .bearer_auth(token)
                .json(&json!({ "events": events }))
                .send()
                .await
                .map_err(|e| unreachable(&base, &e))?;
            if !response.status().is_success() {
                return Err(refused_by_server(response).await);
            }
            let answer: Value = response.json().await.map_err(|e| unreachable(&base, &e))?;
            let mut done: Vec<String> = Vec::new();
            for id in answer["accepted"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                done.push(id.to_owned());
                view.sent += 1;
            }
            // A refused award will never count: stop re-sending it, say why.
            for refused in answer["refused"].as_array().into_iter().flatten() {
                if let Some(id) = refused["id"].as_str() {
                    done.push(id.to_owned());
                    view.refused.push(refused["reason"].as_str().unwrap_or("refused").to_owned());
                }
            }
            store.mark_awards_synced(&done)?;
            view.queued = view.queued.saturating_sub(u32::try_from(done.len()).unwrap_or(u32::MAX));
        }
        let board: Value = http
            .get(format!("{base}/api/leaderboard/weekly"))
            .send()
            .await
            .map_err(|e| unreachable(&base, &e))?
            .json()
            .await
            .map_err(|e| unreachable(&base, &e))?;
        view.board = board["entries"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|entry| BoardEntry {
                rank: entry["rank"].as_u64().unwrap_or(0) as u32,
                name: entry["name"].as_str().unwrap_or_default().to_owned(),
                xp: entry["xp"].as_u64().unwrap_or(0) as u32,
            })
            .collect();
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(view),
        Err(error) if error.code == Code::Offline => Ok(LeaderboardView { offline: Some(error.message), ..view }),
        Err(error) => Err(error),
    }
}
