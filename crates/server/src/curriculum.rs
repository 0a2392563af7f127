//! The XP each award of the published curriculum gives, read from the same
//! lesson files the app ships (assets/lessons, embedded at build time), so
//! the leaderboard counts only awards a learner can actually earn.

use std::collections::HashMap;
use std::sync::OnceLock;

use include_dir::{include_dir, Dir};
use serde_json::Value;

static LESSONS: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../assets/lessons");
/// XP per quiz question (the app's rule: the whole quiz right, once).
const QUIZ_XP_PER_QUESTION: i64 = 10;

fn json(path: &str) -> Value {
    LESSONS
        .get_file(path)
        .and_then(|file| file.contents_utf8())
        .and_then(|text| serde_json::from_str(text).ok())
        .unwrap_or(Value::Null)
}

/// (kind, subject) → XP for lessons, quizzes and labs; challenge id → XP.
struct Table {
    awards: HashMap<(String, String), i64>,
    challenges: HashMap<String, i64>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let manifest = json("manifest.json");
        let mut awards = HashMap::new();
        for course in manifest["courses"].as_array().into_iter().flatten() {
            let course_id = course["id"].as_str().unwrap_or_default();
            for lesson_id in course["lessons"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                let lesson = json(&format!("{course_id}/{lesson_id}/lesson.json"));
                let subject = format!("{course_id}/{lesson_id}");
                let questions = lesson["quiz"].as_array().map_or(0, Vec::len) as i64;
                awards.insert(("quiz".to_owned(), subject.clone()), QUIZ_XP_PER_QUESTION * questions);
                awards.insert(("lab".to_owned(), subject.clone()), lesson["lab"]["xp"].as_i64().unwrap_or(0));
                awards.insert(("lesson".to_owned(), subject), lesson["xp"].as_i64().unwrap_or(0));
            }
        }
        let challenges = manifest["challenges"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|id| (id.to_owned(), json(&format!("challenges/{id}.json"))["xp"].as_i64().unwrap_or(0)))
            .collect();
        Table { awards, challenges }
    })
}

/// The XP the curriculum gives for this award, or `None` if it gives none.
/// Challenges are `id@YYYY-MM-DD`: one per day.
pub fn xp_for(kind: &str, subject: &str) -> Option<i64> {
    let table = table();
    if kind == "challenge" {
        let (id, day) = subject.split_once('@')?;
        let valid_day = day.len() == 10 && day.split('-').map(str::parse::<u32>).all(|part| part.is_ok());
        return valid_day.then(|| table.challenges.get(id).copied()).flatten();
    }
    table.awards.get(&(kind.to_owned(), subject.to_owned())).copied().filter(|xp| *xp > 0)
}

#[cfg(test)]
mod tests {
    use super::xp_for;

    #[test]
    fn the_embedded_curriculum_prices_every_award() {
        assert_eq!(xp_for("lesson", "reading/01-tracing-execution"), Some(50));
        assert!(xp_for("lab", "prompting/01-anatomy-of-a-prompt").is_some_and(|xp| xp > 0));
        assert!(xp_for("quiz", "reading/03-spotting-bugs").is_some_and(|xp| xp % 10 == 0));
        assert_eq!(xp_for("challenge", "c01-sum-evens@2026-11-27"), Some(30));
        assert_eq!(xp_for("challenge", "c01-sum-evens"), None);
        assert_eq!(xp_for("lab", "reading/made-up"), None);
        assert_eq!(xp_for("bogus", "reading/01-tracing-execution"), None);
    }
}
