//! The hot-exit journal: the latest text of every unsaved buffer, so a
//! killed app restarts with nothing typed lost.

use flashfusion_core::{now_millis, ProjectId, Result};
use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JournalEntry {
    pub path: String,
    pub text: String,
    /// Hash of the file on disk the unsaved text started from.
    pub base_hash: Option<String>,
    #[ts(type = "number")]
    pub updated_at: i64,
}

impl Store {
    pub fn journal_put(&self, project: ProjectId, path: &str, text: &str, base_hash: Option<&str>) -> Result<()> {
        self.connection().execute(
            "INSERT INTO buffer_journal (project_id, path, text, base_hash, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(project_id, path) DO UPDATE
             SET text = excluded.text, base_hash = excluded.base_hash, updated_at = excluded.updated_at",
            params![project.0, path, text, base_hash, now_millis()],
        )?;
        Ok(())
    }

    pub fn journal_remove(&self, project: ProjectId, path: &str) -> Result<()> {
        self.connection()
            .execute("DELETE FROM buffer_journal WHERE project_id = ?1 AND path = ?2", params![project.0, path])?;
        Ok(())
    }

    /// Removes the entry only if it still holds `text` (what was just saved):
    /// text typed during the save, journalled meanwhile, is kept.
    pub fn journal_remove_if_text(&self, project: ProjectId, path: &str, text: &str) -> Result<()> {
        self.connection().execute(
            "DELETE FROM buffer_journal WHERE project_id = ?1 AND path = ?2 AND text = ?3",
            params![project.0, path, text],
        )?;
        Ok(())
    }

    /// Every unsaved buffer of a project, by path.
    pub fn journal_entries(&self, project: ProjectId) -> Result<Vec<JournalEntry>> {
        let connection = self.connection();
        let mut statement = connection.prepare_cached(
            "SELECT path, text, base_hash, updated_at FROM buffer_journal WHERE project_id = ?1 ORDER BY path",
        )?;
        let rows = statement.query_map([project.0], |row| {
            Ok(JournalEntry { path: row.get(0)?, text: row.get(1)?, base_hash: row.get(2)?, updated_at: row.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
