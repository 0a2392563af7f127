//! The template marketplace in the app: the server and account (its token in
//! the keyring), browsing and search with an offline cache of every answer,
//! template pages with the README rendered and highlighted file previews,
//! reviews and follows, "use template" (a new project that remembers where
//! it came from) and publishing a project as a template.

pub mod bundle;
pub mod client;
pub mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{Code, Error, Result};
use flashfusion_store::Store;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bundle::PublishFile;
use crate::client::{Bundle, Client};
use crate::types::{Category, Creator, Review, SearchPage, SearchQuery, Template, TemplateFields, TemplateSummary};

const SETTINGS_KEY: &str = "market";
/// Bundles kept in memory for previews.
const KEPT_BUNDLES: usize = 8;
/// A `flashfusion-server` on this machine, its default address.
pub const DEFAULT_SERVER: &str = "http://127.0.0.1:4455";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct MarketSettings {
    server: Option<String>,
    /// The signed-in account's name (its token is in the keyring).
    account: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MarketStatus {
    pub server: String,
    pub account: Option<String>,
}

/// An answer from the server, or (offline) the last one kept.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Cached<T> {
    pub value: T,
    /// True when the server could not be reached and this is the kept copy.
    pub offline: bool,
    #[ts(type = "number")]
    pub fetched_at: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplatePage {
    pub template: Template,
    /// The README rendered to HTML (raw HTML in it escaped).
    pub readme_html: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct MarketServerArgs {
    pub server: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SignInArgs {
    pub email: String,
    pub password: String,
    /// Present to create the account first.
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateArgs {
    #[ts(type = "number")]
    pub template_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewArgs {
    #[ts(type = "number")]
    pub template_id: i64,
    pub stars: u8,
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewIdArgs {
    #[ts(type = "number")]
    pub review_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowArgs {
    #[ts(type = "number")]
    pub creator_id: i64,
    pub follow: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PreviewArgs {
    #[ts(type = "number")]
    pub template_id: i64,
    pub version: String,
    pub path: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UseTemplateArgs {
    #[ts(type = "number")]
    pub template_id: i64,
    pub version: String,
    pub name: String,
    pub parent_dir: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PublishArgs {
    pub project_id: flashfusion_core::ProjectId,
    /// `None` publishes a new template; otherwise a new version of it.
    #[ts(type = "number | null")]
    pub template_id: Option<i64>,
    pub fields: TemplateFields,
    pub version: String,
    pub notes: String,
    pub files: Vec<String>,
}

/// A project made from a template: where it is and where it came from.
#[derive(Debug)]
pub struct UsedTemplate {
    pub root: PathBuf,
    /// `market:<server>/templates/<id>@<version>`, kept with the project.
    pub origin: String,
}

pub struct Market {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    /// Downloaded bundles by hash, for previews without downloading again.
    bundles: Mutex<HashMap<String, Arc<Bundle>>>,
}

impl Market {
    pub fn new(store: Arc<Store>, secrets: Arc<dyn SecretStore>) -> Self {
        Self { store, secrets, bundles: Mutex::new(HashMap::new()) }
    }

    pub fn status(&self) -> Result<MarketStatus> {
        let settings = self.settings()?;
        Ok(MarketStatus { server: server_of(&settings), account: settings.account })
    }

    /// Points the app at another marketplace server (signing out of the old one).
    pub fn set_server(&self, args: &MarketServerArgs) -> Result<MarketStatus> {
        let server = args.server.trim().trim_end_matches('/');
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            return Err(Error::new(Code::InvalidInput, "The marketplace address starts with http:// or https://."));
        }
        self.sign_out()?;
        self.store.set_setting(SETTINGS_KEY, &MarketSettings { server: Some(server.to_owned()), account: None })?;
        self.status()
    }

    /// Signs in (creating the account first when a name is given).
    pub async fn sign_in(&self, args: &SignInArgs) -> Result<MarketStatus> {
        let mut settings = self.settings()?;
        let client = Client::new(&server_of(&settings), None)?;
        let session = match args.name.as_deref().map(str::trim).filter(|name| !name.is_empty()) {
            Some(name) => client.register(args.email.trim(), name, &args.password).await?,
            None => client.sign_in(args.email.trim(), &args.password).await?,
        };
        self.secrets.set(&token_key(&server_of(&settings)), &session.token)?;
        settings.account = Some(session.name);
        self.store.set_setting(SETTINGS_KEY, &settings)?;
        self.status()
    }

    pub fn sign_out(&self) -> Result<MarketStatus> {
        // A bought template's files go with the account that bought them.
        self.kept_bundles().clear();
        let mut settings = self.settings()?;
        self.secrets.delete(&token_key(&server_of(&settings)))?;
        settings.account = None;
        self.store.set_setting(SETTINGS_KEY, &settings)?;
        self.status()
    }

    pub async fn categories(&self) -> Result<Cached<Vec<Category>>> {
        let client = self.client()?;
        self.cached("categories", client.categories()).await
    }

    pub async fn search(&self, query: &SearchQuery) -> Result<Cached<SearchPage>> {
        let client = self.client()?;
        let key = format!("search:{}", serde_json::to_string(query).unwrap_or_default());
        self.cached(&key, client.search(query)).await
    }

    pub async fn template(&self, id: i64) -> Result<Cached<TemplatePage>> {
        let client = self.client()?;
        let page = async {
            let template = client.template(id).await?;
            Ok(TemplatePage { readme_html: flashfusion_core::markdown::to_html(&template.readme), template })
        };
        self.cached(&format!("template:{id}"), page).await
    }

    pub async fn reviews(&self, id: i64) -> Result<Cached<Vec<Review>>> {
        let client = self.client()?;
        self.cached(&format!("reviews:{id}"), client.reviews(id)).await
    }

    pub async fn review(&self, args: &ReviewArgs) -> Result<Review> {
        if !(1..=5).contains(&args.stars) {
            return Err(Error::new(Code::InvalidInput, "A review has 1 to 5 stars."));
        }
        self.signed_in_client()?.review(args.template_id, args.stars, args.body.trim()).await
    }

    pub async fn helpful(&self, args: &ReviewIdArgs) -> Result<()> {
        self.signed_in_client()?.helpful(args.review_id).await
    }

    pub async fn follow(&self, args: &FollowArgs) -> Result<Creator> {
        self.signed_in_client()?.follow(args.creator_id, args.follow).await
    }

    pub async fn my_templates(&self) -> Result<Vec<TemplateSummary>> {
        self.signed_in_client()?.my_templates().await
    }

    /// One file of a template version, highlighted, from its bundle.
    pub async fn preview(&self, args: &PreviewArgs) -> Result<String> {
        let bundle = self.bundle(args.template_id, &args.version).await?;
        let text = bundle::read_file(&bundle, &args.path)?;
        flashfusion_core::highlight::to_html(Path::new(&args.path), &text)
    }

    /// Downloads a version and unpacks it as a new project folder.
    pub async fn use_template(&self, args: &UseTemplateArgs) -> Result<UsedTemplate> {
        let name = args.name.trim();
        if name.is_empty() || name.contains(['/', '\\', '\0']) || name == "." || name == ".." {
            return Err(Error::new(Code::InvalidInput, format!("{name:?} is not a usable folder name")));
        }
        let parent = Path::new(args.parent_dir.trim());
        if !parent.is_absolute() {
            return Err(Error::new(Code::InvalidInput, "choose a full folder path for the new project"));
        }
        let bundle = self.bundle(args.template_id, &args.version).await?;
        let root = parent.join(name);
        let unpack_into = root.clone();
        tokio::task::spawn_blocking(move || bundle::unpack(&bundle, &unpack_into))
            .await
            .map_err(|error| Error::internal(format!("unpacking stopped: {error}")))??;
        let origin = format!("market:{}/templates/{}@{}", self.status()?.server, args.template_id, args.version);
        Ok(UsedTemplate { root, origin })
    }

    pub fn publish_candidates(&self, root: &Path) -> Result<Vec<PublishFile>> {
        bundle::candidates(root)
    }

    /// Creates (or updates) the template and uploads the chosen files as a
    /// new version.
    pub async fn publish(&self, root: &Path, args: &PublishArgs) -> Result<Template> {
        let client = self.signed_in_client()?;
        let (root, files) = (root.to_path_buf(), args.files.clone());
        let packed = tokio::task::spawn_blocking(move || bundle::pack(&root, &files))
            .await
            .map_err(|error| Error::internal(format!("packing stopped: {error}")))??;
        let template = match args.template_id {
            Some(id) => client.update_template(id, &args.fields).await?,
            None => client.create_template(&args.fields).await?,
        };
        let uploaded =
            client.upload_version(template.summary.id, args.version.trim(), args.notes.trim(), &packed).await;
        if let (Err(error), None) = (&uploaded, args.template_id) {
            // The template exists now: say so, so a retry adds a version to it
            // instead of making a second template.
            return Err(Error::new(
                error.code,
                format!(
                    "\"{}\" was created but its files were not uploaded ({}). Publish again as a new version of it from My templates.",
                    template.summary.title, error.message
                ),
            ));
        }
        uploaded?;
        client.template(template.summary.id).await
    }

    /// A version's bundle, downloaded once per session (previews of several
    /// files, then "use template", fetch it once).
    async fn bundle(&self, id: i64, version: &str) -> Result<Arc<Bundle>> {
        let key = format!("{}/{id}@{version}", self.status()?.server);
        if let Some(bundle) = self.kept_bundles().get(&key) {
            return Ok(bundle.clone());
        }
        let downloaded = Arc::new(self.client()?.download(id, version).await?);
        let mut bundles = self.kept_bundles();
        if bundles.len() >= KEPT_BUNDLES {
            bundles.clear();
        }
        bundles.insert(key, downloaded.clone());
        Ok(downloaded)
    }

    fn kept_bundles(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Bundle>>> {
        self.bundles.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `fetch`, keeping its answer; when the server cannot be reached,
    /// answers with the kept copy (marked offline) if there is one.
    async fn cached<T, F>(&self, key: &str, fetch: F) -> Result<Cached<T>>
    where
        T: Serialize + DeserializeOwned,
        F: std::future::Future<Output = Result<T>>,
    {
        let key = format!("market:{}:{key}", self.status()?.server);
        match fetch.await {
            Ok(value) => {
                self.store.cache_put(&key, &value)?;
                Ok(Cached { value, offline: false, fetched_at: flashfusion_core::now_millis() })
            }
            Err(error) if matches!(error.code, Code::Offline | Code::Timeout) => match self.store.cache_get(&key)? {
                Some((value, fetched_at)) => Ok(Cached { value, offline: true, fetched_at }),
                None => Err(error),
            },
            Err(error) => Err(error),
        }
    }

    fn client(&self) -> Result<Client> {
        let server = self.status()?.server;
        // No keyring still lets a user browse.
        let token = self.secrets.get(&token_key(&server)).unwrap_or_default();
        Client::new(&server, token)
    }

    fn signed_in_client(&self) -> Result<Client> {
        let client = self.client()?;
        if !client.signed_in() {
            return Err(Error::new(Code::AuthFailed, "Sign in to the marketplace first."));
        }
        Ok(client)
    }

    fn settings(&self) -> Result<MarketSettings> {
        Ok(self.store.setting(SETTINGS_KEY)?.unwrap_or_default())
    }
}

fn server_of(settings: &MarketSettings) -> String {
    settings.server.clone().unwrap_or_else(|| DEFAULT_SERVER.to_owned())
}

fn token_key(server: &str) -> String {
    format!("market.token.{server}")
}
