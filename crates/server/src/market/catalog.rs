//! The catalog: categories, templates and their versions (bundles), preview
//! images, creators and follows, reports and moderation. See
//! docs/market-api.md for the contract.
//!
//! Browsing needs no account. A pending or rejected template exists only
//! for its creator and the moderators (accounts listed in `--admins`);
//! everyone else gets `404`, as if it did not exist. Paid bundles go to
//! buyers, the creator and moderators only.
//!
//! [`summaries`] builds the `TemplateSummary` shape for any listing
//! (search reuses it), so every list shows the same fields the same way.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::bundle::{self, BlobStore, BundleFile, Limits};
use crate::accounts::Identity;
use crate::error::{ApiError, ApiResult};
use crate::storage::now_millis;
use crate::{http, AppState};

/// Largest preview image (they are shown on every card: keep them light).
const PREVIEW_LIMIT: usize = 2 * 1024 * 1024;
/// Paid templates cost between $1 and $1000.
const PAID_PRICES: std::ops::RangeInclusive<i64> = 100..=100_000;
const MAX_TAGS: usize = 10;
const FEATURED_SHOWN: i64 = 24;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/categories", get(categories))
        .route("/featured", get(featured))
        .route("/templates", post(create_template))
        .route("/templates/{id}", get(get_template).patch(patch_template))
        .route("/templates/{id}/preview", put(upload_preview))
        .route("/templates/{id}/versions", post(upload_version))
        .route("/templates/{id}/versions/{version}/bundle", get(download_bundle))
        .route("/templates/{id}/report", post(report))
        .route("/blobs/{hash}", get(blob))
        .route("/me/templates", get(my_templates))
        .route("/me/profile", put(update_profile))
        .route("/creators/{id}", get(creator))
        .route("/creators/{id}/templates", get(creator_templates))
        .route("/creators/{id}/follow", post(follow).delete(unfollow))
        .route("/admin/queue", get(queue))
        .route("/admin/templates/{id}/approve", post(approve))
        .route("/admin/templates/{id}/reject", post(reject))
        .route("/admin/templates/{id}/feature", post(feature))
        .route("/admin/reports/{id}/resolve", post(resolve_report))
}

// ---- who is calling ----------------------------------------------------

/// A signed-in account, and whether it moderates the marketplace.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub id: i64,
    pub admin: bool,
}

/// The signed-in account behind the request. Guest tokens (from room
/// invites) are not accounts: they cannot publish, buy or follow.
/// Takes the storage lock: call it before taking the lock yourself.
pub fn signed_in(app: &AppState, headers: &HeaderMap) -> ApiResult<Caller> {
    match http::caller(app, headers)? {
        Identity::Account { id, .. } => Ok(Caller { id, admin: is_admin(app, id)? }),
        Identity::Guest { .. } => Err(ApiError::forbidden("the marketplace needs an account, not a guest link")),
    }
}

/// Who is browsing: nobody (no token) or an account. A token that is sent
/// must be valid, so a client with an expired session finds out.
pub fn viewer(app: &AppState, headers: &HeaderMap) -> ApiResult<Option<Caller>> {
    if http::bearer(headers).is_none() {
        return Ok(None);
    }
    match http::caller(app, headers)? {
        Identity::Account { id, .. } => Ok(Some(Caller { id, admin: is_admin(app, id)? })),
        Identity::Guest { .. } => Ok(None),
    }
}

/// Moderators are named by email in the config, compared case-insensitively.
fn is_admin(app: &AppState, account: i64) -> ApiResult<bool> {
    if app.config.admins.is_empty() {
        return Ok(false);
    }
    let email: String =
        app.storage.connection().query_row("SELECT email FROM accounts WHERE id = ?1", [account], |row| row.get(0))?;
    Ok(app.config.admins.iter().any(|admin| admin.trim().eq_ignore_ascii_case(&email)))
}

fn moderator(app: &AppState, headers: &HeaderMap) -> ApiResult<Caller> {
    let caller = signed_in(app, headers)?;
    if !caller.admin {
        return Err(ApiError::forbidden("only marketplace moderators can do this"));
    }
    Ok(caller)
}

// ---- shapes --------------------------------------------------------------

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatorRef {
    pub id: i64,
    pub name: String,
}

