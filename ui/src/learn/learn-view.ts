import { save as saveDialog } from "@tauri-apps/plugin-dialog";
import type { AwardView, BadgeView, CertificateInfo, ChallengeSummary, CourseView, LearnOverview, LessonSummary } from "../bindings";
import { h } from "../dom";
import { icon } from "../icons";
import { call, errorMessage } from "../ipc";
import { askForText } from "../modal";
import { Overlay, isShieldedKey } from "../overlay";
import { LeaderboardPanel } from "./leaderboard";
import {
  awardText,
  badgeTooltip,
  certificateFileName,
  courseProgress,
  lessonMetaText,
  lessonStateText,
  levelProgress,
  levelText,
  newlyEarnedBadges,
  nextLevelText,
  streakText,
  withPdfExtension,
  xpText,
} from "./model";
import { Reader, type ReaderHost } from "./reader";

const TOAST_MS = 6000;
const MAX_TOASTS = 5;
const CERTIFICATE_NAME_KEY = "flashfusion.certificateName";

type CertificateState = { saved: CertificateInfo } | { error: string };

/** Restarts a one-shot CSS animation class. */
function replay(element: HTMLElement, className: string): void {
  element.classList.remove(className);
  void element.offsetWidth;
  element.classList.add(className);
}

function chip(label: string, done: boolean): HTMLElement {
  return h("span", { className: `learn-chip${done ? " learn-chip-done" : ""}`, text: done ? `${label} ✓` : label });
}

/**
 * The Learn screen: progress, courses, today's challenge and the leaderboard,
 * and the lesson reader. It lies over whatever is on screen (welcome or
 * workbench) without touching it, so closing returns exactly there.
 */
export class LearnView {
  readonly element: HTMLElement;
  private readonly backButton: HTMLButtonElement;
  private readonly levelLabel = h("span", { className: "learn-level", testId: "learn-level", text: "Level –" });
  private readonly xpLabel = h("span", { className: "learn-xp", testId: "learn-xp", text: "– XP" });
  private readonly xpFill = h("div", { className: "learn-xpbar-fill" });
  private readonly xpBar = h("div", { className: "learn-xpbar", attributes: { role: "progressbar", "aria-valuemin": "0" } }, this.xpFill);
  private readonly xpNext = h("span", { className: "learn-xp-next" });
  private readonly streak = h("span", { className: "learn-streak", testId: "learn-streak" });
  private readonly badges = h("div", { className: "learn-badges", attributes: { role: "list", "aria-label": "Badges" } });
  private readonly body = h("div", { className: "learn-body" });
  private readonly inner = h("div", { className: "learn-inner" });
  private readonly problem = h("div", { className: "form-error learn-problem", attributes: { role: "alert" } });
  private readonly map = h("div", { className: "learn-map" });
  private readonly courses = h("section", { className: "learn-courses", attributes: { "aria-label": "Courses" } });
  private readonly challengeSlot = h("div", { className: "learn-challenge-slot" });
  private readonly leaderboard = new LeaderboardPanel();
  private readonly toasts = h("div", { className: "learn-toasts", attributes: { "aria-live": "polite" } });
  private overview: LearnOverview | null = null;
  private reader: Reader | null = null;
  /** Bumped by every navigation, so a slow open_lesson cannot replace a newer screen. */
  private navigation = 0;
  private mapScrollTop = 0;
  /** Where focus goes back to on the map (the lesson or challenge just left). */
  private mapFocus: string | null = null;
  private readonly certificates = new Map<string, CertificateState>();
  private readonly overlay: Overlay;
  private closed = false;
  private readonly readerHost: ReaderHost = {
    back: () => this.showMap(),
    settle: (awards) => this.settle(awards),
  };

