#![allow(clippy::unwrap_used)] // Tests: a failed step should fail loudly.

//! The marketplace catalog against the real server on loopback: publishing
//! and approval, who may change what, hostile bundles (each refused with a
//! clear message and nothing stored), downloads of free and paid templates,
//! creators, follows, reports, featuring and preview images.

use std::io::Write;
use std::path::Path;

use flashfusion_server::{Config, RunningServer};
use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// Small limits so that the refusals are cheap to provoke.
const MAX_BUNDLE_BYTES: usize = 64 * 1024;
const MAX_BUNDLE_FILES: usize = 20;

struct Market {
    server: RunningServer,
    data: tempfile::TempDir,
    http: reqwest::Client,
}

async fn start() -> Market {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::local(data.path().to_path_buf());
    // Compared case-insensitively with the account's email.
    config.admins = vec!["Admin@Example.com".into()];
    config.max_bundle_bytes = MAX_BUNDLE_BYTES;
    config.max_bundle_files = MAX_BUNDLE_FILES;
    let server = flashfusion_server::start(config).await.unwrap();
    Market { server, data, http: reqwest::Client::new() }
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

impl Market {
    fn url(&self, path: &str) -> String {
        format!("{}/api/market{path}", self.server.http_url())
    }

    /// Registers `{name}@example.com`; returns its token and account id.
    async fn account(&self, name: &str) -> (String, i64) {
        let body = json!({ "email": format!("{name}@example.com"), "name": name, "password": "correct horse" });
        let response =
            self.http.post(format!("{}/api/accounts", self.server.http_url())).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 201);
        let session: Value = response.json().await.unwrap();
        (session["token"].as_str().unwrap().to_owned(), session["accountId"].as_i64().unwrap())
    }

    async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.call(Method::GET, path, token, None).await
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Creates a free web-app template titled `title`; returns its id.
    async fn create(&self, token: &str, title: &str, price_cents: i64) -> i64 {
        let body = json!({ "title": title, "description": "A starter", "category": "web-app",
                           "tags": ["react"], "licence": "MIT", "priceCents": price_cents, "readme": "# Hello" });
        let (status, template) = self.post("/templates", token, body).await;
        assert_eq!(status, 201, "{template}");
        template["id"].as_i64().unwrap()
    }

    /// Uploads `bundle` as `version`, claiming `claimed` (the real hash when `None`).
    async fn upload(&self, token: &str, id: i64, version: &str, bundle: &[u8], claimed: Option<&str>) -> (u16, Value) {
        let response = self
            .http
            .post(self.url(&format!("/templates/{id}/versions?version={version}&notes=First%20cut")))
            .bearer_auth(token)
            .header("content-type", "application/gzip")
            .header("x-bundle-sha256", claimed.map_or_else(|| sha256(bundle), str::to_owned))
            .body(bundle.to_vec())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// Status, body and `X-Bundle-Sha256` of a bundle download.
    async fn download(&self, token: Option<&str>, id: i64, version: &str) -> (u16, Vec<u8>, Option<String>) {
        let mut request = self.http.get(self.url(&format!("/templates/{id}/versions/{version}/bundle")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let hash = response.headers().get("x-bundle-sha256").map(|value| value.to_str().unwrap().to_owned());
        (status, response.bytes().await.unwrap().to_vec(), hash)
    }

    async fn approve(&self, admin: &str, id: i64) {
        let (status, template) = self.post(&format!("/admin/templates/{id}/approve"), admin, json!({})).await;
        assert_eq!(status, 200, "{template}");
        assert_eq!(template["status"], "approved");
    }

    fn count(&self, sql: &str) -> i64 {
        self.server.state.storage.connection().query_row(sql, [], |row| row.get(0)).unwrap()
    }

    fn execute(&self, sql: &str, params: impl rusqlite::Params) {
        self.server.state.storage.connection().execute(sql, params).unwrap();
    }

    /// Files anywhere under the blob store (staging leftovers included).
    fn stored_files(&self) -> usize {
        fn walk(path: &Path) -> usize {
            let Ok(entries) = std::fs::read_dir(path) else { return 0 };
            entries.map(|entry| entry.unwrap().path()).map(|path| if path.is_dir() { walk(&path) } else { 1 }).sum()
        }
        walk(&self.data.path().join("blobs"))
    }
}

// ---- bundle fixtures ---------------------------------------------------------

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A gzipped tar built entry by entry.
fn tar_gz(entries: impl FnOnce(&mut tar::Builder<Vec<u8>>)) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    entries(&mut builder);
    gzip(&builder.into_inner().unwrap())
}

/// One entry with its name bytes written as they are: `tar::Builder`
/// refuses `..` and absolute paths, which is exactly what a hostile
/// client would not do.
fn entry(builder: &mut tar::Builder<Vec<u8>>, name: &[u8], kind: tar::EntryType, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.as_old_mut().name[..name.len()].copy_from_slice(name);
    header.set_entry_type(kind);
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    match kind {
        tar::EntryType::Symlink => header.set_link_name("/etc/passwd").unwrap(),
        tar::EntryType::Link => header.set_link_name("README.md").unwrap(),
        tar::EntryType::Char | tar::EntryType::Block => {
            header.set_device_major(1).unwrap();
            header.set_device_minor(3).unwrap();
        }
        _ => {}
    }
    header.set_cksum();
    builder.append(&header, data).unwrap();
}

fn file(builder: &mut tar::Builder<Vec<u8>>, name: &str, data: &[u8]) {
    entry(builder, name.as_bytes(), tar::EntryType::Regular, data);
}

/// What a client sends: a README and a source file.
fn good_bundle() -> Vec<u8> {
    tar_gz(|tar| {
        file(tar, "README.md", b"# Starter\n");
        file(tar, "src/main.ts", b"console.log('hello')\n");
    })
}

/// A PAX extended header that renames the next entry to `path`.
fn pax_path(builder: &mut tar::Builder<Vec<u8>>, path: &[u8]) {
    let body_len = " path=\n".len() + path.len();
    let mut length = body_len + 1;
    while length != body_len + length.to_string().len() {
        length = body_len + length.to_string().len();
    }
    let mut record = format!("{length} path=").into_bytes();
    record.extend_from_slice(path);
    record.push(b'\n');
    entry(builder, b"PaxHeaders/x", tar::EntryType::XHeader, &record);
}

/// Bytes that do not compress (xorshift).
fn noise(length: usize) -> Vec<u8> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

// ---- tests -------------------------------------------------------------------

#[tokio::test]
async fn publishing_validation_and_the_approval_flow() {
    let market = start().await;
    let (alice, alice_id) = market.account("alice").await;
    let (bob, _) = market.account("bob").await;
    let (admin, _) = market.account("admin").await;

    let valid = json!({ "title": "SaaS starter", "description": "Billing included", "category": "web-app",
                        "tags": ["React", "stripe", "react"], "licence": "MIT", "priceCents": 0, "readme": "# SaaS" });
    let refusals = [
        ("title", json!("ab"), "title"),
        ("description", json!("x".repeat(501)), "description"),
        ("category", json!("toaster"), "unknown category"),
        ("tags", json!(["Bad Tag"]), "tag \"bad tag\""),
        ("tags", json!((0..11).map(|n| format!("t{n}")).collect::<Vec<_>>()), "at most 10 tags"),
        ("licence", json!("  "), "licence"),
        ("priceCents", json!(50), "price"),
        ("priceCents", json!(100_001), "price"),
    ];
    for (field, value, message) in refusals {
        let mut body = valid.clone();
        body[field] = value;
        let (status, error) = market.post("/templates", &alice, body).await;
        assert_eq!(status, 400, "{field}: {error}");
        assert!(error["message"].as_str().unwrap().contains(message), "{field}: {error}");
    }
    let mut paid = valid.clone();
    paid["priceCents"] = json!(1500);
    let (status, error) = market.post("/templates", &alice, paid).await;
    assert_eq!(status, 409, "a paid template needs a payout account first: {error}");
    let (status, _) = market.call(Method::POST, "/templates", None, Some(valid.clone())).await;
    assert_eq!(status, 401);

    let (status, created) = market.post("/templates", &alice, valid.clone()).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["tags"], json!(["react", "stripe"]));
    assert_eq!(created["creator"], json!({ "id": alice_id, "name": "alice" }));
    assert_eq!(created["latestVersion"], Value::Null);
    assert_eq!(created["rating"], Value::Null);
    assert_eq!(created["purchased"], true, "the creator counts as having it");

    // Pending: only its creator and the moderators see it.
    assert_eq!(market.get(&format!("/templates/{id}"), Some(&bob)).await.0, 404);
    assert_eq!(market.get(&format!("/templates/{id}"), None).await.0, 404);
    assert_eq!(market.get(&format!("/templates/{id}"), Some(&alice)).await.0, 200);
    assert_eq!(market.get(&format!("/templates/{id}"), Some(&admin)).await.0, 200);
    let (_, categories) = market.get("/categories", None).await;
    assert_eq!(categories.as_array().unwrap().len(), 8);
    assert_eq!(categories[0], json!({ "slug": "web-app", "name": "Web app", "count": 0 }));

    // Nobody but the creator changes it.
    let (status, _) =
        market.call(Method::PATCH, &format!("/templates/{id}"), Some(&bob), Some(json!({ "title": "Mine now" }))).await;
    assert_eq!(status, 403);
    assert_eq!(market.upload(&bob, id, "1.0.0", &good_bundle(), None).await.0, 403);
    let preview = market
        .http
        .put(market.url(&format!("/templates/{id}/preview")))
        .bearer_auth(&bob)
        .body(b"\x89PNG\r\n\x1a\nrest".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), 403);
    assert_eq!(market.stored_files(), 0);

    // Versions.
    let (status, version) = market.upload(&alice, id, "1.0.0", &good_bundle(), None).await;
    assert_eq!(status, 201, "{version}");
    assert_eq!(version["version"], "1.0.0");
    assert_eq!(version["notes"], "First cut");
    assert_eq!(version["bundleHash"], sha256(&good_bundle()));
    assert_eq!(version["fileCount"], 2);
    assert_eq!(version["totalBytes"], 10 + 21);
    assert_eq!(version["files"], json!([{ "path": "README.md", "size": 10 }, { "path": "src/main.ts", "size": 21 }]));
    let (status, error) = market.upload(&alice, id, "1.0.0", &good_bundle(), None).await;
    assert_eq!(status, 409, "{error}");
    for bad in ["1.0", "v1.0.0", "1.0.0-beta", "1..0"] {
        let (status, error) = market.upload(&alice, id, bad, &good_bundle(), None).await;
        assert_eq!(status, 400, "{bad}: {error}");
        assert!(error["message"].as_str().unwrap().contains("MAJOR.MINOR.PATCH"), "{error}");
    }

    // The creator edits; the search index follows.
    let patch = json!({ "title": "SaaS starter kit", "tags": ["Billing"] });
    let (status, patched) = market.call(Method::PATCH, &format!("/templates/{id}"), Some(&alice), Some(patch)).await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["title"], "SaaS starter kit");
    assert_eq!(patched["tags"], json!(["billing"]));
    assert_eq!(patched["description"], "Billing included", "fields not sent stay");
    assert_eq!(patched["latestVersion"], "1.0.0");
    let indexed: String = market
        .server
        .state
        .storage
        .connection()
        .query_row("SELECT title || ' ' || tags FROM market_search WHERE rowid = ?1", [id], |row| row.get(0))
        .unwrap();
    assert_eq!(indexed, "SaaS starter kit billing");

    // Moderation.
    assert_eq!(market.get("/admin/queue", Some(&bob)).await.0, 403);
    let (status, queue) = market.get("/admin/queue", Some(&admin)).await;
    assert_eq!(status, 200);
    assert_eq!(queue["templates"][0]["id"], id);
    let (status, _) = market.post(&format!("/admin/templates/{id}/approve"), &bob, json!({})).await;
    assert_eq!(status, 403);
    market.approve(&admin, id).await;
    let (status, seen) = market.get(&format!("/templates/{id}"), Some(&bob)).await;
    assert_eq!(status, 200);
    assert_eq!(seen["purchased"], false);
    assert_eq!(seen["versions"].as_array().unwrap().len(), 1);
    assert_eq!(seen["readme"], "# SaaS");
    assert_eq!(market.get(&format!("/templates/{id}"), None).await.0, 200);
    assert_eq!(market.get("/categories", None).await.1[0]["count"], 1);
    assert!(market.get("/admin/queue", Some(&admin)).await.1["templates"].as_array().unwrap().is_empty());

    // Rejected: hidden again from everyone else.
    let other = market.create(&alice, "Second try", 0).await;
    let (status, rejected) =
        market.post(&format!("/admin/templates/{other}/reject"), &admin, json!({ "reason": "empty" })).await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(market.get(&format!("/templates/{other}"), Some(&bob)).await.0, 404);

    let (_, mine) = market.get("/me/templates", Some(&alice)).await;
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 2, "every status: {mine:?}");
    assert!(mine.iter().all(|template| template["sales"] == 0 && template["revenueCents"] == 0));
}

