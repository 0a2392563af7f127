//! The progress rules, as pure functions of dates and numbers.
//!
//! Levels: level L starts at 50·L·(L−1) XP — 0, 100, 300, 600, 1000, 1500…
//! (each level needs 100 XP more than the one before).
//! Streak: consecutive active days ending today (or yesterday, so a streak
//! is not lost before today's lesson); one missed day breaks it. Days are
//! calendar days in the learner's own timezone.
//! Daily challenge: picked from the pool by a hash of the date, so everyone
//! gets the same one on the same day, offline.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// XP at which `level` starts.
pub fn level_start(level: u32) -> u32 {
    50 * level * level.saturating_sub(1)
}

pub fn level_for(xp: u32) -> u32 {
    let mut level = 1;
    while level_start(level + 1) <= xp {
        level += 1;
    }
    level
}

/// The current streak from active days (any order, `YYYY-MM-DD`).
pub fn streak(active_days: &[NaiveDate], today: NaiveDate) -> u32 {
    let mut days: Vec<NaiveDate> = active_days.iter().copied().filter(|day| *day <= today).collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    let Some(first) = days.first() else { return 0 };
    let yesterday = today.pred_opt().unwrap_or(today);
    if *first != today && *first != yesterday {
        return 0;
    }
    let mut count = 1;
    for pair in days.windows(2) {
        if pair[0].pred_opt() == Some(pair[1]) {
            count += 1;
        } else {
            break;
        }
    }
    count
}

/// The index of the day's challenge in a pool of `pool_size`.
pub fn challenge_index(day: NaiveDate, pool_size: usize) -> usize {
    let digest = Sha256::digest(format!("flashfusion-daily-challenge:{day}"));
    let mut prefix = [0u8; 8];
    prefix.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(prefix) % pool_size.max(1) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn levels_follow_the_documented_curve() {
        assert_eq!([1, 2, 3, 4, 5].map(level_start), [0, 100, 300, 600, 1000]);
        assert_eq!([0, 99, 100, 299, 300, 999, 1000].map(level_for), [1, 1, 2, 2, 3, 4, 5]);
    }

    #[test]
    fn a_streak_counts_consecutive_days_and_one_missed_day_breaks_it() {
        let today = day("2026-03-10");
        assert_eq!(streak(&[], today), 0);
        assert_eq!(streak(&[day("2026-03-10")], today), 1);
        // Not yet active today: yesterday's streak still stands.
        assert_eq!(streak(&[day("2026-03-09"), day("2026-03-08")], today), 2);
        // Two days ago is a missed day: broken.
        assert_eq!(streak(&[day("2026-03-08"), day("2026-03-07")], today), 0);
        let week: Vec<NaiveDate> = (4..=10).map(|d| day(&format!("2026-03-{d:02}"))).collect();
        assert_eq!(streak(&week, today), 7);
        let with_gap = [day("2026-03-10"), day("2026-03-09"), day("2026-03-07"), day("2026-03-06")];
        assert_eq!(streak(&with_gap, today), 2);
        // Across a month and a year boundary.
        assert_eq!(streak(&[day("2026-01-01"), day("2025-12-31"), day("2025-12-30")], day("2026-01-01")), 3);
        assert_eq!(streak(&[day("2026-03-01"), day("2026-02-28")], day("2026-03-01")), 2);
    }

    #[test]
    fn the_daily_challenge_is_the_same_all_day_and_changes_across_days() {
        let pool = 14;
        let today = day("2026-11-27");
        assert_eq!(challenge_index(today, pool), challenge_index(today, pool));
        let picks: std::collections::HashSet<usize> =
            (0..60).map(|offset| challenge_index(today + chrono::Days::new(offset), pool)).collect();
        assert!(picks.len() > pool / 2, "the pool is barely used: {picks:?}");
        assert!(picks.iter().all(|index| *index < pool));
    }
}
