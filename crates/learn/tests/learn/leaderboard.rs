use std::time::Duration;

use flashfusion_learn::leaderboard::JoinArgs;
use flashfusion_server::Config;
use serde_json::{json, Value};

use crate::fixture;

async fn server() -> (tempfile::TempDir, flashfusion_server::RunningServer) {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::local(data.path().to_path_buf());
    config.listen = "127.0.0.1:0".parse().unwrap();
    let server = flashfusion_server::start(config).await.unwrap();
    (data, server)
}

#[tokio::test]
async fn xp_earned_offline_is_queued_then_synced_once_and_shown_on_the_board() {
    let fixture = fixture("2026-11-27");
    let learning = &fixture.learning;
    let lesson = learning.catalog().course("reading").unwrap().lessons[0].id.clone();
    fixture.finish_lesson("reading", &lesson);
    let earned = learning.overview().unwrap().xp;

    // Not opted in: nothing leaves the machine.
    let view = learning.leaderboard().await.unwrap();
    assert!(!view.settings.opted_in && view.queued == 3 && view.board.is_empty());

    let (_data, server) = server().await;
    let base = format!("http://{}", server.addr);
    let join = JoinArgs {
        server_url: base.clone(),
        email: "ada@example.com".into(),
        password: "correct horse battery".into(),
        display_name: "Ada".into(),
        create_account: true,
    };
    let view = learning.join_leaderboard(&join).await.unwrap();
    assert_eq!((view.sent, view.queued), (3, 0), "{view:?}");
    assert_eq!(view.board.len(), 1);
    assert_eq!((view.board[0].name.as_str(), view.board[0].xp), ("Ada", earned));

    // The server goes away: learning goes on, XP queues, nothing is lost.
    let port = server.addr.port();
    drop(server);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let next = learning.catalog().course("reading").unwrap().lessons[1].id.clone();
    fixture.finish_lesson("reading", &next);
    let view = learning.leaderboard().await.unwrap();
    assert!(view.offline.is_some(), "{view:?}");
    assert_eq!(view.queued, 3);

    // Back (same data, same port): the queue drains, each award counted once.
    let mut config = Config::local(_data.path().to_path_buf());
    config.listen = format!("127.0.0.1:{port}").parse().unwrap();
    let _server = flashfusion_server::start(config).await.unwrap();
    let view = learning.leaderboard().await.unwrap();
    assert_eq!((view.sent, view.queued), (3, 0), "{view:?}");
    assert_eq!(view.board[0].xp, learning.overview().unwrap().xp);
    let view = learning.leaderboard().await.unwrap();
    assert_eq!(view.sent, 0);
}

#[tokio::test]
async fn the_server_refuses_implausible_xp_and_counts_replays_once() {
    let (_data, server) = server().await;
    let base = format!("http://{}", server.addr);
    let http = reqwest::Client::new();
    let session: Value = http
        .post(format!("{base}/api/accounts"))
        .json(&json!({"email": "m@example.com", "name": "Mallory", "password": "long enough password"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap().to_owned();
    let send = |events: Value| {
        let http = http.clone();
        let (base, token) = (base.clone(), token.clone());
        async move {
            http.post(format!("{base}/api/leaderboard/events"))
                .bearer_auth(token)
                .json(&json!({ "events": events }))
                .send()
                .await
                .unwrap()
        }
    };
    let now = flashfusion_core::now_millis();
    let event = |id: &str, kind: &str, subject: &str, xp: i64| json!({"id": format!("{id:0>24}"), "kind": kind, "subject": subject, "xp": xp, "earnedAt": now});
    // Opt-in first.
    assert_eq!(send(json!([event("a", "lab", "reading/x", 100)])).await.status(), 403);
    http.post(format!("{base}/api/leaderboard/membership"))
        .bearer_auth(&token)
        .json(&json!({"displayName": "Mallory"}))
        .send()
        .await
        .unwrap();

    let lab = "reading/01-tracing-execution";
    let lab_xp =
        fixture("2026-11-27").learning.catalog().lesson("reading", "01-tracing-execution").unwrap().lab.xp as i64;
    let answer: Value = send(json!([
        event("a", "lab", lab, lab_xp),
        event("b", "lab", "reading/02-reading-unfamiliar-code", 100_000),
        event("c", "lesson", lab, 50),
        event("d", "bogus", "x", 10),
        event("e", "lab", lab, lab_xp),
        event("h", "lab", "reading/made-up-lesson", 10),
        {"id": "f".repeat(24), "kind": "quiz", "subject": lab, "xp": 30, "earnedAt": now + 3_600_000},
    ]))
    .await
    .json()
    .await
    .unwrap();
    let accepted: Vec<&str> = answer["accepted"].as_array().unwrap().iter().map(|id| id.as_str().unwrap()).collect();
    assert_eq!(accepted, [format!("{:0>24}", "a"), format!("{:0>24}", "c")]);
    let reasons: Vec<&str> =
        answer["refused"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(reasons.len(), 5, "{reasons:?}");
    assert!(reasons[0].contains("100000 XP, but this lab gives"), "{reasons:?}");
    assert!(reasons[1].contains("no bogus award"), "{reasons:?}");
    assert!(reasons[2].contains("already counted"), "{reasons:?}");
    assert!(reasons[3].contains("no lab award"), "{reasons:?}");
    assert!(reasons[4].contains("future"), "{reasons:?}");
    let ancient: Value =
        send(json!([{"id": "g".repeat(24), "kind": "quiz", "subject": lab, "xp": 30, "earnedAt": i64::MAX}]))
            .await
            .json()
            .await
            .unwrap();
    assert_eq!(ancient["refused"].as_array().unwrap().len(), 1, "{ancient}");

    // A replay of the same id is acknowledged and not added again.
    let replay: Value = send(json!([event("a", "lab", lab, lab_xp)])).await.json().await.unwrap();
    assert_eq!(replay["accepted"].as_array().unwrap().len(), 1);
    let board: Value = http.get(format!("{base}/api/leaderboard/weekly")).send().await.unwrap().json().await.unwrap();
    assert_eq!(board["entries"][0]["xp"].as_i64().unwrap(), lab_xp + 50, "{board}");
}