#[tokio::test]
async fn hostile_bundles_are_refused_and_nothing_is_stored() {
    use tar::EntryType;

    let market = start().await;
    let (alice, _) = market.account("alice").await;
    let id = market.create(&alice, "Target", 0).await;
    let good = good_bundle();

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("parent path", tar_gz(|tar| file(tar, "../x", b"x")), "may not contain `..`"),
        ("git folder", tar_gz(|tar| file(tar, "src/.Git/config", b"[core]")), "`.git` folder"),
        ("too deep", tar_gz(|tar| file(tar, &format!("{}x", "d/".repeat(33)), b"x")), "32 folders deep"),
        ("nested parent path", tar_gz(|tar| file(tar, "src/../../x", b"x")), "may not contain `..`"),
        ("absolute path", tar_gz(|tar| file(tar, "/etc/x", b"x")), "absolute"),
        ("drive path", tar_gz(|tar| file(tar, "C:/x", b"x")), "absolute"),
        ("backslash", tar_gz(|tar| file(tar, "src\\..\\x", b"x")), "backslash"),
        (
            "NUL in a PAX path",
            tar_gz(|tar| {
                pax_path(tar, b"a\0b");
                file(tar, "placeholder", b"x");
            }),
            "NUL",
        ),
        ("symlink", tar_gz(|tar| entry(tar, b"link", EntryType::Symlink, b"")), "symlink entries are not allowed"),
        (
            "hard link",
            tar_gz(|tar| {
                file(tar, "README.md", b"x");
                entry(tar, b"again", EntryType::Link, b"");
            }),
            "hard link entries are not allowed",
        ),
        ("character device", tar_gz(|tar| entry(tar, b"null", EntryType::Char, b"")), "character device"),
        ("block device", tar_gz(|tar| entry(tar, b"disk", EntryType::Block, b"")), "block device"),
        ("FIFO", tar_gz(|tar| entry(tar, b"pipe", EntryType::Fifo, b"")), "FIFO entries are not allowed"),
        (
            "duplicate path",
            tar_gz(|tar| {
                file(tar, "a.txt", b"one");
                file(tar, "a.txt", b"two");
            }),
            "appears twice",
        ),
        (
            "duplicate after ./",
            tar_gz(|tar| {
                file(tar, "a.txt", b"one");
                file(tar, "./a.txt", b"two");
            }),
            "appears twice",
        ),
        (
            "file used as a folder",
            tar_gz(|tar| {
                file(tar, "a", b"one");
                file(tar, "a/b", b"two");
            }),
            "which is a file",
        ),
        (
            "folder used as a file",
            tar_gz(|tar| {
                file(tar, "a/b", b"one");
                file(tar, "a", b"two");
            }),
            "other entries are inside it",
        ),
        (
            "path too long",
            tar_gz(|tar| {
                pax_path(tar, "d/".repeat(600).as_bytes());
                file(tar, "placeholder", b"x");
            }),
            "at most 1024 bytes",
        ),
        (
            "too many files",
            tar_gz(|tar| {
                for n in 0..=MAX_BUNDLE_FILES {
                    file(tar, &format!("f{n}.txt"), b"x");
                }
            }),
            "more than 20 files",
        ),
        ("no files", tar_gz(|tar| entry(tar, b"empty/", EntryType::Directory, b"")), "holds no files"),
        ("not gzip", noise(1000), "not a readable gzipped tar"),
        ("truncated gzip", good[..good.len() / 2].to_vec(), "not a readable gzipped tar"),
        ("gzip of not a tar", gzip(&b"hello world ".repeat(100)), "not a readable gzipped tar"),
        ("gzip bomb", tar_gz(|tar| file(tar, "zeros", &vec![0; 10 * 1024 * 1024])), "unpacks to more than"),
    ];
    for (name, bundle, message) in cases {
        assert!(bundle.len() <= MAX_BUNDLE_BYTES, "{name} must get past the size limit");
        let (status, error) = market.upload(&alice, id, "1.0.0", &bundle, None).await;
        assert_eq!(status, 400, "{name}: {error}");
        assert_eq!(error["code"], "invalid_input", "{name}");
        assert!(error["message"].as_str().unwrap().contains(message), "{name}: {error}");
    }

    let (status, error) = market.upload(&alice, id, "1.0.0", &good, Some(&sha256(b"something else"))).await;
    assert_eq!(status, 400);
    assert!(error["message"].as_str().unwrap().contains("does not match"), "{error}");

    let response = market
        .http
        .post(market.url(&format!("/templates/{id}/versions?version=1.0.0")))
        .bearer_auth(&alice)
        .body(good.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400, "the hash header is required");

    let too_big = tar_gz(|tar| file(tar, "noise.bin", &noise(MAX_BUNDLE_BYTES + 1024)));
    let (status, error) = market.upload(&alice, id, "1.0.0", &too_big, None).await;
    assert_eq!(status, 413, "{error}");
    assert_eq!(error["code"], "too_large");

    assert_eq!(market.count("SELECT COUNT(*) FROM market_versions"), 0);
    assert_eq!(market.count("SELECT COUNT(*) FROM market_blobs"), 0);
    assert_eq!(market.stored_files(), 0, "no blob and no staging leftovers");

    // And the template still takes a good bundle.
    assert_eq!(market.upload(&alice, id, "1.0.0", &good, None).await.0, 201);
    assert_eq!(market.stored_files(), 1);
}

