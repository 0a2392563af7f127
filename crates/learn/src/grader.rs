//! Lab grading, entirely local. Code labs run the learner's JavaScript and
//! the lab's checks in an embedded QuickJS engine with a time limit and a
//! memory limit, so an infinite loop or a runaway allocation fails cleanly
//! with a message. Prompt labs apply the lesson's rubric (regular
//! expressions and word counts) to the learner's prompt.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use regex::Regex;
use rquickjs::{CatchResultExt, CaughtError, Context, Function, Runtime};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How long a lab's code (learner code and checks together) may run.
pub const TIME_LIMIT: Duration = Duration::from_secs(1);
/// How much memory the JavaScript engine may use.
pub const MEMORY_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckResult {
    pub name: String,
    pub passed: bool,
    /// Shown when the check fails: what to look at.
    pub hint: String,
    /// What went wrong (the assertion's message), when it failed.
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabResult {
    pub passed: bool,
    pub checks: Vec<CheckResult>,
    /// A problem with the code as a whole (a syntax error, the time or
    /// memory limit), when there is one.
    pub error: Option<String>,
    pub elapsed_ms: f64,
}

/// Defines `check`, `assert` and `assertEqual` over a native reporter,
/// before the learner's code runs: the reporter never becomes reachable,
/// the three functions cannot be replaced, and the JSON they compare with is
/// the engine's own, captured first.
const HARNESS: &str = r#"
(function (report, stringify) {
  function assert(condition, message) {
    if (!condition) throw new Error(message || "assertion failed");
  }
  function assertEqual(actual, expected, message) {
    const got = stringify(actual), want = stringify(expected);
    if (got !== want) throw new Error((message ? message + ": " : "") + "expected " + want + ", got " + got);
  }
  function check(name, hint, body) {
    try {
      body();
      report(String(name), String(hint), true, "");
    } catch (error) {
      report(String(name), String(hint), false, String(error && error.message !== undefined ? error.message : error));
    }
  }
  for (const [name, value] of [["assert", assert], ["assertEqual", assertEqual], ["check", check]]) {
    Object.defineProperty(globalThis, name, { value, writable: false, configurable: false, enumerable: false });
  }
})(globalThis.__ffReport, JSON.stringify.bind(JSON));
delete globalThis.__ffReport;
"#;

/// At most this many check results, each text at most this long: learner
/// code calling `check` in a loop must not grow memory outside the engine.
const MAX_CHECKS: usize = 200;
const MAX_TEXT: usize = 2_000;

fn clipped(text: String) -> String {
    if text.len() <= MAX_TEXT {
        return text;
    }
    let mut end = MAX_TEXT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Runs `learner_code`, then `checks`, under the limits.
pub fn grade_code(learner_code: &str, checks: &str) -> LabResult {
    let started = Instant::now();
    let outcome = run_code(learner_code, checks, started);
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Ok(checks) if checks.is_empty() => LabResult {
            passed: false,
            checks,
            error: Some("No check ran: the lab's checks could not be started.".into()),
            elapsed_ms,
        },
        Ok(checks) => LabResult { passed: checks.iter().all(|check| check.passed), checks, error: None, elapsed_ms },
        Err(error) => LabResult { passed: false, checks: Vec::new(), error: Some(error), elapsed_ms },
    }
}

fn run_code(learner_code: &str, checks: &str, started: Instant) -> Result<Vec<CheckResult>, String> {
    let runtime = Runtime::new().map_err(|error| format!("the JavaScript engine could not start: {error}"))?;
    runtime.set_memory_limit(MEMORY_LIMIT);
    runtime.set_max_stack_size(1024 * 1024);
    let deadline = started + TIME_LIMIT;
    runtime.set_interrupt_handler(Some(Box::new(move || Instant::now() > deadline)));
    let context = Context::full(&runtime).map_err(|error| format!("the JavaScript engine could not start: {error}"))?;
    let results: Rc<RefCell<Vec<CheckResult>>> = Rc::default();
    context.with(|ctx| {
        let explain = |error: CaughtError<'_>, whose: &str| explain(&error, whose, started);
        let sink = results.clone();
        let report = Function::new(ctx.clone(), move |name: String, hint: String, passed: bool, message: String| {
            let mut results = sink.borrow_mut();
            if results.len() < MAX_CHECKS {
                let message = (!passed).then(|| clipped(message));
                results.push(CheckResult { name: clipped(name), passed, hint: clipped(hint), message });
            }
        })
        .map_err(|error| format!("the lab could not be prepared: {error}"))?;
        ctx.globals().set("__ffReport", report).map_err(|error| format!("the lab could not be prepared: {error}"))?;
        ctx.eval::<(), _>(HARNESS).catch(&ctx).map_err(|error| explain(error, "The lab's harness"))?;
        ctx.eval::<(), _>(learner_code).catch(&ctx).map_err(|error| explain(error, "Your code"))?;
        ctx.eval::<(), _>(checks).catch(&ctx).map_err(|error| explain(error, "The checks"))
    })?;
    let checks = results.borrow().clone();
    Ok(checks)
}

fn explain(error: &CaughtError<'_>, whose: &str, started: Instant) -> String {
    if started.elapsed() >= TIME_LIMIT {
        return format!(
            "{whose} ran for more than {} s and was stopped — is there a loop that never ends?",
            TIME_LIMIT.as_secs()
        );
    }
    let text = error.to_string();
    if text.contains("out of memory") {
        return format!("{whose} used more than {} MiB of memory and was stopped.", MEMORY_LIMIT / (1024 * 1024));
    }
    if text.contains("stack overflow") || text.contains("call stack size exceeded") {
        return format!("{whose} recursed too deeply (stack overflow) — is there a recursion without a base case?");
    }
    format!("{whose} threw an error: {}", text.lines().next().unwrap_or_default())
}

/// One rubric item of a prompt lab: every condition given must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub struct RubricItem {
    pub id: String,
    pub label: String,
    pub hint: String,
    /// At least one of these must match.
    #[serde(default)]
    pub any: Vec<String>,
    /// Every one of these must match.
    #[serde(default)]
    pub all: Vec<String>,
    /// None of these may match.
    #[serde(default)]
    pub none: Vec<String>,
    #[serde(default)]
    pub min_words: Option<u32>,
}

