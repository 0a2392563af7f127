//! Learning mode: lessons loaded from content files (no recompiling to add
//! one), labs graded locally, progress with XP, levels, badges, streaks and a
//! daily challenge, and signed PDF certificates.

pub mod certificate;
pub mod content;
pub mod grader;
pub mod leaderboard;
pub mod learning;
pub mod rules;