  private constructor(
    root: HTMLElement,
    private readonly onClosed: () => void,
  ) {
    this.backButton = h(
      "button",
      { className: "button learn-back", testId: "learn-back", title: "Back (Esc)", attributes: { type: "button" }, on: { click: () => this.close() } },
      icon("chevron", "icon learn-back-icon"),
      h("span", { text: "Back" }),
    );
    const header = h(
      "header",
      { className: "learn-header" },
      h(
        "div",
        { className: "learn-topbar" },
        this.backButton,
        h("div", { className: "learn-title" }, icon("bolt", "icon learn-logo"), h("h1", { text: "Learn" })),
        h(
          "div",
          { className: "learn-progress" },
          h(
            "div",
            { className: "learn-progress-line" },
            this.levelLabel,
            h("span", { className: "learn-dot", text: "·", attributes: { "aria-hidden": "true" } }),
            this.xpLabel,
          ),
          this.xpBar,
          this.xpNext,
        ),
        this.streak,
      ),
      this.badges,
    );
    this.map.append(this.courses, h("aside", { className: "learn-aside" }, this.challengeSlot, this.leaderboard.element));
    this.inner.append(this.problem, this.map);
    this.body.append(this.inner);
    this.element = h(
      "div",
      { className: "learn", testId: "learn-view", attributes: { role: "dialog", "aria-modal": "true", "aria-label": "Learn" } },
      header,
      h("div", { className: "learn-main" }, this.body, this.toasts),
    );
    this.overlay = new Overlay(root, this.element, () => (this.reader ? this.showMap() : this.close()));
  }

  /** Loads the learner's progress, then shows the view over `root` (which stays as it is, inert). */
  static async open(root: HTMLElement, onClosed: () => void): Promise<LearnView> {
    const view = new LearnView(root, onClosed);
    await view.refresh();
    view.overlay.show();
    view.backButton.focus();
    void view.leaderboard.load();
    return view;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.navigation++;
    this.reader?.dispose();
    this.reader = null;
    this.overlay.hide();
    this.onClosed();
  }

  /**
   * Called for every key press before anything else sees it (capture phase on
   * window). Shortcuts stop here (see `isShieldedKey`); the lab editor, which
   * would have been next, gets its own key bindings run directly.
   */
  shieldKey(event: KeyboardEvent): void {
    if (this.closed || !isShieldedKey(event)) return;
    event.stopImmediatePropagation();
    if (this.reader?.handleKey(event)) event.preventDefault();
  }

  /** Reads progress again and redraws the header and the map. */
  private async refresh(): Promise<void> {
    try {
      const overview = await call("learn_overview");
      const before = this.overview;
      this.overview = overview;
      this.problem.textContent = "";
      this.renderHeader(before);
      this.renderMap();
    } catch (error) {
      this.problem.textContent = `Cannot load your progress: ${errorMessage(error)}`;
    }
  }

  /** After an answer or a lab run: the header first, then the toasts for what was earned. */
  private async settle(awards: AwardView[]): Promise<void> {
    const levelBefore = this.overview?.level ?? null;
    await this.refresh();
    if (this.closed) return;
    for (const award of awards) this.toast(awardText(award), award.badge ? "badge" : "xp");
    const level = this.overview?.level ?? null;
    if (levelBefore !== null && level !== null && level > levelBefore) this.toast(`Level up! You reached level ${level}`, "level");
  }

  private renderHeader(before: LearnOverview | null): void {
    const overview = this.overview;
    if (!overview) return;
    this.levelLabel.textContent = levelText(overview.level);
    this.xpLabel.textContent = xpText(overview.xp);
    if (before && overview.xp > before.xp) replay(this.xpLabel, "bump");
    const progress = levelProgress(overview);
    this.xpFill.style.width = `${progress.percent}%`;
    this.xpBar.setAttribute("aria-valuemax", String(progress.span));
    this.xpBar.setAttribute("aria-valuenow", String(progress.earned));
    this.xpBar.setAttribute("aria-valuetext", `${progress.earned} of ${progress.span} XP toward level ${overview.level + 1}`);
    this.xpBar.title = nextLevelText(overview);
    this.xpNext.textContent = nextLevelText(overview);
    this.streak.textContent = streakText(overview.streak);
    this.streak.classList.toggle("active", overview.streak > 0);
    this.streak.dataset.streak = String(overview.streak);
    const fresh = newlyEarnedBadges(before?.badges ?? null, overview.badges);
    this.badges.replaceChildren(...overview.badges.map((badge) => this.badge(badge, fresh.has(badge.id))));
  }

  private badge(badge: BadgeView, fresh: boolean): HTMLElement {
    const tooltip = badgeTooltip(badge);
    return h(
      "span",
      {
        className: `learn-badge${badge.earned ? " earned" : ""}${fresh ? " fresh" : ""}`,
        testId: "learn-badge",
        title: tooltip,
        attributes: { role: "listitem", "aria-label": tooltip, "data-badge": badge.id, "data-earned": String(badge.earned) },
      },
      h("span", { className: "learn-badge-icon", text: badge.earned ? "🏅" : "🔒", attributes: { "aria-hidden": "true" } }),
      h("span", { className: "learn-badge-title", text: badge.title }),
    );
  }

