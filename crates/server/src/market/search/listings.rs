//! The listing fields of every approved template, in memory: what search
//! filters, counts facets over and sorts by (everything but the text).
//!
//! Why memory: a query like "react" matches a third of a 100 000-template
//! catalogue. In SQL, every match costs a B-tree seek for its category,
//! price and licence, more for its tags, and a sort per facet: ~60 ms. Here
//! it is one pass over compact arrays: ~1 ms for the whole catalogue.
//!
//! SQLite stays the source of truth. Triggers (migration 4) append the id of
//! every template whose listing may have changed to `market_listing_changes`,
//! whoever wrote it; [`Listings::synced`] re-reads just those before each
//! search, and reloads everything when it fell behind the log's window.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

/// The facet lists are this long at most for tags (there are many).
const TOP_TAGS: usize = 20;
/// The id of a filter value no template has: it matches nothing.
const UNKNOWN: u32 = u32::MAX;

/// Bits of the filter dimensions (see [`Wanted::misses`]).
const CATEGORY: u8 = 1;
const PRICE: u8 = 2;
const LICENCE: u8 = 4;
const TAGS: u8 = 8;

const LISTING_SELECT: &str = "SELECT id, category, licence, price_cents > 0, featured, downloads, rating_sum, \
     rating_count, created_at FROM market_templates WHERE status = 'approved'";

/// What a search asks for besides its text (`None`/empty: anything).
#[derive(Debug, Default)]
pub struct Filters {
    pub category: Option<String>,
    pub paid: Option<bool>,
    /// All of them (AND).
    pub tags: Vec<String>,
    pub licence: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// bm25 with a query; featured first, then downloads, without one.
    #[default]
    Relevance,
    Downloads,
    /// By average stars (unrated last), then by how many reviews.
    Rating,
    Newest,
}

/// Which matches [`Snapshot::find`] returns.
#[derive(Debug, Clone, Copy)]
pub enum Collect {
    /// Every one, by ascending id (the caller ranks them).
    All,
    /// The best `count` by `sort`, best first.
    Best { sort: Sort, count: usize },
}

#[derive(Debug, Serialize)]
pub struct FacetValue {
    pub value: String,
    pub count: u32,
}

/// Each dimension counted with every *other* filter applied, most first.
#[derive(Debug, Serialize)]
pub struct Facets {
    pub category: Vec<FacetValue>,
    pub price: Vec<FacetValue>,
    pub tags: Vec<FacetValue>,
    pub licence: Vec<FacetValue>,
}

/// A search's matches (every filter applied) and its facets.
pub struct Found {
    pub total: usize,
    /// As [`Collect`] asked.
    pub ids: Vec<i64>,
    pub facets: Facets,
}

/// Strings stored once, as indexes into per-dimension count arrays.
#[derive(Debug, Default)]
struct Names {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn intern(&mut self, name: String) -> u32 {
        // Far fewer distinct categories, licences and tags than 2³².
        let next = u32::try_from(self.names.len()).unwrap_or(UNKNOWN);
        *self.ids.entry(name).or_insert_with_key(|name| {
            self.names.push(name.clone());
            next
        })
    }

    fn find(&self, name: &str) -> u32 {
        self.ids.get(name).copied().unwrap_or(UNKNOWN)
    }

    fn counters(&self) -> Vec<u32> {
        vec![0; self.names.len()]
    }
}

/// Where a listing's tags are in [`Snapshot::tag_ids`].
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

impl Span {
    fn range(self) -> Range<usize> {
        let start = usize::try_from(self.start).unwrap_or(usize::MAX);
        start..start.saturating_add(usize::try_from(self.len).unwrap_or(usize::MAX))
    }
}

/// Kept small (48 bytes) and inline: a search streams through all of them.
#[derive(Debug)]
struct Listing {
    category: u32,
    licence: u32,
    tags: Span,
    paid: bool,
    featured: bool,
    downloads: i64,
    rating_sum: i64,
    rating_count: i64,
    created_at: i64,
}

/// A sort key, compared descending; the template id comes last so that
/// the order is total and pages are stable.
type Key = [i64; 3];

impl Listing {
    fn key(&self, id: i64, sort: Sort) -> Key {
        match sort {
            Sort::Relevance => [i64::from(self.featured), self.downloads, id],
            Sort::Downloads => [self.downloads, 0, id],
            Sort::Rating => [self.average_key(), self.rating_count, id],
            Sort::Newest => [self.created_at, 0, id],
        }
    }

