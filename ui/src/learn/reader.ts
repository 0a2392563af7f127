import type { AnswerOutcome, AwardView, ChallengeView, LabOutcome, LabResult, LabView, LessonView, QuizView } from "../bindings";
import { handleMarkdownClick } from "../code-blocks";
import { h, safeHtml } from "../dom";
import { call, errorMessage } from "../ipc";
import { matchesShortcut, shortcutLabel } from "../keys";
import { LabEditor } from "./lab-editor";
import {
  answerFailed,
  applyAnswer,
  canCheck,
  chooseOption,
  labSummaryText,
  lessonMetaText,
  quizStateFrom,
  quizVerdict,
  startChecking,
  type QuizState,
} from "./model";

const RUN_SHORTCUT = "Mod-Enter";

export interface ReaderHost {
  /** Back to the course map. */
  back(): void;
  /** After an answer or a run: refresh the header and toast the awards; resolves once the header is up to date. */
  settle(awards: AwardView[]): Promise<void>;
}

// Lab code typed but not yet run survives leaving the lesson (and closing
// Learn) for as long as the app runs; a run stores it in Rust anyway.
const drafts = new Map<string, string>();

let radioGroups = 0;

/** One quiz question: pick an option, check it, read the verdict. */
class QuizQuestion {
  readonly element: HTMLElement;
  private state: QuizState;
  private readonly options: HTMLLabelElement[];
  private readonly checkButton: HTMLButtonElement;
  private readonly result: HTMLElement;
  private readonly error = h("div", { className: "form-error", attributes: { role: "alert" } });

  constructor(
    view: QuizView,
    index: number,
    private readonly answer: (choice: number) => Promise<AnswerOutcome>,
    private readonly settle: (awards: AwardView[]) => Promise<void>,
  ) {
    this.state = quizStateFrom(view);
    const group = `learn-quiz-${++radioGroups}`;
    const promptId = `${group}-prompt`;
    this.options = view.options.map((option, choice) => {
      const input = h("input", { attributes: { type: "radio", name: group, value: String(choice) } });
      input.checked = this.state.chosen === choice;
      input.addEventListener("change", () => {
        if (!input.checked) return;
        this.state = chooseOption(this.state, choice);
        this.render();
      });
      return h(
        "label",
        { className: "quiz-option", testId: "quiz-option", attributes: { "data-choice": String(choice) } },
        input,
        h("span", { className: "quiz-option-text", text: option }),
      );
    });
    this.checkButton = h("button", {
      className: "button small",
      testId: "quiz-check",
      text: "Check",
      attributes: { type: "button" },
      on: { click: () => void this.check() },
    });
    this.result = h("div", { className: "quiz-result", testId: "quiz-result", attributes: { role: "status" } });
    this.element = h(
      "fieldset",
      { className: "quiz-question", testId: "quiz-question", attributes: { "data-index": String(index), "aria-labelledby": promptId } },
      h(
        "p",
        { className: "quiz-prompt", attributes: { id: promptId } },
        h("span", { className: "quiz-number", text: `${index + 1}.` }),
        h("span", { text: view.question }),
      ),
      h("div", { className: "quiz-options", attributes: { role: "radiogroup", "aria-labelledby": promptId } }, ...this.options),
      h("div", { className: "quiz-actions" }, this.checkButton, this.error),
      this.result,
    );
    this.render();
  }

  private async check(): Promise<void> {
    if (!canCheck(this.state) || this.state.chosen === null) return;
    const choice = this.state.chosen;
    this.error.textContent = "";
    this.state = startChecking(this.state);
    this.render();
    try {
      const outcome = await this.answer(choice);
      // The header shows the new XP before the verdict does, so whatever reads
      // the verdict also sees the XP it earned.
      await this.settle(outcome.awards);
      this.state = applyAnswer(this.state, choice, outcome);
    } catch (error) {
      this.state = answerFailed(this.state);
      this.error.textContent = errorMessage(error);
    }
    this.render();
  }

  private render(): void {
    const verdict = quizVerdict(this.state);
    this.checkButton.disabled = !canCheck(this.state);
    this.checkButton.textContent = this.state.pending ? "Checking…" : "Check";
    this.options.forEach((option, choice) => {
      const judged = verdict !== null && this.state.checked === choice;
      option.classList.toggle("selected", this.state.chosen === choice);
      option.classList.toggle("right", judged && verdict.correct);
      option.classList.toggle("wrong", judged && !verdict.correct);
    });
    this.result.hidden = verdict === null;
    this.result.textContent = verdict?.text ?? "";
    if (verdict) this.result.dataset.correct = String(verdict.correct);
    else delete this.result.dataset.correct;
    this.result.classList.toggle("right", verdict?.correct === true);
    this.result.classList.toggle("wrong", verdict?.correct === false);
  }
}