  private renderMap(): void {
    const overview = this.overview;
    if (!overview) return;
    this.courses.replaceChildren(h("h2", { className: "learn-heading", text: "Courses" }), ...overview.courses.map((course) => this.course(course)));
    this.challengeSlot.replaceChildren(this.challenge(overview.challenge));
  }

  private course(course: CourseView): HTMLElement {
    const progress = courseProgress(course);
    const lessons = course.lessons.map((lesson, index) => h("li", {}, this.lesson(course, lesson, index)));
    const fill = h("div", { className: "learn-minibar-fill" });
    fill.style.width = `${progress.percent}%`;
    return h(
      "article",
      {
        className: `learn-card learn-course${course.complete ? " complete" : ""}`,
        testId: "learn-course",
        attributes: { "data-course": course.id, "data-complete": String(course.complete) },
      },
      h(
        "header",
        { className: "learn-course-head" },
        h("div", { className: "learn-course-titles" }, h("h3", { text: course.title }), h("p", { className: "muted", text: course.summary })),
        h(
          "div",
          { className: "learn-course-progress", title: progress.text },
          h("span", { text: course.complete ? "Complete ✓" : `${progress.done}/${progress.total}` }),
          h("div", { className: "learn-minibar", attributes: { "aria-hidden": "true" } }, fill),
        ),
      ),
      h("ol", { className: "learn-lessons", attributes: { "aria-label": `Lessons of ${course.title}` } }, ...lessons),
      course.complete ? this.certificateRow(course) : null,
    );
  }

  private lesson(course: CourseView, lesson: LessonSummary, index: number): HTMLElement {
    return h(
      "button",
      {
        className: `learn-lesson${lesson.complete ? " complete" : ""}`,
        testId: "learn-lesson",
        title: lessonStateText(lesson),
        attributes: { type: "button", "data-lesson": lesson.id, "data-complete": String(lesson.complete) },
        on: { click: () => void this.openLesson(course, lesson.id) },
      },
      h("span", { className: "learn-lesson-step", text: lesson.complete ? "✓" : String(index + 1), attributes: { "aria-hidden": "true" } }),
      h(
        "span",
        { className: "learn-lesson-text" },
        h("span", { className: "learn-lesson-title", text: lesson.title }),
        h("span", { className: "learn-lesson-summary", text: lesson.summary }),
      ),
      h(
        "span",
        { className: "learn-lesson-state" },
        h("span", { className: "learn-lesson-meta", text: lessonMetaText(lesson) }),
        h("span", { className: "learn-lesson-chips" }, chip("Quiz", lesson.quizDone), chip("Lab", lesson.labDone)),
        h("span", { className: "visually-hidden", text: `, ${lessonStateText(lesson)}` }),
      ),
    );
  }

  private certificateRow(course: CourseView): HTMLElement {
    const state = this.certificates.get(course.id);
    let info: HTMLElement | null = null;
    if (state && "saved" in state) {
      info = h(
        "div",
        { className: "learn-certificate-info", testId: "learn-certificate-info" },
        h("div", {}, "Saved to ", h("span", { className: "learn-path", text: state.saved.path })),
        h("div", {}, "Verification code: ", h("code", { className: "learn-code", text: state.saved.code })),
      );
    } else if (state) {
      info = h("div", { className: "form-error", attributes: { role: "alert" }, text: state.error });
    }
    return h(
      "footer",
      { className: "learn-course-foot" },
      h("span", { className: "learn-course-done", text: "🎓 Course complete" }),
      h("button", {
        className: "button small primary",
        testId: "learn-certificate",
        text: "Download certificate",
        attributes: { type: "button" },
        on: { click: () => void this.downloadCertificate(course) },
      }),
      info,
    );
  }

  private challenge(challenge: ChallengeSummary): HTMLElement {
    return h(
      "button",
      {
        className: `learn-card learn-challenge${challenge.done ? " done" : ""}`,
        testId: "learn-challenge",
        attributes: { type: "button", "data-challenge": challenge.id, "data-done": String(challenge.done) },
        on: { click: () => void this.openChallenge() },
      },
      h("span", { className: "learn-challenge-kicker", text: `Today's challenge · ${challenge.day}` }),
      h("span", { className: "learn-challenge-title", text: challenge.title }),
      h(
        "span",
        { className: "learn-challenge-meta" },
        h("span", { className: "learn-chip", text: `+${challenge.xp} XP` }),
        challenge.done
          ? h("span", { className: "learn-chip learn-chip-done", text: "✓ Done today" })
          : h("span", { className: "muted", text: "Not done yet — open the lab" }),
      ),
    );
  }

