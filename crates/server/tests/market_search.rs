#![allow(clippy::unwrap_used)] // Tests: a failed step should fail loudly.

//! Marketplace search and reviews against the real server on loopback: a
//! small corpus is published through the REST API and approved by a
//! moderator (prices, downloads and tag floods are written straight into
//! SQLite, as other code paths would), then searched.

use std::collections::BTreeSet;

use flashfusion_server::market::search::fts_query;
use flashfusion_server::{Config, RunningServer};
use reqwest::Method;
use serde_json::{json, Value};

/// A template of the corpus.
struct Spec {
    title: &'static str,
    category: &'static str,
    tags: &'static [&'static str],
    licence: &'static str,
    paid: bool,
    readme: &'static str,
}

const fn spec(
    title: &'static str,
    category: &'static str,
    tags: &'static [&'static str],
    licence: &'static str,
    paid: bool,
    readme: &'static str,
) -> Spec {
    Spec { title, category, tags, licence, paid, readme }
}

/// All approved, published in this order (so ids and creation times ascend).
const CORPUS: &[Spec] = &[
    spec("Deploy dashboard", "dashboard", &["react", "charts"], "MIT", true, "Charts and tables for your metrics."),
    spec("Admin panel", "dashboard", &["vue"], "MIT", false, "Users and roles. How to deploy it to any host."),
    spec("Stripe checkout starter", "web-app", &["react", "stripe"], "Apache-2.0", true, "Payments with Checkout."),
    spec("Landing page kit", "landing-page", &["tailwind"], "MIT", false, "Hero, pricing and FAQ sections."),
    spec("CLI toolbox", "cli", &["rust"], "MIT", false, "Argument parsing and colours."),
    spec("Realtime chat", "web-app", &["react", "websocket"], "MIT", true, "Rooms, typing indicators and presence."),
    spec("Blog engine", "web-app", &["react", "markdown"], "MIT", false, "Posts written in Markdown."),
];
/// Published but never approved: search must not show it.
const PENDING: &str = "Deploy secret";

struct Market {
    server: RunningServer,
    _data: tempfile::TempDir,
    http: reqwest::Client,
    /// The creator of the whole corpus, and a moderator.
    ada: String,
    admin: String,
    /// Of the [`CORPUS`], in order, then of [`PENDING`].
    ids: Vec<i64>,
}

impl Market {
    async fn start() -> Self {
        let data = tempfile::tempdir().unwrap();
        let mut config = Config::local(data.path().to_path_buf());
        config.admins = vec!["admin@example.com".into()];
        let server = flashfusion_server::start(config).await.unwrap();
        let mut market = Self {
            server,
            _data: data,
            http: reqwest::Client::new(),
            ada: String::new(),
            admin: String::new(),
            ids: vec![],
        };
        market.ada = market.account("ada").await;
        market.admin = market.account("admin").await;
        market
    }

    /// [`Market::start`] with the corpus published (and all but [`PENDING`] approved).
    async fn seeded() -> Self {
        let mut market = Self::start().await;
        for template in CORPUS {
            let id = market.publish(template).await;
            market.approve(id).await;
            if template.paid {
                // The price is all search cares about.
                market.sql(&format!("UPDATE market_templates SET price_cents = 900 WHERE id = {id}"));
            }
            market.ids.push(id);
        }
        let pending = market.publish(&spec(PENDING, "web-app", &["react"], "MIT", false, "Not approved yet.")).await;
        market.ids.push(pending);
        market
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.http_url())
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

    async fn account(&self, name: &str) -> String {
        let body = json!({ "email": format!("{name}@example.com"), "name": name, "password": "correct horse" });
        let (status, session) = self.call(Method::POST, "/api/accounts", None, Some(body)).await;
        assert_eq!(status, 201, "{session}");
        session["token"].as_str().unwrap().to_owned()
    }

    /// Publishes a free template (selling needs a Stripe payout account).
    async fn publish(&self, template: &Spec) -> i64 {
        let body = json!({ "title": template.title, "description": "A FlashFusion template.",
                           "category": template.category, "tags": template.tags, "licence": template.licence,
                           "priceCents": 0, "readme": template.readme });
        let (status, template) = self.call(Method::POST, "/api/market/templates", Some(&self.ada), Some(body)).await;
        assert_eq!(status, 201, "{template}");
        template["id"].as_i64().unwrap()
    }

