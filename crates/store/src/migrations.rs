//! Numbered schema migrations. `PRAGMA user_version` is the number applied;
//! each step runs in its own transaction. Never edit a released step: append.

use std::path::Path;

use flashfusion_core::{Code, Error, Result};
use rusqlite::Connection;

const MIGRATIONS: &[&str] = &[
    // 1: projects, saved files, settings, recents, the unsaved-buffer journal.
    r#"
    CREATE TABLE projects (
        id          INTEGER PRIMARY KEY,
        root        TEXT NOT NULL UNIQUE,
        name        TEXT NOT NULL,
        template    TEXT,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE files (
        project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        hash        TEXT NOT NULL,
        size        INTEGER NOT NULL,
        saved_at    INTEGER NOT NULL,
        PRIMARY KEY (project_id, path)
    );
    CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL
    );
    CREATE TABLE recent (
        project_id  INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        opened_at   INTEGER NOT NULL
    );
    CREATE INDEX recent_by_time ON recent(opened_at DESC);
    CREATE TABLE buffer_journal (
        project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        path        TEXT NOT NULL,
        text        TEXT NOT NULL,
        base_hash   TEXT,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (project_id, path)
    );
    "#,
    // 2: assistant conversations and their messages with token usage.
    r#"
    CREATE TABLE conversations (
        id          INTEGER PRIMARY KEY,
        project_id  INTEGER REFERENCES projects(id) ON DELETE CASCADE,
        title       TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
    );
    CREATE INDEX conversations_by_project ON conversations(project_id, updated_at DESC);
    CREATE TABLE messages (
        id                INTEGER PRIMARY KEY,
        conversation_id   INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role              TEXT NOT NULL,
        content           TEXT NOT NULL,
        state             TEXT NOT NULL,
        model             TEXT,
        prompt_tokens     INTEGER,
        completion_tokens INTEGER,
        usage_estimated   INTEGER NOT NULL DEFAULT 0,
        cost_usd          REAL,
        created_at        INTEGER NOT NULL
    );
    CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
    CREATE INDEX user_messages_by_time ON messages(created_at) WHERE role = 'user';
    "#,
    // 3: learning progress: XP awards (each earned once, queued for the
    // leaderboard), quiz answers, lab attempts, badges, active days.
    r#"
    CREATE TABLE learn_awards (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        subject     TEXT NOT NULL,
        xp          INTEGER NOT NULL,
        local_day   TEXT NOT NULL,
        earned_at   INTEGER NOT NULL,
        synced      INTEGER NOT NULL DEFAULT 0,
        UNIQUE (kind, subject)
    );
    CREATE TABLE learn_quiz_answers (
        lesson      TEXT NOT NULL,
        question    INTEGER NOT NULL,
        choice      INTEGER NOT NULL,
        correct     INTEGER NOT NULL,
        answered_at INTEGER NOT NULL,
        PRIMARY KEY (lesson, question)
    );
    CREATE TABLE learn_lab_attempts (
        id          INTEGER PRIMARY KEY,
        lab         TEXT NOT NULL,
        passed      INTEGER NOT NULL,
        code        TEXT NOT NULL,
        attempted_at INTEGER NOT NULL
    );
    CREATE INDEX learn_lab_attempts_by_lab ON learn_lab_attempts(lab, id DESC);
    CREATE TABLE learn_badges (
        id          TEXT PRIMARY KEY,
        earned_at   INTEGER NOT NULL
    );
    CREATE TABLE learn_active_days (
        local_day   TEXT PRIMARY KEY
    );
    "#,
    // 4: deployment targets, the deployments made to them (for history and
    // rollback) and the names of their environment variables (the values
    // live in the keyring).
    r#"
    CREATE TABLE deploy_targets (
        id          TEXT PRIMARY KEY,
        project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        config      TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE INDEX deploy_targets_by_project ON deploy_targets(project_id);
    CREATE TABLE deployments (
        id             TEXT PRIMARY KEY,
        target_id      TEXT NOT NULL REFERENCES deploy_targets(id) ON DELETE CASCADE,
        project_id     INTEGER NOT NULL,
        commit_id      TEXT,
        platform_id    TEXT,
        url            TEXT,
        state          TEXT NOT NULL,
        error          TEXT,
        rollback_of    TEXT,
        uploaded_files INTEGER NOT NULL DEFAULT 0,
        uploaded_bytes INTEGER NOT NULL DEFAULT 0,
        log            TEXT NOT NULL DEFAULT '',
        started_at     INTEGER NOT NULL,
        finished_at    INTEGER
    );
    CREATE INDEX deployments_by_project ON deployments(project_id, started_at DESC);
    CREATE TABLE deploy_env (
        target_id   TEXT NOT NULL REFERENCES deploy_targets(id) ON DELETE CASCADE,
        name        TEXT NOT NULL,
        secret      INTEGER NOT NULL,
        PRIMARY KEY (target_id, name)
    );
    "#,
    // 5: answers from online services kept for offline use (the
    // marketplace catalogue), by request.
    r#"
    CREATE TABLE service_cache (
        key         TEXT PRIMARY KEY,
        value       TEXT NOT NULL,
        fetched_at  INTEGER NOT NULL
    );
    "#,
];

pub const LATEST: i64 = MIGRATIONS.len() as i64;

pub fn migrate(connection: &Connection, path: &Path) -> Result<()> {
    let applied: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if applied > LATEST {
        return Err(Error::new(
            Code::FutureDatabase,
            format!(
                "The local database {} was written by a newer FlashFusion (schema {applied}; this version knows up to {LATEST}). It was not changed: update FlashFusion to open it.",
                path.display()
            ),
        ));
    }
    for (version, step) in (1..).zip(MIGRATIONS).skip(usize::try_from(applied).unwrap_or(0)) {
        let version: i64 = version;
        let transaction = connection.unchecked_transaction()?;
        transaction.execute_batch(step)?;
        transaction.pragma_update(None, "user_version", version)?;
        transaction.commit()?;
        tracing::info!(version, "applied database migration");
    }
    Ok(())
}
