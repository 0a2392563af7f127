//! Search: `GET /api/market/templates` (docs/market-api.md, "Browse and
//! search") — full text over approved templates with filters, facets,
//! sorts and pages.
//!
//! The work is split by what each side does fast (target: p95 < 10 ms over
//! 100 000 approved templates, measured by the `market-bench` binary):
//! - SQLite's FTS5 index (`market_search`, porter stemming) says which
//!   templates match the text, ranked by bm25 with the title weighing
//!   most; [`matches`] keeps recent answers until the index changes;
//! - [`listings`], an in-memory copy of the listing fields of approved
//!   templates, applies the filters, counts the facets (each with every
//!   *other* filter applied) and does the other sorts.
//!
//! The user's text never reaches FTS5 as syntax: it is cut into words,
//! each quoted (see [`fts_query`]).

mod listings;
mod matches;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Extension, Json, Router};
use rusqlite::Connection;
use serde::Serialize;

use self::listings::{Collect, Facets, Filters, Listings, Sort};
use self::matches::RecentMatches;
use super::catalog::{self, TemplateSummary};
use crate::error::{ApiError, ApiResult};
use crate::AppState;

const DEFAULT_PER_PAGE: u32 = 24;
const MAX_PER_PAGE: u32 = 100;
/// Words beyond this many only cost time: a query is not a document.
const MAX_WORDS: usize = 16;
/// The last word also matches as a prefix (search as you type) from this
/// many characters; shorter prefixes match most of the catalogue.
const MIN_PREFIX_CHARS: usize = 3;

pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/templates", get(search)).layer(Extension(Arc::new(Index::default())))
}

/// What the searches of one server share.
#[derive(Debug, Default)]
struct Index {
    listings: Listings,
    matches: RecentMatches,
}

/// Keeps the template's row of the full-text index (`market_search`, rowid =
/// template id) in step with `market_templates` and its tags. Call it in the
/// transaction that changes the title, description, tags or README. Moves
/// the index's generation: cached rankings are stale now.
pub fn reindex(connection: &Connection, template_id: i64) -> rusqlite::Result<()> {
    connection.prepare_cached("UPDATE market_search_generation SET value = value + 1")?.execute([])?;
    connection.prepare_cached("DELETE FROM market_search WHERE rowid = ?1")?.execute([template_id])?;
    connection
        .prepare_cached(
            "INSERT INTO market_search (rowid, title, description, tags, readme)
             SELECT t.id, t.title, t.description,
                    COALESCE((SELECT group_concat(tag, ' ') FROM market_template_tags WHERE template_id = t.id), ''),
                    t.readme
             FROM market_templates t WHERE t.id = ?1",
        )?
        .execute([template_id])?;
    Ok(())
}

/// The user's words as an FTS5 query, or `None` when there are none.
/// Words are runs of letters and digits (what the tokenizer indexes), each
/// quoted, all required; the last is also a prefix. So `"`, `*`, `-`, `:`,
/// `^`, parentheses, `NEAR`, `OR` and `NOT` are plain text, never syntax.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<&str> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).take(MAX_WORDS).collect();
    let last = words.last()?;
    let prefix = if last.chars().count() >= MIN_PREFIX_CHARS { "*" } else { "" };
    let quoted: Vec<String> = words.iter().map(|word| format!("\"{word}\"")).collect();
    Some(format!("{}{prefix}", quoted.join(" ")))
}

#[derive(Debug, Clone, Copy)]
struct Page {
    number: u32,
    size: u32,
}

impl Page {
    /// The positions of this page's items among all results.
    fn range(self) -> std::ops::Range<usize> {
        let size = usize::try_from(self.size).unwrap_or(usize::MAX);
        let start = usize::try_from(self.number.saturating_sub(1)).unwrap_or(usize::MAX).saturating_mul(size);
        start..start.saturating_add(size)
    }
}

#[derive(Debug)]
struct SearchRequest {
    /// The FTS5 query; `None` browses.
    text: Option<String>,
    filters: Filters,
    sort: Sort,
    page: Page,
}

