import { h } from "./dom";
import { icon, type IconName } from "./icons";

// Form controls and buttons in the house style, shared by the deploy panel and the marketplace.

export interface InputOptions {
  id?: string;
  className?: string;
  type?: "text" | "password" | "url" | "email" | "search";
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

export interface TextAreaOptions extends Omit<InputOptions, "type"> {
  rows?: number;
}

/** A multi-line text field (a README, a review). */
export function textArea(options: TextAreaOptions = {}): HTMLTextAreaElement {
  const attributes: Record<string, string> = { rows: String(options.rows ?? 4) };
  if (options.label) attributes["aria-label"] = options.label;
  if (options.placeholder) attributes.placeholder = options.placeholder;
  const area = h("textarea", { id: options.id, className: `text-input text-area${options.className ? ` ${options.className}` : ""}`, attributes });
  area.value = options.value ?? "";
  return area;
}

export interface Choice {
  value: string;
  label: string;
}

export function choiceOptions(choices: readonly Choice[]): HTMLOptionElement[] {
  return choices.map((choice) => h("option", { text: choice.label, attributes: { value: choice.value } }));
}

/** A drop-down list; `label` names it for screen readers when no visible label wraps it. */
export function selectInput(choices: readonly Choice[], options: { id?: string; label?: string } = {}): HTMLSelectElement {
  const attributes: Record<string, string> = options.label ? { "aria-label": options.label } : {};
  return h("select", { id: options.id, className: "text-input", attributes }, ...choiceOptions(choices));
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

/** A button showing only an icon; `title` is its tooltip and accessible name. */
export function iconButton(name: IconName, title: string, testId: string, run: () => void): HTMLButtonElement {
  return h("button", { className: "icon-button", testId, title, attributes: { type: "button", "aria-label": title }, on: { click: run } }, icon(name));
}
