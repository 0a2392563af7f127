//! Several app-side sessions against a real relay (in-process, on loopback):
//! sharing, joining from an invite, concurrent and offline edits, undo of
//! one's own changes only, comments anchored through edits, restore, viewers.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use flashfusion_collab::comments::{self, CommentThread};
use flashfusion_collab::invite::InviteLink;
use flashfusion_collab::rest::CollabRole;
use flashfusion_collab::service::{Collaboration, Host};
use flashfusion_collab::session::{CollabEvent, ConnectionState, Session, TextChange};
use flashfusion_core::secrets::MemorySecrets;
use flashfusion_core::ProjectId;
use flashfusion_server::{Config, RunningServer};

const WAIT: Duration = Duration::from_secs(10);

struct Relay {
    server: Option<RunningServer>,
    data: tempfile::TempDir,
    addr: std::net::SocketAddr,
}

impl Relay {
    /// On a fixed free port, so invite links name it and a restart keeps it.
    async fn start() -> Self {
        let data = tempfile::tempdir().unwrap();
        let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let server = Self::launch(data.path(), addr).await;
        Self { addr, server: Some(server), data }
    }

    async fn launch(dir: &Path, listen: std::net::SocketAddr) -> RunningServer {
        let mut config = Config::local(dir.to_path_buf());
        config.listen = listen;
        config.public_url = format!("http://{listen}");
        config.local_owner = Some("Olivia".into());
        config.checkpoint_secs = 0;
        flashfusion_server::start(config).await.unwrap()
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn owner_token(&self) -> String {
        self.server.as_ref().unwrap().owner_token.clone().unwrap()
    }

    async fn stop(&mut self) {
        self.server.take().unwrap().shutdown().await.unwrap();
    }

    async fn restart(&mut self) {
        self.server = Some(Self::launch(self.data.path(), self.addr).await);
    }
}

/// One person's app: its own data folder, keyring and project folder.
struct App {
    collab: Collaboration,
    project: ProjectId,
    root: tempfile::TempDir,
    data: tempfile::TempDir,
    secrets: Arc<MemorySecrets>,
    events: Arc<Mutex<Vec<CollabEvent>>>,
}

impl App {
    fn new(project: i64) -> Self {
        let data = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemorySecrets::default());
        let collab = Collaboration::new(data.path().join("collab"), secrets.clone());
        Self {
            collab,
            project: ProjectId(project),
            root: tempfile::tempdir().unwrap(),
            data,
            secrets,
            events: Arc::default(),
        }
    }

    /// Quits and starts again: the same data folder and keyring, nothing in memory.
    fn restart(self) -> Self {
        let Self { collab, project, root, data, secrets, .. } = self;
        drop(collab);
        let collab = Collaboration::new(data.path().join("collab"), secrets.clone());
        let app = Self { collab, project, root, data, secrets, events: Arc::default() };
        assert!(app.collab.session(project).unwrap().is_some(), "the session resumes after a restart");
        app.listen();
        app
    }

    async fn share(relay: &Relay, files: &[(&str, &str)]) -> Self {
        let app = Self::new(1);
        let files: BTreeMap<String, String> = files.iter().map(|(p, t)| ((*p).to_owned(), (*t).to_owned())).collect();
        let host = Host { server: relay.url(), token: relay.owner_token(), hosted_locally: false };
        app.collab.share(app.project, app.root.path(), "demo", files, host).await.unwrap();
        app.listen();
        app
    }

    async fn join(owner: &App, role: CollabRole, name: &str) -> Self {
        let invite = owner.collab.invite(owner.project, role, "7d", None).await.unwrap();
        let link = InviteLink::parse(invite.link.as_deref().unwrap()).unwrap();
        let app = Self::new(7);
        let (admission, room) = app.collab.redeem(&link, name).await.unwrap();
        assert_eq!(room, "demo");
        app.collab.start_joined(app.project, app.root.path(), &link, admission, name).unwrap();
        app.listen();
        app
    }