    /// The average as an integer that orders like it: the bits of a
    /// non-negative `f64` do. Equal averages are equal (IEEE division is
    /// correctly rounded); unrated sorts below every average.
    fn average_key(&self) -> i64 {
        if self.rating_count == 0 {
            return -1;
        }
        let average = self.rating_sum as f64 / self.rating_count as f64;
        i64::try_from(average.max(0.0).to_bits()).unwrap_or(i64::MAX)
    }
}

/// The filters as interned ids.
struct Wanted {
    category: Option<u32>,
    paid: Option<bool>,
    licence: Option<u32>,
    tags: Vec<u32>,
}

impl Wanted {
    /// The dimensions whose filter the listing (with `tags`) fails, as bits.
    fn misses(&self, listing: &Listing, tags: &[u32]) -> u8 {
        let mut misses = 0;
        if self.category.is_some_and(|category| category != listing.category) {
            misses |= CATEGORY;
        }
        if self.paid.is_some_and(|paid| paid != listing.paid) {
            misses |= PRICE;
        }
        if self.licence.is_some_and(|licence| licence != listing.licence) {
            misses |= LICENCE;
        }
        if !self.tags.iter().all(|tag| tags.contains(tag)) {
            misses |= TAGS;
        }
        misses
    }
}

/// Per-dimension counters, indexed like [`Names`] (price: free, paid).
struct Counts {
    category: Vec<u32>,
    price: [u32; 2],
    licence: Vec<u32>,
    tags: Vec<u32>,
}

impl Counts {
    /// A dimension counts the listing when every *other* filter passes.
    fn add(&mut self, listing: &Listing, tags: &[u32], misses: u8) {
        let others_pass = |dimension: u8| misses & !dimension == 0;
        let slot = |id: u32| usize::try_from(id).unwrap_or(usize::MAX);
        if others_pass(CATEGORY) {
            self.category[slot(listing.category)] += 1;
        }
        if others_pass(PRICE) {
            self.price[usize::from(listing.paid)] += 1;
        }
        if others_pass(LICENCE) {
            self.licence[slot(listing.licence)] += 1;
        }
        if others_pass(TAGS) {
            for &tag in tags {
                self.tags[slot(tag)] += 1;
            }
        }
    }
}

/// Non-zero counts, most first (then by name), at most `limit`.
fn facet<S: AsRef<str>>(names: &[S], counts: &[u32], limit: usize) -> Vec<FacetValue> {
    let mut values: Vec<(u32, &str)> = counts
        .iter()
        .zip(names)
        .filter(|(count, _)| **count > 0)
        .map(|(count, name)| (*count, name.as_ref()))
        .collect();
    values.sort_unstable_by_key(|(count, name)| (Reverse(*count), *name));
    values.truncate(limit);
    values.into_iter().map(|(count, name)| FacetValue { value: name.to_owned(), count }).collect()
}

/// Gathers matches as [`Collect`] asks: all ids, or the best by key in a
/// heap of the page's size (page 1 of 100 000 sorts 24, not 100 000).
enum Collector {
    All(Vec<i64>),
    Best { sort: Sort, count: usize, heap: BinaryHeap<Reverse<Key>> },
}

impl Collector {
    fn new(collect: Collect) -> Self {
        match collect {
            Collect::All => Self::All(Vec::new()),
            Collect::Best { sort, count } => Self::Best { sort, count, heap: BinaryHeap::new() },
        }
    }

    fn add(&mut self, id: i64, listing: &Listing) {
        match self {
            Self::All(ids) => ids.push(id),
            Self::Best { sort, count, heap } => {
                let key = listing.key(id, *sort);
                if heap.len() < *count {
                    heap.push(Reverse(key));
                } else if let Some(mut worst) = heap.peek_mut().filter(|worst| key > worst.0) {
                    *worst = Reverse(key);
                }
            }
        }
    }

    fn ids(self) -> Vec<i64> {
        match self {
            Self::All(ids) => ids,
            // Ascending `Reverse` keys: best first.
            Self::Best { heap, .. } => heap.into_sorted_vec().into_iter().map(|Reverse(key)| key[2]).collect(),
        }
    }
}