impl RubricItem {
    /// Compiles the item's patterns; `Err` names the bad one.
    pub fn compile(&self) -> Result<CompiledItem, String> {
        let compile = |patterns: &[String]| {
            patterns
                .iter()
                .map(|pattern| Regex::new(&format!("(?m){pattern}")).map_err(|error| format!("{}: {error}", self.id)))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(CompiledItem { any: compile(&self.any)?, all: compile(&self.all)?, none: compile(&self.none)? })
    }
}

pub struct CompiledItem {
    any: Vec<Regex>,
    all: Vec<Regex>,
    none: Vec<Regex>,
}

/// Applies a prompt lab's rubric to the learner's prompt.
pub fn grade_prompt(rubric: &[RubricItem], prompt: &str) -> LabResult {
    let started = Instant::now();
    let words = u32::try_from(prompt.split_whitespace().count()).unwrap_or(u32::MAX);
    let mut checks = Vec::new();
    for item in rubric {
        let outcome = item.compile().map(|compiled| {
            let any = compiled.any.is_empty() || compiled.any.iter().any(|regex| regex.is_match(prompt));
            let all = compiled.all.iter().all(|regex| regex.is_match(prompt));
            let none = !compiled.none.iter().any(|regex| regex.is_match(prompt));
            let long_enough = item.min_words.is_none_or(|minimum| words >= minimum);
            (any && all && none, long_enough)
        });
        let (passed, message) = match outcome {
            Ok((true, true)) => (true, None),
            Ok((true, false)) => {
                (false, Some(format!("{words} words; aim for at least {}", item.min_words.unwrap_or_default())))
            }
            Ok((false, _)) => (false, None),
            Err(error) => (false, Some(format!("this rubric item is broken: {error}"))),
        };
        checks.push(CheckResult { name: item.label.clone(), passed, hint: item.hint.clone(), message });
    }
    let passed = !checks.is_empty() && checks.iter().all(|check| check.passed);
    LabResult { passed, checks, error: None, elapsed_ms: started.elapsed().as_secs_f64() * 1000.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECKS: &str = r#"
        check("adds", "use +", () => assertEqual(add(2, 3), 5));
        check("handles negatives", "think about signs", () => assert(add(-1, -1) === -2, "add(-1, -1) should be -2"));
    "#;

    #[test]
    fn passing_and_failing_code_is_reported_per_check() {
        let result = grade_code("function add(a, b) { return a + b; }", CHECKS);
        assert!(result.passed, "{result:?}");
        assert_eq!(result.checks.len(), 2);
        let result = grade_code("function add(a, b) { return a - b; }", CHECKS);
        assert!(!result.passed);
        assert_eq!(result.checks[0].message.as_deref(), Some("expected 5, got -1"));
        assert_eq!(result.checks[0].hint, "use +");
    }

    #[test]
    fn an_infinite_loop_is_stopped_by_the_time_limit() {
        let result = grade_code("function add(a, b) { while (true) {} }", CHECKS);
        assert!(!result.passed);
        // The loop runs inside the checks; each check fails or the run stops.
        let text = format!("{result:?}");
        assert!(text.contains("loop that never ends"), "{text}");
        assert!(result.elapsed_ms < 3000.0, "{}", result.elapsed_ms);
        let result = grade_code("while (true) {}", CHECKS);
        assert!(result.error.unwrap().starts_with("Your code ran for more than"));
    }

    #[test]
    fn a_huge_allocation_is_stopped_by_the_memory_limit() {
        let result = grade_code("const parts = []; while (true) { parts.push('x'.repeat(1 << 20)); }", CHECKS);
        let error = result.error.unwrap();
        assert!(error.contains("MiB of memory"), "{error}");
    }

    #[test]
    fn syntax_errors_and_runaway_recursion_are_explained() {
        let error = grade_code("function add(a, b) { return a + ; }", CHECKS).error.unwrap();
        assert!(error.starts_with("Your code threw an error") && error.contains("unexpected token"), "{error}");
        let error = grade_code("function f() { return f(); } f();", CHECKS).error.unwrap();
        assert!(error.contains("recursed too deeply"), "{error}");
    }

    #[test]
    fn learner_code_cannot_forge_results() {
        let forged = [
            "function add() { return 0; } globalThis.check = function () {};",
            "function add() { return 0; } try { Object.defineProperty(globalThis, 'check', { get() { return () => {}; } }); } catch (e) {}",
            "function add() { return 0; } JSON.stringify = () => '';",
            "function add() { return 0; } var check = function () {};",
        ];
        for code in forged {
            let result = grade_code(code, CHECKS);
            assert!(!result.passed, "{code}");
            assert!(result.checks.len() == 2 || result.error.is_some(), "{code}: {result:?}");
        }
        let flood = grade_code("for (let i = 0; i < 100000; i++) check('x'.repeat(10000), 'h', () => {}); function add(a, b) { return a + b; }", CHECKS);
        assert!(flood.checks.len() <= MAX_CHECKS && flood.checks.iter().all(|check| check.name.len() <= MAX_TEXT + 3));
    }

    #[test]
    fn prompt_rubrics_check_patterns_and_length() {
        let rubric = vec![
            RubricItem {
                id: "role".into(),
                label: "Sets a role".into(),
                hint: "Start with who the assistant is".into(),
                any: vec![r"(?i)\byou are\b".into(), "(?i)act as".into()],
                all: vec![],
                none: vec![],
                min_words: None,
            },
            RubricItem {
                id: "length".into(),
                label: "Says enough".into(),
                hint: "Give details".into(),
                any: vec![],
                all: vec![],
                none: vec!["(?i)^make it better$".into()],
                min_words: Some(8),
            },
        ];
        let good = "You are a senior reviewer. Check this function for missing input validation and explain.";
        assert!(grade_prompt(&rubric, good).passed);
        let result = grade_prompt(&rubric, "make it better");
        assert!(!result.passed);
        assert!(result.checks.iter().all(|check| !check.passed));
        let result = grade_prompt(&rubric, "You are brief.");
        assert!(result.checks[0].passed && !result.checks[1].passed);
        assert_eq!(result.checks[1].message.as_deref(), Some("3 words; aim for at least 8"));
    }
}
