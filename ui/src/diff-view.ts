import type { DiffLine, EditIssue, Hunk, ProposedFile } from "./bindings";
import { hunkHeader, sideBySideRows } from "./diff-rows";
import { h } from "./dom";

type DiffMode = "unified" | "split";

const DIFF_MODE_KEY = "flashfusion.diffMode";
const signs: Record<DiffLine["kind"], string> = { context: " ", removed: "−", added: "+" };

function storedMode(): DiffMode {
  return localStorage.getItem(DIFF_MODE_KEY) === "split" ? "split" : "unified";
}

/** A cell of highlighted code; the HTML comes from the Rust highlighter, which escapes the text. */
function codeCell(line: DiffLine | null): HTMLTableCellElement {
  const cell = h("td", { className: `diff-code ${line?.kind ?? "empty"}` });
  if (line) cell.innerHTML = line.html;
  return cell;
}

function gutter(number: number | null, kind: DiffLine["kind"] | "empty"): HTMLTableCellElement {
  return h("td", { className: `diff-gutter ${kind}`, text: number === null ? "" : String(number) });
}

function unifiedTable(lines: readonly DiffLine[]): HTMLElement {
  const rows = lines.map((line) =>
    h(
      "tr",
      { className: `diff-line ${line.kind}` },
      gutter(line.oldLine, line.kind),
      gutter(line.newLine, line.kind),
      h("td", { className: `diff-sign ${line.kind}`, text: signs[line.kind] }),
      codeCell(line),
    ),
  );
  return h("table", { className: "diff diff-unified" }, h("tbody", {}, ...rows));
}

/** A hunk side by side: the old text on the left, the new on the right (the history panel draws versions with it too). */
export function splitTable(lines: readonly DiffLine[]): HTMLElement {
  const rows = sideBySideRows(lines).map(({ left, right }) =>
    h(
      "tr",
      { className: "diff-line" },
      gutter(left?.oldLine ?? null, left?.kind ?? "empty"),
      codeCell(left),
      gutter(right?.newLine ?? null, right?.kind ?? "empty"),
      codeCell(right),
    ),
  );
  return h("table", { className: "diff diff-split" }, h("tbody", {}, ...rows));
}

/** Blocks of an answer that could not be read as edits. */
export function issueList(issues: readonly EditIssue[]): HTMLElement {
  return h(
    "ul",
    { className: "proposal-issues" },
    ...issues.map((issue) => h("li", { text: `Line ${issue.line} of the answer: ${issue.message}` })),
  );
}

export interface ProposalCardActions {
  apply(card: ProposalCard): void;
}

/**
 * One file an answer proposes to change: its hunks in a unified or
 * side-by-side diff, each accepted or rejected, and Apply / Reject for the file.
 */
export class ProposalCard {
  readonly element: HTMLElement;
  private accepted: boolean[] = [];
  private mode = storedMode();
  private readonly body = h("div", { className: "proposal-body" });
  private readonly note = h("div", { className: "proposal-note", attributes: { role: "status" } });
  private readonly status = h("span", { className: "proposal-status" });
  private readonly newFileBadge = h("span", { className: "badge", text: "new file" });
  private readonly modeButton = h("button", {
    className: "button small",
    testId: "diff-mode",
    attributes: { type: "button" },
    on: { click: () => this.toggleMode() },
  });
  private readonly applyButton = h("button", {
    className: "button small primary",
    testId: "proposal-apply",
    text: "Apply",
    attributes: { type: "button" },
    on: { click: () => this.actions.apply(this) },
  });
  private readonly rejectButton = h("button", {
    className: "button small",
    testId: "proposal-reject",
    text: "Reject",
    attributes: { type: "button" },
    on: { click: () => this.finish("rejected") },
  });