/// The approved templates' listings as of change-log entry `cursor`.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// `None` until loaded.
    cursor: Option<i64>,
    /// Ascending; `listings[i]` is template `ids[i]`'s.
    ids: Vec<i64>,
    listings: Vec<Listing>,
    /// Every listing's tags, one after the other. A listing whose tags
    /// outgrow their span moves them to the end; the ones left behind are
    /// `abandoned` until [`Snapshot::pack`].
    tag_ids: Vec<u32>,
    abandoned: usize,
    categories: Names,
    licences: Names,
    tags: Names,
}

impl Snapshot {
    fn catch_up(&mut self, connection: &Connection) -> rusqlite::Result<()> {
        let (oldest, newest): (Option<i64>, Option<i64>) = connection.query_row(
            "SELECT (SELECT MIN(seq) FROM market_listing_changes), (SELECT MAX(seq) FROM market_listing_changes)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let newest = newest.unwrap_or(0);
        match self.cursor {
            Some(cursor) if cursor == newest => Ok(()),
            Some(cursor) if cursor < newest && oldest.is_some_and(|oldest| oldest <= cursor + 1) => {
                self.apply_changes(connection, cursor, newest)
            }
            _ => self.reload(connection, newest),
        }
    }

    fn apply_changes(&mut self, connection: &Connection, cursor: i64, newest: i64) -> rusqlite::Result<()> {
        let mut statement = connection
            .prepare_cached("SELECT DISTINCT template_id FROM market_listing_changes WHERE seq > ?1 AND seq <= ?2")?;
        let changed = statement.query_map([cursor, newest], |row| row.get(0))?.collect::<Result<Vec<i64>, _>>()?;
        for id in changed {
            self.refresh(connection, id)?;
        }
        if self.abandoned > self.tag_ids.len() / 2 {
            self.pack();
        }
        self.cursor = Some(newest);
        Ok(())
    }

    /// Re-reads one template: updated, added (approved) or removed.
    fn refresh(&mut self, connection: &Connection, id: i64) -> rusqlite::Result<()> {
        let mut statement = connection.prepare_cached(&format!("{LISTING_SELECT} AND id = ?1"))?;
        let listing = statement.query_row([id], |row| self.listing(row)).optional()?;
        let position = self.ids.binary_search(&id);
        if let Ok(at) = position {
            self.abandoned += self.listings[at].tags.range().len();
        }
        match (listing, position) {
            (Some((_, mut listing)), position) => {
                let mut statement =
                    connection.prepare_cached("SELECT tag FROM market_template_tags WHERE template_id = ?1")?;
                let tags = statement.query_map([id], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
                listing.tags = self.store_tags(tags);
                match position {
                    Ok(at) => self.listings[at] = listing,
                    Err(at) => {
                        self.ids.insert(at, id);
                        self.listings.insert(at, listing);
                    }
                }
            }
            (None, Ok(at)) => {
                self.ids.remove(at);
                self.listings.remove(at);
            }
            (None, Err(_)) => {}
        }
        Ok(())
    }

    /// Appends `tags` to [`Snapshot::tag_ids`].
    fn store_tags(&mut self, tags: Vec<String>) -> Span {
        let start = u32::try_from(self.tag_ids.len()).unwrap_or(u32::MAX);
        for tag in tags {
            let id = self.tags.intern(tag);
            self.tag_ids.push(id);
        }
        let len = u32::try_from(self.tag_ids.len()).unwrap_or(u32::MAX).saturating_sub(start);
        Span { start, len }
    }

    /// Moves every listing's tags together again, dropping abandoned ones.
    fn pack(&mut self) {
        let old = std::mem::take(&mut self.tag_ids);
        for listing in &mut self.listings {
            let start = u32::try_from(self.tag_ids.len()).unwrap_or(u32::MAX);
            self.tag_ids.extend_from_slice(&old[listing.tags.range()]);
            listing.tags.start = start;
        }
        self.abandoned = 0;
    }

    fn reload(&mut self, connection: &Connection, newest: i64) -> rusqlite::Result<()> {
        self.cursor = None;
        let mut rows = Vec::new();
        let mut statement = connection.prepare(LISTING_SELECT)?;
        let mut selected = statement.query([])?;
        while let Some(row) = selected.next()? {
            rows.push(self.listing(row)?);
        }
        rows.sort_unstable_by_key(|(id, _)| *id);
        (self.ids, self.listings) = rows.into_iter().unzip();
        self.load_tags(connection)?;
        self.cursor = Some(newest);
        Ok(())
    }

    /// Fills [`Snapshot::tag_ids`] from scratch, template after template.
    fn load_tags(&mut self, connection: &Connection) -> rusqlite::Result<()> {
        self.tag_ids.clear();
        self.abandoned = 0;
        let mut statement =
            connection.prepare("SELECT template_id, tag FROM market_template_tags ORDER BY template_id")?;
        let mut rows = statement.query([])?;
        let mut at = 0;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            at += self.ids[at..].partition_point(|listed| *listed < id);
            if self.ids.get(at) != Some(&id) {
                continue;
            }
            let tag = self.tags.intern(row.get(1)?);
            let span = &mut self.listings[at].tags;
            if span.len == 0 {
                span.start = u32::try_from(self.tag_ids.len()).unwrap_or(u32::MAX);
            }
            span.len += 1;
            self.tag_ids.push(tag);
        }
        Ok(())
    }

    /// One row of [`LISTING_SELECT`], without its tags.
    fn listing(&mut self, row: &Row<'_>) -> rusqlite::Result<(i64, Listing)> {
        let listing = Listing {
            category: self.categories.intern(row.get(1)?),
            licence: self.licences.intern(row.get(2)?),
            tags: Span::default(),
            paid: row.get(3)?,
            featured: row.get(4)?,
            downloads: row.get(5)?,
            rating_sum: row.get(6)?,
            rating_count: row.get(7)?,
            created_at: row.get(8)?,
        };
        Ok((row.get(0)?, listing))
    }

    fn wanted(&self, filters: &Filters) -> Wanted {
        Wanted {
            category: filters.category.as_deref().map(|category| self.categories.find(category)),
            paid: filters.paid,
            licence: filters.licence.as_deref().map(|licence| self.licences.find(licence)),
            tags: filters.tags.iter().map(|tag| self.tags.find(tag)).collect(),
        }
    }

    /// The approved templates among `candidates` (ascending ids; all
    /// approved templates when `None`) that pass `filters`, collected as
    /// `collect` says, and the facets. Candidates that are not approved
    /// (the text index holds every template) are skipped.
    pub fn find(&self, candidates: Option<&[i64]>, filters: &Filters, collect: Collect) -> Found {
        let wanted = self.wanted(filters);
        let mut counts = Counts {
            category: self.categories.counters(),
            price: [0; 2],
            licence: self.licences.counters(),
            tags: self.tags.counters(),
        };
        let (mut total, mut collector) = (0, Collector::new(collect));
        let mut visit = |id: i64, listing: &Listing| {
            let tags = &self.tag_ids[listing.tags.range()];
            let misses = wanted.misses(listing, tags);
            counts.add(listing, tags, misses);
            if misses == 0 {
                total += 1;
                collector.add(id, listing);
            }
        };
        let mut listings = self.ids.iter().copied().zip(&self.listings).peekable();
        match candidates {
            // Both ascending: one merging walk, no lookups.
            Some(candidates) => {
                for &candidate in candidates {
                    while listings.next_if(|(id, _)| *id < candidate).is_some() {}
                    if let Some((id, listing)) = listings.next_if(|(id, _)| *id == candidate) {
                        visit(id, listing);
                    }
                }
            }
            None => listings.for_each(|(id, listing)| visit(id, listing)),
        }
        let facets = Facets {
            category: facet(&self.categories.names, &counts.category, usize::MAX),
            price: facet(&["free", "paid"], &counts.price, usize::MAX),
            tags: facet(&self.tags.names, &counts.tags, TOP_TAGS),
            licence: facet(&self.licences.names, &counts.licence, usize::MAX),
        };
        Found { total, ids: collector.ids(), facets }
    }
}

/// The snapshot shared by the searches of one server.
#[derive(Debug, Default)]
pub struct Listings {
    snapshot: Mutex<Snapshot>,
}

impl Listings {
    /// The snapshot, caught up with the database. Call it holding the
    /// storage lock, so that nothing changes while the search runs.
    pub fn synced(&self, connection: &Connection) -> rusqlite::Result<MutexGuard<'_, Snapshot>> {
        let mut snapshot = self.snapshot.lock().unwrap_or_else(|poisoned| {
            // A search panicked mid-update: start over rather than trust it.
            let mut snapshot = poisoned.into_inner();
            *snapshot = Snapshot::default();
            snapshot
        });
        snapshot.catch_up(connection)?;
        Ok(snapshot)
    }
}