/// `TemplateSummary` of docs/market-api.md: what every listing shows.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSummary {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub category: String,
    pub tags: Vec<String>,
    pub licence: String,
    pub price_cents: i64,
    pub creator: CreatorRef,
    /// The average of the stars, `null` until someone has reviewed it.
    pub rating: Option<f64>,
    pub rating_count: i64,
    pub downloads: i64,
    pub featured: bool,
    pub status: String,
    pub latest_version: Option<String>,
    pub preview_url: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// `Template`: the summary with the README, versions and the caller's relation to it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    #[serde(flatten)]
    pub summary: TemplateSummary,
    pub readme: String,
    /// Newest first.
    pub versions: Vec<Version>,
    /// The caller bought it (a `paid` purchase) or made it.
    pub purchased: bool,
    /// The caller follows its creator.
    pub following: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub id: i64,
    pub version: String,
    pub notes: String,
    pub bundle_hash: String,
    pub files: Vec<BundleFile>,
    pub file_count: i64,
    pub total_bytes: i64,
    pub created_at: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Creator {
    pub id: i64,
    pub name: String,
    pub bio: String,
    pub avatar_url: String,
    /// Approved templates, and their downloads.
    pub templates: i64,
    pub downloads: i64,
    pub followers: i64,
    pub following: bool,
}

// ---- summaries (shared with search) ----------------------------------------

/// Every column [`summary_row`] reads, from `market_templates t` joined
/// with its creator `accounts a`. Append joins, `WHERE`, `ORDER BY` and
/// `LIMIT` (see [`summaries`]).
pub const SUMMARY_SELECT: &str = "SELECT t.id, t.title, t.description, t.category, \
     (SELECT group_concat(tag, ',') FROM market_template_tags WHERE template_id = t.id), \
     t.licence, t.price_cents, a.id, a.name, t.rating_sum, t.rating_count, t.downloads, t.featured, t.status, \
     (SELECT version FROM market_versions WHERE template_id = t.id ORDER BY id DESC LIMIT 1), \
     t.preview_hash, t.created_at, t.updated_at \
     FROM market_templates t JOIN accounts a ON a.id = t.creator_id";

/// One `TemplateSummary` from a row selected with [`SUMMARY_SELECT`].
pub fn summary_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TemplateSummary> {
    let tags: Option<String> = row.get(4)?;
    let mut tags: Vec<String> = tags.iter().flat_map(|tags| tags.split(',')).map(str::to_owned).collect();
    tags.sort();
    let (rating_sum, rating_count): (i64, i64) = (row.get(9)?, row.get(10)?);
    let preview_hash: Option<String> = row.get(15)?;
    Ok(TemplateSummary {
        id: row.get(0)?,
        title: row.get(1)?,
        description: row.get(2)?,
        category: row.get(3)?,
        tags,
        licence: row.get(5)?,
        price_cents: row.get(6)?,
        creator: CreatorRef { id: row.get(7)?, name: row.get(8)? },
        rating: (rating_count > 0).then(|| rating_sum as f64 / rating_count as f64),
        rating_count,
        downloads: row.get(11)?,
        featured: row.get(12)?,
        status: row.get(13)?,
        latest_version: row.get(14)?,
        preview_url: preview_hash.as_deref().map(preview_url),
        created_at: row.get(16)?,
        updated_at: row.get(17)?,
    })
}

/// Template summaries for `{SUMMARY_SELECT} {tail}`, in the order the
/// query gives. `tail` may join more tables (say `JOIN market_search s ON
/// s.rowid = t.id`), filter, order and page, with positional `params`;
/// it never decides who may see what: filter on `t.status` yourself.
pub fn summaries(
    connection: &Connection,
    tail: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<TemplateSummary>> {
    let mut statement = connection.prepare_cached(&format!("{SUMMARY_SELECT} {tail}"))?;
    let rows = statement.query_map(params, summary_row)?;
    rows.collect()
}

pub fn preview_url(hash: &str) -> String {
    format!("/api/market/blobs/{hash}")
}

fn may_see(summary: &TemplateSummary, viewer: Option<&Caller>) -> bool {
    summary.status == "approved" || viewer.is_some_and(|caller| caller.admin || caller.id == summary.creator.id)
}

/// The template's summary, if the viewer may see it; a hidden template is
/// `404` like a missing one, so its existence does not leak.
fn visible(connection: &Connection, id: i64, viewer: Option<&Caller>) -> ApiResult<TemplateSummary> {
    summaries(connection, "WHERE t.id = ?1", [id])?
        .pop()
        .filter(|summary| may_see(summary, viewer))
        .ok_or_else(|| ApiError::not_found("no such template"))
}

/// Only the template's creator may `action` (`403` for others).
fn require_creator(connection: &Connection, id: i64, caller: &Caller, action: &str) -> ApiResult<()> {
    let creator: Option<i64> = connection
        .query_row("SELECT creator_id FROM market_templates WHERE id = ?1", [id], |row| row.get(0))
        .optional()?;
    match creator {
        None => Err(ApiError::not_found("no such template")),
        Some(creator) if creator != caller.id => {
            Err(ApiError::forbidden(format!("only the template's creator can {action}")))
        }
        Some(_) => Ok(()),
    }
}

/// The caller made it or has a `paid` purchase of it.
fn purchased(connection: &Connection, summary: &TemplateSummary, caller: &Caller) -> rusqlite::Result<bool> {
    if caller.id == summary.creator.id {
        return Ok(true);
    }
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM market_purchases WHERE template_id = ?1 AND buyer_id = ?2 AND status = 'paid')",
        params![summary.id, caller.id],
        |row| row.get(0),
    )
}

