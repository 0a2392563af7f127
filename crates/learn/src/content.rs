//! Lesson content is data, read at run time from a folder (see
//! assets/lessons/manifest.json): a lesson is Markdown plus a JSON file with
//! its quiz and lab, so lessons are added without recompiling. Loading
//! checks the whole catalogue against the schema and names the file and the
//! problem for anything wrong.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use flashfusion_core::{Code, Error, Result};
use serde::Deserialize;

use crate::grader::RubricItem;

/// Most XP a single award can carry; the leaderboard refuses more.
pub const MAX_LESSON_XP: u32 = 200;
pub const MAX_LAB_XP: u32 = 300;
pub const MAX_CHALLENGE_XP: u32 = 100;
/// XP per quiz question, awarded once when the whole quiz is right.
pub const QUIZ_XP_PER_QUESTION: u32 = 10;

#[derive(Debug, Clone, Deserialize)]
struct ManifestFile {
    version: u32,
    courses: Vec<CourseEntry>,
    challenges: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct CourseEntry {
    id: String,
    title: String,
    summary: String,
    lessons: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct LessonFile {
    id: String,
    title: String,
    summary: String,
    minutes: u32,
    xp: u32,
    quiz: Vec<QuizQuestion>,
    lab: LabFile,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct QuizQuestion {
    pub question: String,
    pub options: Vec<String>,
    pub answer: usize,
    pub explanation: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum LabFile {
    Code { xp: u32, instructions: String, starter: String, solution: String, wrong: Vec<String>, checks: String },
    Prompt { xp: u32, instructions: String, rubric: Vec<RubricItem>, solution: String, wrong: Vec<String> },
}

#[derive(Debug, Clone, Deserialize)]
struct ChallengeFile {
    id: String,
    title: String,
    xp: u32,
    lab: LabFile,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabKind {
    /// JavaScript checked by `checks` in the embedded engine.
    Code { starter: String, checks: String },
    /// A prompt checked against the rubric.
    Prompt { rubric: Vec<RubricItem> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lab {
    pub xp: u32,
    pub instructions: String,
    pub kind: LabKind,
    /// The reference solution (it must pass) and wrong ones (each must fail).
    pub solution: String,
    pub wrong: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub xp: u32,
    pub markdown: String,
    pub quiz: Vec<QuizQuestion>,
    pub lab: Lab,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Course {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub lessons: Vec<Lesson>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub id: String,
    pub title: String,
    pub xp: u32,
    pub lab: Lab,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub courses: Vec<Course>,
    pub challenges: Vec<Challenge>,
}

fn invalid(path: &Path, problem: impl std::fmt::Display) -> Error {
    Error::new(Code::InvalidInput, format!("lesson content {}: {problem}", path.display()))
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|error| invalid(path, error))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    serde_json::from_str(&read(path)?).map_err(|error| invalid(path, error))
}

/// A path from the content that must stay inside its folder.
fn inside(folder: &Path, relative: &str, owner: &Path) -> Result<PathBuf> {
    let candidate = Path::new(relative);
    if candidate.is_absolute() || candidate.components().any(|part| matches!(part, std::path::Component::ParentDir)) {
        return Err(invalid(owner, format!("{relative:?} must be a path inside {}", folder.display())));
    }
    Ok(folder.join(candidate))
}

impl Catalog {
    /// Loads and checks the catalogue in `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let manifest_path = dir.join("manifest.json");
        let manifest: ManifestFile = read_json(&manifest_path)?;
        if manifest.version != 1 {
            return Err(invalid(&manifest_path, format!("version {} is not supported (expected 1)", manifest.version)));
        }
        let mut ids = HashSet::new();
        let mut courses = Vec::new();
        for entry in manifest.courses {
            if !ids.insert(entry.id.clone()) {
                return Err(invalid(&manifest_path, format!("course id {:?} is used twice", entry.id)));
            }
            let mut lessons = Vec::new();
            for lesson_id in &entry.lessons {
                lessons.push(load_lesson(&dir.join(&entry.id).join(lesson_id), lesson_id)?);
            }
            if lessons.is_empty() {
                return Err(invalid(&manifest_path, format!("course {:?} has no lessons", entry.id)));
            }
            courses.push(Course { id: entry.id, title: entry.title, summary: entry.summary, lessons });
        }
        let mut challenges = Vec::new();
        let challenge_dir = dir.join("challenges");
        for id in &manifest.challenges {
            let path = challenge_dir.join(format!("{id}.json"));
            let file: ChallengeFile = read_json(&path)?;
            if &file.id != id {
                return Err(invalid(&path, format!("its id {:?} does not match the manifest's {id:?}", file.id)));
            }
            if file.xp == 0 || file.xp > MAX_CHALLENGE_XP {
                return Err(invalid(&path, format!("xp must be 1–{MAX_CHALLENGE_XP}")));
            }
            let lab = load_lab(&challenge_dir, file.lab, &path)?;
            challenges.push(Challenge { id: file.id, title: file.title, xp: file.xp, lab });
        }
        if challenges.is_empty() {
            return Err(invalid(&manifest_path, "the daily challenge pool is empty"));
        }
        Ok(Self { courses, challenges })
    }

    pub fn course(&self, id: &str) -> Result<&Course> {
        self.courses
            .iter()
            .find(|course| course.id == id)
            .ok_or_else(|| Error::new(Code::NotFound, format!("there is no course {id:?}")))
    }

    pub fn lesson(&self, course: &str, lesson: &str) -> Result<&Lesson> {
        self.course(course)?
            .lessons
            .iter()
            .find(|candidate| candidate.id == lesson)
            .ok_or_else(|| Error::new(Code::NotFound, format!("course {course:?} has no lesson {lesson:?}")))
    }
}

fn load_lesson(folder: &Path, id: &str) -> Result<Lesson> {
    let path = folder.join("lesson.json");
    let file: LessonFile = read_json(&path)?;
    if file.id != id {
        return Err(invalid(&path, format!("its id {:?} does not match the manifest's {id:?}", file.id)));
    }
    if file.xp == 0 || file.xp > MAX_LESSON_XP {
        return Err(invalid(&path, format!("xp must be 1–{MAX_LESSON_XP}")));
    }
    if file.quiz.is_empty() {
        return Err(invalid(&path, "the quiz has no questions"));
    }
    for (index, question) in file.quiz.iter().enumerate() {
        if question.options.len() < 2 || question.answer >= question.options.len() {
            return Err(invalid(
                &path,
                format!("quiz question {} needs 2+ options and an answer among them", index + 1),
            ));
        }
    }
    let markdown = read(&folder.join("lesson.md"))?;
    let lab = load_lab(folder, file.lab, &path)?;
    Ok(Lesson {
        id: file.id,
        title: file.title,
        summary: file.summary,
        minutes: file.minutes,
        xp: file.xp,
        markdown,
        quiz: file.quiz,
        lab,
    })
}

fn load_lab(folder: &Path, file: LabFile, owner: &Path) -> Result<Lab> {
    let text = |relative: &str| read(&inside(folder, relative, owner)?);
    let (xp, instructions, kind, solution, wrong) = match file {
        LabFile::Code { xp, instructions, starter, solution, wrong, checks } => {
            (xp, instructions, LabKind::Code { starter: text(&starter)?, checks: text(&checks)? }, solution, wrong)
        }
        LabFile::Prompt { xp, instructions, rubric, solution, wrong } => {
            if rubric.is_empty() {
                return Err(invalid(owner, "the prompt lab has no rubric"));
            }
            for item in &rubric {
                item.compile().map_err(|problem| invalid(owner, format!("rubric item {problem}")))?;
            }
            (xp, instructions, LabKind::Prompt { rubric }, solution, wrong)
        }
    };
    if xp == 0 || xp > MAX_LAB_XP {
        return Err(invalid(owner, format!("lab xp must be 1–{MAX_LAB_XP}")));
    }
    if wrong.is_empty() {
        return Err(invalid(owner, "a lab needs at least one wrong solution"));
    }
    Ok(Lab {
        xp,
        instructions,
        kind,
        solution: text(&solution)?,
        wrong: wrong.iter().map(|relative| text(relative)).collect::<Result<_>>()?,
    })
}

/// Where the lessons are: `FLASHFUSION_LESSONS`, else the app's bundled
/// resources, else (running from a source checkout) `assets/lessons`.
pub fn locate(resource_dir: Option<&Path>) -> PathBuf {
    if let Some(dir) = std::env::var_os("FLASHFUSION_LESSONS") {
        return PathBuf::from(dir);
    }
    if let Some(bundled) = resource_dir.map(|dir| dir.join("lessons")).filter(|dir| dir.join("manifest.json").is_file())
    {
        return bundled;
    }
    source_dir()
}

/// The lessons in this source tree.
pub fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/lessons")
}