    async fn moderate(&self, id: i64, action: &str, body: Value) {
        let path = format!("/api/market/admin/templates/{id}/{action}");
        let (status, template) = self.call(Method::POST, &path, Some(&self.admin), Some(body)).await;
        assert_eq!(status, 200, "{template}");
    }

    async fn approve(&self, id: i64) {
        self.moderate(id, "approve", json!({})).await;
    }

    fn sql(&self, sql: &str) {
        self.server.state.storage.connection().execute_batch(sql).unwrap();
    }

    fn number(&self, sql: &str) -> i64 {
        self.server.state.storage.connection().query_row(sql, [], |row| row.get(0)).unwrap()
    }

    /// A search that must succeed.
    async fn search(&self, params: &[(&str, &str)]) -> Value {
        let (status, results) = self.try_search(params).await;
        assert_eq!(status, 200, "{params:?}: {results}");
        results
    }

    async fn try_search(&self, params: &[(&str, &str)]) -> (u16, Value) {
        let response = self.http.get(self.url("/api/market/templates")).query(params).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// The corpus positions of what a search finds (one page), in order.
    async fn found(&self, params: &[(&str, &str)]) -> Vec<usize> {
        self.positions(&self.search(params).await)
    }

    async fn found_set(&self, params: &[(&str, &str)]) -> BTreeSet<usize> {
        self.found(params).await.into_iter().collect()
    }

    /// The corpus positions (0-based) of a result page's items, in order.
    fn positions(&self, results: &Value) -> Vec<usize> {
        let items = results["items"].as_array().unwrap();
        items.iter().map(|item| self.ids.iter().position(|id| item["id"] == *id).unwrap()).collect()
    }

    async fn review(&self, token: &str, position: usize, stars: i64, body: &str) -> (u16, Value) {
        let path = format!("/api/market/templates/{}/review", self.ids[position]);
        self.call(Method::PUT, &path, Some(token), Some(json!({ "stars": stars, "body": body }))).await
    }

    async fn template(&self, position: usize) -> Value {
        let (status, template) =
            self.call(Method::GET, &format!("/api/market/templates/{}", self.ids[position]), None, None).await;
        assert_eq!(status, 200, "{template}");
        template
    }
}

/// `[(value, count)]` of one facet.
fn facet(results: &Value, name: &str) -> Vec<(String, i64)> {
    let values = results["facets"][name].as_array().unwrap();
    values.iter().map(|value| (value["value"].as_str().unwrap().to_owned(), value["count"].as_i64().unwrap())).collect()
}

fn counts(pairs: &[(&str, i64)]) -> Vec<(String, i64)> {
    pairs.iter().map(|(value, count)| ((*value).to_owned(), *count)).collect()
}

#[test]
fn user_text_becomes_quoted_words_never_fts_syntax() {
    assert_eq!(fts_query("stripe dashboard").as_deref(), Some("\"stripe\" \"dashboard\"*"));
    // Too short to be a useful prefix.
    assert_eq!(fts_query("go").as_deref(), Some("\"go\""));
    assert_eq!(fts_query("a OR").as_deref(), Some("\"a\" \"OR\""));
    assert_eq!(fts_query("NEAR(x y)").as_deref(), Some("\"NEAR\" \"x\" \"y\""));
    assert_eq!(fts_query("title:\"x\" -y^*").as_deref(), Some("\"title\" \"x\" \"y\""));
    assert_eq!(fts_query("naïve café 東京").as_deref(), Some("\"naïve\" \"café\" \"東京\""));
    for nothing in ["", "\"", "*", "-", "\"\"*", "()", "   "] {
        assert_eq!(fts_query(nothing), None, "{nothing:?}");
    }
    let long = fts_query(&"word ".repeat(100)).unwrap();
    assert_eq!(long.matches("word").count(), 16, "{long}");
}

#[tokio::test]
async fn relevance_stemming_prefixes_and_hostile_queries() {
    let market = Market::seeded().await;
    // A title match beats a README-only match; the pending template never shows.
    let deploy = market.search(&[("q", "deploy")]).await;
    assert_eq!(market.positions(&deploy), vec![0, 1]);
    assert_eq!(deploy["total"], 2);
    // Stemming (porter): "deploying" finds "deploy"; prefixes: "dash" finds "dashboard".
    assert_eq!(market.positions(&market.search(&[("q", "Deploying")]).await), vec![0, 1]);
    assert_eq!(market.positions(&market.search(&[("q", "dash")]).await), vec![0]);
    // Every word is required.
    assert_eq!(market.positions(&market.search(&[("q", "deploy host")]).await), vec![1]);
    // Tags and descriptions are searched too.
    assert_eq!(market.search(&[("q", "websocket")]).await["total"], 1);
    assert_eq!(market.search(&[("q", "flashfusion")]).await["total"], 7);

    // Syntax is text: these name "deploy" and find what mentions it.
    for query in
        ["deploy\"", "\"deploy", "-deploy", "deploy*", "(deploy", "^deploy", "deploy:", "DEPLOY", "deploy deploy"]
    {
        assert_eq!(market.found(&[("q", query)]).await, vec![0, 1], "{query:?}");
    }
    let hostile = [
        "\"",
        "*",
        "NEAR(",
        "NEAR(deploy host, 3)",
        "a OR",
        "OR",
        "deploy OR",
        "NOT deploy",
        "title:deploy",
        "{title}: deploy",
        "'; DROP TABLE market_search; --",
        "\u{0}",
        "🦀",
        "%",
        "_",
    ];
    for query in hostile.iter().map(|query| query.to_string()).chain(["x".repeat(5000), "deploy ".repeat(500)]) {
        let (status, results) = market.try_search(&[("q", &query)]).await;
        assert_eq!(status, 200, "{query:?}: {results}");
        assert!(results["items"].is_array(), "{query:?}: {results}");
    }
    // No words (or an empty q) browses.
    assert_eq!(market.search(&[("q", "\"*")]).await["total"], 7);
    assert_eq!(market.search(&[("q", "")]).await["total"], 7);
}

#[tokio::test]
async fn each_facet_counts_with_every_other_filter_applied() {
    let market = Market::seeded().await;
    let all = market.search(&[]).await;
    assert_eq!(all["total"], 7);
    assert_eq!(facet(&all, "category"), counts(&[("web-app", 3), ("dashboard", 2), ("cli", 1), ("landing-page", 1)]));
    assert_eq!(facet(&all, "price"), counts(&[("free", 4), ("paid", 3)]));
    assert_eq!(facet(&all, "licence"), counts(&[("MIT", 6), ("Apache-2.0", 1)]));
    let tags = [("react", 4), ("charts", 1), ("markdown", 1), ("rust", 1), ("stripe", 1), ("tailwind", 1)];
    assert_eq!(facet(&all, "tags"), counts(&[&tags[..], &[("vue", 1), ("websocket", 1)]].concat()));

    let narrowed = market.search(&[("category", "web-app"), ("price", "paid"), ("tag", "react")]).await;
    assert_eq!(narrowed["total"], 2);
    assert_eq!(market.positions(&narrowed).into_iter().collect::<BTreeSet<_>>(), BTreeSet::from([2, 5]));
    // Paid react templates by category; web-app react templates by price; …
    assert_eq!(facet(&narrowed, "category"), counts(&[("web-app", 2), ("dashboard", 1)]));
    assert_eq!(facet(&narrowed, "price"), counts(&[("paid", 2), ("free", 1)]));
    assert_eq!(facet(&narrowed, "tags"), counts(&[("react", 2), ("stripe", 1), ("websocket", 1)]));
    assert_eq!(facet(&narrowed, "licence"), counts(&[("Apache-2.0", 1), ("MIT", 1)]));

    // With text, facets count the matches only (never the pending template).
    let deploy = market.search(&[("q", "deploy")]).await;
    assert_eq!(facet(&deploy, "category"), counts(&[("dashboard", 2)]));
    assert_eq!(facet(&deploy, "price"), counts(&[("free", 1), ("paid", 1)]));
    assert_eq!(facet(&deploy, "tags"), counts(&[("charts", 1), ("react", 1), ("vue", 1)]));
    // An unknown category matches nothing, yet its facet still offers the others.
    let nowhere = market.search(&[("category", "nowhere")]).await;
    assert_eq!((nowhere["total"].clone(), nowhere["items"].clone()), (json!(0), json!([])));
    assert_eq!(facet(&nowhere, "category").len(), 4);
    assert_eq!(facet(&nowhere, "price"), counts(&[]));
}

#[tokio::test]
async fn filters_sorts_and_stable_pages() {
    let market = Market::seeded().await;
    assert_eq!(market.found_set(&[("category", "cli")]).await, BTreeSet::from([4]));
    assert_eq!(market.found_set(&[("price", "free")]).await, BTreeSet::from([1, 3, 4, 6]));
    assert_eq!(market.found_set(&[("tag", "react"), ("tag", "stripe")]).await, BTreeSet::from([2]));
    assert_eq!(market.found_set(&[("tag", "REACT"), ("tag", "charts")]).await, BTreeSet::from([0]));
    assert_eq!(market.found_set(&[("licence", "Apache-2.0")]).await, BTreeSet::from([2]));
    assert_eq!(market.found_set(&[("tag", "nothing")]).await, BTreeSet::new());
    // Text and filters (relevance scores only the filtered matches).
    assert_eq!(market.found_set(&[("q", "react"), ("category", "dashboard")]).await, BTreeSet::from([0]));
    assert_eq!(market.found_set(&[("q", "react"), ("category", "web-app")]).await, BTreeSet::from([2, 5, 6]));

    // Changed straight in SQLite after search has loaded its listings.
    market.sql(&format!(
        "UPDATE market_templates SET downloads = 50 WHERE id = {};
         UPDATE market_templates SET downloads = 40 WHERE id = {};
         UPDATE market_templates SET downloads = 30 WHERE id = {};",
        market.ids[3], market.ids[4], market.ids[1]
    ));
    let bob = market.account("bob").await;
    let cy = market.account("cy").await;
    for (token, position, stars) in [(&bob, 4, 5), (&cy, 4, 5), (&bob, 3, 5), (&bob, 1, 4), (&cy, 1, 5), (&bob, 5, 2)] {
        assert_eq!(market.review(token, position, stars, "").await.0, 200);
    }
    // Ties: the newer first.
    assert_eq!(market.found(&[("sort", "downloads")]).await, vec![3, 4, 1, 6, 5, 2, 0]);
    assert_eq!(market.found(&[("sort", "newest")]).await, vec![6, 5, 4, 3, 2, 1, 0]);
    // 5.0 (two reviews) before 5.0 (one), 4.5, 2.0, then the unrated.
    assert_eq!(market.found(&[("sort", "rating")]).await, vec![4, 3, 1, 5, 6, 2, 0]);
    // Without text, relevance means featured first, then downloads.
    market.moderate(market.ids[2], "feature", json!({ "featured": true })).await;
    assert_eq!(market.found(&[("sort", "relevance")]).await, vec![2, 3, 4, 1, 6, 5, 0]);

    // Many listings were re-read (and their tags moved): the facets still add up.
    let tags = facet(&market.search(&[]).await, "tags");
    assert_eq!(tags.iter().map(|(_, count)| count).sum::<i64>(), 11, "{tags:?}");

    let mut seen = Vec::new();
    for page in ["1", "2", "3", "4"] {
        let results = market.search(&[("sort", "newest"), ("perPage", "2"), ("page", page)]).await;
        assert_eq!(
            (results["total"].clone(), results["page"].clone(), results["perPage"].clone()),
            (json!(7), json!(page.parse::<i64>().unwrap()), json!(2))
        );
        seen.extend(market.positions(&results));
    }
    assert_eq!(seen, vec![6, 5, 4, 3, 2, 1, 0]);
    let mut ranked = Vec::new();
    for page in ["1", "2"] {
        let results = market.search(&[("q", "react"), ("perPage", "3"), ("page", page)]).await;
        assert_eq!(results["total"], 4);
        ranked.extend(market.positions(&results));
    }
    assert_eq!(ranked.iter().copied().collect::<BTreeSet<_>>(), BTreeSet::from([0, 2, 5, 6]), "{ranked:?}");
    assert_eq!(ranked.len(), 4, "a template on two pages: {ranked:?}");

    for bad in
        [("perPage", "101"), ("perPage", "0"), ("page", "0"), ("page", "x"), ("sort", "best"), ("price", "cheap")]
    {
        let (status, error) = market.try_search(&[bad]).await;
        assert_eq!((status, error["code"].as_str()), (400, Some("invalid_input")), "{bad:?}");
    }
}

#[tokio::test]
async fn search_follows_approval_edits_rejection_and_floods() {
    let market = Market::seeded().await;
    let secret = market.ids[CORPUS.len()];
    assert_eq!(market.search(&[("q", "secret")]).await["total"], 0);
    market.approve(secret).await;
    assert_eq!(market.positions(&market.search(&[("q", "secret")]).await), vec![CORPUS.len()]);
    assert_eq!(market.search(&[("tag", "react")]).await["total"], 5);

    // Its ranking is now cached: an edit must make it stale.
    assert_eq!(market.search(&[("q", "svelte")]).await["total"], 0);
    let path = format!("/api/market/templates/{secret}");
    let (status, template) =
        market.call(Method::PATCH, &path, Some(&market.ada), Some(json!({ "tags": ["svelte"] }))).await;
    assert_eq!(status, 200, "{template}");
    assert_eq!(
        market.search(&[("tag", "svelte")]).await["total"],
        0,
        "an edited template waits for the moderators again"
    );
    market.approve(secret).await;
    assert_eq!(market.search(&[("tag", "react")]).await["total"], 4);
    assert_eq!(market.positions(&market.search(&[("tag", "svelte")]).await), vec![CORPUS.len()]);
    assert_eq!(market.search(&[("q", "svelte")]).await["total"], 1, "the text index follows the tags");

    market.moderate(secret, "reject", json!({ "reason": "spam" })).await;
    assert_eq!(market.search(&[("q", "secret")]).await["total"], 0);
    assert_eq!(market.search(&[("tag", "svelte")]).await["total"], 0);

    // More changes than the change log keeps: search reloads everything.
    let blog = market.ids[6];
    market.sql(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10500)
         INSERT INTO market_template_tags (template_id, tag) SELECT {blog}, 'bulk' || i FROM n"
    ));
    assert!(market.number("SELECT MIN(seq) FROM market_listing_changes") > 1);
    assert_eq!(market.positions(&market.search(&[("tag", "bulk7777")]).await), vec![6]);
    let tags = facet(&market.search(&[]).await, "tags");
    assert_eq!((tags.len(), tags[0].clone()), (20, ("react".to_owned(), 4)));
    market.sql("DELETE FROM market_template_tags WHERE tag LIKE 'bulk%'");
    assert_eq!(market.search(&[("tag", "bulk7777")]).await["total"], 0);

    // Re-read again and again (its tags move each time, and are packed).
    let tags = facet(&market.search(&[]).await, "tags");
    for downloads in 1..=20 {
        market.sql(&format!("UPDATE market_templates SET downloads = {downloads} WHERE id = {blog}"));
        let results = market.search(&[("sort", "downloads")]).await;
        assert_eq!((market.positions(&results)[0], facet(&results, "tags")), (6, tags.clone()));
    }
}