fn follows(connection: &Connection, follower: i64, creator: i64) -> rusqlite::Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM market_follows WHERE follower_id = ?1 AND creator_id = ?2)",
        params![follower, creator],
        |row| row.get(0),
    )
}

fn template(connection: &Connection, id: i64, viewer: Option<&Caller>) -> ApiResult<Template> {
    let summary = visible(connection, id, viewer)?;
    let readme = connection.query_row("SELECT readme FROM market_templates WHERE id = ?1", [id], |row| row.get(0))?;
    let versions = versions(connection, "WHERE template_id = ?1 ORDER BY id DESC", [id])?;
    let (purchased, following) = match viewer {
        Some(caller) => (purchased(connection, &summary, caller)?, follows(connection, caller.id, summary.creator.id)?),
        None => (false, false),
    };
    Ok(Template { summary, readme, versions, purchased, following })
}

fn versions(connection: &Connection, tail: &str, params: impl rusqlite::Params) -> rusqlite::Result<Vec<Version>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT id, version, notes, bundle_hash, manifest, file_count, total_bytes, created_at FROM market_versions {tail}"
    ))?;
    let rows = statement.query_map(params, |row| {
        let manifest: String = row.get(4)?;
        let files = serde_json::from_str(&manifest)
            .map_err(|error| rusqlite::Error::FromSqlConversionFailure(4, Type::Text, Box::new(error)))?;
        Ok(Version {
            id: row.get(0)?,
            version: row.get(1)?,
            notes: row.get(2)?,
            bundle_hash: row.get(3)?,
            files,
            file_count: row.get(5)?,
            total_bytes: row.get(6)?,
            created_at: row.get(7)?,
        })
    })?;
    rows.collect()
}

// ---- browsing ------------------------------------------------------------

async fn categories(State(app): State<Arc<AppState>>) -> ApiResult<Json<Value>> {
    let connection = app.storage.connection();
    let mut statement = connection.prepare_cached(
        "SELECT c.slug, c.name,
                (SELECT COUNT(*) FROM market_templates t WHERE t.category = c.slug AND t.status = 'approved')
         FROM market_categories c ORDER BY c.position",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(json!({ "slug": row.get::<_, String>(0)?, "name": row.get::<_, String>(1)?, "count": row.get::<_, i64>(2)? }))
    })?;
    Ok(Json(Value::Array(rows.collect::<Result<_, _>>()?)))
}

async fn featured(State(app): State<Arc<AppState>>) -> ApiResult<Json<Vec<TemplateSummary>>> {
    let connection = app.storage.connection();
    let tail = "WHERE t.status = 'approved' AND t.featured = 1 ORDER BY t.downloads DESC, t.id DESC LIMIT ?1";
    Ok(Json(summaries(&connection, tail, [FEATURED_SHOWN])?))
}

async fn get_template(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Template>> {
    let viewer = viewer(&app, &headers)?;
    Ok(Json(template(&app.storage.connection(), id, viewer.as_ref())?))
}

// ---- publishing ------------------------------------------------------------

/// A template's editable fields as sent: all optional, so one shape serves
/// both create (missing = empty, then validated) and patch.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TemplateInput {
    title: Option<String>,
    description: Option<String>,
    category: Option<String>,
    tags: Option<Vec<String>>,
    licence: Option<String>,
    price_cents: Option<i64>,
    readme: Option<String>,
}

#[derive(Debug, Default)]
struct TemplateFields {
    title: String,
    description: String,
    category: String,
    tags: Vec<String>,
    licence: String,
    price_cents: i64,
    readme: String,
}

