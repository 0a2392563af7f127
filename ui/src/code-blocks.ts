/** How long a copy button says "Copied" (or "Copy failed"). */
const COPIED_FEEDBACK_MS = 1500;

/**
 * Handles a click on a `button.copy-code` in Markdown rendered by Rust (answers,
 * lessons): copies its code block's text. Returns false for any other click.
 */
export function copyCodeBlockOnClick(target: Element | null): boolean {
  const copy = target?.closest<HTMLButtonElement>("button.copy-code");
  if (!copy) return false;
  const code = copy.closest(".code-block")?.querySelector("pre code")?.textContent ?? "";
  void navigator.clipboard.writeText(code).then(
    () => flash(copy, "Copied"),
    () => flash(copy, "Copy failed"),
  );
  return true;
}

function flash(button: HTMLButtonElement, text: string): void {
  const original = button.dataset.label ?? button.textContent ?? "";
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => (button.textContent = original), COPIED_FEEDBACK_MS);
}
