//! The app's marketplace client against the real `flashfusion-server` on
//! loopback (SQLite): publish from a project (secrets never leave), moderation,
//! search, the template page, previews, use template, reviews, follows, and
//! browsing offline from the cache once the server is gone.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use flashfusion_core::secrets::MemorySecrets;
use flashfusion_core::{Code, ProjectId};
use flashfusion_market::types::{SearchQuery, TemplateFields};
use flashfusion_market::{
    FollowArgs, Market, MarketServerArgs, PreviewArgs, PublishArgs, ReviewArgs, SignInArgs, UseTemplateArgs,
};
use flashfusion_server::Config;
use flashfusion_store::Store;

const ADMIN: &str = "admin@example.com";

/// A market client with its own database and keyring: one user.
fn user(dir: &Path, name: &str, server: &str) -> Market {
    let store = Arc::new(Store::open(&dir.join(format!("{name}.sqlite3"))).unwrap());
    let market = Market::new(store, Arc::new(MemorySecrets::default()));
    market.set_server(&MarketServerArgs { server: server.to_owned() }).unwrap();
    market
}

async fn register(market: &Market, email: &str, name: &str) {
    let args = SignInArgs { email: email.into(), password: "correct horse battery".into(), name: Some(name.into()) };
    assert_eq!(market.sign_in(&args).await.unwrap().account.as_deref(), Some(name));
}

fn fields() -> TemplateFields {
    TemplateFields {
        title: "Deployable landing page".into(),
        description: "A fast static landing page with a contact form".into(),
        category: "landing-page".into(),
        tags: vec!["static".into(), "html".into()],
        licence: "MIT".into(),
        price_cents: 0,
        readme: "# Landing\n\nRun `npm start`.\n\n<script>alert(1)</script>".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publish_moderate_search_use_review_and_browse_offline() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::local(dir.path().join("server"));
    config.admins = vec![ADMIN.to_owned()];
    let server = flashfusion_server::start(config).await.unwrap();
    let url = server.http_url();

    let project = dir.path().join("landing");
    for (path, text) in
        [("index.html", "<h1>Welcome</h1>\n"), ("src/form.js", "export const send = () => 1;\n"), (".env", "SECRET=1")]
    {
        std::fs::create_dir_all(project.join(path).parent().unwrap()).unwrap();
        std::fs::write(project.join(path), text).unwrap();
    }
    let creator = user(dir.path(), "creator", &url);
    assert_eq!(creator.publish_candidates(&project).unwrap().iter().filter(|file| !file.allowed).count(), 1);
    let publish = |files: Vec<&str>| PublishArgs {
        project_id: ProjectId(1),
        template_id: None,
        fields: fields(),
        version: "1.0.0".into(),
        notes: "first".into(),
        files: files.into_iter().map(str::to_owned).collect(),
    };
    assert_eq!(creator.publish(&project, &publish(vec!["index.html"])).await.unwrap_err().code, Code::AuthFailed);
    register(&creator, "ada@example.com", "Ada").await;
    let refused = creator.publish(&project, &publish(vec!["index.html", ".env"])).await.unwrap_err();
    assert_eq!(refused.code, Code::InvalidInput, "secrets are never published: {refused}");
    let template = creator.publish(&project, &publish(vec!["index.html", "src/form.js"])).await.unwrap();
    assert_eq!(template.summary.status, "pending");
    assert_eq!(template.versions[0].files.len(), 2);

    let visitor = user(dir.path(), "visitor", &url);
    let query = SearchQuery { q: "landing".into(), ..SearchQuery::default() };
    assert_eq!(visitor.search(&query).await.unwrap().value.total, 0, "pending templates are not listed");

    let admin = user(dir.path(), "admin", &url);
    register(&admin, ADMIN, "Admin").await;
    let approve = reqwest::Client::new()
        .post(format!("{url}/api/market/admin/templates/{}/approve", template.summary.id))
        .bearer_auth(admin_session_token(&url).await)
        .send()
        .await
        .unwrap();
    assert!(approve.status().is_success(), "{}", approve.text().await.unwrap());

    let found = visitor.search(&query).await.unwrap();
    assert!(!found.offline);
    assert_eq!(found.value.items[0].id, template.summary.id);
    let page = visitor.template(template.summary.id).await.unwrap().value;
    assert!(
        page.readme_html.contains("<h1>Landing</h1>") && !page.readme_html.contains("<script>"),
        "{}",
        page.readme_html
    );
    let preview = PreviewArgs { template_id: template.summary.id, version: "1.0.0".into(), path: "src/form.js".into() };
    assert!(visitor.preview(&preview).await.unwrap().contains("send"));

    let use_args = UseTemplateArgs {
        template_id: template.summary.id,
        version: "1.0.0".into(),
        name: "my-landing".into(),
        parent_dir: dir.path().join("projects").to_string_lossy().into_owned(),
    };
    let used = visitor.use_template(&use_args).await.unwrap();
    assert_eq!(std::fs::read_to_string(used.root.join("index.html")).unwrap(), "<h1>Welcome</h1>\n");
    assert!(!used.root.join(".env").exists());
    assert!(used.origin.ends_with(&format!("/templates/{}@1.0.0", template.summary.id)), "{}", used.origin);
    assert_eq!(visitor.use_template(&use_args).await.unwrap_err().code, Code::AlreadyExists);

    assert_eq!(
        visitor
            .review(&ReviewArgs { template_id: template.summary.id, stars: 5, body: "x".into() })
            .await
            .unwrap_err()
            .code,
        Code::AuthFailed
    );
    register(&visitor, "lin@example.com", "Lin").await;
    visitor.review(&ReviewArgs { template_id: template.summary.id, stars: 2, body: "Meh".into() }).await.unwrap();
    visitor
        .review(&ReviewArgs { template_id: template.summary.id, stars: 4, body: "Better now".into() })
        .await
        .unwrap();
    let reviews = visitor.reviews(template.summary.id).await.unwrap().value;
    assert_eq!((reviews.len(), reviews[0].stars), (1, 4), "a second review replaces the first");
    let creator_id = template.summary.creator.id;
    assert_eq!(visitor.follow(&FollowArgs { creator_id, follow: true }).await.unwrap().followers, 1);

    server.shutdown().await.unwrap();
    let offline = visitor.search(&query).await.unwrap();
    assert!(offline.offline, "the kept catalogue answers offline");
    assert_eq!(offline.value.items[0].id, template.summary.id);
    assert!(visitor.template(template.summary.id).await.unwrap().offline);
    let error = visitor
        .review(&ReviewArgs { template_id: template.summary.id, stars: 5, body: String::new() })
        .await
        .unwrap_err();
    assert_eq!(error.code, Code::Offline, "{error}");
}

/// The admin's own bearer token (the client keeps it in its keyring).
async fn admin_session_token(url: &str) -> String {
    let session: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/sessions"))
        .json(&serde_json::json!({ "email": ADMIN, "password": "correct horse battery" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    session["token"].as_str().unwrap().to_owned()
}
