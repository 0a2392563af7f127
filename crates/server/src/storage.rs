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
    // 3: the template marketplace: categories, templates with versions
    // (bundles in the blob store by content hash), full-text search,
    // reviews, follows, moderation, and paid templates (Stripe Connect).
    r#"
    ALTER TABLE accounts ADD COLUMN bio TEXT NOT NULL DEFAULT '';
    ALTER TABLE accounts ADD COLUMN avatar_url TEXT NOT NULL DEFAULT '';
    CREATE TABLE market_categories (
        slug      TEXT PRIMARY KEY,
        name      TEXT NOT NULL,
        position  INTEGER NOT NULL
    );
    INSERT INTO market_categories (slug, name, position) VALUES
        ('web-app', 'Web app', 1), ('api', 'API', 2), ('cli', 'CLI', 3), ('landing-page', 'Landing page', 4),
        ('dashboard', 'Dashboard', 5), ('game', 'Game', 6), ('ai-llm', 'AI/LLM', 7), ('mobile', 'Mobile', 8);
    CREATE TABLE market_templates (
        id            INTEGER PRIMARY KEY,
        creator_id    INTEGER NOT NULL REFERENCES accounts(id),
        title         TEXT NOT NULL,
        description   TEXT NOT NULL,
        category      TEXT NOT NULL REFERENCES market_categories(slug),
        licence       TEXT NOT NULL,
        price_cents   INTEGER NOT NULL DEFAULT 0 CHECK (price_cents >= 0),
        readme        TEXT NOT NULL DEFAULT '',
        preview_hash  TEXT,
        status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
        featured      INTEGER NOT NULL DEFAULT 0,
        downloads     INTEGER NOT NULL DEFAULT 0,
        rating_sum    INTEGER NOT NULL DEFAULT 0,
        rating_count  INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
    );
    CREATE INDEX market_templates_by_creator ON market_templates(creator_id);
    CREATE INDEX market_templates_listing ON market_templates(status, category, price_cents);
    CREATE INDEX market_templates_by_preview ON market_templates(preview_hash) WHERE preview_hash IS NOT NULL;
    CREATE TABLE market_template_tags (
        template_id  INTEGER NOT NULL REFERENCES market_templates(id) ON DELETE CASCADE,
        tag          TEXT NOT NULL,
        PRIMARY KEY (template_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX market_tags_by_tag ON market_template_tags(tag, template_id);
    -- rowid = market_templates.id; kept in step by the code that writes templates.
    CREATE VIRTUAL TABLE market_search USING fts5(title, description, tags, readme, tokenize = 'porter unicode61');
    CREATE TABLE market_blobs (
        hash        TEXT PRIMARY KEY,
        size        INTEGER NOT NULL,
        created_at  INTEGER NOT NULL
    );
    CREATE TABLE market_versions (
        id           INTEGER PRIMARY KEY,
        template_id  INTEGER NOT NULL REFERENCES market_templates(id) ON DELETE CASCADE,
        version      TEXT NOT NULL,
        notes        TEXT NOT NULL DEFAULT '',
        bundle_hash  TEXT NOT NULL REFERENCES market_blobs(hash),
        manifest     TEXT NOT NULL,
        file_count   INTEGER NOT NULL,
        total_bytes  INTEGER NOT NULL,
        created_at   INTEGER NOT NULL,
        UNIQUE (template_id, version)
    );
    CREATE TABLE market_reviews (
        id           INTEGER PRIMARY KEY,
        template_id  INTEGER NOT NULL REFERENCES market_templates(id) ON DELETE CASCADE,
        account_id   INTEGER NOT NULL REFERENCES accounts(id),
        stars        INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
        body         TEXT NOT NULL DEFAULT '',
        helpful      INTEGER NOT NULL DEFAULT 0,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        UNIQUE (template_id, account_id)
    );
    CREATE TABLE market_review_votes (
        review_id   INTEGER NOT NULL REFERENCES market_reviews(id) ON DELETE CASCADE,
        account_id  INTEGER NOT NULL REFERENCES accounts(id),
        PRIMARY KEY (review_id, account_id)
    ) WITHOUT ROWID;
    CREATE TABLE market_follows (
        follower_id  INTEGER NOT NULL REFERENCES accounts(id),
        creator_id   INTEGER NOT NULL REFERENCES accounts(id),
        created_at   INTEGER NOT NULL,
        PRIMARY KEY (follower_id, creator_id)
    ) WITHOUT ROWID;
    CREATE TABLE market_reports (
        id           INTEGER PRIMARY KEY,
        template_id  INTEGER NOT NULL REFERENCES market_templates(id) ON DELETE CASCADE,
        reporter_id  INTEGER NOT NULL REFERENCES accounts(id),
        reason       TEXT NOT NULL,
        created_at   INTEGER NOT NULL,
        resolved_at  INTEGER
    );
    CREATE TABLE market_payout_accounts (
        account_id      INTEGER PRIMARY KEY REFERENCES accounts(id),
        stripe_account  TEXT NOT NULL UNIQUE,
        created_at      INTEGER NOT NULL
    );
    CREATE TABLE market_purchases (
        id              TEXT PRIMARY KEY,
        template_id     INTEGER NOT NULL REFERENCES market_templates(id),
        buyer_id        INTEGER NOT NULL REFERENCES accounts(id),
        amount_cents    INTEGER NOT NULL,
        fee_cents       INTEGER NOT NULL,
        currency        TEXT NOT NULL,
        payment_intent  TEXT NOT NULL UNIQUE,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed')),
        created_at      INTEGER NOT NULL,
        paid_at         INTEGER
    );
    CREATE INDEX market_purchases_by_buyer ON market_purchases(buyer_id, template_id, status);
    CREATE TABLE market_webhook_events (
        id           TEXT PRIMARY KEY,
        kind         TEXT NOT NULL,
        received_at  INTEGER NOT NULL
    );
"#,
    // 4: marketplace search. Search keeps the listing fields of approved
    // templates in memory (facets over 100 000 templates cost a B-tree seek
    // per match in SQL: too slow); these triggers log every template whose
    // listing may have changed, whoever wrote it, so that search catches up
    // incrementally. The log keeps its newest 10 000 entries; a reader
    // further behind reloads everything. A generation number moved by every
    // write to the text index says when cached bm25 rankings go stale. Plus
    // an index for the featured shelf.
    r#"
    CREATE TABLE market_listing_changes (
        seq          INTEGER PRIMARY KEY AUTOINCREMENT,
        template_id  INTEGER NOT NULL
    );
    CREATE TRIGGER market_listing_changes_trim AFTER INSERT ON market_listing_changes BEGIN
        DELETE FROM market_listing_changes WHERE seq <= NEW.seq - 10000;
    END;
    CREATE TRIGGER market_listing_template_added AFTER INSERT ON market_templates BEGIN
        INSERT INTO market_listing_changes (template_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER market_listing_template_changed
        AFTER UPDATE OF status, category, licence, price_cents, featured, downloads, rating_sum, rating_count, created_at
        ON market_templates BEGIN
        INSERT INTO market_listing_changes (template_id) VALUES (NEW.id);
    END;
    CREATE TRIGGER market_listing_template_removed AFTER DELETE ON market_templates BEGIN
        INSERT INTO market_listing_changes (template_id) VALUES (OLD.id);
    END;
    CREATE TRIGGER market_listing_tag_added AFTER INSERT ON market_template_tags BEGIN
        INSERT INTO market_listing_changes (template_id) VALUES (NEW.template_id);
    END;
    CREATE TRIGGER market_listing_tag_removed AFTER DELETE ON market_template_tags BEGIN
        INSERT INTO market_listing_changes (template_id) VALUES (OLD.template_id);
    END;
    CREATE TRIGGER market_listing_tag_changed AFTER UPDATE ON market_template_tags BEGIN
        INSERT INTO market_listing_changes (template_id) VALUES (OLD.template_id), (NEW.template_id);
    END;
    CREATE TABLE market_search_generation (value INTEGER NOT NULL);
    INSERT INTO market_search_generation (value) VALUES (0);
    CREATE INDEX market_templates_featured ON market_templates(downloads) WHERE status = 'approved' AND featured = 1;
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
