/** How long a copy button says "Copied" (or "Copy failed"). */
const COPIED_FEEDBACK_MS = 1500;

/**
 * Handles a click on a `button.copy-code` in Markdown rendered by Rust (answers,
 * lessons): copies its code block's text. Returns false for any other click.
 */
export function copyCodeBlockOnClick(target: Element | null): boolean {
  const copy = target?.closest<HTMLButtonElement>("button.copy-code");
  if (!copy) return false;
  copyText(copy, copy.closest(".code-block")?.querySelector("pre code")?.textContent ?? "");
  return true;
}

/** Copies `text` to the clipboard; `button` says for a moment whether that worked. */
export function copyText(button: HTMLElement, text: string): void {
  void navigator.clipboard.writeText(text).then(
    () => flash(button, "Copied"),
    () => flash(button, "Copy failed"),
  );
}

function flash(button: HTMLElement, text: string): void {
  const original = button.dataset.label ?? button.textContent ?? "";
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => (button.textContent = original), COPIED_FEEDBACK_MS);
}
