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

export interface InputOptions {
  id?: string;
  className?: string;
  type?: "text" | "password" | "url";
  /** For screen readers, when no visible label wraps the field. */
  label?: string;
  placeholder?: string;
  value?: string;
}

/** A one-line text field that neither spellchecks nor autocompletes (names, ids, URLs, secrets). */
export function textInput(options: InputOptions = {}): HTMLInputElement {
  const attributes: Record<string, string> = { type: options.type ?? "text", spellcheck: "false", autocomplete: "off" };
  if (options.label) attributes["aria-label"] = options.label;
  if (options.placeholder) attributes.placeholder = options.placeholder;
  const input = h("input", { id: options.id, className: `text-input${options.className ? ` ${options.className}` : ""}`, attributes });
  input.value = options.value ?? "";
  return input;
}

export interface ButtonOptions {
  id?: string;
  className?: string;
  kind?: "primary" | "secondary" | "danger";
  type?: "button" | "submit";
  /** Small in the panel; dialogs use the full size. */
  size?: "small" | "full";
}

export function actionButton(label: string, run: (() => void) | null, options: ButtonOptions = {}): HTMLButtonElement {
  return h("button", {
    id: options.id,
    className: ["button", options.size === "full" ? "" : "small", options.kind ?? "secondary", options.className ?? ""].filter(Boolean).join(" "),
    text: label,
    attributes: { type: options.type ?? "button" },
    on: run ? { click: run } : {},
  });
}

export function linkButton(label: string, className: string, run: () => void): HTMLButtonElement {
  return h("button", { className: `link-button ${className}`, text: label, attributes: { type: "button" }, on: { click: run } });
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

/** A form that runs `submit` on Enter or its submit button, never navigating. */
export function submitForm(className: string, submit: () => void, ...children: HTMLElement[]): HTMLFormElement {
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    submit();
  };
  return h("form", { className, on: { submit: onSubmit } }, ...children);
}

/** A dialog's button row: the dismissing button, then the others. */
export function dialogButtons(close: (action: string) => void, label: "Close" | "Cancel", ...others: HTMLElement[]): HTMLElement {
  const action = label.toLowerCase();
  const dismiss = h("button", { className: "button secondary", text: label, attributes: { type: "button", "data-action": action }, on: { click: () => close(action) } });
  return h("div", { className: "modal-buttons" }, dismiss, ...others);
}
