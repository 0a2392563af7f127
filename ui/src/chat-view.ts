import type { ContextSummary, ErrorCode, MessageId, MessageRecord, MessageState, Usage } from "./bindings";
import { contextHeadline, contextKindLabel, failureHint, retryingLabel, stateNote, tokenCount, usageLabel } from "./chat-format";
import { handleMarkdownClick } from "./code-blocks";
import { h } from "./dom";
import { MarkdownStream } from "./markdown-stream";

/** How close to the bottom (px) still counts as reading the latest message. */
const PINNED_SLACK_PX = 40;

export interface FailureActions {
  retry(): void;
  openSettings(): void;
}

/** The red line that says why sending failed, with Retry (and Settings when the fix is there). */
export function errorLine(message: string, code: ErrorCode | null, actions: FailureActions | null): HTMLElement {
  const hint = failureHint(code);
  return h(
    "div",
    { className: "chat-error", testId: "chat-error", attributes: { role: "alert" } },
    h("strong", { className: "chat-error-title", text: hint.title }),
    h("span", { className: "chat-error-message", text: message }),
    actions
      ? h(
          "span",
          { className: "chat-error-actions" },
          h("button", { className: "button small", testId: "chat-retry", text: "Retry", attributes: { type: "button" }, on: { click: () => actions.retry() } }),
          hint.settings
            ? h("button", { className: "button small", text: "Assistant settings…", attributes: { type: "button" }, on: { click: () => actions.openSettings() } })
            : null,
        )
      : null,
  );
}

/** What went into the prompt, collapsed under one line. */
function contextDetails(summary: ContextSummary): HTMLElement {
  const items = summary.items.map((item) =>
    h(
      "li",
      { className: "chat-context-item" },
      h("span", { className: "chat-context-kind", text: contextKindLabel(item.kind) }),
      h("span", { className: "chat-context-label", text: item.label, title: item.label }),
      h("span", { className: "chat-context-tokens", text: tokenCount(item.tokens) + (item.truncated ? " (truncated)" : "") }),
    ),
  );
  const leftOut = summary.leftOut.map((reason) => h("li", { className: "chat-context-left-out", text: reason }));
  return h(
    "details",
    { className: "chat-context", testId: "chat-context" },
    h("summary", { text: contextHeadline(summary) }),
    h("ul", { className: "chat-context-list" }, ...items),
    leftOut.length > 0 ? h("div", { className: "chat-context-heading", text: "Left out" }) : null,
    leftOut.length > 0 ? h("ul", { className: "chat-context-list" }, ...leftOut) : null,
  );
}

function messageShell(role: "user" | "assistant", state: MessageState): HTMLElement {
  return h("article", { className: `chat-message ${role}`, testId: "chat-message", attributes: { "data-role": role, "data-state": state } });
}

/** A question as the person wrote it, with "Edit" to rewrite it (which replaces it and what follows). */
export function userMessage(record: MessageRecord, edit: (record: MessageRecord) => void): HTMLElement {
  const element = messageShell("user", record.state);
  element.append(
    h("div", { className: "chat-user-text", text: record.content }),
    h(
      "div",
      { className: "chat-message-actions" },
      h("button", { className: "link-button", text: "Edit", attributes: { type: "button" }, on: { click: () => edit(record) } }),
    ),
  );
  return element;
}

/**
 * One answer: its Markdown (streaming in, then final), the context it was
 * built from, token usage and cost, how it ended, and room for the edits it proposes.
 */
export class AnswerView {
  readonly element: HTMLElement;
  /** Filled by the panel with the answer's proposed edits. */
  readonly proposals = h("div", { className: "chat-proposals" });
  private readonly body = h("div", { className: "chat-answer-body", testId: "chat-answer-body" });
  private readonly rendered = h("div", { className: "markdown" });
  // Streamed text goes straight into a text node: the cheapest way to paint a token.
  private readonly tail = document.createTextNode("");
  private readonly notice = h("div", { className: "chat-answer-notice", attributes: { role: "status" } });
  private readonly footer = h("div", { className: "chat-answer-footer" });
  private readonly markdown: MarkdownStream;
  private state: MessageState;
  private usage: Usage | null = null;
  private failure: { message: string; code: ErrorCode | null } | null = null;
  private regenerate: (() => void) | null = null;

  constructor(
    readonly id: MessageId,
    state: MessageState,
    render: (markdown: string) => Promise<string>,
    private readonly openSettings: () => void,
  ) {
    this.state = state;
    this.element = messageShell("assistant", state);
    this.body.append(this.rendered, h("span", { className: "chat-answer-tail" }, this.tail));
    this.element.append(this.body, this.notice, this.footer, this.proposals);
    this.markdown = new MarkdownStream(render, (answer) => {
      this.rendered.innerHTML = answer.html;
      this.tail.data = answer.tail;
    });
  }

