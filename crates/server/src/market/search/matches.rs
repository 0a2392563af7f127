//! What recently searched texts matched, and their bm25 rankings, reused
//! until the text index changes.
//!
//! Ranking is the one cost search cannot keep small: FTS5 scores every
//! match (~0.7 µs each), and a word like "react" matches a third of a
//! 100 000-template catalogue (~25 ms). But what a text matches, and in
//! which order, depends on the indexed text only — not on filters, pages,
//! approval, downloads or ratings — so one answer serves every search of
//! that text until [`super::reindex`] writes the index, which moves
//! `market_search_generation` and empties the cache. Texts sorted by
//! something else are not ranked at all.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

/// Relevance: bm25 over title, description, tags and README, in that
/// order of weight.
const RANK: &str = "bm25(market_search, 10.0, 4.0, 3.0, 1.0)";
/// Ids kept across all cached answers.
const MAX_CACHED_IDS: usize = 2_000_000;

/// Every template matching one text, approved or not.
#[derive(Debug)]
pub struct Matches {
    /// Ascending.
    pub by_id: Vec<i64>,
    /// Best first (bm25, then id), when asked for.
    by_rank: Option<Vec<i64>>,
}

impl Matches {
    fn find(connection: &Connection, text: &str, ranked: bool) -> rusqlite::Result<Self> {
        let order = if ranked { format!("{RANK}, rowid") } else { "rowid".to_owned() };
        let mut statement = connection.prepare_cached(&format!(
            "SELECT rowid FROM market_search WHERE market_search MATCH ?1 ORDER BY {order}"
        ))?;
        let ids = statement.query_map([text], |row| row.get(0))?.collect::<Result<Vec<i64>, _>>()?;
        if !ranked {
            return Ok(Self { by_id: ids, by_rank: None });
        }
        let mut by_id = ids.clone();
        by_id.sort_unstable();
        Ok(Self { by_id, by_rank: Some(ids) })
    }

    fn len(&self) -> usize {
        self.by_id.len() + self.by_rank.as_ref().map_or(0, Vec::len)
    }

    /// The ids at `range` of the ranking, counting only those in `kept`
    /// (ascending). Walks only as far as the page needs.
    pub fn ranked_page(&self, kept: &[i64], range: std::ops::Range<usize>) -> Vec<i64> {
        let ranking = self.by_rank.iter().flatten();
        let kept = ranking.filter(|id| kept.binary_search(id).is_ok());
        kept.skip(range.start).take(range.len()).copied().collect()
    }
}

#[derive(Debug, Default)]
struct Cache {
    /// The `market_search_generation` the answers are of.
    generation: i64,
    /// Most recently used first.
    recent: VecDeque<(String, Arc<Matches>)>,
}

impl Cache {
    fn take(&mut self, text: &str) -> Option<Arc<Matches>> {
        let position = self.recent.iter().position(|(cached, _)| cached == text)?;
        self.recent.remove(position).map(|(_, matches)| matches)
    }

    /// Keeps `matches` as the most recent, dropping the least recent ones
    /// beyond [`MAX_CACHED_IDS`] (the newest stays, however large).
    fn keep(&mut self, text: &str, matches: Arc<Matches>) {
        self.recent.push_front((text.to_owned(), matches));
        let mut ids = 0;
        let within = self.recent.iter().take_while(|(_, matches)| {
            ids += matches.len();
            ids <= MAX_CACHED_IDS
        });
        let kept = within.count().max(1);
        self.recent.truncate(kept);
    }
}

/// The answers shared by the searches of one server.
#[derive(Debug, Default)]
pub struct RecentMatches {
    cache: Mutex<Cache>,
}

impl RecentMatches {
    /// What `text` (an FTS5 query) matches, `ranked` or not. Call it
    /// holding the storage lock, so that the index cannot change meanwhile.
    pub fn get(&self, connection: &Connection, text: &str, ranked: bool) -> rusqlite::Result<Arc<Matches>> {
        let generation: i64 =
            connection.query_row("SELECT value FROM market_search_generation", [], |row| row.get(0))?;
        // Entries are whole answers, so a poisoned cache is still sound.
        let mut cache = self.cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.generation != generation {
            *cache = Cache { generation, recent: VecDeque::new() };
        }
        let matches = match cache.take(text) {
            Some(matches) if matches.by_rank.is_some() || !ranked => matches,
            _ => Arc::new(Matches::find(connection, text, ranked)?),
        };
        cache.keep(text, matches.clone());
        Ok(matches)
    }
}