    fn listen(&self) {
        let events = self.events.clone();
        self.collab.subscribe(self.project, Arc::new(move |event| events.lock().unwrap().push(event))).unwrap();
    }

    fn session(&self) -> Arc<Session> {
        self.collab.open(self.project).unwrap()
    }

    fn text(&self, path: &str) -> Option<String> {
        self.session().text(path)
    }

    fn type_at(&self, path: &str, at: u32, text: &str) {
        self.session().edit(path, None, &[TextChange { from: at, to: at, insert: text.into() }]).unwrap();
    }

    fn events(&self) -> Vec<CollabEvent> {
        self.events.lock().unwrap().clone()
    }
}

async fn eventually(what: &str, check: impl Fn() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check() {
        assert!(tokio::time::Instant::now() < deadline, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn connected(app: &App) {
    eventually("connected", || app.session().state() == ConnectionState::Connected).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_joins_from_an_invite_and_concurrent_edits_in_one_line_converge() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("src/main.rs", "fn main() {}\n")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("the guest has the files", || guest.text("src/main.rs").is_some()).await;
    // The guest's folder mirrors the document.
    eventually("mirrored to disk", || {
        std::fs::read_to_string(guest.root.path().join("src/main.rs")).is_ok_and(|t| t == "fn main() {}\n")
    })
    .await;

    // Both type in the same line at once.
    owner.type_at("src/main.rs", 11, " let a = 1; ");
    guest.type_at("src/main.rs", 11, " let b = 2; ");
    eventually("both converge", || owner.text("src/main.rs") == guest.text("src/main.rs")).await;
    let text = owner.text("src/main.rs").unwrap();
    assert!(text.contains("let a = 1;") && text.contains("let b = 2;"), "{text}");

    // The guest's window heard about the owner's edit as a change, not a reload.
    eventually("a text event", || {
        guest.events().iter().any(|event| matches!(event, CollabEvent::Text { changes, .. } if changes.iter().any(|c| c.insert.contains("let a"))))
    })
    .await;
    // Presence: each sees the other.
    eventually("peers", || {
        owner
            .events()
            .iter()
            .any(|event| matches!(event, CollabEvent::Peers { peers } if peers.iter().any(|p| p.name == "Gus")))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_takes_back_only_our_own_changes() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("a.txt", "")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("synced", || guest.text("a.txt").is_some()).await;

    owner.type_at("a.txt", 0, "mine ");
    eventually("guest sees it", || guest.text("a.txt").as_deref() == Some("mine ")).await;
    guest.type_at("a.txt", 5, "theirs");
    eventually("owner sees it", || owner.text("a.txt").as_deref() == Some("mine theirs")).await;

    assert!(owner.session().undo("a.txt").unwrap());
    assert_eq!(owner.text("a.txt").as_deref(), Some("theirs"));
    eventually("the undo reaches the guest", || guest.text("a.txt").as_deref() == Some("theirs")).await;
    // Nothing of ours is left to undo; the guest's text stays.
    assert!(!owner.session().undo("a.txt").unwrap());
    assert_eq!(owner.text("a.txt").as_deref(), Some("theirs"));
    // The undo came back to the owner's window as a change (the editor does not know about it).
    assert!(owner.events().iter().any(|event| matches!(event, CollabEvent::Text { changes, .. } if changes.iter().any(|c| c.insert.is_empty() && c.to - c.from == 5))));
    assert!(owner.session().redo("a.txt").unwrap());
    eventually("redo reaches the guest", || guest.text("a.txt").as_deref() == Some("mine theirs")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_edits_merge_on_reconnect_and_survive_a_restart_of_the_app() {
    let mut relay = Relay::start().await;
    let owner = App::share(&relay, &[("notes.md", "shared\n")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("synced", || guest.text("notes.md").is_some()).await;
    connected(&owner).await;

    relay.stop().await;
    eventually("the owner sees it is offline", || owner.session().state() != ConnectionState::Connected).await;
    owner.type_at("notes.md", 0, "owner offline\n");
    guest.type_at("notes.md", 7, "guest offline\n");

    // The guest quits while offline; its edit is only in its local copy.
    let guest = guest.restart();
    assert!(guest.text("notes.md").unwrap().contains("guest offline"), "kept on disk while offline");

    relay.restart().await;
    let expected = |app: &App| {
        app.text("notes.md").is_some_and(|text| text.contains("owner offline") && text.contains("guest offline"))
    };
    eventually("the owner gets the guest's offline edit", || expected(&owner)).await;
    eventually("the guest gets the owner's offline edit", || expected(&guest)).await;
    assert_eq!(owner.text("notes.md"), guest.text("notes.md"));
    assert!(owner.events().iter().any(|event| matches!(
        event,
        CollabEvent::Status { state: ConnectionState::Reconnecting | ConnectionState::Offline }
    )));
}

fn thread_line(threads: &[CommentThread]) -> Option<u32> {
    threads.first().map(|thread| thread.line)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comments_reach_peers_and_stay_anchored_through_edits() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("lib.rs", "fn a() {}\nfn b() {}\n")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("synced", || guest.text("lib.rs").is_some()).await;

    // A comment on line 2 (`fn b`), made by the guest.
    let thread = guest
        .session()
        .comment(|txn, author| comments::add_thread(txn, "lib.rs", 10, author, "why b? @Olivia", 1))
        .unwrap();
    assert_eq!(thread.line, 2);
    eventually("the owner sees the thread", || thread_line(&owner.session().threads()) == Some(2)).await;

    // The owner adds three lines above it: the thread moves with `fn b`.
    owner.type_at("lib.rs", 0, "// one\n// two\n// three\n");
    eventually("the guest's anchor moved", || thread_line(&guest.session().threads()) == Some(5)).await;
    assert_eq!(thread_line(&owner.session().threads()), Some(5));

    owner.session().comment(|txn, author| comments::reply(txn, &thread.id, author, "because", 2)).unwrap();
    eventually("the reply reaches the guest", || {
        guest.session().threads().first().is_some_and(|thread| thread.comments.len() == 2)
    })
    .await;
    assert!(guest.events().iter().any(|event| matches!(event, CollabEvent::Comments { threads } if threads.first().is_some_and(|t| t.comments.len() == 2))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restored_version_reaches_every_peer() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("index.html", "<h1>v1</h1>\n")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("synced", || guest.text("index.html").is_some()).await;
    connected(&owner).await;

    let v1 = owner.collab.save_version(owner.project, "first").await.unwrap();
    guest.type_at("index.html", 4, "Hello ");
    eventually("owner has the edit", || owner.text("index.html").as_deref() == Some("<h1>Hello v1</h1>\n")).await;
    let diff = owner.collab.version_diff(owner.project, v1.id).await.unwrap();
    assert!(diff.iter().any(|file| file.path == "index.html" && !file.hunks.is_empty()));

    owner.collab.restore(owner.project, v1.id).await.unwrap();
    eventually("the guest has v1 again", || guest.text("index.html").as_deref() == Some("<h1>v1</h1>\n")).await;
    eventually("the owner has v1 again", || owner.text("index.html").as_deref() == Some("<h1>v1</h1>\n")).await;
    let versions = guest.collab.versions(guest.project).await.unwrap();
    assert!(versions.iter().any(|version| version.message == "first"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_cannot_change_anything() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("a.txt", "read me")]).await;
    let viewer = App::join(&owner, CollabRole::Viewer, "Vic").await;
    eventually("synced", || viewer.text("a.txt").is_some()).await;

    let refused =
        viewer.session().edit("a.txt", None, &[TextChange { from: 0, to: 0, insert: "x".into() }]).unwrap_err();
    assert_eq!(refused.code, flashfusion_core::Code::Rejected);
    assert!(viewer.session().create_file("b.txt", "").is_err());
    assert!(viewer.session().delete_path("a.txt").is_err());
    assert!(viewer.collab.save_version(viewer.project, "nope").await.is_err());

    // Even a change made behind the session's back (a modified client) is refused by the relay.
    {
        let session = viewer.session();
        let text = flashfusion_collab::files::file_text(&session.doc().transact(), "a.txt").unwrap();
        use yrs::{Text, Transact};
        text.insert(&mut session.doc().transact_mut(), 0, "sneaky ");
    }
    eventually("the relay said no", || viewer.events().iter().any(|event| matches!(event, CollabEvent::Denied { .. })))
        .await;
    owner.type_at("a.txt", 0, "owner: ");
    eventually("the owner's edit reaches the viewer", || {
        viewer.text("a.txt").is_some_and(|t| t.starts_with("owner: ") || t.contains("owner: "))
    })
    .await;
    assert_eq!(owner.text("a.txt").as_deref(), Some("owner: read me"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_made_before_the_window_saw_a_remote_change_is_refused_until_rebased() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("a.txt", "hello")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("synced", || guest.text("a.txt").is_some()).await;
    let seen = guest.session().read("a.txt").unwrap().seq;

    owner.type_at("a.txt", 0, ">> ");
    eventually("the guest has it", || guest.text("a.txt").as_deref() == Some(">> hello")).await;
    // The guest's window typed at the end of "hello" before it saw ">> ".
    let stale = [TextChange { from: 5, to: 5, insert: "!".into() }];
    let refused = guest.session().edit("a.txt", Some(seen), &stale).unwrap();
    assert!(!refused.applied);
    assert_eq!(guest.text("a.txt").as_deref(), Some(">> hello"), "nothing applied at stale offsets");
    // Rebased over the change it had missed, it goes in where the person meant.
    let rebased = [TextChange { from: 8, to: 8, insert: "!".into() }];
    assert!(guest.session().edit("a.txt", Some(refused.seq), &rebased).unwrap().applied);
    eventually("the owner has it", || owner.text("a.txt").as_deref() == Some(">> hello!")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renames_reach_peers_with_their_comments_and_never_overwrite() {
    let relay = Relay::start().await;
    let owner = App::share(&relay, &[("src/a.rs", "fn a() {}\nfn b() {}\n"), ("src/b.rs", "keep me")]).await;
    let guest = App::join(&owner, CollabRole::Editor, "Gus").await;
    eventually("synced", || guest.text("src/b.rs").is_some()).await;
    owner.session().comment(|txn, author| comments::add_thread(txn, "src/a.rs", 10, author, "b?", 1)).unwrap();
    owner.type_at("src/a.rs", 0, "x"); // an undo manager exists for the file now

    let overwrite = owner.session().rename_path("src/a.rs", "src/b.rs").unwrap_err();
    assert_eq!(overwrite.code, flashfusion_core::Code::AlreadyExists);
    assert!(owner.session().rename_path("src", "src/inner").is_err());

    owner.session().rename_path("src", "lib").unwrap();
    eventually("the guest sees the move", || guest.session().paths() == ["lib/a.rs", "lib/b.rs"]).await;
    let threads = guest.session().threads();
    assert_eq!((threads[0].path.as_str(), threads[0].line), ("lib/a.rs", 2), "the comment moved with its file");
    eventually("the guest's folder follows", || {
        guest.root.path().join("lib/a.rs").is_file() && !guest.root.path().join("src").exists()
    })
    .await;
    // Undo still works on the renamed file's new text (a new undo manager).
    owner.type_at("lib/a.rs", 0, "y");
    assert!(owner.session().undo("lib/a.rs").unwrap());
    assert_eq!(owner.text("lib/a.rs").as_deref(), Some("xfn a() {}\nfn b() {}\n"));

    // A peer deletes a file the owner has open and makes it again: the owner's window is told to start over.
    owner.session().read("lib/b.rs").unwrap();
    guest.session().delete_path("lib/b.rs").unwrap();
    guest.session().create_file("lib/b.rs", "new b").unwrap();
    eventually("the owner's window resets the file", || {
        owner.events().iter().any(
            |event| matches!(event, CollabEvent::Reset { path, text, .. } if path == "lib/b.rs" && text == "new b"),
        )
    })
    .await;
}
