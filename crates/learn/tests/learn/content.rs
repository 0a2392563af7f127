use flashfusion_learn::content::{Catalog, LabKind};
use flashfusion_learn::learning::grade;

use crate::catalog;

#[test]
fn the_shipped_content_passes_the_schema_check() {
    let catalog = catalog();
    let ids: Vec<&str> = catalog.courses.iter().map(|course| course.id.as_str()).collect();
    assert_eq!(ids, ["prompting", "reading"]);
    for course in &catalog.courses {
        assert!(course.lessons.len() >= 5, "{} has {} lessons", course.id, course.lessons.len());
        for lesson in &course.lessons {
            assert!(lesson.markdown.contains("```"), "{}/{} has no code example", course.id, lesson.id);
            assert!(!lesson.quiz.is_empty());
        }
    }
    assert!(catalog.challenges.len() >= 7, "a week of challenges at least");
}

/// Every lab and challenge: the reference solution passes, every wrong one
/// fails, and a code lab's starter does not pass as it is.
#[test]
fn every_lab_grades_its_reference_as_passing_and_its_wrong_answers_as_failing() {
    let catalog = catalog();
    let mut labs: Vec<(String, &flashfusion_learn::content::Lab)> = Vec::new();
    for course in &catalog.courses {
        for lesson in &course.lessons {
            labs.push((format!("{}/{}", course.id, lesson.id), &lesson.lab));
        }
    }
    for challenge in &catalog.challenges {
        labs.push((format!("challenge {}", challenge.id), &challenge.lab));
    }
    let mut saw_endless_loop = false;
    for (name, lab) in labs {
        let reference = grade(lab, &lab.solution);
        assert!(reference.passed, "{name}: the reference solution fails: {reference:?}");
        for (index, wrong) in lab.wrong.iter().enumerate() {
            let result = grade(lab, wrong);
            assert!(!result.passed, "{name}: wrong solution {} passes", index + 1);
            saw_endless_loop |= result.error.as_deref().is_some_and(|error| error.contains("never ends"))
                || result.checks.iter().any(|check| check.message.as_deref().is_some_and(|m| m.contains("never ends")));
        }
        if let LabKind::Code { starter, .. } = &lab.kind {
            assert!(!grade(lab, starter).passed, "{name}: the starter already passes");
        }
    }
    assert!(saw_endless_loop, "no wrong solution exercises the time limit");
}

#[test]
fn broken_content_is_refused_with_the_file_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("manifest.json"), r#"{"version": 1, "courses": [], "challenges": ["x"]}"#).unwrap();
    let error = Catalog::load(dir.path()).unwrap_err();
    assert!(error.message.contains("challenges/x.json"), "{}", error.message);
    std::fs::write(dir.path().join("manifest.json"), r#"{"version": 2, "courses": [], "challenges": []}"#).unwrap();
    assert!(Catalog::load(dir.path()).unwrap_err().message.contains("version 2"));
}
