//! Seeded randomized convergence, in the style of Zed's collaboration tests:
//! peers edit at random, go offline and keep editing, reconnect, and the
//! server restarts now and then. Everyone must end with the same text, and
//! so must a fresh client after a final restart (nothing lost on disk).
//! `SEED=n ITERATIONS=m cargo test -p flashfusion-server convergence` replays a run.

use flashfusion_collab::client::{new_doc, SyncClient};
use flashfusion_server::Config;
use yrs::Doc;

use crate::support::WAIT;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

struct Peer {
    doc: Doc,
    client: Option<SyncClient>,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|value| value.parse().ok()).unwrap_or(default)
}

fn text(doc: &Doc) -> String {
    use yrs::{GetString, Transact};
    let text = doc.get_or_insert_text("doc");
    let txn = doc.transact();
    text.get_string(&txn)
}

fn edit(doc: &Doc, rng: &mut Rng) {
    use yrs::{Text, Transact};
    let text = doc.get_or_insert_text("doc");
    let mut txn = doc.transact_mut();
    let length = text.len(&txn);
    if length > 0 && rng.below(3) == 0 {
        let at = rng.below(u64::from(length)) as u32;
        let count = (1 + rng.below(4) as u32).min(length - at);
        text.remove_range(&mut txn, at, count);
    } else {
        let at = rng.below(u64::from(length) + 1) as u32;
        // No astral characters: a random UTF-16 offset could split a surrogate pair.
        let word = ["a", "bc", "def", "\n", "ü", "é"][rng.below(6) as usize];
        text.insert(&mut txn, at, word);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peers_converge_through_disconnects_and_server_restarts() {
    let seeds = match std::env::var("SEED") {
        Ok(seed) => vec![seed.parse::<u64>().expect("SEED must be a number")],
        Err(_) => (1..=3).collect(),
    };
    let iterations = env_number("ITERATIONS", 150);
    for seed in seeds {
        println!("convergence: SEED={seed} ITERATIONS={iterations}");
        run(seed, iterations).await;
    }
}

async fn run(seed: u64, iterations: u64) {
    let _logging = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    let mut rng = Rng(seed.wrapping_mul(0x2545_f491_4f6c_dd1d) | 1);
    let data = tempfile::tempdir().unwrap();
    let mut server = flashfusion_server::start(Config::local(data.path().to_path_buf())).await.unwrap();
    let addr = server.addr;
    let url = crate::support::owner_room_socket(&server.http_url()).await;

    let mut peers = Vec::new();
    for _ in 0..4 {
        let doc = new_doc();
        let client = SyncClient::connect_with_doc(&url, doc.clone()).await.unwrap();
        peers.push(Peer { doc, client: Some(client) });
    }
    for step in 0..iterations {
        let peer = rng.below(peers.len() as u64) as usize;
        match rng.below(20) {
            0 => peers[peer].client = None,
            1 if peers[peer].client.is_none() => {
                let doc = peers[peer].doc.clone();
                peers[peer].client = Some(SyncClient::connect_with_doc(&url, doc).await.unwrap());
            }
            2 if step % 3 == 0 => {
                for peer in &mut peers {
                    peer.client = None;
                }
                server.shutdown().await.unwrap();
                let mut config = Config::local(data.path().to_path_buf());
                config.listen = addr;
                server = flashfusion_server::start(config).await.unwrap();
            }
            _ => edit(&peers[peer].doc, &mut rng),
        }
        if rng.below(4) == 0 {
            tokio::task::yield_now().await;
        }
    }

    for peer in &mut peers {
        if peer.client.as_ref().is_none_or(|client| client.state().closed.is_some()) {
            peer.client = Some(SyncClient::connect_with_doc(&url, peer.doc.clone()).await.unwrap());
        }
    }
    let reference = SyncClient::connect(&url).await.unwrap();
    let converged = async {
        loop {
            let texts: Vec<String> = peers.iter().map(|peer| text(&peer.doc)).collect();
            if texts.iter().all(|t| *t == texts[0]) && reference.text("doc") == texts[0] {
                return texts[0].clone();
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    let Ok(final_text) = tokio::time::timeout(WAIT, converged).await else {
        use yrs::{ReadTxn, Transact};
        let closed: Vec<_> = peers.iter().map(|p| p.client.as_ref().and_then(|c| c.state().closed.clone())).collect();
        for (index, peer) in peers.iter().enumerate() {
            let content = text(&peer.doc);
            let txn = peer.doc.transact();
            eprintln!("peer {index}: {content:?} sv={:?} pending={}", txn.state_vector(), txn.has_missing_updates());
        }
        let content = reference.text("doc");
        eprintln!("reference: {content:?} sv={:?}", reference.doc().transact().state_vector());
        panic!("SEED={seed} ITERATIONS={iterations}: peers did not converge; connections closed: {closed:?}");
    };
    drop(reference);
    for peer in &mut peers {
        peer.client = None;
    }

    server.shutdown().await.unwrap();
    let mut config = Config::local(data.path().to_path_buf());
    config.listen = addr;
    let server = flashfusion_server::start(config).await.unwrap();
    let fresh = SyncClient::connect(&url).await.unwrap();
    fresh.wait_until(WAIT, |c| c.state().synced).await.unwrap();
    assert_eq!(fresh.text("doc"), final_text, "SEED={seed}: the stored document differs from what peers converged on");
    server.shutdown().await.unwrap();
}