impl TemplateFields {
    fn load(connection: &Connection, id: i64) -> rusqlite::Result<Self> {
        let mut fields = connection.query_row(
            "SELECT title, description, category, licence, price_cents, readme FROM market_templates WHERE id = ?1",
            [id],
            |row| {
                Ok(Self {
                    title: row.get(0)?,
                    description: row.get(1)?,
                    category: row.get(2)?,
                    tags: Vec::new(),
                    licence: row.get(3)?,
                    price_cents: row.get(4)?,
                    readme: row.get(5)?,
                })
            },
        )?;
        let mut statement = connection.prepare_cached("SELECT tag FROM market_template_tags WHERE template_id = ?1")?;
        fields.tags = statement.query_map([id], |row| row.get(0))?.collect::<Result<_, _>>()?;
        Ok(fields)
    }

    fn apply(self, input: TemplateInput) -> Self {
        Self {
            title: input.title.unwrap_or(self.title),
            description: input.description.unwrap_or(self.description),
            category: input.category.unwrap_or(self.category),
            tags: input.tags.unwrap_or(self.tags),
            licence: input.licence.unwrap_or(self.licence),
            price_cents: input.price_cents.unwrap_or(self.price_cents),
            readme: input.readme.unwrap_or(self.readme),
        }
    }

    /// Trims and checks every field; a paid template needs its creator's
    /// payout account first (`409`), or nobody could be paid for it.
    fn validated(self, connection: &Connection, creator: i64) -> ApiResult<Self> {
        let fields = Self {
            title: self.title.trim().to_owned(),
            description: self.description.trim().to_owned(),
            category: self.category.trim().to_owned(),
            tags: normalized_tags(&self.tags)?,
            licence: self.licence.trim().to_owned(),
            ..self
        };
        if !(3..=100).contains(&fields.title.chars().count()) {
            return Err(ApiError::invalid("the title needs 3 to 100 characters"));
        }
        if fields.description.chars().count() > 500 {
            return Err(ApiError::invalid("the description can have at most 500 characters"));
        }
        if fields.licence.is_empty() || fields.licence.chars().count() > 100 {
            return Err(ApiError::invalid("name the licence (for example MIT), in at most 100 characters"));
        }
        if fields.price_cents != 0 && !PAID_PRICES.contains(&fields.price_cents) {
            return Err(ApiError::invalid("the price is 0 (free) or 100 to 100000 cents"));
        }
        let category_exists: bool = connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM market_categories WHERE slug = ?1)",
            [&fields.category],
            |row| row.get(0),
        )?;
        if !category_exists {
            return Err(ApiError::invalid(format!(
                "unknown category {:?} (see GET /api/market/categories)",
                fields.category
            )));
        }
        if fields.price_cents > 0 && !has_payout_account(connection, creator)? {
            return Err(ApiError::conflict("set up payouts first (POST /api/market/me/payouts) to sell templates"));
        }
        Ok(fields)
    }

    /// Writes the fields, the tags and the search index entry (call it in a transaction).
    fn write(&self, connection: &Connection, id: i64) -> rusqlite::Result<()> {
        connection.execute(
            "UPDATE market_templates SET title = ?2, description = ?3, category = ?4, licence = ?5,
                    price_cents = ?6, readme = ?7, updated_at = ?8 WHERE id = ?1",
            params![
                id,
                self.title,
                self.description,
                self.category,
                self.licence,
                self.price_cents,
                self.readme,
                now_millis()
            ],
        )?;
        connection.execute("DELETE FROM market_template_tags WHERE template_id = ?1", [id])?;
        let mut insert =
            connection.prepare_cached("INSERT INTO market_template_tags (template_id, tag) VALUES (?1, ?2)")?;
        for tag in &self.tags {
            insert.execute(params![id, tag])?;
        }
        super::search::reindex(connection, id)
    }
}

/// Lowercased, deduplicated, at most [`MAX_TAGS`] of `[a-z0-9-]` (they are
/// facet values and URL parameters).
fn normalized_tags(tags: &[String]) -> ApiResult<Vec<String>> {
    let tags: BTreeSet<String> = tags.iter().map(|tag| tag.trim().to_lowercase()).collect();
    if tags.len() > MAX_TAGS {
        return Err(ApiError::invalid(format!("at most {MAX_TAGS} tags")));
    }
    if let Some(tag) = tags.iter().find(|tag| {
        tag.is_empty() || tag.len() > 30 || !tag.bytes().all(|byte| matches!(byte, b'a'..=b'z' | b'0'..=b'9' | b'-'))
    }) {
        return Err(ApiError::invalid(format!("tag {tag:?}: use 1 to 30 of the characters a–z, 0–9 and -")));
    }
    Ok(tags.into_iter().collect())
}

