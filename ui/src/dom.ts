type Child = Node | string | null | undefined | false;

type Listeners = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface ElementOptions {
  /** For the few elements an end-to-end test finds by id (there is only ever one of each). */
  id?: string;
  className?: string;
  text?: string;
  title?: string;
  testId?: string;
  /** Plain attributes (aria-*, role, type, data-* …). */
  attributes?: Record<string, string>;
  on?: Listeners;
}

/** Creates an element; the one place the UI builds DOM, so markup stays declarative. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.id) element.id = options.id;
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title) element.title = options.title;
  if (options.testId) element.dataset.testid = options.testId;
  for (const [name, value] of Object.entries(options.attributes ?? {})) element.setAttribute(name, value);
  for (const [name, listener] of Object.entries(options.on ?? {})) {
    element.addEventListener(name, listener as EventListener);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** A block of HTML that Rust produced already safe (rendered Markdown, highlighted code); this only parses it. */
export function safeHtml(className: string, markup: string, tag: "div" | "pre" = "div"): HTMLElement {
  const element = h(tag, { className });
  element.innerHTML = markup;
  return element;
}

/** A labelled form control, with an optional hint under it. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h(
    "label",
    { className: "field" },
    h("span", { className: "field-label", text: label }),
    control,
    hint ? h("span", { className: "field-hint", text: hint }) : null,
  );
}

/** Whether keyboard input is going into a text field (so single-key shortcuts must not fire). */
export function isTextInput(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}
