import { copyText } from "../code-blocks";
import { h } from "../dom";
import { errorMessage, isIpcError } from "../ipc";
import { showError } from "../notices";
import { failureHint } from "./format";

// Small pieces the deploy panel's sections and dialogs share.

/** A titled part of the panel that can be folded away. */
export function section(title: string, className: string, ...children: HTMLElement[]): HTMLDetailsElement {
  return h(
    "details",
    { className: `deploy-section ${className}`, attributes: { open: "" } },
    h("summary", { className: "deploy-section-title", text: title }),
    ...children,
  );
}

/** A deployment's address. The app cannot open a browser, so a click copies it instead of navigating the window away. */
export function siteLink(url: string): HTMLAnchorElement {
  const link = h("a", { className: "deploy-url", text: url, title: `${url} (click to copy)`, attributes: { href: url, target: "_blank", rel: "noreferrer" } });
  link.addEventListener("click", (event) => {
    event.preventDefault();
    copyText(link, url);
  });
  return link;
}

/** A failure where it happened: the message, and what to do about it when the code says. */
export function failureView(error: unknown): HTMLElement {
  const hint = failureHint(isIpcError(error) ? error.code : null);
  return h(
    "div",
    { className: "deploy-failure", attributes: { role: "alert" } },
    h("div", { className: "deploy-failure-message", text: errorMessage(error) }),
    hint ? h("div", { className: "deploy-failure-hint", text: hint }) : null,
  );
}

/** The failure's message followed by its hint, in one line. */
export function failureText(error: unknown): string {
  const hint = failureHint(isIpcError(error) ? error.code : null);
  return hint ? `${errorMessage(error)} ${hint}` : errorMessage(error);
}

/** A failure as a toast. */
export function reportFailure(context: string, error: unknown): void {
  showError(`${context}: ${failureText(error)}`);
}

/** A bar with a line of text above it, for uploads and pushes. */
export class ProgressBar {
  readonly element: HTMLElement;
  private readonly label = h("span", { className: "deploy-progress-label" });
  private readonly fill = h("div", { className: "deploy-progress-fill" });
  private readonly bar = h("div", { className: "deploy-progress-bar", attributes: { role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100" } }, this.fill);

  constructor(id: string) {
    this.element = h("div", { id, className: "deploy-progress" }, this.label, this.bar);
    this.element.hidden = true;
  }

  show(percent: number, text: string): void {
    this.element.hidden = false;
    this.label.textContent = text;
    this.fill.style.width = `${percent}%`;
    this.bar.setAttribute("aria-valuenow", String(percent));
    this.bar.setAttribute("aria-valuetext", text);
  }

  hide(): void {
    this.element.hidden = true;
  }
}
