//! The server's embedded storage: one SQLite file (WAL) holding accounts,
//! tokens, rooms, participants, invites, the activity feed, each room's
//! update log and snapshot, and saved versions. Every applied update is
//! committed here before it is forwarded to anyone, so a killed server
//! loses nothing a client has seen.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection, OptionalExtension};

const MIGRATIONS: &[&str] = &[
    r#"
    CREATE TABLE accounts (
        id            INTEGER PRIMARY KEY,
        email         TEXT NOT NULL UNIQUE,
        name          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
    );
    CREATE TABLE rooms (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE participants (
        id          INTEGER PRIMARY KEY,
        room_id     TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        account_id  INTEGER REFERENCES accounts(id),
        name        TEXT NOT NULL,
        role        TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
        removed_at  INTEGER,
        UNIQUE (room_id, account_id)
    );
    CREATE TABLE tokens (
        hash            TEXT PRIMARY KEY,
        account_id      INTEGER REFERENCES accounts(id),
        participant_id  INTEGER REFERENCES participants(id),
        created_at      INTEGER NOT NULL,
        revoked_at      INTEGER,
        CHECK ((account_id IS NULL) != (participant_id IS NULL))
    );
    CREATE TABLE invites (
        id          TEXT PRIMARY KEY,
        code_hash   TEXT NOT NULL UNIQUE,
        room_id     TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        role        TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
        expires_at  INTEGER,
        max_uses    INTEGER,
        uses        INTEGER NOT NULL DEFAULT 0,
        revoked_at  INTEGER,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE activity (
        id       INTEGER PRIMARY KEY,
        room_id  TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        at       INTEGER NOT NULL,
        kind     TEXT NOT NULL,
        actor    TEXT NOT NULL,
        detail   TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX activity_by_room ON activity(room_id, id);
    CREATE TABLE updates (
        room_id  TEXT NOT NULL,
        seq      INTEGER NOT NULL,
        data     BLOB NOT NULL,
        PRIMARY KEY (room_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE snapshots (
        room_id   TEXT PRIMARY KEY,
        upto_seq  INTEGER NOT NULL,
        state     BLOB NOT NULL
    );
    CREATE TABLE versions (
        id          INTEGER PRIMARY KEY,
        room_id     TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        created_at  INTEGER NOT NULL,
        message     TEXT NOT NULL,
        author      TEXT NOT NULL,
        automatic   INTEGER NOT NULL,
        state       BLOB NOT NULL
    );
"#,
    // 2: the learning leaderboard: opted-in members and their XP events.
    r#"
    CREATE TABLE leaderboard_members (
        account_id   INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
        display_name TEXT NOT NULL,
        joined_at    INTEGER NOT NULL
    );
    CREATE TABLE xp_events (
        id          TEXT PRIMARY KEY,
        account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL,
        subject     TEXT NOT NULL,
        xp          INTEGER NOT NULL,
        earned_at   INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (account_id, kind, subject)
    );
    CREATE INDEX xp_events_by_time ON xp_events(earned_at);
"#,
];

pub struct Storage {
    connection: Mutex<Connection>,
}

pub fn now_millis() -> i64 {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}

/// A room's persisted document: the latest snapshot and the log after it.
pub struct StoredRoom {
    pub snapshot: Option<Vec<u8>>,
    pub updates: Vec<Vec<u8>>,
    pub last_seq: i64,
}

impl Storage {
    pub fn open(path: &Path) -> Result<Self> {
        let connection = Connection::open(path).with_context(|| format!("open {}", path.display()))?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            bail!("{} refused WAL mode", path.display());
        }
        connection.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        let applied: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let applied = usize::try_from(applied).unwrap_or(usize::MAX);
        if applied > MIGRATIONS.len() {
            bail!("{} was written by a newer flashfusion-server (schema {applied})", path.display());
        }
        for (version, step) in (1..).zip(MIGRATIONS).skip(applied) {
            let version: i64 = version;
            let transaction = connection.unchecked_transaction()?;
            transaction.execute_batch(step)?;
            transaction.pragma_update(None, "user_version", version)?;
            transaction.commit()?;
        }
        Ok(Self { connection: Mutex::new(connection) })
    }

    pub fn connection(&self) -> MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn load_room(&self, room_id: &str) -> Result<StoredRoom> {
        let connection = self.connection();
        let snapshot: Option<(i64, Vec<u8>)> = connection
            .query_row("SELECT upto_seq, state FROM snapshots WHERE room_id = ?1", [room_id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let upto = snapshot.as_ref().map_or(0, |(seq, _)| *seq);
        let mut statement =
            connection.prepare_cached("SELECT seq, data FROM updates WHERE room_id = ?1 AND seq > ?2 ORDER BY seq")?;
        let mut last_seq = upto;
        let mut updates = Vec::new();
        for row in
            statement.query_map(params![room_id, upto], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, Vec<u8>>(1)?)))?
        {
            let (seq, data) = row?;
            last_seq = seq;
            updates.push(data);
        }
        Ok(StoredRoom { snapshot: snapshot.map(|(_, state)| state), updates, last_seq })
    }

    /// Appends one applied update; it is durable when this returns.
    pub fn append_update(&self, room_id: &str, seq: i64, data: &[u8]) -> Result<()> {
        self.connection()
            .prepare_cached("INSERT INTO updates (room_id, seq, data) VALUES (?1, ?2, ?3)")?
            .execute(params![room_id, seq, data])?;
        Ok(())
    }

    /// Replaces the log up to `upto_seq` with one snapshot of the state.
    pub fn compact(&self, room_id: &str, upto_seq: i64, state: &[u8]) -> Result<()> {
        let connection = self.connection();
        let transaction = connection.unchecked_transaction()?;
        transaction.execute(
            "INSERT INTO snapshots (room_id, upto_seq, state) VALUES (?1, ?2, ?3)
             ON CONFLICT(room_id) DO UPDATE SET upto_seq = excluded.upto_seq, state = excluded.state",
            params![room_id, upto_seq, state],
        )?;
        transaction.execute("DELETE FROM updates WHERE room_id = ?1 AND seq <= ?2", params![room_id, upto_seq])?;
        transaction.commit()?;
        Ok(())
    }

    pub fn record_activity(&self, room_id: &str, kind: &str, actor: &str, detail: &str) -> Result<()> {
        self.connection().execute(
            "INSERT INTO activity (room_id, at, kind, actor, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![room_id, now_millis(), kind, actor, detail],
        )?;
        Ok(())
    }
}