#[tokio::test]
async fn a_review_is_one_per_user_and_keeps_the_rating_consistent() {
    let market = Market::seeded().await;
    let bob = market.account("bob").await;
    let cy = market.account("cy").await;

    let (status, first) = market.review(&bob, 3, 5, "  Great kit.  ").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(
        (first["stars"].clone(), first["body"].clone(), first["author"]["name"].clone()),
        (json!(5), json!("Great kit."), json!("bob"))
    );
    assert_eq!(first["templateId"], market.ids[3]);
    let (status, second) = market.review(&bob, 3, 3, "Fine, on reflection.").await;
    assert_eq!(status, 200, "{second}");
    assert_eq!((second["id"].clone(), second["stars"].clone()), (first["id"].clone(), json!(3)));
    let template = market.template(3).await;
    assert_eq!((template["rating"].clone(), template["ratingCount"].clone()), (json!(3.0), json!(1)));
    assert_eq!(market.review(&cy, 3, 4, "").await.0, 200);
    let template = market.template(3).await;
    assert_eq!((template["rating"].clone(), template["ratingCount"].clone()), (json!(3.5), json!(2)));
    let id = market.ids[3];
    let stored = format!("SELECT SUM(stars) * 1000 + COUNT(*) FROM market_reviews WHERE template_id = {id}");
    let counted = format!("SELECT rating_sum * 1000 + rating_count FROM market_templates WHERE id = {id}");
    assert_eq!(market.number(&stored), market.number(&counted));

    // Newest first, or most helpful first (the default).
    let path = format!("/api/market/templates/{id}/reviews");
    let (status, newest) = market.call(Method::GET, &format!("{path}?sort=newest"), None, None).await;
    assert_eq!(status, 200, "{newest}");
    let authors: Vec<&Value> = newest.as_array().unwrap().iter().map(|review| &review["author"]["name"]).collect();
    assert_eq!(authors, [&json!("cy"), &json!("bob")]);
    assert_eq!(market.call(Method::GET, &format!("{path}?sort=worst"), None, None).await.0, 400);

    let refusals = [
        (market.review(&market.ada, 3, 5, "Mine is great").await, 403),
        (market.review(&bob, CORPUS.len(), 5, "Not approved").await, 404),
        (market.review(&bob, 3, 0, "").await, 400),
        (market.review(&bob, 3, 6, "").await, 400),
        (market.review(&bob, 3, 4, &"x".repeat(5001)).await, 400),
        (market.review("not-a-token", 3, 4, "").await, 401),
    ];
    for ((status, body), expected) in refusals {
        assert_eq!(status, expected, "{body}");
    }
    assert_eq!(market.review(&bob, 3, 4, &"x".repeat(5000)).await.0, 200);
    assert_eq!(market.number(&stored), market.number(&counted));
    assert_eq!(
        market.number(&format!("SELECT COUNT(*) FROM market_reviews WHERE template_id = {}", market.ids[CORPUS.len()])),
        0
    );
}

