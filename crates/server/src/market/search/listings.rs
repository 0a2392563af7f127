//! The listing fields of every approved template, in memory: what search
//! filters, counts facets over and sorts by (everything but the text).
//!
//! Why memory: a query like "react" matches a third of a 100 000-template
//! catalogue. In SQL, every match costs a B-tree seek for its category,
//! price and licence, more for its tags, and a sort per facet: ~60 ms. Here
//! it is a hash lookup and a few array increments: ~1 ms.
//!
//! SQLite stays the source of truth. Triggers (migration 4) append the id of
//! every template whose listing may have changed to `market_listing_changes`,
//! whoever wrote it; [`Listings::synced`] re-reads just those before each
//! search, and reloads everything when it fell behind the log's window.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

/// The facet lists are this long at most for tags (there are many).
const TOP_TAGS: usize = 20;
/// The id of a filter value no template has: it matches nothing.
const UNKNOWN: usize = usize::MAX;

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

/// A sort key, compared descending; the template id comes last so that
/// the order is total and pages are stable.
pub type Key = [i64; 3];

/// A search's matches (every filter applied) and its facets.
pub struct Found {
    /// In the order of the candidates searched.
    pub matched: Vec<Key>,
    pub facets: Facets,
}

impl Found {
    /// The matches' ids, in the order of the candidates searched.
    pub fn ids(&self) -> Vec<i64> {
        self.matched.iter().map(|key| key[2]).collect()
    }
}

/// Strings stored once, as indexes into per-dimension count arrays.
#[derive(Debug, Default)]
struct Names {
    ids: HashMap<String, usize>,
    names: Vec<String>,
}

impl Names {
    fn intern(&mut self, name: String) -> usize {
        let next = self.names.len();
        *self.ids.entry(name).or_insert_with_key(|name| {
            self.names.push(name.clone());
            next
        })
    }

    fn find(&self, name: &str) -> usize {
        self.ids.get(name).copied().unwrap_or(UNKNOWN)
    }
}

#[derive(Debug)]
struct Listing {
    category: usize,
    licence: usize,
    paid: bool,
    tags: Vec<usize>,
    featured: bool,
    downloads: i64,
    rating_sum: i64,
    rating_count: i64,
    created_at: i64,
}

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
    category: Option<usize>,
    paid: Option<bool>,
    licence: Option<usize>,
    tags: Vec<usize>,
}

impl Wanted {
    /// The dimensions whose filter `listing` fails, as bits.
    fn misses(&self, listing: &Listing) -> u8 {
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
        if !self.tags.iter().all(|tag| listing.tags.contains(tag)) {
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
    /// A dimension counts `listing` when every *other* filter passes.
    fn add(&mut self, listing: &Listing, misses: u8) {
        let others_pass = |dimension: u8| misses & !dimension == 0;
        if others_pass(CATEGORY) {
            self.category[listing.category] += 1;
        }
        if others_pass(PRICE) {
            self.price[usize::from(listing.paid)] += 1;
        }
        if others_pass(LICENCE) {
            self.licence[listing.licence] += 1;
        }
        if others_pass(TAGS) {
            for &tag in &listing.tags {
                self.tags[tag] += 1;
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

/// The approved templates' listings as of change-log entry `cursor`.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// `None` until loaded.
    cursor: Option<i64>,
    /// Ascending; `listings[i]` is template `ids[i]`'s. Dense arrays: a
    /// search walks them in order, which memory serves fastest.
    ids: Vec<i64>,
    listings: Vec<Listing>,
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
        self.cursor = Some(newest);
        Ok(())
    }

    /// Re-reads one template: updated, added (approved) or removed.
    fn refresh(&mut self, connection: &Connection, id: i64) -> rusqlite::Result<()> {
        let mut statement = connection.prepare_cached(&format!("{LISTING_SELECT} AND id = ?1"))?;
        let listing = statement.query_row([id], |row| self.listing(row)).optional()?;
        match (listing, self.ids.binary_search(&id)) {
            (Some((_, mut listing)), position) => {
                let mut statement =
                    connection.prepare_cached("SELECT tag FROM market_template_tags WHERE template_id = ?1")?;
                for tag in statement.query_map([id], |row| row.get(0))? {
                    listing.tags.push(self.tags.intern(tag?));
                }
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
        let mut statement = connection.prepare("SELECT template_id, tag FROM market_template_tags")?;
        let mut tags = statement.query([])?;
        while let Some(row) = tags.next()? {
            if let Ok(at) = self.ids.binary_search(&row.get(0)?) {
                self.listings[at].tags.push(self.tags.intern(row.get(1)?));
            }
        }
        self.cursor = Some(newest);
        Ok(())
    }

    /// One row of [`LISTING_SELECT`], without its tags.
    fn listing(&mut self, row: &Row<'_>) -> rusqlite::Result<(i64, Listing)> {
        let listing = Listing {
            category: self.categories.intern(row.get(1)?),
            licence: self.licences.intern(row.get(2)?),
            paid: row.get(3)?,
            tags: Vec::new(),
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
    /// approved templates when `None`) that pass `filters`, keyed for
    /// `sort`, and the facets. Candidates that are not approved (the text
    /// index holds every template) are skipped.
    pub fn find(&self, candidates: Option<&[i64]>, filters: &Filters, sort: Sort) -> Found {
        let wanted = self.wanted(filters);
        let mut counts = Counts {
            category: vec![0; self.categories.names.len()],
            price: [0; 2],
            licence: vec![0; self.licences.names.len()],
            tags: vec![0; self.tags.names.len()],
        };
        let mut matched = Vec::with_capacity(candidates.map_or(self.ids.len(), <[i64]>::len));
        let mut visit = |id: i64, listing: &Listing| {
            let misses = wanted.misses(listing);
            counts.add(listing, misses);
            if misses == 0 {
                matched.push(listing.key(id, sort));
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
        Found { matched, facets }
    }
}

/// The ids at `range` of `keys` in key order (descending). Only the first
/// `range.end` are ordered: page 1 of 100 000 costs one selection pass.
pub fn page(mut keys: Vec<Key>, range: std::ops::Range<usize>) -> Vec<i64> {
    let end = range.end.min(keys.len());
    if end == 0 {
        return Vec::new();
    }
    if end < keys.len() {
        keys.select_nth_unstable_by(end - 1, |a, b| b.cmp(a));
        keys.truncate(end);
    }
    keys.sort_unstable_by(|a, b| b.cmp(a));
    keys.get(range.start..).unwrap_or_default().iter().map(|key| key[2]).collect()
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
