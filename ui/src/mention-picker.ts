import { h } from "./dom";
import { fuzzyFilter } from "./fuzzy";
import { completeMention, mentionAt, type Mention } from "./mention";

const MAX_SUGGESTIONS = 8;

/** Project files offered while a `@path` is typed into the chat input. */
export class MentionPicker {
  readonly element = h("ul", { className: "mention-list", testId: "mention-list", attributes: { role: "listbox", "aria-label": "Files" } });
  private mention: Mention | null = null;
  private paths: string[] = [];
  private active = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly files: () => string[],
  ) {
    this.element.hidden = true;
    input.addEventListener("input", () => this.update());
    input.addEventListener("click", () => this.update());
    input.addEventListener("blur", () => this.close());
  }

  /** Arrow keys, Enter/Tab and Escape while the list is open; true when the key was used. */
  handleKey(event: KeyboardEvent): boolean {
    if (this.element.hidden) return false;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.paths.length) % this.paths.length;
      this.render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      this.choose(this.active);
    } else if (event.key === "Escape") {
      this.close();
    } else {
      return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  }

  close(): void {
    this.mention = null;
    this.element.hidden = true;
  }

  private update(): void {
    const { selectionStart, selectionEnd, value } = this.input;
    this.mention = selectionStart === selectionEnd ? mentionAt(value, selectionStart) : null;
    this.paths = this.mention ? fuzzyFilter(this.files(), this.mention.query, (path) => path, MAX_SUGGESTIONS).map((result) => result.item) : [];
    if (this.paths.length === 0) {
      this.close();
      return;
    }
    this.active = 0;
    this.render();
  }

  private render(): void {
    this.element.hidden = false;
    this.element.replaceChildren(
      ...this.paths.map((path, index) =>
        h("li", {
          className: `mention-item${index === this.active ? " active" : ""}`,
          text: path,
          attributes: { role: "option", "aria-selected": String(index === this.active) },
          on: {
            // mousedown keeps the focus (and the caret) in the input.
            mousedown: (event) => event.preventDefault(),
            click: () => this.choose(index),
          },
        }),
      ),
    );
  }

  private choose(index: number): void {
    const path = this.paths[index];
    if (!this.mention || path === undefined) return;
    const { text, caret } = completeMention(this.input.value, this.mention, path);
    this.input.value = text;
    this.input.setSelectionRange(caret, caret);
    this.close();
    // Lets the composer resize to the new text.
    this.input.dispatchEvent(new Event("input"));
  }
}