impl SearchRequest {
    /// Empty parameters count as absent (what a form sends); unknown ones
    /// are ignored.
    fn parse(params: &[(String, String)]) -> ApiResult<Self> {
        let mut request = Self {
            text: None,
            filters: Filters::default(),
            sort: Sort::default(),
            page: Page { number: 1, size: DEFAULT_PER_PAGE },
        };
        for (key, value) in params {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key.as_str() {
                "q" => request.text = fts_query(value),
                "category" => request.filters.category = Some(value.to_owned()),
                "price" => request.filters.paid = Some(paid(value)?),
                "tag" => request.filters.tags.push(value.to_lowercase()),
                "licence" => request.filters.licence = Some(value.to_owned()),
                "sort" => request.sort = sort(value)?,
                "page" => request.page.number = number(key, value, u32::MAX)?,
                "perPage" => request.page.size = number(key, value, MAX_PER_PAGE)?,
                _ => {}
            }
        }
        Ok(request)
    }
}

fn paid(value: &str) -> ApiResult<bool> {
    match value {
        "free" => Ok(false),
        "paid" => Ok(true),
        _ => Err(ApiError::invalid("price is free or paid")),
    }
}

fn sort(value: &str) -> ApiResult<Sort> {
    match value {
        "relevance" => Ok(Sort::Relevance),
        "downloads" => Ok(Sort::Downloads),
        "rating" => Ok(Sort::Rating),
        "newest" => Ok(Sort::Newest),
        _ => Err(ApiError::invalid("sort is relevance, downloads, rating or newest")),
    }
}

fn number(key: &str, value: &str, max: u32) -> ApiResult<u32> {
    value
        .parse()
        .ok()
        .filter(|number| (1..=max).contains(number))
        .ok_or_else(|| ApiError::invalid(format!("{key} is a whole number from 1 to {max}")))
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SearchResults {
    items: Vec<TemplateSummary>,
    total: usize,
    page: u32,
    per_page: u32,
    facets: Facets,
}

async fn search(
    State(app): State<Arc<AppState>>,
    Extension(index): Extension<Arc<Index>>,
    Query(params): Query<Vec<(String, String)>>,
) -> ApiResult<Json<SearchResults>> {
    let request = SearchRequest::parse(&params)?;
    Ok(Json(run(&app, &index, &request)?))
}

/// Runs under the storage lock: the text matches, the listings and the
/// summaries all describe the same moment.
fn run(app: &AppState, index: &Index, request: &SearchRequest) -> ApiResult<SearchResults> {
    let connection = app.storage.connection();
    let snapshot = index.listings.synced(&connection)?;
    // Relevance with text is bm25's order; everything else sorts in memory.
    let ranked = request.sort == Sort::Relevance && request.text.is_some();
    let matches = request.text.as_deref().map(|text| index.matches.get(&connection, text, ranked)).transpose()?;
    let range = request.page.range();
    let collect = if ranked { Collect::All } else { Collect::Best { sort: request.sort, count: range.end } };
    let found = snapshot.find(matches.as_ref().map(|matches| &matches.by_id[..]), &request.filters, collect);
    let ids = match &matches {
        Some(matches) if ranked => matches.ranked_page(&found.ids, range),
        _ => found.ids.get(range.start..).unwrap_or_default().to_vec(),
    };
    Ok(SearchResults {
        items: summaries_in_order(&connection, &ids)?,
        total: found.total,
        page: request.page.number,
        per_page: request.page.size,
        facets: found.facets,
    })
}

/// The catalog's summaries of `ids`, in that order.
fn summaries_in_order(connection: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<TemplateSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let json = format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let tail = "WHERE t.id IN (SELECT value FROM json_each(?1))";
    let mut found: HashMap<i64, TemplateSummary> =
        catalog::summaries(connection, tail, [json])?.into_iter().map(|summary| (summary.id, summary)).collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}
