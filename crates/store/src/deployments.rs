//! Deployment targets, every deployment made (state, platform id, URL, log)
//! for the history list and rollback, and env var names per target.

use flashfusion_core::{now_millis, ProjectId, Result};
use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployTargetRecord {
    pub id: String,
    pub project_id: ProjectId,
    /// The target's settings as JSON (owned by the deploy crate).
    pub config: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DeployState {
    Running,
    Ready,
    Failed,
    /// The app stopped while it ran.
    Interrupted,
}

impl DeployState {
    fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Ready => "ready",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "running" => Self::Running,
            "ready" => Self::Ready,
            "failed" => Self::Failed,
            _ => Self::Interrupted,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentRecord {
    pub id: String,
    pub target_id: String,
    pub commit_id: Option<String>,
    /// The platform's id for it: what a rollback goes back to.
    pub platform_id: Option<String>,
    pub url: Option<String>,
    pub state: DeployState,
    pub error: Option<String>,
    /// The deployment this one rolled back to.
    pub rollback_of: Option<String>,
    pub uploaded_files: u32,
    #[ts(type = "number")]
    pub uploaded_bytes: u64,
    #[ts(type = "number")]
    pub started_at: i64,
    #[ts(type = "number | null")]
    pub finished_at: Option<i64>,
}

pub struct NewDeployment<'a> {
    pub id: &'a str,
    pub target_id: &'a str,
    pub project_id: ProjectId,
    pub rollback_of: Option<&'a str>,
}

/// How a deployment ended.
pub struct DeploymentOutcome<'a> {
    pub state: DeployState,
    pub commit_id: Option<&'a str>,
    pub platform_id: Option<&'a str>,
    pub url: Option<&'a str>,
    pub error: Option<&'a str>,
    pub uploaded_files: u32,
    pub uploaded_bytes: u64,
    pub log: &'a str,
}

const COLUMNS: &str = "id, target_id, commit_id, platform_id, url, state, error, rollback_of, uploaded_files, uploaded_bytes, started_at, finished_at";

fn record(row: &Row<'_>) -> rusqlite::Result<DeploymentRecord> {
    Ok(DeploymentRecord {
        id: row.get(0)?,
        target_id: row.get(1)?,
        commit_id: row.get(2)?,
        platform_id: row.get(3)?,
        url: row.get(4)?,
        state: DeployState::parse(&row.get::<_, String>(5)?),
        error: row.get(6)?,
        rollback_of: row.get(7)?,
        uploaded_files: row.get(8)?,
        uploaded_bytes: u64::try_from(row.get::<_, i64>(9)?).unwrap_or(0),
        started_at: row.get(10)?,
        finished_at: row.get(11)?,
    })
}

impl Store {
    pub fn save_deploy_target(&self, target: &DeployTargetRecord) -> Result<()> {
        self.connection().execute(
            "INSERT INTO deploy_targets (id, project_id, config, created_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET config = excluded.config",
            params![target.id, target.project_id.0, target.config, now_millis()],
        )?;
        Ok(())
    }

    pub fn deploy_targets(&self, project: ProjectId) -> Result<Vec<DeployTargetRecord>> {
        let connection = self.connection();
        let mut statement = connection
            .prepare("SELECT id, project_id, config FROM deploy_targets WHERE project_id = ?1 ORDER BY created_at")?;
        let rows = statement.query_map([project.0], |row| {
            Ok(DeployTargetRecord { id: row.get(0)?, project_id: ProjectId(row.get(1)?), config: row.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn deploy_target(&self, id: &str) -> Result<Option<DeployTargetRecord>> {
        Ok(self
            .connection()
            .query_row("SELECT id, project_id, config FROM deploy_targets WHERE id = ?1", [id], |row| {
                Ok(DeployTargetRecord { id: row.get(0)?, project_id: ProjectId(row.get(1)?), config: row.get(2)? })
            })
            .optional()?)
    }

    /// Deletes a target with its deployments and env var names.
    pub fn delete_deploy_target(&self, id: &str) -> Result<()> {
        self.connection().execute("DELETE FROM deploy_targets WHERE id = ?1", [id])?;
        Ok(())
    }

    pub fn start_deployment(&self, new: &NewDeployment<'_>) -> Result<()> {
        self.connection().execute(
            "INSERT INTO deployments (id, target_id, project_id, state, rollback_of, started_at) VALUES (?1, ?2, ?3, 'running', ?4, ?5)",
            params![new.id, new.target_id, new.project_id.0, new.rollback_of, now_millis()],
        )?;
        Ok(())
    }

    /// Saves the log so far, so a crash mid-deploy keeps it.
    pub fn save_deployment_log(&self, id: &str, log: &str) -> Result<()> {
        self.connection().execute("UPDATE deployments SET log = ?2 WHERE id = ?1", params![id, log])?;
        Ok(())
    }

    pub fn finish_deployment(&self, id: &str, outcome: &DeploymentOutcome<'_>) -> Result<()> {
        self.connection().execute(
            "UPDATE deployments SET state = ?2, commit_id = ?3, platform_id = ?4, url = ?5, error = ?6,
                 uploaded_files = ?7, uploaded_bytes = ?8, log = ?9, finished_at = ?10 WHERE id = ?1",
            params![
                id,
                outcome.state.as_str(),
                outcome.commit_id,
                outcome.platform_id,
                outcome.url,
                outcome.error,
                outcome.uploaded_files,
                i64::try_from(outcome.uploaded_bytes).unwrap_or(i64::MAX),
                outcome.log,
                now_millis()
            ],
        )?;
        Ok(())
    }

    /// A project's deployments, newest first.
    pub fn deployments(&self, project: ProjectId, limit: u32) -> Result<Vec<DeploymentRecord>> {
        let connection = self.connection();
        let mut statement = connection.prepare(&format!(
            "SELECT {COLUMNS} FROM deployments WHERE project_id = ?1 ORDER BY started_at DESC, rowid DESC LIMIT ?2"
        ))?;
        let rows = statement.query_map(params![project.0, limit], record)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn deployment(&self, id: &str) -> Result<Option<DeploymentRecord>> {
        Ok(self
            .connection()
            .query_row(&format!("SELECT {COLUMNS} FROM deployments WHERE id = ?1"), [id], record)
            .optional()?)
    }

    pub fn deployment_log(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .connection()
            .query_row("SELECT log FROM deployments WHERE id = ?1", [id], |row| row.get(0))
            .optional()?)
    }

    /// Deployments that were running when the app last stopped did not finish.
    pub fn mark_running_deployments_interrupted(&self) -> Result<usize> {
        Ok(self.connection().execute(
            "UPDATE deployments SET state = 'interrupted', finished_at = ?1 WHERE state = 'running'",
            [now_millis()],
        )?)
    }

    /// A target's env var names and whether each is secret.
    pub fn deploy_env(&self, target: &str) -> Result<Vec<(String, bool)>> {
        let connection = self.connection();
        let mut statement =
            connection.prepare("SELECT name, secret FROM deploy_env WHERE target_id = ?1 ORDER BY name")?;
        let rows = statement.query_map([target], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Replaces a target's env var names.
    pub fn set_deploy_env(&self, target: &str, vars: &[(String, bool)]) -> Result<()> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        transaction.execute("DELETE FROM deploy_env WHERE target_id = ?1", [target])?;
        for (name, secret) in vars {
            transaction.execute(
                "INSERT INTO deploy_env (target_id, name, secret) VALUES (?1, ?2, ?3)",
                params![target, name, secret],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }
}