#[tokio::test]
async fn a_free_bundle_downloads_byte_for_byte_and_is_stored_once() {
    let market = start().await;
    let (alice, _) = market.account("alice").await;
    let (admin, _) = market.account("admin").await;
    let id = market.create(&alice, "Free starter", 0).await;
    // As `tar czf bundle.tgz .` makes it: a `./` root, folders, `./` prefixes.
    let bundle = tar_gz(|tar| {
        entry(tar, b"./", tar::EntryType::Directory, b"");
        entry(tar, b"./src/", tar::EntryType::Directory, b"");
        file(tar, "./src/main.ts", b"export {}\n");
        file(tar, "./README.md", b"# Free\n");
    });
    let (status, version) = market.upload(&alice, id, "1.0.0", &bundle, None).await;
    assert_eq!(status, 201, "{version}");
    assert_eq!(version["files"], json!([{ "path": "src/main.ts", "size": 10 }, { "path": "README.md", "size": 7 }]));

    assert_eq!(market.download(None, id, "1.0.0").await.0, 404, "pending: not for others");
    market.approve(&admin, id).await;
    let (status, bytes, hash) = market.download(None, id, "1.0.0").await;
    assert_eq!(status, 200);
    assert_eq!(bytes, bundle);
    assert_eq!(hash.unwrap(), sha256(&bundle));
    assert_eq!(market.download(None, id, "9.9.9").await.0, 404);
    assert_eq!(market.get(&format!("/templates/{id}"), None).await.1["downloads"], 1);

    // The same bytes again: one blob.
    assert_eq!(market.upload(&alice, id, "1.0.1", &bundle, None).await.0, 201);
    assert_eq!(market.count("SELECT COUNT(*) FROM market_blobs"), 1);
    assert_eq!(market.stored_files(), 1);
    let hash = sha256(&bundle);
    assert!(market.data.path().join("blobs").join(&hash[..2]).join(&hash).is_file());
    assert_eq!(market.get(&format!("/templates/{id}"), None).await.0, 404, "a new version goes back to the moderators");
    market.approve(&admin, id).await;
    let (_, template) = market.get(&format!("/templates/{id}"), None).await;
    assert_eq!(template["latestVersion"], "1.0.1");
    assert_eq!(template["versions"][0]["version"], "1.0.1", "newest first");
}

