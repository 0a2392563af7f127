//! Learning progress: XP awards (each subject earns once; unsynced ones are
//! the leaderboard's offline queue), quiz answers, lab attempts, badges and
//! the days the learner was active (in their own timezone).

use flashfusion_core::{now_millis, Result};
use rusqlite::{params, OptionalExtension};

use crate::Store;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub id: String,
    /// quiz, lab, lesson or challenge.
    pub kind: String,
    /// What earned it: a lesson (`course/lesson`) or a challenge and its day.
    pub subject: String,
    pub xp: u32,
    pub local_day: String,
    pub earned_at: i64,
}

pub struct NewAward<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub subject: &'a str,
    pub xp: u32,
    pub local_day: &'a str,
}

impl Store {
    /// Records an award unless its subject already earned one; true if new.
    pub fn add_award(&self, award: NewAward<'_>) -> Result<bool> {
        let inserted = self.connection().execute(
            "INSERT INTO learn_awards (id, kind, subject, xp, local_day, earned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(kind, subject) DO NOTHING",
            params![award.id, award.kind, award.subject, award.xp, award.local_day, now_millis()],
        )?;
        Ok(inserted == 1)
    }

    pub fn has_award(&self, kind: &str, subject: &str) -> Result<bool> {
        Ok(self
            .connection()
            .query_row(
                "SELECT 1 FROM learn_awards WHERE kind = ?1 AND subject = ?2",
                params![kind, subject],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    pub fn award_count(&self, kind: &str) -> Result<u32> {
        Ok(self
            .connection()
            .query_row("SELECT COUNT(*) FROM learn_awards WHERE kind = ?1", [kind], |row| row.get(0))?)
    }

    pub fn total_xp(&self) -> Result<u32> {
        Ok(self.connection().query_row("SELECT COALESCE(SUM(xp), 0) FROM learn_awards", [], |row| row.get(0))?)
    }

    /// Awards not yet sent to the leaderboard, oldest first.
    pub fn unsynced_awards(&self) -> Result<Vec<Award>> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT id, kind, subject, xp, local_day, earned_at FROM learn_awards WHERE synced = 0 ORDER BY earned_at, id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Award {
                id: row.get(0)?,
                kind: row.get(1)?,
                subject: row.get(2)?,
                xp: row.get(3)?,
                local_day: row.get(4)?,
                earned_at: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mark_awards_synced(&self, ids: &[String]) -> Result<()> {
        let connection = self.connection();
        let transaction = connection.unchecked_transaction()?;
        for id in ids {
            transaction.execute("UPDATE learn_awards SET synced = 1 WHERE id = ?1", [id])?;
        }
        transaction.commit()?;
        Ok(())
    }

    pub fn record_quiz_answer(&self, lesson: &str, question: u32, choice: u32, correct: bool) -> Result<()> {
        self.connection().execute(
            "INSERT INTO learn_quiz_answers (lesson, question, choice, correct, answered_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(lesson, question) DO UPDATE SET choice = excluded.choice, correct = excluded.correct,
             answered_at = excluded.answered_at",
            params![lesson, question, choice, correct, now_millis()],
        )?;
        Ok(())
    }

    /// The learner's latest answer to each question of `lesson`: (question, choice, correct).
    pub fn quiz_answers(&self, lesson: &str) -> Result<Vec<(u32, u32, bool)>> {
        let connection = self.connection();
        let mut statement =
            connection.prepare("SELECT question, choice, correct FROM learn_quiz_answers WHERE lesson = ?1")?;
        let rows = statement.query_map([lesson], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn record_lab_attempt(&self, lab: &str, passed: bool, code: &str) -> Result<()> {
        self.connection().execute(
            "INSERT INTO learn_lab_attempts (lab, passed, code, attempted_at) VALUES (?1, ?2, ?3, ?4)",
            params![lab, passed, code, now_millis()],
        )?;
        Ok(())
    }

    /// The learner's most recent code for a lab, to reopen it where they left.
    pub fn last_lab_code(&self, lab: &str) -> Result<Option<String>> {
        Ok(self
            .connection()
            .query_row("SELECT code FROM learn_lab_attempts WHERE lab = ?1 ORDER BY id DESC LIMIT 1", [lab], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// True if the badge is new.
    pub fn add_badge(&self, id: &str) -> Result<bool> {
        let inserted = self.connection().execute(
            "INSERT INTO learn_badges (id, earned_at) VALUES (?1, ?2) ON CONFLICT(id) DO NOTHING",
            params![id, now_millis()],
        )?;
        Ok(inserted == 1)
    }

    pub fn badges(&self) -> Result<Vec<(String, i64)>> {
        let connection = self.connection();
        let mut statement = connection.prepare("SELECT id, earned_at FROM learn_badges ORDER BY earned_at, id")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn mark_active_day(&self, local_day: &str) -> Result<()> {
        self.connection()
            .execute("INSERT INTO learn_active_days (local_day) VALUES (?1) ON CONFLICT DO NOTHING", [local_day])?;
        Ok(())
    }

    /// Active days (YYYY-MM-DD), most recent first.
    pub fn active_days(&self, limit: u32) -> Result<Vec<String>> {
        let connection = self.connection();
        let mut statement =
            connection.prepare("SELECT local_day FROM learn_active_days ORDER BY local_day DESC LIMIT ?1")?;
        let rows = statement.query_map([limit], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