fn has_payout_account(connection: &Connection, account: i64) -> rusqlite::Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM market_payout_accounts WHERE account_id = ?1)",
        [account],
        |row| row.get(0),
    )
}

async fn create_template(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(input): Json<TemplateInput>,
) -> ApiResult<(StatusCode, Json<Template>)> {
    let caller = signed_in(&app, &headers)?;
    let connection = app.storage.connection();
    let fields = TemplateFields::default().apply(input).validated(&connection, caller.id)?;
    let transaction = connection.unchecked_transaction()?;
    // A bare row first, then the one write path that create and patch share.
    transaction.execute(
        "INSERT INTO market_templates (creator_id, title, description, category, licence, created_at, updated_at)
         VALUES (?1, '', '', ?2, '', ?3, ?3)",
        params![caller.id, fields.category, now_millis()],
    )?;
    let id = transaction.last_insert_rowid();
    fields.write(&transaction, id)?;
    transaction.commit()?;
    Ok((StatusCode::CREATED, Json(template(&connection, id, Some(&caller))?)))
}

async fn patch_template(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<TemplateInput>,
) -> ApiResult<Json<Template>> {
    let caller = signed_in(&app, &headers)?;
    let connection = app.storage.connection();
    require_creator(&connection, id, &caller, "change it")?;
    let fields = TemplateFields::load(&connection, id)?.apply(input).validated(&connection, caller.id)?;
    let transaction = connection.unchecked_transaction()?;
    fields.write(&transaction, id)?;
    review_again(&transaction, id, &caller)?;
    transaction.commit()?;
    Ok(Json(template(&connection, id, Some(&caller))?))
}

/// A creator's change (text, price, a new version) goes back to the
/// moderators: approving a harmless template must not let its next version
/// through unseen. Moderators' own changes stand.
fn review_again(connection: &rusqlite::Connection, id: i64, caller: &Caller) -> ApiResult<()> {
    if !caller.admin {
        connection.execute("UPDATE market_templates SET status = 'pending' WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// The image type of a preview, by its magic bytes (never by what the
/// uploader says it is).
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

async fn upload_preview(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Body,
) -> ApiResult<Json<Value>> {
    let caller = signed_in(&app, &headers)?;
    require_creator(&app.storage.connection(), id, &caller, "change its preview")?;
    let image = bundle::read_body(&headers, body, PREVIEW_LIMIT, "preview image").await?;
    if image_type(&image).is_none() {
        return Err(ApiError::invalid("the preview must be a PNG, JPEG or WebP image"));
    }
    let staged = BlobStore::new(&app.config.data_dir).stage(&image)?;
    let hash = staged.hash().to_owned();
    bundle::store(&app.storage, staged, |connection| {
        connection.execute(
            "UPDATE market_templates SET preview_hash = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, hash, now_millis()],
        )?;
        Ok(())
    })?;
    Ok(Json(json!({ "previewUrl": preview_url(&hash) })))
}

/// Serves preview images only: bundles share the blob store, and a paid
/// bundle must not be one hash away from a free download.
async fn blob(State(app): State<Arc<AppState>>, Path(hash): Path<String>) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("no such image");
    if !bundle::is_sha256_hex(&hash) {
        return Err(not_found());
    }
    let is_preview: bool = app.storage.connection().query_row(
        "SELECT EXISTS (SELECT 1 FROM market_templates WHERE preview_hash = ?1)",
        [&hash],
        |row| row.get(0),
    )?;
    if !is_preview {
        return Err(not_found());
    }
    let image = tokio::fs::read(BlobStore::new(&app.config.data_dir).path(&hash)).await?;
    let kind = image_type(&image).ok_or_else(not_found)?;
    let headers = [
        (header::CONTENT_TYPE, kind),
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, image).into_response())
}

#[derive(Debug, Deserialize)]
struct NewVersion {
    version: String,
    #[serde(default)]
    notes: String,
}

/// `MAJOR.MINOR.PATCH` in plain numbers: what clients can compare.
fn check_version_name(version: &str) -> ApiResult<()> {
    let parts: Vec<&str> = version.split('.').collect();
    let number = |part: &&str| !part.is_empty() && part.len() <= 9 && part.bytes().all(|byte| byte.is_ascii_digit());
    if parts.len() == 3 && parts.iter().all(number) {
        return Ok(());
    }
    Err(ApiError::invalid(format!("version {version:?}: use MAJOR.MINOR.PATCH, like 1.2.0")))
}

fn ensure_new_version(connection: &Connection, id: i64, version: &str) -> ApiResult<()> {
    let exists: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM market_versions WHERE template_id = ?1 AND version = ?2)",
        params![id, version],
        |row| row.get(0),
    )?;
    if exists {
        return Err(ApiError::conflict(format!("version {version} exists; publish a new version number")));
    }
    Ok(())
}

