import { describe, expect, it } from "vitest";
import type { BadgeView, LabResult, QuizView } from "../bindings";
import {
  answerFailed,
  applyAnswer,
  awardText,
  badgeTooltip,
  canCheck,
  certificateFileName,
  chooseOption,
  courseProgress,
  joinFormProblem,
  labSummaryText,
  lessonStateText,
  levelProgress,
  newlyEarnedBadges,
  nextLevelText,
  queuedText,
  quizStateFrom,
  quizVerdict,
  serverLabel,
  startChecking,
  streakText,
  withPdfExtension,
  xpText,
} from "./model";

describe("levelProgress", () => {
  it("measures from the start of the level to the next one", () => {
    expect(levelProgress({ xp: 150, levelStartXp: 100, nextLevelXp: 300 })).toEqual({ percent: 25, earned: 50, span: 200, remaining: 150 });
  });

  it("starts empty at zero XP", () => {
    expect(levelProgress({ xp: 0, levelStartXp: 0, nextLevelXp: 100 }).percent).toBe(0);
  });

  it("stays within 0–100 whatever Rust reports", () => {
    expect(levelProgress({ xp: 50, levelStartXp: 100, nextLevelXp: 300 }).percent).toBe(0);
    expect(levelProgress({ xp: 400, levelStartXp: 100, nextLevelXp: 300 }).percent).toBe(100);
    expect(levelProgress({ xp: 100, levelStartXp: 100, nextLevelXp: 100 }).percent).toBe(100);
  });

  it("rounds to one decimal", () => {
    expect(levelProgress({ xp: 1, levelStartXp: 0, nextLevelXp: 3 }).percent).toBe(33.3);
  });
});

describe("header texts", () => {
  it("shows XP with no other digits", () => {
    expect(xpText(0)).toBe("0 XP");
    expect(xpText(1250).replace(/\D/g, "")).toBe("1250");
  });

  it("says how much is left to the next level", () => {
    expect(nextLevelText({ xp: 130, level: 2, levelStartXp: 100, nextLevelXp: 300 })).toBe("170 XP to level 3");
    expect(nextLevelText({ xp: 300, level: 2, levelStartXp: 100, nextLevelXp: 300 })).toBe("Level 3 reached");
  });

  it("words the streak", () => {
    expect(streakText(0)).toMatch(/no streak/i);
    expect(streakText(1)).toBe("🔥 1-day streak");
    expect(streakText(12)).toBe("🔥 12-day streak");
  });

  it("describes badges, saying when one is still to earn", () => {
    const badge: BadgeView = { id: "first-lab", title: "First lab", description: "Pass a lab", earned: false };
    expect(badgeTooltip(badge)).toBe("First lab: Pass a lab (not earned yet)");
    expect(badgeTooltip({ ...badge, earned: true })).toBe("First lab: Pass a lab");
  });

  it("finds the badges that were just earned", () => {
    const before: BadgeView[] = [
      { id: "a", title: "A", description: "", earned: true },
      { id: "b", title: "B", description: "", earned: false },
      { id: "c", title: "C", description: "", earned: false },
    ];
    const after = before.map((badge) => (badge.id === "b" ? { ...badge, earned: true } : badge));
    expect([...newlyEarnedBadges(before, after)]).toEqual(["b"]);
    expect(newlyEarnedBadges(null, after).size).toBe(0);
  });
});

describe("awardText", () => {
  it("formats XP awards", () => {
    expect(awardText({ label: "Lab passed: Tracing execution", xp: 100, badge: false })).toBe("+100 XP — Lab passed: Tracing execution");
  });

  it("formats badges", () => {
    expect(awardText({ label: "First lab", xp: 0, badge: true })).toBe("Badge earned: First lab");
  });

  it("falls back to the label", () => {
    expect(awardText({ label: "Something", xp: 0, badge: false })).toBe("Something");
  });
});

describe("course map", () => {
  const lesson = { id: "x", title: "X", summary: "", minutes: 5, xp: 50, quizDone: false, labDone: false, complete: false };

  it("counts complete lessons", () => {
    const progress = courseProgress({ lessons: [{ ...lesson, complete: true }, lesson, lesson] });
    expect(progress).toMatchObject({ done: 1, total: 3, percent: 33, text: "1 of 3 lessons complete" });
    expect(courseProgress({ lessons: [] }).percent).toBe(0);
  });

  it("names a lesson's state", () => {
    expect(lessonStateText(lesson)).toBe("Not started");
    expect(lessonStateText({ ...lesson, quizDone: true })).toBe("Quiz done, lab to do");
    expect(lessonStateText({ ...lesson, labDone: true })).toBe("Lab done, quiz to do");
    expect(lessonStateText({ ...lesson, quizDone: true, labDone: true, complete: true })).toBe("Complete");
  });
});

