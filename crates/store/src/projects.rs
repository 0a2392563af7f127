use flashfusion_core::{now_millis, Code, Error, ProjectId, Result};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRecord {
    pub id: ProjectId,
    pub root: String,
    pub name: String,
    pub template: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentProject {
    pub id: ProjectId,
    pub name: String,
    pub root: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub opened_at: i64,
    /// False when the folder is gone (moved, deleted, unmounted).
    pub exists: bool,
}

fn project_from_row(row: &Row<'_>) -> rusqlite::Result<ProjectRecord> {
    Ok(ProjectRecord { id: ProjectId(row.get(0)?), root: row.get(1)?, name: row.get(2)?, template: row.get(3)? })
}

impl Store {
    /// Registers the project at `root` (or finds it) and marks it as opened now.
    pub fn open_project_record(&self, root: &str, name: &str, template: Option<&str>) -> Result<ProjectRecord> {
        let connection = self.connection();
        let transaction = connection.unchecked_transaction()?;
        transaction.execute(
            "INSERT INTO projects (root, name, template, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(root) DO NOTHING",
            params![root, name, template, now_millis()],
        )?;
        let record = transaction.query_row(
            "SELECT id, root, name, template FROM projects WHERE root = ?1",
            [root],
            project_from_row,
        )?;
        transaction.execute(
            "INSERT INTO recent (project_id, opened_at) VALUES (?1, ?2)
             ON CONFLICT(project_id) DO UPDATE SET opened_at = excluded.opened_at",
            params![record.id.0, now_millis()],
        )?;
        transaction.commit()?;
        Ok(record)
    }

    pub fn project(&self, id: ProjectId) -> Result<ProjectRecord> {
        self.connection()
            .query_row("SELECT id, root, name, template FROM projects WHERE id = ?1", [id.0], project_from_row)
            .optional()?
            .ok_or_else(|| Error::new(Code::NotFound, format!("no project with id {}", id.0)))
    }

    /// Most recently opened first.
    pub fn recent_projects(&self, limit: usize) -> Result<Vec<RecentProject>> {
        let connection = self.connection();
        let mut statement = connection.prepare_cached(
            "SELECT p.id, p.name, p.root, r.opened_at FROM recent r JOIN projects p ON p.id = r.project_id
             ORDER BY r.opened_at DESC, p.id DESC LIMIT ?1",
        )?;
        let rows = statement.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |row| {
            let root: String = row.get(2)?;
            Ok(RecentProject {
                id: ProjectId(row.get(0)?),
                name: row.get(1)?,
                exists: std::path::Path::new(&root).is_dir(),
                root,
                opened_at: row.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remembers the hash of what was last saved, for history and conflict checks.
    pub fn record_saved_file(&self, project: ProjectId, path: &str, hash: &str, size: u64) -> Result<()> {
        self.connection().execute(
            "INSERT INTO files (project_id, path, hash, size, saved_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(project_id, path) DO UPDATE SET hash = excluded.hash, size = excluded.size, saved_at = excluded.saved_at",
            params![project.0, path, hash, i64::try_from(size).unwrap_or(i64::MAX), now_millis()],
        )?;
        Ok(())
    }

    pub fn saved_file_hash(&self, project: ProjectId, path: &str) -> Result<Option<String>> {
        Ok(self
            .connection()
            .query_row("SELECT hash FROM files WHERE project_id = ?1 AND path = ?2", params![project.0, path], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Moves the metadata and journal of `from` (a file, or a folder and
    /// everything under it) to `to`, so unsaved work follows a rename.
    /// Stale rows already at `to` (a file deleted outside the app) give way.
    pub fn rename_path(&self, project: ProjectId, from: &str, to: &str) -> Result<()> {
        let connection = self.connection();
        let transaction = connection.unchecked_transaction()?;
        for table in ["files", "buffer_journal"] {
            transaction
                .execute(&format!("DELETE FROM {table} WHERE project_id = ?1 AND {UNDER}"), params![project.0, to])?;
            transaction.execute(
                &format!(
                    "UPDATE {table} SET path = ?3 || substr(path, length(?2) + 1) WHERE project_id = ?1 AND {UNDER}"
                ),
                params![project.0, from, to],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Forgets the saved-file metadata of `path` and everything under it.
    pub fn forget_saved_files(&self, project: ProjectId, path: &str) -> Result<()> {
        self.connection()
            .execute(&format!("DELETE FROM files WHERE project_id = ?1 AND {UNDER}"), params![project.0, path])?;
        Ok(())
    }
}

/// SQL: the row's `path` is `?2` or lies under the folder `?2`.
const UNDER: &str = "(path = ?2 OR substr(path, 1, length(?2) + 1) = ?2 || '/')";
