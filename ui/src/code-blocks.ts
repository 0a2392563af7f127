/** How long a copy button says "Copied" (or "Copy failed"). */
const COPIED_FEEDBACK_MS = 1500;

/**
 * Handles a click in Markdown rendered by Rust (answers, lessons, template
 * READMEs): a `button.copy-code` copies its code block's text. A link would
 * navigate the app window itself away, so it does not; in-page anchors still
 * scroll to their target inside `scope`.
 */
export function handleMarkdownClick(event: MouseEvent, scope: HTMLElement): void {
  const target = event.target instanceof Element ? event.target : null;
  const copy = target?.closest<HTMLButtonElement>("button.copy-code");
  if (copy) {
    copyText(copy, copy.closest(".code-block")?.querySelector("pre code")?.textContent ?? "");
    return;
  }
  const link = target?.closest<HTMLAnchorElement>("a[href]");
  if (!link) return;
  event.preventDefault();
  const href = link.getAttribute("href") ?? "";
  if (href.startsWith("#") && href.length > 1) scope.querySelector(`[id="${CSS.escape(href.slice(1))}"]`)?.scrollIntoView({ behavior: "smooth" });
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