/** A lab: instructions, the code (or prompt) to write, and the checks it must pass. */
class LabPanel {
  readonly element: HTMLElement;
  private editor: LabEditor | null = null;
  private prompt: HTMLTextAreaElement | null = null;
  private readonly editorHost = h("div", { className: "lab-editor", testId: "lab-editor" });
  private readonly runButton: HTMLButtonElement;
  private readonly passedChip = h("span", { className: "learn-chip learn-chip-done", text: "✓ Passed" });
  private readonly results = h("div", { className: "lab-results", testId: "lab-results", attributes: { role: "status", "aria-live": "polite" } });
  private readonly error = h("div", { className: "form-error", attributes: { role: "alert" } });
  private running = false;
  private disposed = false;

  constructor(
    private readonly lab: LabView,
    private readonly draftKey: string,
    private readonly runChecks: (code: string) => Promise<LabOutcome>,
    private readonly settle: (awards: AwardView[]) => Promise<void>,
  ) {
    this.passedChip.hidden = !lab.passed;
    this.results.hidden = true;
    this.runButton = h("button", {
      className: "button primary",
      testId: "lab-run",
      text: "Run checks",
      title: `Run checks (${shortcutLabel(RUN_SHORTCUT)})`,
      attributes: { type: "button" },
      on: { click: () => void this.run() },
    });
    const how =
      lab.kind === "code"
        ? `Edit the code, then run the checks (${shortcutLabel(RUN_SHORTCUT)}). Your code runs in a sandbox on your machine.`
        : `Write your prompt, then run the checks (${shortcutLabel(RUN_SHORTCUT)}). It is checked against a rubric on your machine.`;
    if (lab.kind === "prompt") {
      const prompt = h("textarea", {
        className: "lab-prompt",
        testId: "lab-prompt",
        attributes: { spellcheck: "true", rows: "10", "aria-label": "Your prompt", placeholder: "Write your prompt here…" },
      });
      prompt.value = drafts.get(draftKey) ?? lab.code;
      prompt.addEventListener("input", () => drafts.set(draftKey, prompt.value));
      this.prompt = prompt;
      this.editorHost.classList.add("lab-editor-prompt");
      this.editorHost.append(prompt);
    }
    this.element = h(
      "section",
      { className: "learn-section learn-lab", attributes: { "aria-label": "Lab" } },
      h("div", { className: "learn-section-head" }, h("h2", { text: "Lab" }), h("span", { className: "learn-chip", text: `+${lab.xp} XP` }), this.passedChip),
      safeHtml("learn-prose lab-instructions", lab.instructionsHtml),
      h("p", { className: "lab-how muted", text: how }),
      this.editorHost,
      h("div", { className: "lab-actions" }, this.runButton, this.error),
      this.results,
    );
  }

  /** Creates the code editor (it loads the JavaScript grammar first). */
  async mount(): Promise<void> {
    if (this.lab.kind !== "code") return;
    const editor = await LabEditor.create(this.editorHost, {
      doc: drafts.get(this.draftKey) ?? this.lab.code,
      run: () => void this.run(),
      changed: (text) => drafts.set(this.draftKey, text),
    });
    if (this.disposed) editor.destroy();
    else this.editor = editor;
  }

  private get code(): string | null {
    if (this.prompt) return this.prompt.value;
    return this.editor?.text ?? null;
  }

  async run(): Promise<void> {
    const code = this.code;
    if (this.running || code === null) return;
    this.running = true;
    this.runButton.disabled = true;
    this.runButton.textContent = "Running…";
    this.results.setAttribute("aria-busy", "true");
    this.error.textContent = "";
    try {
      const outcome = await this.runChecks(code);
      await this.settle(outcome.awards);
      if (outcome.result.passed) this.passedChip.hidden = false;
      this.showResult(outcome.result);
    } catch (error) {
      this.error.textContent = errorMessage(error);
    } finally {
      this.running = false;
      this.runButton.disabled = false;
      this.runButton.textContent = "Run checks";
      this.results.removeAttribute("aria-busy");
    }
  }

