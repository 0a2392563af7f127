use flashfusion_learn::content::QUIZ_XP_PER_QUESTION;
use flashfusion_learn::learning::{AnswerArgs, CertificateArgs, ChallengeArgs, LabArgs, LessonArgs};

use crate::{fixture, is_code};

#[test]
fn a_lesson_gives_xp_once_for_its_quiz_lab_and_completion_and_badges_follow() {
    let fixture = fixture("2026-11-27");
    let learning = &fixture.learning;
    let course = "reading";
    let lesson = learning.catalog().course(course).unwrap().lessons[0].clone();
    let view = learning.open_lesson(&LessonArgs { course_id: course.into(), lesson_id: lesson.id.clone() }).unwrap();
    assert!(view.html.contains("<h") || view.html.contains("<p>"));
    assert!(view.quiz.iter().all(|question| question.chosen.is_none() && question.explanation.is_none()));

    // A wrong answer: no XP, and its explanation is shown.
    let wrong_choice = (lesson.quiz[0].answer + 1) % lesson.quiz[0].options.len();
    let answer =
        AnswerArgs { course_id: course.into(), lesson_id: lesson.id.clone(), question: 0, choice: wrong_choice as u32 };
    let outcome = learning.answer_quiz(&answer).unwrap();
    assert!(!outcome.correct && outcome.awards.is_empty());
    assert_eq!(learning.overview().unwrap().xp, 0);

    // A wrong lab attempt is recorded and reopens where the learner left off.
    let attempt = LabArgs { course_id: course.into(), lesson_id: lesson.id.clone(), code: lesson.lab.wrong[0].clone() };
    let outcome = learning.run_lab(&attempt).unwrap();
    assert!(!outcome.result.passed && outcome.awards.is_empty());
    let reopened =
        learning.open_lesson(&LessonArgs { course_id: course.into(), lesson_id: lesson.id.clone() }).unwrap();
    assert_eq!(reopened.lab.code, lesson.lab.wrong[0]);
    assert_eq!(reopened.quiz[0].chosen, Some(wrong_choice as u32));

    fixture.finish_lesson(course, &lesson.id);
    let overview = learning.overview().unwrap();
    let expected = QUIZ_XP_PER_QUESTION * lesson.quiz.len() as u32 + lesson.lab.xp + lesson.xp;
    assert_eq!(overview.xp, expected);
    let earned: Vec<&str> =
        overview.badges.iter().filter(|badge| badge.earned).map(|badge| badge.id.as_str()).collect();
    assert_eq!(earned, ["first-lesson", "first-lab"]);
    assert!(overview.courses[1].lessons[0].complete);
    assert_eq!(overview.level, flashfusion_learn::rules::level_for(expected));

    // Doing it all again earns nothing more.
    fixture.finish_lesson(course, &lesson.id);
    assert_eq!(learning.overview().unwrap().xp, expected);
}

#[test]
fn streaks_follow_the_calendar_and_a_missed_day_breaks_them() {
    let fixture = fixture("2026-12-28");
    let learning = &fixture.learning;
    let lessons = learning.catalog().course("prompting").unwrap().lessons.clone();
    let answer = |index: usize| AnswerArgs {
        course_id: "prompting".into(),
        lesson_id: lessons[index % lessons.len()].id.clone(),
        question: 0,
        choice: 0,
    };
    // Seven days in a row, over the new year.
    for day in 0..7 {
        learning.answer_quiz(&answer(day)).unwrap();
        assert_eq!(learning.overview().unwrap().streak, day as u32 + 1);
        fixture.next_day();
    }
    // Next morning, before any lesson: the streak still stands…
    assert_eq!(learning.overview().unwrap().streak, 7);
    let outcome = learning.answer_quiz(&answer(0)).unwrap();
    assert!(
        learning.overview().unwrap().badges.iter().any(|badge| badge.id == "streak-7" && badge.earned),
        "{outcome:?}"
    );
    // …and a whole missed day breaks it.
    fixture.next_day();
    fixture.next_day();
    assert_eq!(learning.overview().unwrap().streak, 0);
    learning.answer_quiz(&answer(1)).unwrap();
    assert_eq!(learning.overview().unwrap().streak, 1);
}

#[test]
fn the_daily_challenge_is_fixed_for_the_day_and_pays_once() {
    let fixture = fixture("2026-11-27");
    let learning = &fixture.learning;
    let challenge = learning.challenge().unwrap();
    assert_eq!(learning.challenge().unwrap().summary.id, challenge.summary.id);
    let content = learning.catalog().challenges.iter().find(|c| c.id == challenge.summary.id).unwrap().clone();
    if is_code(&content.lab.kind) {
        assert!(!challenge.lab.code.is_empty(), "a code challenge opens with its starter");
    }
    let outcome = learning.run_challenge(&ChallengeArgs { code: content.lab.solution.clone() }).unwrap();
    assert!(outcome.result.passed);
    assert_eq!(outcome.awards[0].xp, content.xp);
    assert!(outcome.awards.iter().any(|award| award.badge && award.label == "Daily challenger"));
    let again = learning.run_challenge(&ChallengeArgs { code: content.lab.solution.clone() }).unwrap();
    assert!(again.awards.is_empty());
    assert!(learning.challenge().unwrap().summary.done);
    // Tomorrow is a new challenge day.
    fixture.next_day();
    assert!(!learning.challenge().unwrap().summary.done);
}

#[test]
fn finishing_a_course_earns_a_certificate_that_reads_back_and_verifies() {
    let fixture = fixture("2026-11-27");
    let learning = &fixture.learning;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("certificate.pdf");
    let args = CertificateArgs {
        course_id: "prompting".into(),
        name: "Grace Hopper".into(),
        path: path.to_string_lossy().into(),
    };
    assert!(learning.certificate(&args).unwrap_err().message.contains("finish every lesson"));
    let lessons: Vec<String> =
        learning.catalog().course("prompting").unwrap().lessons.iter().map(|l| l.id.clone()).collect();
    for lesson in &lessons {
        fixture.finish_lesson("prompting", lesson);
    }
    let overview = learning.overview().unwrap();
    assert!(overview.courses[0].complete);
    assert!(overview.badges.iter().any(|badge| badge.id == "course-prompting" && badge.earned));

    let not_pdf = CertificateArgs { path: dir.path().join(".bashrc").to_string_lossy().into(), ..args.clone() };
    assert!(learning.certificate(&not_pdf).unwrap_err().message.contains(".pdf"));
    let info = learning.certificate(&args).unwrap();
    let output =
        std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in
        ["Certificate of Completion", "Grace Hopper", "Prompt engineering for code", "2026-11-27", info.code.as_str()]
    {
        assert!(text.contains(expected), "{expected:?} missing from the PDF text:\n{text}");
    }
    let pdf = std::fs::read(&path).unwrap();
    let verified = flashfusion_learn::certificate::verify(&pdf).unwrap();
    assert_eq!(verified.facts.name, "Grace Hopper");
    assert_eq!(verified.code, info.code);
    let forged = String::from_utf8_lossy(&pdf).replace("Grace Hopper", "Mallory Hack");
    assert!(flashfusion_learn::certificate::verify(forged.as_bytes()).is_err());
}