  constructor(
    private file: ProposedFile,
    private readonly actions: ProposalCardActions,
  ) {
    this.element = h(
      "section",
      { className: "proposal", testId: "chat-proposal", attributes: { "data-path": file.path } },
      h(
        "header",
        { className: "proposal-header" },
        h("span", { className: "proposal-path", text: file.path, title: file.path }),
        this.newFileBadge,
        this.status,
        h("span", { className: "spacer" }),
        this.modeButton,
      ),
      this.note,
      this.body,
      h("footer", { className: "proposal-actions" }, this.rejectButton, this.applyButton),
    );
    this.show();
  }

  get proposal(): ProposedFile {
    return this.file;
  }

  /** Indexes of the hunks to apply. */
  get acceptedHunks(): number[] {
    return this.accepted.flatMap((accepted, index) => (accepted ? [index] : []));
  }

  /** Shows a newer proposal for the same file (the file changed since the first one was made). */
  replace(file: ProposedFile, note: string): void {
    this.file = file;
    this.show();
    this.note.textContent = note;
  }

  setBusy(busy: boolean): void {
    this.element.classList.toggle("busy", busy);
    this.updateButtons(busy);
  }

  showError(message: string): void {
    this.note.textContent = message;
    this.note.classList.add("error");
  }

  finish(outcome: "applied" | "rejected"): void {
    this.element.classList.add("done", outcome);
    this.status.textContent = outcome === "applied" ? "Applied" : "Rejected";
    this.note.textContent = "";
    this.applyButton.disabled = this.rejectButton.disabled = true;
    for (const toggle of this.body.querySelectorAll<HTMLButtonElement>(".hunk-toggle")) toggle.disabled = true;
  }

  private show(): void {
    this.accepted = this.file.hunks.map(() => true);
    this.newFileBadge.hidden = !this.file.creates;
    this.note.textContent = "";
    this.note.classList.remove("error");
    this.renderBody();
  }

  private renderBody(): void {
    const { failures, hunks } = this.file;
    const parts: HTMLElement[] = [];
    if (failures.length > 0) {
      parts.push(h("ul", { className: "proposal-failures" }, ...failures.map((failure) => h("li", { text: `could not apply: ${failure.message}` }))));
    } else if (hunks.length === 0) {
      parts.push(h("div", { className: "proposal-empty", text: "No changes: the file already has this text." }));
    }
    this.body.replaceChildren(...parts, ...hunks.map((hunk, index) => this.renderHunk(hunk, index)));
    this.modeButton.hidden = hunks.length === 0;
    this.modeButton.textContent = this.mode === "unified" ? "Side by side" : "Unified";
    this.updateButtons(false);
  }

  private renderHunk(hunk: Hunk, index: number): HTMLElement {
    const toggle = h("button", {
      className: "hunk-toggle",
      testId: "hunk-toggle",
      title: "Accept or reject this change",
      attributes: { type: "button" },
    });
    // Switching the view of an applied or rejected file keeps its choices fixed.
    toggle.disabled = this.isDone;
    const element = h(
      "div",
      { className: "hunk" },
      h("div", { className: "hunk-header" }, h("span", { className: "hunk-range", text: hunkHeader(hunk.lines) }), toggle),
      h("div", { className: "diff-scroll" }, this.mode === "unified" ? unifiedTable(hunk.lines) : splitTable(hunk.lines)),
    );
    const paint = () => {
      const accepted = this.accepted[index]!;
      toggle.textContent = accepted ? "Accepted" : "Rejected";
      toggle.setAttribute("aria-pressed", String(accepted));
      element.classList.toggle("rejected", !accepted);
    };
    toggle.addEventListener("click", () => {
      this.accepted[index] = !this.accepted[index];
      paint();
      this.updateButtons(false);
    });
    paint();
    return element;
  }

  private toggleMode(): void {
    this.mode = this.mode === "unified" ? "split" : "unified";
    localStorage.setItem(DIFF_MODE_KEY, this.mode);
    this.renderBody();
  }

  private get isDone(): boolean {
    return this.element.classList.contains("done");
  }

  private updateButtons(busy: boolean): void {
    if (this.isDone) return;
    this.applyButton.disabled = busy || this.acceptedHunks.length === 0;
    this.rejectButton.disabled = busy;
  }
}
