import type { MessageId, MessageRecord } from "./bindings";
import { h } from "./dom";
import { MentionPicker } from "./mention-picker";
import { TemplatePicker } from "./template-picker";

const MAX_INPUT_HEIGHT_PX = 220;

export interface ComposerActions {
  /** `replaceFrom`: the message being rewritten (it and everything after it are replaced). */
  send(text: string, replaceFrom: MessageId | null): void;
  stop(): void;
  /** Project files for @mentions. */
  files(): string[];
}

/** The chat input: the question, Send / Stop, prompt templates and @file suggestions. */
export class Composer {
  readonly element: HTMLElement;
  private readonly input = h("textarea", {
    className: "chat-input",
    testId: "chat-input",
    attributes: { rows: "3", spellcheck: "true", placeholder: "Ask about your code — @ adds a file", "aria-label": "Message" },
  });
  private readonly sendButton = h("button", { className: "button primary small", testId: "chat-send", text: "Send", attributes: { type: "button" } });
  private readonly stopButton = h("button", { className: "button small", testId: "chat-stop", text: "Stop", attributes: { type: "button" } });
  private readonly editingBar = h("div", { className: "chat-editing" });
  private readonly mentions: MentionPicker;
  private readonly templates: TemplatePicker;
  private replaceFrom: MessageId | null = null;
  private streaming = false;

  constructor(private readonly actions: ComposerActions) {
    this.mentions = new MentionPicker(this.input, () => actions.files());
    this.templates = new TemplatePicker({ text: () => this.input.value, fill: (text) => this.fill(text) });
    this.editingBar.append(
      h("span", { text: "Editing a message: sending replaces it and everything after it." }),
      h("button", { className: "link-button", text: "Cancel", attributes: { type: "button" }, on: { click: () => this.cancelEditing() } }),
    );
    this.editingBar.hidden = true;
    this.stopButton.hidden = true;
    this.sendButton.addEventListener("click", () => this.submit());
    this.stopButton.addEventListener("click", () => actions.stop());
    this.input.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.input.addEventListener("input", () => this.fitHeight());
    this.element = h(
      "div",
      { className: "chat-composer" },
      this.editingBar,
      h("div", { className: "chat-input-wrap" }, this.mentions.element, this.input),
      h("div", { className: "chat-composer-bar" }, this.templates.element, h("span", { className: "spacer" }), this.stopButton, this.sendButton),
    );
  }

  loadTemplates(): Promise<void> {
    return this.templates.load();
  }

  focus(): void {
    this.input.focus();
  }

  setStreaming(streaming: boolean): void {
    this.streaming = streaming;
    this.stopButton.hidden = !streaming;
    this.stopButton.disabled = false;
    this.sendButton.hidden = streaming;
  }

  /** Stop was pressed; the answer ends as soon as Rust has cut it. */
  markStopping(): void {
    this.stopButton.disabled = true;
  }

  /** Puts a past question back in the input; sending it replaces that message and what follows. */
  editMessage(record: MessageRecord): void {
    this.fill(record.content, record.id);
  }

  /** A send that never started: its text (and what it was replacing) go back into the input. */
  restore(text: string, replaceFrom: MessageId | null): void {
    if (this.input.value.trim() === "") this.fill(text, replaceFrom);
  }

  /** Sends what is in the input (Enter, the Send button, or Retry after a failed send). */
  submit(): void {
    const text = this.input.value.trim();
    if (text === "" || this.streaming) return;
    this.actions.send(text, this.replaceFrom);
    this.fill("");
  }

  private fill(text: string, replaceFrom: MessageId | null = null): void {
    this.input.value = text;
    this.replaceFrom = replaceFrom;
    this.editingBar.hidden = replaceFrom === null;
    this.fitHeight();
    if (text !== "") {
      this.input.focus();
      this.input.setSelectionRange(text.length, text.length);
    }
  }

  private cancelEditing(): void {
    this.fill("");
    this.input.focus();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.mentions.handleKey(event)) return;
    // Enter sends; Shift+Enter (and Enter while composing with an IME) is a new line.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.submit();
    }
  }

  /** Grows the input with its text, up to a limit. */
  private fitHeight(): void {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, MAX_INPUT_HEIGHT_PX)}px`;
  }
}