  private async openLesson(course: CourseView, lessonId: string): Promise<void> {
    const navigation = ++this.navigation;
    this.problem.textContent = "";
    try {
      const lesson = await call("open_lesson", { courseId: course.id, lessonId });
      if (navigation !== this.navigation || this.closed) return;
      this.mapFocus = `[data-testid=learn-lesson][data-lesson="${CSS.escape(lessonId)}"]`;
      await this.showReader(Reader.lesson(lesson, course.title, this.readerHost));
    } catch (error) {
      if (navigation === this.navigation) this.problem.textContent = `Cannot open the lesson: ${errorMessage(error)}`;
    }
  }

  private async openChallenge(): Promise<void> {
    const navigation = ++this.navigation;
    this.problem.textContent = "";
    try {
      const challenge = await call("daily_challenge");
      if (navigation !== this.navigation || this.closed) return;
      this.mapFocus = "[data-testid=learn-challenge]";
      await this.showReader(Reader.challenge(challenge, this.readerHost));
    } catch (error) {
      if (navigation === this.navigation) this.problem.textContent = `Cannot open today's challenge: ${errorMessage(error)}`;
    }
  }

  private async showReader(reader: Reader): Promise<void> {
    if (!this.reader) this.mapScrollTop = this.body.scrollTop;
    this.reader?.dispose();
    this.reader = reader;
    this.map.hidden = true;
    this.inner.append(reader.element);
    this.body.scrollTop = 0;
    reader.element.tabIndex = -1;
    reader.element.focus({ preventScroll: true });
    await reader.mount();
  }

  private showMap(): void {
    this.navigation++;
    if (!this.reader) return;
    this.reader.dispose();
    this.reader = null;
    this.map.hidden = false;
    this.body.scrollTop = this.mapScrollTop;
    const target = this.mapFocus ? this.courses.parentElement?.querySelector<HTMLElement>(this.mapFocus) : null;
    (target ?? this.backButton).focus({ preventScroll: true });
  }

  private toast(text: string, kind: "xp" | "badge" | "level" | "info"): void {
    const symbols = { xp: "⚡", badge: "🏅", level: "⭐", info: "✓" };
    const dismiss = () => {
      toast.classList.add("leaving");
      setTimeout(() => toast.remove(), 180);
    };
    const toast = h(
      "div",
      { className: `learn-toast ${kind}`, testId: "learn-toast", attributes: { role: "status" }, on: { click: dismiss } },
      h("span", { className: "learn-toast-icon", text: symbols[kind], attributes: { "aria-hidden": "true" } }),
      h("span", { className: "learn-toast-text", text }),
    );
    this.toasts.append(toast);
    while (this.toasts.childElementCount > MAX_TOASTS) this.toasts.firstElementChild?.remove();
    setTimeout(dismiss, TOAST_MS);
  }

  private async downloadCertificate(course: CourseView): Promise<void> {
    const name = await askForText({
      title: `Certificate for ${course.title}`,
      label: "Your name, as it should be printed",
      value: localStorage.getItem(CERTIFICATE_NAME_KEY) ?? "",
      confirmLabel: "Choose where to save…",
    });
    if (name === null || this.closed) return;
    localStorage.setItem(CERTIFICATE_NAME_KEY, name);
    let path: string | null;
    try {
      path = await saveDialog({ title: "Save certificate", defaultPath: certificateFileName(course.title), filters: [{ name: "PDF document", extensions: ["pdf"] }] });
    } catch (error) {
      this.certificates.set(course.id, { error: `Cannot show the save dialog: ${errorMessage(error)}` });
      this.renderMap();
      return;
    }
    if (!path || this.closed) return;
    try {
      const saved = await call("save_certificate", { courseId: course.id, name, path: withPdfExtension(path) });
      this.certificates.set(course.id, { saved });
      this.toast(`Certificate saved · verification code ${saved.code}`, "info");
    } catch (error) {
      this.certificates.set(course.id, { error: `Cannot save the certificate: ${errorMessage(error)}` });
    }
    this.renderMap();
  }
}