#[tokio::test]
async fn a_paid_bundle_goes_to_buyers_the_creator_and_moderators() {
    let market = start().await;
    let (alice, alice_id) = market.account("alice").await;
    let (bob, bob_id) = market.account("bob").await;
    let (admin, _) = market.account("admin").await;
    market.execute(
        "INSERT INTO market_payout_accounts (account_id, stripe_account, created_at) VALUES (?1, 'acct_test', 0)",
        [alice_id],
    );
    let id = market.create(&alice, "Pro starter", 1500).await;
    assert_eq!(market.upload(&alice, id, "1.0.0", &good_bundle(), None).await.0, 201);
    market.approve(&admin, id).await;

    let (status, _, _) = market.download(Some(&bob), id, "1.0.0").await;
    assert_eq!(status, 402);
    let (status, body, _) = market.download(None, id, "1.0.0").await;
    assert_eq!(status, 402);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap()["code"], "payment_required");
    assert_eq!(market.download(Some(&alice), id, "1.0.0").await.0, 200);
    assert_eq!(market.download(Some(&admin), id, "1.0.0").await.0, 200);

    // A purchase counts once it is paid.
    market.execute(
        "INSERT INTO market_purchases (id, template_id, buyer_id, amount_cents, fee_cents, currency, payment_intent, status, created_at)
         VALUES ('purchase-1', ?1, ?2, 1500, 450, 'usd', 'pi_test', 'pending', 0)",
        [id, bob_id],
    );
    assert_eq!(market.download(Some(&bob), id, "1.0.0").await.0, 402);
    assert_eq!(market.get(&format!("/templates/{id}"), Some(&bob)).await.1["purchased"], false);
    market.execute("UPDATE market_purchases SET status = 'paid', paid_at = 1 WHERE id = 'purchase-1'", []);
    let (status, bytes, _) = market.download(Some(&bob), id, "1.0.0").await;
    assert_eq!(status, 200);
    assert_eq!(bytes, good_bundle());
    assert_eq!(market.get(&format!("/templates/{id}"), Some(&bob)).await.1["purchased"], true);

    let (_, template) = market.get(&format!("/templates/{id}"), None).await;
    assert_eq!(template["downloads"], 3, "refused downloads do not count");
    let (_, mine) = market.get("/me/templates", Some(&alice)).await;
    assert_eq!(mine[0]["sales"], 1);
    assert_eq!(mine[0]["revenueCents"], 1050, "the creator's 70 %");
}

