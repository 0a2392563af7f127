import type { AnswerOutcome, AwardView, BadgeView, CourseView, LabResult, LearnOverview, LessonSummary, QuizView } from "../bindings";

// The Learn view's arithmetic and wording, kept free of the DOM so it can be tested.

/** Opens and closes the Learn view from anywhere. */
export const LEARN_SHORTCUT = "Mod-Shift-l";

export interface LevelProgress {
  /** 0–100, for the width of the XP bar. */
  percent: number;
  /** XP earned since the current level started. */
  earned: number;
  /** XP the current level spans (from its start to the next level). */
  span: number;
  /** XP still missing for the next level. */
  remaining: number;
}

/** How far the learner is from the start of their level to the next one. */
export function levelProgress(overview: Pick<LearnOverview, "xp" | "levelStartXp" | "nextLevelXp">): LevelProgress {
  const span = Math.max(0, overview.nextLevelXp - overview.levelStartXp);
  const earned = Math.min(span, Math.max(0, overview.xp - overview.levelStartXp));
  const percent = span === 0 ? 100 : Math.round((earned / span) * 1000) / 10;
  return { percent, earned, span, remaining: span - earned };
}

/** The XP figure; its only digits are the XP (end-to-end tests read the number out of it). */
export function xpText(xp: number): string {
  return `${xp} XP`;
}

export function levelText(level: number): string {
  return `Level ${level}`;
}

export function nextLevelText(overview: Pick<LearnOverview, "xp" | "level" | "levelStartXp" | "nextLevelXp">): string {
  const { remaining } = levelProgress(overview);
  return remaining > 0 ? `${remaining} XP to level ${overview.level + 1}` : `Level ${overview.level + 1} reached`;
}

export function streakText(streak: number): string {
  if (streak <= 0) return "No streak yet — learn today to start one";
  return `🔥 ${streak}-day streak`;
}

/** The toast for something just earned. */
export function awardText(award: AwardView): string {
  if (award.badge) return `Badge earned: ${award.label}`;
  if (award.xp > 0) return `+${award.xp} XP — ${award.label}`;
  return award.label;
}

export function badgeTooltip(badge: BadgeView): string {
  return `${badge.title}: ${badge.description}${badge.earned ? "" : " (not earned yet)"}`;
}

/** Badge ids earned now that were not earned before (for a little celebration). */
export function newlyEarnedBadges(before: readonly BadgeView[] | null, after: readonly BadgeView[]): Set<string> {
  if (!before) return new Set();
  const earnedBefore = new Set(before.filter((badge) => badge.earned).map((badge) => badge.id));
  return new Set(after.filter((badge) => badge.earned && !earnedBefore.has(badge.id)).map((badge) => badge.id));
}

export interface CourseProgress {
  done: number;
  total: number;
  percent: number;
  text: string;
}

export function courseProgress(course: Pick<CourseView, "lessons">): CourseProgress {
  const total = course.lessons.length;
  const done = course.lessons.filter((lesson) => lesson.complete).length;
  return { done, total, percent: total === 0 ? 0 : Math.round((done / total) * 100), text: `${done} of ${total} lesson${total === 1 ? "" : "s"} complete` };
}

/** A screen-reader friendly account of one lesson's state on the course map. */
export function lessonStateText(lesson: Pick<LessonSummary, "quizDone" | "labDone" | "complete">): string {
  if (lesson.complete) return "Complete";
  if (lesson.quizDone && lesson.labDone) return "Quiz and lab done";
  if (lesson.quizDone) return "Quiz done, lab to do";
  if (lesson.labDone) return "Lab done, quiz to do";
  return "Not started";
}

export function lessonMetaText(lesson: Pick<LessonSummary, "minutes" | "xp">): string {
  return `${lesson.minutes} min · ${lesson.xp} XP`;
}

/** One line over the check list: how many passed, and how long the run took. */
export function labSummaryText(result: LabResult): string {
  const total = result.checks.length;
  const passed = result.checks.filter((check) => check.passed).length;
  const time = `${Math.round(result.elapsedMs)} ms`;
  if (result.passed) return total === 0 ? `Passed · ${time}` : `All ${total} check${total === 1 ? "" : "s"} passed · ${time}`;
  if (total === 0) return `Did not pass · ${time}`;
  return `${passed} of ${total} check${total === 1 ? "" : "s"} passed · ${time}`;
}

/** A file name to suggest for a course's certificate. */
export function certificateFileName(courseTitle: string): string {
  const slug = courseTitle
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${slug || "course"}-certificate.pdf`;
}

/** The save dialog does not always add the filter's extension; a certificate is a .pdf. */
export function withPdfExtension(path: string): string {
  return /\.pdf$/i.test(path) ? path : `${path}.pdf`;
}

// Quiz questions

export interface QuizState {
  /** The option currently selected. */
  chosen: number | null;
  /** The option the shown verdict is about (the last one checked). */
  checked: number | null;
  correct: boolean | null;
  explanation: string | null;
  /** An answer is on its way to Rust. */
  pending: boolean;
}

/** A question as the lesson left it: a previous answer comes back with its verdict. */
export function quizStateFrom(view: QuizView): QuizState {
  const answered = view.chosen !== null && view.correct !== null;
  return {
    chosen: view.chosen,
    checked: answered ? view.chosen : null,
    correct: answered ? view.correct : null,
    explanation: answered ? view.explanation : null,
    pending: false,
  };
}

export function chooseOption(state: QuizState, choice: number): QuizState {
  return { ...state, chosen: choice };
}

export function canCheck(state: QuizState): boolean {
  return state.chosen !== null && !state.pending && !(state.checked === state.chosen && state.correct !== null);
}

export function startChecking(state: QuizState): QuizState {
  return { ...state, pending: true };
}

export function applyAnswer(state: QuizState, choice: number, outcome: Pick<AnswerOutcome, "correct" | "explanation">): QuizState {
  return { chosen: state.chosen, checked: choice, correct: outcome.correct, explanation: outcome.explanation, pending: false };
}

export function answerFailed(state: QuizState): QuizState {
  return { ...state, pending: false };
}

/** The verdict to show, or null while there is none (or it is about another option than the one selected). */
export function quizVerdict(state: QuizState): { correct: boolean; text: string } | null {
  if (state.correct === null || state.checked === null || state.checked !== state.chosen) return null;
  const lead = state.correct ? "✓ Correct." : "✗ Not quite.";
  return { correct: state.correct, text: state.explanation ? `${lead} ${state.explanation}` : lead };
}

// Leaderboard opt-in

export interface JoinForm {
  serverUrl: string;
  email: string;
  password: string;
  displayName: string;
}

/** What is missing from the opt-in form, or null when it can be sent. */
export function joinFormProblem(form: JoinForm): string | null {
  const url = form.serverUrl.trim();
  if (!url) return "Enter the leaderboard server's address.";
  if (!/^https?:\/\/[^\s/]+/i.test(url)) return "The server address starts with http:// or https://.";
  if (!form.email.trim()) return "Enter your email address.";
  if (!form.password) return "Enter your password.";
  if (!form.displayName.trim()) return "Enter the name to show on the board.";
  return null;
}

/** "https://board.example.com/" → "board.example.com", for "signed in at …". */
export function serverLabel(serverUrl: string): string {
  try {
    return new URL(serverUrl).host || serverUrl;
  } catch {
    return serverUrl;
  }
}

export function queuedText(queued: number): string {
  return queued === 0 ? "Nothing waiting to be sent" : `${queued} award${queued === 1 ? "" : "s"} queued`;
}
