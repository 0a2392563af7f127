#![allow(clippy::unwrap_used)] // Test support: a failed setup step should fail the test loudly.

//! Learning mode on the shipped content, a real SQLite file, the real
//! leaderboard server on loopback, and poppler's `pdftotext`.

mod content;
mod leaderboard;
mod progress;

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use flashfusion_core::secrets::MemorySecrets;
use flashfusion_learn::content::{Catalog, LabKind};
use flashfusion_learn::learning::Learning;
use flashfusion_store::Store;

pub struct Fixture {
    pub _data: tempfile::TempDir,
    pub learning: Learning,
    pub day: Arc<Mutex<NaiveDate>>,
}

pub fn catalog() -> Catalog {
    Catalog::load(&flashfusion_learn::content::source_dir()).unwrap()
}

/// Learning on a calendar the test turns.
pub fn fixture(start: &str) -> Fixture {
    let data = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&data.path().join("flashfusion.sqlite3")).unwrap());
    let day = Arc::new(Mutex::new(start.parse().unwrap()));
    let clock = day.clone();
    let learning = Learning::with_clock(
        store,
        Arc::new(MemorySecrets::default()),
        catalog(),
        Box::new(move || *clock.lock().unwrap()),
    );
    Fixture { _data: data, learning, day }
}

impl Fixture {
    pub fn next_day(&self) {
        let mut day = self.day.lock().unwrap();
        *day = day.succ_opt().unwrap();
    }

    /// Answers every quiz question right and passes the lab with its solution.
    pub fn finish_lesson(&self, course: &str, lesson: &str) {
        use flashfusion_learn::learning::{AnswerArgs, LabArgs};
        let content = self.learning.catalog().lesson(course, lesson).unwrap().clone();
        for (index, question) in content.quiz.iter().enumerate() {
            let args = AnswerArgs {
                course_id: course.into(),
                lesson_id: lesson.into(),
                question: index as u32,
                choice: question.answer as u32,
            };
            assert!(self.learning.answer_quiz(&args).unwrap().correct);
        }
        let args = LabArgs { course_id: course.into(), lesson_id: lesson.into(), code: content.lab.solution.clone() };
        assert!(self.learning.run_lab(&args).unwrap().result.passed);
    }
}

pub fn is_code(kind: &LabKind) -> bool {
    matches!(kind, LabKind::Code { .. })
}