#[tokio::test]
async fn creators_follows_reports_featuring_and_previews() {
    let market = start().await;
    let (alice, alice_id) = market.account("alice").await;
    let (bob, _) = market.account("bob").await;
    let (admin, _) = market.account("admin").await;

    // Profile.
    let profile = json!({ "bio": "  Builds starters  ", "avatarUrl": "https://example.com/a.png" });
    let (status, me) = market.call(Method::PUT, "/me/profile", Some(&alice), Some(profile)).await;
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["bio"], "Builds starters");
    let hostile = json!({ "bio": "", "avatarUrl": "javascript:alert(1)" });
    assert_eq!(market.call(Method::PUT, "/me/profile", Some(&alice), Some(hostile)).await.0, 400);

    let id = market.create(&alice, "Dashboard kit", 0).await;
    market.upload(&alice, id, "1.0.0", &good_bundle(), None).await;
    market.approve(&admin, id).await;
    market.download(None, id, "1.0.0").await;
    let (status, creator) = market.get(&format!("/creators/{alice_id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(
        creator,
        json!({ "id": alice_id, "name": "alice", "bio": "Builds starters", "avatarUrl": "https://example.com/a.png",
                "templates": 1, "downloads": 1, "followers": 0, "following": false })
    );
    let (_, listed) = market.get(&format!("/creators/{alice_id}/templates"), None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(market.get("/creators/999999", None).await.0, 404);

    // Follows.
    let follow = format!("/creators/{alice_id}/follow");
    let (status, followed) = market.post(&follow, &bob, json!({})).await;
    assert_eq!(status, 200);
    assert_eq!((followed["followers"].clone(), followed["following"].clone()), (json!(1), json!(true)));
    assert_eq!(market.post(&follow, &bob, json!({})).await.1["followers"], 1, "following twice is once");
    assert_eq!(market.get(&format!("/templates/{id}"), Some(&bob)).await.1["following"], true);
    assert_eq!(market.post(&follow, &alice, json!({})).await.0, 400, "not yourself");
    let (status, unfollowed) = market.call(Method::DELETE, &follow, Some(&bob), None).await;
    assert_eq!(status, 200);
    assert_eq!((unfollowed["followers"].clone(), unfollowed["following"].clone()), (json!(0), json!(false)));

    // Reports.
    assert_eq!(market.post(&format!("/templates/{id}/report"), &bob, json!({ "reason": " " })).await.0, 400);
    let (status, report) = market.post(&format!("/templates/{id}/report"), &bob, json!({ "reason": "Spam" })).await;
    assert_eq!(status, 201);
    let report_id = report["id"].as_i64().unwrap();
    let (_, queue) = market.get("/admin/queue", Some(&admin)).await;
    assert_eq!(queue["reports"][0]["id"], report_id);
    assert_eq!(queue["reports"][0]["templateId"], id);
    assert_eq!(queue["reports"][0]["reason"], "Spam");
    assert_eq!(queue["reports"][0]["reporter"]["name"], "bob");
    let resolve = format!("/admin/reports/{report_id}/resolve");
    assert_eq!(market.post(&resolve, &bob, json!({})).await.0, 403);
    assert_eq!(market.post(&resolve, &admin, json!({})).await.0, 204);
    assert_eq!(market.post(&resolve, &admin, json!({})).await.0, 204, "resolving twice is fine");
    assert_eq!(market.post("/admin/reports/999999/resolve", &admin, json!({})).await.0, 404);
    assert!(market.get("/admin/queue", Some(&admin)).await.1["reports"].as_array().unwrap().is_empty());

    // Featuring.
    assert_eq!(market.get("/featured", None).await.1, json!([]));
    let feature = format!("/admin/templates/{id}/feature");
    assert_eq!(market.post(&feature, &bob, json!({ "featured": true })).await.0, 403);
    assert_eq!(market.post(&feature, &admin, json!({ "featured": true })).await.1["featured"], true);
    let (_, featured) = market.get("/featured", None).await;
    assert_eq!(featured[0]["id"], id);
    market.post(&feature, &admin, json!({ "featured": false })).await;
    assert_eq!(market.get("/featured", None).await.1, json!([]));

    // Preview images: checked by their bytes, served by hash.
    let put_preview = |bytes: Vec<u8>| {
        market.http.put(market.url(&format!("/templates/{id}/preview"))).bearer_auth(&alice).body(bytes).send()
    };
    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &noise(200)].concat();
    let response = put_preview(png.clone()).await.unwrap();
    assert_eq!(response.status(), 200);
    let preview_url = response.json::<Value>().await.unwrap()["previewUrl"].as_str().unwrap().to_owned();
    assert_eq!(preview_url, format!("/api/market/blobs/{}", sha256(&png)));
    let image = market.http.get(format!("{}{preview_url}", market.server.http_url())).send().await.unwrap();
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.bytes().await.unwrap().to_vec(), png);
    assert_eq!(market.get(&format!("/templates/{id}"), None).await.1["previewUrl"], preview_url.as_str());
    assert_eq!(put_preview(b"<svg onload=alert(1)>".to_vec()).await.unwrap().status(), 400);
    assert_eq!(put_preview(vec![0xff; 2 * 1024 * 1024 + 1]).await.unwrap().status(), 413);
    // Bundles share the store but are not served as blobs.
    assert_eq!(market.get(&format!("/blobs/{}", sha256(&good_bundle())), None).await.0, 404);
    assert_eq!(market.get("/blobs/..%2F..%2Fserver.sqlite3", None).await.0, 404);
}

#[tokio::test]
async fn racing_uploads_of_one_version_keep_one_bundle() {
    let market = start().await;
    let (alice, _) = market.account("alice").await;
    let id = market.create(&alice, "Raced", 0).await;
    let bundles: Vec<Vec<u8>> = (0..4).map(|n| tar_gz(|tar| file(tar, "n.txt", format!("{n}").as_bytes()))).collect();
    let uploads = bundles.iter().map(|bundle| market.upload(&alice, id, "1.0.0", bundle, None));
    let mut statuses: Vec<u16> =
        futures_util::future::join_all(uploads).await.into_iter().map(|(status, _)| status).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409]);
    // The losers' bundles, even if already moved into the store, are gone again.
    assert_eq!(market.stored_files(), 1);
    assert_eq!(market.count("SELECT COUNT(*) FROM market_blobs"), 1);
}