describe("labSummaryText", () => {
  const check = (passed: boolean) => ({ name: "n", passed, hint: "", message: null });
  const result = (passed: boolean, checks: ReturnType<typeof check>[]): LabResult => ({ passed, checks, error: null, elapsedMs: 12.4 });

  it("summarises passing and failing runs", () => {
    expect(labSummaryText(result(true, [check(true), check(true)]))).toBe("All 2 checks passed · 12 ms");
    expect(labSummaryText(result(false, [check(true), check(false), check(false)]))).toBe("1 of 3 checks passed · 12 ms");
    expect(labSummaryText(result(false, []))).toBe("Did not pass · 12 ms");
    expect(labSummaryText(result(true, []))).toBe("Passed · 12 ms");
  });
});

describe("certificates", () => {
  it("suggests a file name from the course title", () => {
    expect(certificateFileName("Reading & understanding code")).toBe("reading-understanding-code-certificate.pdf");
    expect(certificateFileName("Café ✨")).toBe("cafe-certificate.pdf");
    expect(certificateFileName("!!!")).toBe("course-certificate.pdf");
  });

  it("makes sure the path ends in .pdf", () => {
    expect(withPdfExtension("/tmp/cert")).toBe("/tmp/cert.pdf");
    expect(withPdfExtension("/tmp/cert.PDF")).toBe("/tmp/cert.PDF");
  });
});

describe("quiz state", () => {
  const view: QuizView = { question: "?", options: ["a", "b", "c"], chosen: null, correct: null, explanation: null };

  it("starts unanswered and cannot be checked without a choice", () => {
    const state = quizStateFrom(view);
    expect(state).toEqual({ chosen: null, checked: null, correct: null, explanation: null, pending: false });
    expect(canCheck(state)).toBe(false);
    expect(quizVerdict(state)).toBeNull();
  });

  it("restores an earlier answer with its verdict", () => {
    const state = quizStateFrom({ ...view, chosen: 1, correct: true, explanation: "Because." });
    expect(quizVerdict(state)).toEqual({ correct: true, text: "✓ Correct. Because." });
    expect(canCheck(state)).toBe(false);
  });

  it("goes through choose → check → verdict", () => {
    let state = chooseOption(quizStateFrom(view), 2);
    expect(canCheck(state)).toBe(true);
    state = startChecking(state);
    expect(canCheck(state)).toBe(false);
    state = applyAnswer(state, 2, { correct: false, explanation: "It is b." });
    expect(quizVerdict(state)).toEqual({ correct: false, text: "✗ Not quite. It is b." });
    // Choosing another option hides the old verdict and allows checking again.
    state = chooseOption(state, 1);
    expect(quizVerdict(state)).toBeNull();
    expect(canCheck(state)).toBe(true);
    // Going back to the checked option shows its verdict again.
    expect(quizVerdict(chooseOption(state, 2))?.correct).toBe(false);
  });

  it("allows another try after a failed call", () => {
    const state = answerFailed(startChecking(chooseOption(quizStateFrom(view), 0)));
    expect(canCheck(state)).toBe(true);
  });
});

describe("leaderboard", () => {
  const form = { serverUrl: "https://board.example.com", email: "a@b.c", password: "pw", displayName: "Ada" };

  it("accepts a complete form", () => {
    expect(joinFormProblem(form)).toBeNull();
  });

  it("names the first missing field", () => {
    expect(joinFormProblem({ ...form, serverUrl: " " })).toMatch(/server/);
    expect(joinFormProblem({ ...form, serverUrl: "board.example.com" })).toMatch(/http/);
    expect(joinFormProblem({ ...form, email: "" })).toMatch(/email/);
    expect(joinFormProblem({ ...form, password: "" })).toMatch(/password/);
    expect(joinFormProblem({ ...form, displayName: "" })).toMatch(/name/);
  });

  it("labels servers and the queue", () => {
    expect(serverLabel("https://board.example.com:8443/x")).toBe("board.example.com:8443");
    expect(serverLabel("not a url")).toBe("not a url");
    expect(queuedText(0)).toMatch(/nothing/i);
    expect(queuedText(1)).toBe("1 award queued");
    expect(queuedText(3)).toBe("3 awards queued");
  });
});