  private showResult(result: LabResult): void {
    const checks = result.checks.map((check) =>
      h(
        "li",
        { className: `lab-check ${check.passed ? "passed" : "failed"}`, testId: "lab-check", attributes: { "data-passed": String(check.passed) } },
        h(
          "div",
          { className: "lab-check-line" },
          h("span", { className: "lab-check-mark", text: check.passed ? "✓" : "✗", attributes: { "aria-label": check.passed ? "passed" : "failed" } }),
          h("span", { className: "lab-check-name", text: check.name }),
        ),
        !check.passed && check.message ? h("div", { className: "lab-check-message", text: check.message }) : null,
        !check.passed && check.hint ? h("div", { className: "lab-check-hint" }, h("strong", { text: "Hint: " }), check.hint) : null,
      ),
    );
    const parts: (HTMLElement | null)[] = [
      result.error
        ? h(
            "div",
            { className: "lab-error", attributes: { role: "alert" } },
            h("strong", { text: "⚠ Your code did not run to the end" }),
            h("div", { className: "lab-error-text", text: result.error }),
          )
        : null,
      h("div", { className: `lab-summary ${result.passed ? "passed" : "failed"}`, text: `${result.passed ? "✓" : "✗"} ${labSummaryText(result)}` }),
      checks.length > 0 ? h("ul", { className: "lab-checks" }, ...checks) : null,
    ];
    this.results.replaceChildren(...parts.filter((part): part is HTMLElement => part !== null));
    this.results.dataset.passed = String(result.passed);
    this.results.classList.toggle("passed", result.passed);
    this.results.hidden = false;
  }

  /** Keys stopped before they reached the lab (see LearnView.shieldKey); true when one was used. */
  handleKey(event: KeyboardEvent): boolean {
    if (this.editor?.contains(event.target)) return this.editor.handleKey(event);
    if (this.prompt && event.target === this.prompt && matchesShortcut(event, RUN_SHORTCUT)) {
      void this.run();
      return true;
    }
    return false;
  }

  focusEditor(): void {
    if (this.editor) this.editor.focus();
    else this.prompt?.focus();
  }

  dispose(): void {
    this.disposed = true;
    this.editor?.destroy();
    this.editor = null;
  }
}

/** A lesson (text, quiz, lab) or today's challenge (a lab), in reading order. */
export class Reader {
  readonly element: HTMLElement;
  private readonly lab: LabPanel;

  private constructor(testId: string, header: HTMLElement[], body: (HTMLElement | null)[], lab: LabPanel, host: ReaderHost) {
    this.lab = lab;
    const nav = h(
      "nav",
      { className: "learn-reader-nav" },
      h("button", { className: "link-button", testId: "lesson-back", text: "← All courses", attributes: { type: "button" }, on: { click: () => host.back() } }),
      ...header,
    );
    this.element = h("article", { className: "learn-reader", testId }, nav, ...body, lab.element);
    this.element.addEventListener("click", (event) => handleMarkdownClick(event, this.element));
  }

  static lesson(lesson: LessonView, courseTitle: string, host: ReaderHost): Reader {
    const args = { courseId: lesson.courseId, lessonId: lesson.id };
    const questions = lesson.quiz.map(
      (question, index) => new QuizQuestion(question, index, (choice) => call("answer_quiz", { ...args, question: index, choice }), (awards) => host.settle(awards)),
    );
    const quiz =
      questions.length === 0
        ? null
        : h(
            "section",
            { className: "learn-section learn-quiz", attributes: { "aria-label": "Quiz" } },
            h("div", { className: "learn-section-head" }, h("h2", { text: "Check your understanding" })),
            h("p", { className: "muted", text: "Answer every question right to earn the quiz XP. You can try again as often as you like." }),
            ...questions.map((question) => question.element),
          );
    const lab = new LabPanel(
      lesson.lab,
      `lesson:${lesson.courseId}/${lesson.id}`,
      (code) => call("run_lab", { ...args, code }),
      (awards) => host.settle(awards),
    );
    return new Reader(
      "lesson-view",
      crumbs(courseTitle, lessonMetaText(lesson)),
      [safeHtml("learn-prose lesson-body", lesson.html), quiz],
      lab,
      host,
    );
  }

  static challenge(challenge: ChallengeView, host: ReaderHost): Reader {
    const { summary } = challenge;
    const lab = new LabPanel(challenge.lab, `challenge:${summary.id}@${summary.day}`, (code) => call("run_challenge", { code }), (awards) => host.settle(awards));
    return new Reader(
      "challenge-view",
      crumbs("Today's challenge", `${summary.day} · ${summary.xp} XP`),
      [
        h(
          "header",
          { className: "learn-reader-title" },
          h("h1", { text: summary.title }),
          h("p", { className: "muted", text: summary.done ? "Done today. Come back tomorrow for a new one." : "One small problem a day, the same for everyone." }),
        ),
      ],
      lab,
      host,
    );
  }

  async mount(): Promise<void> {
    await this.lab.mount();
  }

  handleKey(event: KeyboardEvent): boolean {
    return this.lab.handleKey(event);
  }

  focusLab(): void {
    this.lab.focusEditor();
  }

  dispose(): void {
    this.lab.dispose();
    this.element.remove();
  }
}

function crumbs(where: string, meta: string): HTMLElement[] {
  return [h("span", { className: "learn-crumb", text: where }), h("span", { className: "spacer" }), h("span", { className: "learn-reader-meta", text: meta })];
}