  /** An answer from the stored conversation. */
  static fromRecord(record: MessageRecord, render: (markdown: string) => Promise<string>, openSettings: () => void): AnswerView {
    const view = new AnswerView(record.id, record.state, render, openSettings);
    view.usage = record.usage;
    // A failed answer's stored text is the error.
    if (record.state === "failed") view.failure = { message: record.content, code: null };
    else void view.markdown.finish(record.content);
    view.renderFooter();
    return view;
  }

  showContext(summary: ContextSummary): void {
    this.element.prepend(contextDetails(summary));
  }

  appendDelta(text: string): void {
    this.tail.appendData(text);
    this.markdown.append(text);
    this.notice.textContent = "";
  }

  showRetrying(attempt: number, waitSeconds: number): void {
    this.notice.textContent = retryingLabel(attempt, waitSeconds);
  }

  /** The stored answer arrived: its text replaces what streamed in. */
  finish(record: MessageRecord): void {
    this.setState(record.state);
    this.usage = record.usage;
    this.notice.textContent = "";
    void this.markdown.finish(record.content);
    this.renderFooter();
  }

  /** Sending failed after the answer began: what arrived stays, with the error under it. */
  fail(message: string, code: ErrorCode | null): void {
    this.setState("failed");
    this.failure = { message, code };
    this.notice.textContent = "";
    void this.markdown.finish(this.markdown.text);
    this.renderFooter();
  }

  /** Offers Regenerate / Retry (on the last answer) or takes it away (null). */
  setRegenerate(run: (() => void) | null): void {
    this.regenerate = run;
    this.renderFooter();
  }

  dispose(): void {
    this.markdown.stop();
  }

  private setState(state: MessageState): void {
    this.state = state;
    this.element.dataset.state = state;
  }

  private renderFooter(): void {
    const parts: HTMLElement[] = [];
    const regenerate = this.regenerate;
    if (this.state === "failed" && this.failure) {
      const actions = regenerate ? { retry: regenerate, openSettings: this.openSettings } : null;
      parts.push(errorLine(this.failure.message, this.failure.code, actions));
    }
    const note = stateNote(this.state);
    if (note) {
      const retry =
        this.state === "interrupted" && regenerate
          ? [" — ", h("button", { className: "link-button", testId: "chat-retry", text: "Retry", attributes: { type: "button" }, on: { click: regenerate } })]
          : [];
      parts.push(h("span", { className: `chat-state-note ${this.state}`, text: note }, ...retry));
    }
    if (this.usage) parts.push(h("span", { className: "chat-usage", text: usageLabel(this.usage) }));
    if (regenerate && (this.state === "complete" || this.state === "cancelled")) {
      parts.push(
        h("button", { className: "link-button", testId: "chat-regenerate", text: "Regenerate", attributes: { type: "button" }, on: { click: regenerate } }),
      );
    }
    this.footer.replaceChildren(...parts);
  }
}

/**
 * The scrolling list of messages. Follows new text while the person is at
 * the bottom, and wires the copy buttons of code blocks.
 */
export class ChatView {
  readonly element = h("div", { className: "chat-messages", attributes: { "aria-label": "Conversation" } });
  private readonly emptyHint = h(
    "div",
    { className: "chat-empty" },
    h("p", { text: "Ask about your code." }),
    h("p", { className: "muted", text: "The open file and your selection go with the question; type @ to add another file." }),
  );
  private pinned = true;
  private scrollFrame = 0;

  constructor() {
    this.element.append(this.emptyHint);
    this.element.addEventListener("scroll", () => {
      const { scrollTop, scrollHeight, clientHeight } = this.element;
      this.pinned = scrollHeight - scrollTop - clientHeight < PINNED_SLACK_PX;
    });
    this.element.addEventListener("click", (event) => handleMarkdownClick(event, this.element));
  }

  clear(): void {
    this.element.replaceChildren(this.emptyHint);
    this.pinned = true;
  }

  append(element: HTMLElement): void {
    this.emptyHint.remove();
    this.element.append(element);
    this.follow();
  }

  /** Jumps to the end, e.g. after the person sent a message. */
  scrollToEnd(): void {
    this.pinned = true;
    this.follow();
  }

  /** Keeps the newest text in view, once per frame, unless the person scrolled up to read. */
  follow(): void {
    if (!this.pinned || this.scrollFrame !== 0) return;
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = 0;
      this.element.scrollTop = this.element.scrollHeight;
    });
  }
}