/// Everything that can be refused cheaply is refused before the body is read.
async fn upload_version(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(new): Query<NewVersion>,
    body: Body,
) -> ApiResult<(StatusCode, Json<Version>)> {
    let caller = signed_in(&app, &headers)?;
    {
        let connection = app.storage.connection();
        require_creator(&connection, id, &caller, "publish versions")?;
        check_version_name(&new.version)?;
        ensure_new_version(&connection, id, &new.version)?;
    }
    let claimed = headers
        .get("x-bundle-sha256")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::invalid("send the bundle's SHA-256 (hex) in the X-Bundle-Sha256 header"))?;
    let bytes = bundle::read_body(&headers, body, app.config.max_bundle_bytes, "bundle").await?;
    let version = tokio::task::spawn_blocking(move || publish(&app, &caller, id, &new, &bytes, &claimed))
        .await
        .map_err(anyhow::Error::from)??;
    Ok((StatusCode::CREATED, Json(version)))
}

/// Checks the bundle, then stores it and its version. Runs off the async
/// workers: unpacking up to the limit is real CPU work.
fn publish(
    app: &AppState,
    caller: &Caller,
    id: i64,
    new: &NewVersion,
    bytes: &[u8],
    claimed: &str,
) -> ApiResult<Version> {
    let manifest = bundle::inspect(bytes, claimed, Limits::from_config(&app.config))?;
    let files = serde_json::to_string(&manifest.files).map_err(anyhow::Error::from)?;
    let staged = BlobStore::new(&app.config.data_dir).stage(bytes)?;
    let hash = staged.hash().to_owned();
    bundle::store(&app.storage, staged, |connection| {
        // Again, under the lock: a concurrent upload of this version may have won.
        ensure_new_version(connection, id, &new.version)?;
        let now = now_millis();
        connection.execute(
            "INSERT INTO market_versions (template_id, version, notes, bundle_hash, manifest, file_count, total_bytes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, new.version, new.notes.trim(), hash, files, manifest.file_count, manifest.total_bytes, now],
        )?;
        let version_id = connection.last_insert_rowid();
        connection.execute("UPDATE market_templates SET updated_at = ?2 WHERE id = ?1", params![id, now])?;
        review_again(connection, id, caller)?;
        versions(connection, "WHERE id = ?1", [version_id])?
            .pop()
            .ok_or_else(|| anyhow::anyhow!("version {version_id} vanished").into())
    })
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OwnTemplate {
    #[serde(flatten)]
    summary: TemplateSummary,
    sales: i64,
    /// The creator's 70 %: the price less the platform's fee.
    revenue_cents: i64,
}

async fn my_templates(State(app): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Json<Vec<OwnTemplate>>> {
    let caller = signed_in(&app, &headers)?;
    let connection = app.storage.connection();
    let mut statement = connection.prepare_cached(
        "SELECT p.template_id, COUNT(*), SUM(p.amount_cents - p.fee_cents) FROM market_purchases p
         JOIN market_templates t ON t.id = p.template_id
         WHERE t.creator_id = ?1 AND p.status = 'paid' GROUP BY p.template_id",
    )?;
    let sales: HashMap<i64, (i64, i64)> = statement
        .query_map([caller.id], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?
        .collect::<Result<_, _>>()?;
    let tail = "WHERE t.creator_id = ?1 ORDER BY t.updated_at DESC, t.id DESC";
    let own = summaries(&connection, tail, [caller.id])?
        .into_iter()
        .map(|summary| {
            let (sales, revenue_cents) = sales.get(&summary.id).copied().unwrap_or_default();
            OwnTemplate { summary, sales, revenue_cents }
        })
        .collect();
    Ok(Json(own))
}

// ---- downloads -------------------------------------------------------------

async fn download_bundle(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path((id, version)): Path<(i64, String)>,
) -> ApiResult<Response> {
    let viewer = viewer(&app, &headers)?;
    let hash = {
        let connection = app.storage.connection();
        let summary = visible(&connection, id, viewer.as_ref())?;
        let hash: String = connection
            .query_row(
                "SELECT bundle_hash FROM market_versions WHERE template_id = ?1 AND version = ?2",
                params![id, version],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| ApiError::not_found(format!("no version {version:?} of this template")))?;
        let allowed = match viewer.as_ref() {
            _ if summary.price_cents == 0 => true,
            Some(caller) => caller.admin || purchased(&connection, &summary, caller)?,
            None => false,
        };
        if !allowed {
            return Err(ApiError::payment_required("buy this template to download it"));
        }
        hash
    };
    let bytes = tokio::fs::read(BlobStore::new(&app.config.data_dir).path(&hash)).await?;
    app.storage.connection().execute("UPDATE market_templates SET downloads = downloads + 1 WHERE id = ?1", [id])?;
    let headers = [
        (header::CONTENT_TYPE, "application/gzip".to_owned()),
        (HeaderName::from_static("x-bundle-sha256"), hash),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"template-{id}-{version}.tar.gz\"")),
    ];
    Ok((headers, bytes).into_response())
}

// ---- creators and follows ------------------------------------------------------

fn creator_profile(connection: &Connection, id: i64, viewer: Option<i64>) -> ApiResult<Creator> {
    connection
        .query_row(
            "SELECT a.id, a.name, a.bio, a.avatar_url,
                    (SELECT COUNT(*) FROM market_templates WHERE creator_id = a.id AND status = 'approved'),
                    (SELECT COALESCE(SUM(downloads), 0) FROM market_templates WHERE creator_id = a.id AND status = 'approved'),
                    (SELECT COUNT(*) FROM market_follows WHERE creator_id = a.id),
                    EXISTS (SELECT 1 FROM market_follows WHERE creator_id = a.id AND follower_id = ?2)
             FROM accounts a WHERE a.id = ?1",
            params![id, viewer],
            |row| {
                Ok(Creator {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    bio: row.get(2)?,
                    avatar_url: row.get(3)?,
                    templates: row.get(4)?,
                    downloads: row.get(5)?,
                    followers: row.get(6)?,
                    following: row.get(7)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| ApiError::not_found("no such creator"))
}

async fn creator(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Creator>> {
    let viewer = viewer(&app, &headers)?;
    Ok(Json(creator_profile(&app.storage.connection(), id, viewer.map(|caller| caller.id))?))
}

async fn creator_templates(
    State(app): State<Arc<AppState>>,
    Path(id): Path<i64>,
) -> ApiResult<Json<Vec<TemplateSummary>>> {
    let connection = app.storage.connection();
    creator_profile(&connection, id, None)?;
    let tail = "WHERE t.creator_id = ?1 AND t.status = 'approved' ORDER BY t.downloads DESC, t.id DESC";
    Ok(Json(summaries(&connection, tail, [id])?))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    #[serde(default)]
    bio: String,
    #[serde(default)]
    avatar_url: String,
}

/// Avatars are shown as images by every client: web addresses (or one of
/// our blobs) only, never `javascript:` or `file:`.
fn check_avatar_url(url: &str) -> ApiResult<()> {
    let web = ["https://", "http://", "/api/market/blobs/"].iter().any(|prefix| url.starts_with(prefix));
    if url.is_empty() || (web && url.len() <= 500 && !url.chars().any(|c| c.is_whitespace() || c.is_control())) {
        return Ok(());
    }
    Err(ApiError::invalid("the avatar must be an http(s) URL of at most 500 characters, or empty"))
}

async fn update_profile(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Json(profile): Json<Profile>,
) -> ApiResult<Json<Creator>> {
    let caller = signed_in(&app, &headers)?;
    let (bio, avatar_url) = (profile.bio.trim(), profile.avatar_url.trim());
    if bio.chars().count() > 500 {
        return Err(ApiError::invalid("the bio can have at most 500 characters"));
    }
    check_avatar_url(avatar_url)?;
    let connection = app.storage.connection();
    connection
        .execute("UPDATE accounts SET bio = ?2, avatar_url = ?3 WHERE id = ?1", params![caller.id, bio, avatar_url])?;
    Ok(Json(creator_profile(&connection, caller.id, Some(caller.id))?))
}

async fn follow(State(app): State<Arc<AppState>>, headers: HeaderMap, Path(id): Path<i64>) -> ApiResult<Json<Creator>> {
    set_following(&app, &headers, id, true)
}

async fn unfollow(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Creator>> {
    set_following(&app, &headers, id, false)
}

/// Following twice, or unfollowing someone not followed, changes nothing.
fn set_following(app: &AppState, headers: &HeaderMap, creator: i64, following: bool) -> ApiResult<Json<Creator>> {
    let caller = signed_in(app, headers)?;
    if caller.id == creator {
        return Err(ApiError::invalid("you cannot follow yourself"));
    }
    let connection = app.storage.connection();
    creator_profile(&connection, creator, None)?;
    if following {
        connection.execute(
            "INSERT INTO market_follows (follower_id, creator_id, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![caller.id, creator, now_millis()],
        )?;
    } else {
        connection.execute(
            "DELETE FROM market_follows WHERE follower_id = ?1 AND creator_id = ?2",
            params![caller.id, creator],
        )?;
    }
    Ok(Json(creator_profile(&connection, creator, Some(caller.id))?))
}

// ---- moderation ------------------------------------------------------------

#[derive(Debug, Deserialize)]
struct NewReport {
    reason: String,
}

async fn report(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<NewReport>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let caller = signed_in(&app, &headers)?;
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ApiError::invalid("say what is wrong, in 1 to 1000 characters"));
    }
    let connection = app.storage.connection();
    visible(&connection, id, Some(&caller))?;
    connection.execute(
        "INSERT INTO market_reports (template_id, reporter_id, reason, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, caller.id, reason, now_millis()],
    )?;
    Ok((StatusCode::CREATED, Json(json!({ "id": connection.last_insert_rowid() }))))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct OpenReport {
    id: i64,
    template_id: i64,
    template_title: String,
    reporter: CreatorRef,
    reason: String,
    created_at: i64,
}

#[derive(Debug, Serialize)]
struct Queue {
    /// Pending templates, oldest first.
    templates: Vec<TemplateSummary>,
    /// Unresolved reports, oldest first.
    reports: Vec<OpenReport>,
}

async fn queue(State(app): State<Arc<AppState>>, headers: HeaderMap) -> ApiResult<Json<Queue>> {
    moderator(&app, &headers)?;
    let connection = app.storage.connection();
    let templates = summaries(&connection, "WHERE t.status = 'pending' ORDER BY t.created_at, t.id", [])?;
    let mut statement = connection.prepare_cached(
        "SELECT r.id, r.template_id, t.title, a.id, a.name, r.reason, r.created_at FROM market_reports r
         JOIN market_templates t ON t.id = r.template_id JOIN accounts a ON a.id = r.reporter_id
         WHERE r.resolved_at IS NULL ORDER BY r.id",
    )?;
    let reports = statement
        .query_map([], |row| {
            Ok(OpenReport {
                id: row.get(0)?,
                template_id: row.get(1)?,
                template_title: row.get(2)?,
                reporter: CreatorRef { id: row.get(3)?, name: row.get(4)? },
                reason: row.get(5)?,
                created_at: row.get(6)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Json(Queue { templates, reports }))
}

/// A moderator's one-column change to a template (`?1` = id, `?2` = value).
fn moderate(
    app: &AppState,
    headers: &HeaderMap,
    id: i64,
    update: &str,
    value: &dyn ToSql,
) -> ApiResult<Json<Template>> {
    let caller = moderator(app, headers)?;
    let connection = app.storage.connection();
    if connection.execute(update, params![id, value])? == 0 {
        return Err(ApiError::not_found("no such template"));
    }
    Ok(Json(template(&connection, id, Some(&caller))?))
}

async fn approve(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<Json<Template>> {
    moderate(&app, &headers, id, "UPDATE market_templates SET status = ?2 WHERE id = ?1", &"approved")
}

#[derive(Debug, Deserialize)]
struct Rejection {
    #[serde(default)]
    reason: String,
}

async fn reject(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<Rejection>,
) -> ApiResult<Json<Template>> {
    let template = moderate(&app, &headers, id, "UPDATE market_templates SET status = ?2 WHERE id = ?1", &"rejected")?;
    // The schema has no column for the reason yet: the log keeps it.
    tracing::info!(template = id, reason = body.reason, "template rejected");
    Ok(template)
}

#[derive(Debug, Deserialize)]
struct Featuring {
    featured: bool,
}

async fn feature(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<Featuring>,
) -> ApiResult<Json<Template>> {
    moderate(&app, &headers, id, "UPDATE market_templates SET featured = ?2 WHERE id = ?1", &body.featured)
}

/// Resolving twice keeps the first time.
async fn resolve_report(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    moderator(&app, &headers)?;
    let changed = app.storage.connection().execute(
        "UPDATE market_reports SET resolved_at = COALESCE(resolved_at, ?2) WHERE id = ?1",
        params![id, now_millis()],
    )?;
    if changed == 0 {
        return Err(ApiError::not_found("no such report"));
    }
    Ok(StatusCode::NO_CONTENT)
}