#[tokio::test]
async fn a_double_review_sent_at_once_is_one_review() {
    let market = Market::seeded().await;
    let dan = market.account("dan").await;
    for round in 0..5 {
        let position = round % CORPUS.len();
        let (first, second) =
            tokio::join!(market.review(&dan, position, 2, "first"), market.review(&dan, position, 4, "second"));
        assert_eq!((first.0, second.0), (200, 200), "{first:?} {second:?}");
        assert_eq!(first.1["id"], second.1["id"]);
        let id = market.ids[position];
        let reviews = format!("SELECT COUNT(*) FROM market_reviews WHERE template_id = {id}");
        assert_eq!(market.number(&reviews), 1);
        let rating = market.template(position).await;
        assert_eq!(rating["ratingCount"], 1);
        // Whichever arrived last won, and the sum is its stars.
        let stars = market.number(&format!("SELECT stars FROM market_reviews WHERE template_id = {id}"));
        assert_eq!(rating["rating"], json!(stars as f64));
    }
}

#[tokio::test]
async fn helpful_votes_count_once_and_never_your_own() {
    let market = Market::seeded().await;
    let bob = market.account("bob").await;
    let cy = market.account("cy").await;
    let (_, review) = market.review(&bob, 0, 4, "Solid").await;
    let path = format!("/api/market/reviews/{}/helpful", review["id"]);
    let vote = |token| market.call(Method::POST, &path, Some(token), None);
    assert_eq!(vote(cy.as_str()).await, (200, json!({ "helpful": 1 })));
    assert_eq!(vote(cy.as_str()).await, (200, json!({ "helpful": 1 })), "a second vote counts once");
    assert_eq!(vote(market.ada.as_str()).await, (200, json!({ "helpful": 2 })));
    assert_eq!(vote(bob.as_str()).await.0, 403);
    assert_eq!(market.call(Method::POST, "/api/market/reviews/999999/helpful", Some(&cy), None).await.0, 404);
    let (_, listed) =
        market.call(Method::GET, &format!("/api/market/templates/{}/reviews", market.ids[0]), None, None).await;
    assert_eq!(listed[0]["helpful"], 2);
}
