//! The Learn tab's API: the course map with progress, opening a lesson,
//! answering its quiz, running its lab, today's challenge, certificates.
//! Every award is recorded once and queued for the leaderboard.

use std::sync::Arc;

use chrono::NaiveDate;
use flashfusion_core::secrets::SecretStore;
use flashfusion_core::{markdown, Code, Error, Result};
use flashfusion_store::{NewAward, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::certificate::{self, CertificateFacts};
use crate::content::{Catalog, Lab, LabKind, Lesson, QUIZ_XP_PER_QUESTION};
use crate::grader::{self, LabResult};
use crate::leaderboard::{self, JoinArgs, LeaderboardView};
use crate::rules;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LessonSummary {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub xp: u32,
    pub quiz_done: bool,
    pub lab_done: bool,
    pub complete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CourseView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub complete: bool,
    pub lessons: Vec<LessonSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BadgeView {
    pub id: String,
    pub title: String,
    pub description: String,
    pub earned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeSummary {
    pub id: String,
    pub title: String,
    pub xp: u32,
    pub day: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LearnOverview {
    pub xp: u32,
    pub level: u32,
    pub level_start_xp: u32,
    pub next_level_xp: u32,
    pub streak: u32,
    pub badges: Vec<BadgeView>,
    pub courses: Vec<CourseView>,
    pub challenge: ChallengeSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QuizView {
    pub question: String,
    pub options: Vec<String>,
    pub chosen: Option<u32>,
    pub correct: Option<bool>,
    /// Shown once answered.
    pub explanation: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LabKindView {
    Code,
    Prompt,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabView {
    pub kind: LabKindView,
    pub instructions_html: String,
    pub xp: u32,
    /// The learner's last attempt, else the starter code (empty for prompts).
    pub code: String,
    pub passed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LessonView {
    pub course_id: String,
    pub id: String,
    pub title: String,
    pub html: String,
    pub minutes: u32,
    pub xp: u32,
    pub quiz: Vec<QuizView>,
    pub lab: LabView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeView {
    pub summary: ChallengeSummary,
    pub lab: LabView,
}

/// Something just earned, for the "+50 XP" and badge toasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AwardView {
    pub label: String,
    pub xp: u32,
    pub badge: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LessonArgs {
    pub course_id: String,
    pub lesson_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerArgs {
    pub course_id: String,
    pub lesson_id: String,
    pub question: u32,
    pub choice: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerOutcome {
    pub correct: bool,
    pub explanation: String,
    pub awards: Vec<AwardView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabArgs {
    pub course_id: String,
    pub lesson_id: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct ChallengeArgs {
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabOutcome {
    pub result: LabResult,
    pub awards: Vec<AwardView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateArgs {
    pub course_id: String,
    pub name: String,
    /// Where to write the PDF.
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CertificateInfo {
    pub path: String,
    pub code: String,
}

struct BadgeRule {
    id: String,
    title: String,
    description: String,
}

pub struct Learning {
    store: Arc<Store>,
    secrets: Arc<dyn SecretStore>,
    catalog: Catalog,
    today: Box<dyn Fn() -> NaiveDate + Send + Sync>,
    http: reqwest::Client,
}

fn lesson_subject(course: &str, lesson: &str) -> String {
    format!("{course}/{lesson}")
}

fn random_id() -> String {
    rand::random::<[u8; 16]>().iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Learning {
    /// Learning on the machine's local calendar.
    pub fn new(store: Arc<Store>, secrets: Arc<dyn SecretStore>, catalog: Catalog) -> Self {
        Self::with_clock(store, secrets, catalog, Box::new(|| chrono::Local::now().date_naive()))
    }

    /// With a given calendar (tests cross day boundaries with it).
    pub fn with_clock(
        store: Arc<Store>,
        secrets: Arc<dyn SecretStore>,
        catalog: Catalog,
        today: Box<dyn Fn() -> NaiveDate + Send + Sync>,
    ) -> Self {
        let http = leaderboard::http_client().unwrap_or_default();
        Self { store, secrets, catalog, today, http }
    }

    /// Sends queued XP (if opted in) and reads this week's board.
    pub async fn leaderboard(&self) -> Result<LeaderboardView> {
        leaderboard::sync(&self.http, &self.store, self.secrets.as_ref()).await
    }

    pub async fn join_leaderboard(&self, args: &JoinArgs) -> Result<LeaderboardView> {
        leaderboard::join(&self.http, &self.store, self.secrets.as_ref(), args).await?;
        self.leaderboard().await
    }

    pub async fn leave_leaderboard(&self) -> Result<LeaderboardView> {
        leaderboard::leave(&self.store)?;
        self.leaderboard().await
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    fn badge_rules(&self) -> Vec<BadgeRule> {
        let rule = |id: &str, title: &str, description: &str| BadgeRule {
            id: id.to_owned(),
            title: title.to_owned(),
            description: description.to_owned(),
        };
        let mut rules = vec![
            rule("first-lesson", "First lesson", "Finish a lesson: its quiz and its lab"),
            rule("first-lab", "Lab rat", "Pass your first lab"),
            rule("first-challenge", "Daily challenger", "Solve a daily challenge"),
            rule("streak-7", "Week streak", "Learn seven days in a row"),
            rule("xp-1000", "Thousand", "Earn 1,000 XP"),
        ];
        for course in &self.catalog.courses {
            rules.push(rule(
                &format!("course-{}", course.id),
                &format!("{} graduate", course.title),
                &format!("Complete every lesson of {}", course.title),
            ));
        }
        rules
    }

    fn course_complete(&self, course_id: &str) -> Result<bool> {
        let course = self.catalog.course(course_id)?;
        for lesson in &course.lessons {
            if !self.store.has_award("lesson", &lesson_subject(course_id, &lesson.id))? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    fn streak(&self) -> Result<u32> {
        let days: Vec<NaiveDate> = self.store.active_days(400)?.iter().filter_map(|day| day.parse().ok()).collect();
        Ok(rules::streak(&days, (self.today)()))
    }

    fn badge_earned(&self, id: &str) -> Result<bool> {
        Ok(match id {
            "first-lesson" => self.store.award_count("lesson")? > 0,
            "first-lab" => self.store.award_count("lab")? > 0,
            "first-challenge" => self.store.award_count("challenge")? > 0,
            "streak-7" => self.streak()? >= 7,
            "xp-1000" => self.store.total_xp()? >= 1000,
            other => match other.strip_prefix("course-") {
                Some(course) => self.course_complete(course)?,
                None => false,
            },
        })
    }

    /// Grants the XP award (once per subject) and any badges now earned.
    fn award(&self, kind: &str, subject: &str, label: &str, xp: u32, out: &mut Vec<AwardView>) -> Result<()> {
        let day = (self.today)().to_string();
        self.store.mark_active_day(&day)?;
        let award = NewAward { id: &random_id(), kind, subject, xp, local_day: &day };
        if self.store.add_award(award)? {
            out.push(AwardView { label: label.to_owned(), xp, badge: false });
        }
        Ok(())
    }

    fn grant_badges(&self, out: &mut Vec<AwardView>) -> Result<()> {
        for rule in self.badge_rules() {
            if self.badge_earned(&rule.id)? && self.store.add_badge(&rule.id)? {
                out.push(AwardView { label: rule.title, xp: 0, badge: true });
            }
        }
        Ok(())
    }

    fn lesson_state(&self, course: &str, lesson: &Lesson) -> Result<LessonSummary> {
        let subject = lesson_subject(course, &lesson.id);
        Ok(LessonSummary {
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            summary: lesson.summary.clone(),
            minutes: lesson.minutes,
            xp: lesson.xp,
            quiz_done: self.store.has_award("quiz", &subject)?,
            lab_done: self.store.has_award("lab", &subject)?,
            complete: self.store.has_award("lesson", &subject)?,
        })
    }

    fn todays_challenge(&self) -> (NaiveDate, &crate::content::Challenge) {
        let day = (self.today)();
        let index = rules::challenge_index(day, self.catalog.challenges.len());
        (day, &self.catalog.challenges[index])
    }

    fn challenge_summary(&self) -> Result<ChallengeSummary> {
        let (day, challenge) = self.todays_challenge();
        Ok(ChallengeSummary {
            id: challenge.id.clone(),
            title: challenge.title.clone(),
            xp: challenge.xp,
            day: day.to_string(),
            done: self.store.has_award("challenge", &format!("{}@{day}", challenge.id))?,
        })
    }

    /// The course map; asking for it means the Learn view just opened, so the
    /// highlighter's syntaxes load now, in the background, not when the
    /// first lesson opens.
    pub fn overview(&self) -> Result<LearnOverview> {
        static WARM: std::sync::Once = std::sync::Once::new();
        WARM.call_once(|| {
            std::thread::spawn(flashfusion_core::highlight::warm_up);
        });
        let xp = self.store.total_xp()?;
        let level = rules::level_for(xp);
        let earned: Vec<String> = self.store.badges()?.into_iter().map(|(id, _)| id).collect();
        let badges = self
            .badge_rules()
            .into_iter()
            .map(|rule| BadgeView {
                earned: earned.contains(&rule.id),
                id: rule.id,
                title: rule.title,
                description: rule.description,
            })
            .collect();
        let mut courses = Vec::new();
        for course in &self.catalog.courses {
            let lessons = course
                .lessons
                .iter()
                .map(|lesson| self.lesson_state(&course.id, lesson))
                .collect::<Result<Vec<_>>>()?;
            courses.push(CourseView {
                id: course.id.clone(),
                title: course.title.clone(),
                summary: course.summary.clone(),
                complete: lessons.iter().all(|lesson| lesson.complete),
                lessons,
            });
        }
        Ok(LearnOverview {
            xp,
            level,
            level_start_xp: rules::level_start(level),
            next_level_xp: rules::level_start(level + 1),
            streak: self.streak()?,
            badges,
            courses,
            challenge: self.challenge_summary()?,
        })
    }

    fn lab_view(&self, lab: &Lab, lab_ref: &str, passed: bool) -> Result<LabView> {
        let (kind, starter) = match &lab.kind {
            LabKind::Code { starter, .. } => (LabKindView::Code, starter.clone()),
            LabKind::Prompt { .. } => (LabKindView::Prompt, String::new()),
        };
        Ok(LabView {
            kind,
            instructions_html: markdown::to_html(&lab.instructions),
            xp: lab.xp,
            code: self.store.last_lab_code(lab_ref)?.unwrap_or(starter),
            passed,
        })
    }

    pub fn open_lesson(&self, args: &LessonArgs) -> Result<LessonView> {
        let lesson = self.catalog.lesson(&args.course_id, &args.lesson_id)?;
        let subject = lesson_subject(&args.course_id, &lesson.id);
        let answers = self.store.quiz_answers(&subject)?;
        let quiz = lesson
            .quiz
            .iter()
            .enumerate()
            .map(|(index, question)| {
                let answer = answers.iter().find(|(number, _, _)| *number as usize == index);
                QuizView {
                    question: question.question.clone(),
                    options: question.options.clone(),
                    chosen: answer.map(|(_, choice, _)| *choice),
                    correct: answer.map(|(_, _, correct)| *correct),
                    explanation: answer.map(|_| question.explanation.clone()),
                }
            })
            .collect();
        let lab_done = self.store.has_award("lab", &subject)?;
        Ok(LessonView {
            course_id: args.course_id.clone(),
            id: lesson.id.clone(),
            title: lesson.title.clone(),
            html: markdown::to_html(&lesson.markdown),
            minutes: lesson.minutes,
            xp: lesson.xp,
            quiz,
            lab: self.lab_view(&lesson.lab, &subject, lab_done)?,
        })
    }

    /// A finished quiz and a passed lab complete the lesson.
    fn complete_lesson_if_done(&self, course: &str, lesson: &Lesson, awards: &mut Vec<AwardView>) -> Result<()> {
        let subject = lesson_subject(course, &lesson.id);
        if self.store.has_award("quiz", &subject)? && self.store.has_award("lab", &subject)? {
            self.award("lesson", &subject, &format!("Lesson complete: {}", lesson.title), lesson.xp, awards)?;
        }
        Ok(())
    }

    pub fn answer_quiz(&self, args: &AnswerArgs) -> Result<AnswerOutcome> {
        let lesson = self.catalog.lesson(&args.course_id, &args.lesson_id)?;
        let question = lesson
            .quiz
            .get(args.question as usize)
            .ok_or_else(|| Error::new(Code::InvalidInput, format!("the quiz has no question {}", args.question + 1)))?;
        if args.choice as usize >= question.options.len() {
            return Err(Error::new(Code::InvalidInput, "that is not one of the options"));
        }
        let correct = args.choice as usize == question.answer;
        let subject = lesson_subject(&args.course_id, &lesson.id);
        self.store.record_quiz_answer(&subject, args.question, args.choice, correct)?;
        self.store.mark_active_day(&(self.today)().to_string())?;
        let mut awards = Vec::new();
        let answers = self.store.quiz_answers(&subject)?;
        let all_right = answers.iter().filter(|(_, _, correct)| *correct).count() == lesson.quiz.len();
        if all_right {
            let xp = QUIZ_XP_PER_QUESTION * u32::try_from(lesson.quiz.len()).unwrap_or(0);
            self.award("quiz", &subject, &format!("Quiz passed: {}", lesson.title), xp, &mut awards)?;
            self.complete_lesson_if_done(&args.course_id, lesson, &mut awards)?;
        }
        // Any activity can complete a streak.
        self.grant_badges(&mut awards)?;
        Ok(AnswerOutcome { correct, explanation: question.explanation.clone(), awards })
    }

    pub fn run_lab(&self, args: &LabArgs) -> Result<LabOutcome> {
        let lesson = self.catalog.lesson(&args.course_id, &args.lesson_id)?;
        let subject = lesson_subject(&args.course_id, &lesson.id);
        let result = grade(&lesson.lab, &args.code);
        self.store.record_lab_attempt(&subject, result.passed, &args.code)?;
        self.store.mark_active_day(&(self.today)().to_string())?;
        let mut awards = Vec::new();
        if result.passed {
            self.award("lab", &subject, &format!("Lab passed: {}", lesson.title), lesson.lab.xp, &mut awards)?;
            self.complete_lesson_if_done(&args.course_id, lesson, &mut awards)?;
        }
        self.grant_badges(&mut awards)?;
        Ok(LabOutcome { result, awards })
    }

    pub fn challenge(&self) -> Result<ChallengeView> {
        let summary = self.challenge_summary()?;
        let (day, challenge) = self.todays_challenge();
        let lab = self.lab_view(&challenge.lab, &format!("challenge/{}@{day}", challenge.id), summary.done)?;
        Ok(ChallengeView { summary, lab })
    }

    pub fn run_challenge(&self, args: &ChallengeArgs) -> Result<LabOutcome> {
        let (day, challenge) = self.todays_challenge();
        let subject = format!("{}@{day}", challenge.id);
        let result = grade(&challenge.lab, &args.code);
        self.store.record_lab_attempt(&format!("challenge/{subject}"), result.passed, &args.code)?;
        self.store.mark_active_day(&day.to_string())?;
        let mut awards = Vec::new();
        if result.passed {
            let label = format!("Daily challenge: {}", challenge.title);
            self.award("challenge", &subject, &label, challenge.xp, &mut awards)?;
        }
        self.grant_badges(&mut awards)?;
        Ok(LabOutcome { result, awards })
    }

    /// Writes the course certificate (only for a completed course).
    pub fn certificate(&self, args: &CertificateArgs) -> Result<CertificateInfo> {
        let course = self.catalog.course(&args.course_id)?;
        if !self.course_complete(&course.id)? {
            return Err(Error::new(Code::InvalidInput, format!("finish every lesson of {} first", course.title)));
        }
        let facts = CertificateFacts {
            name: args.name.trim().to_owned(),
            course_id: course.id.clone(),
            course_title: course.title.clone(),
            date: (self.today)().to_string(),
        };
        let path = std::path::Path::new(&args.path);
        if !path.extension().is_some_and(|extension| extension.eq_ignore_ascii_case("pdf")) {
            return Err(Error::new(Code::InvalidInput, "save the certificate as a .pdf file"));
        }
        let (pdf, code) = certificate::generate(self.secrets.as_ref(), &facts)?;
        std::fs::write(path, pdf).map_err(|error| {
            Error::new(Code::Io, format!("could not write the certificate to {}: {error}", path.display()))
        })?;
        Ok(CertificateInfo { path: args.path.clone(), code })
    }
}

/// Grades a lab attempt: code in the engine, prompts against the rubric.
pub fn grade(lab: &Lab, attempt: &str) -> LabResult {
    match &lab.kind {
        LabKind::Code { checks, .. } => grader::grade_code(attempt, checks),
        LabKind::Prompt { rubric } => grader::grade_prompt(rubric, attempt),
    }
}
