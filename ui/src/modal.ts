import { h } from "./dom";

export interface ModalButton {
  /** Reported back to the caller and rendered as data-action. */
  action: string;
  label: string;
  kind?: "primary" | "danger" | "secondary";
}

export interface ModalOptions {
  title: string;
  message?: string;
  buttons: ModalButton[];
  /** The action reported for Escape or a click outside the dialog. */
  cancelAction: string;
}

export interface DialogOptions {
  title: string;
  /** Extra class for the dialog box (e.g. a wider one for a form). */
  className?: string;
  /** Builds the body under the title; calling `close` ends the dialog with that action. */
  content(close: (action: string) => void): Node[];
  /** The action reported for Escape or a click outside the dialog. */
  cancelAction: string;
}

/** What differs between a question with buttons and a dialog with its own form. */
interface Frame {
  title: string;
  className?: string;
  cancelAction: string;
  /** Fills the dialog box. */
  build(dialog: HTMLElement, finish: (action: string) => void): void;
  /** The element to focus once the dialog is on screen. */
  firstFocus(dialog: HTMLElement): HTMLElement | null;
  /** Keys other than Escape. */
  onKey(event: KeyboardEvent, dialog: HTMLElement): void;
}

// Dialogs arrive from independent sources (a save conflict, a watcher event,
// a close request, the person opening settings); they are shown one at a
// time in arrival order.
let queue: Promise<unknown> = Promise.resolve();
let openCount = 0;

export function isModalOpen(): boolean {
  return openCount > 0;
}

/** Shows the dialog (after any dialog already on screen) and resolves with the chosen action. */
export function showModal(options: ModalOptions): Promise<string> {
  let buttons: HTMLButtonElement[] = [];
  return enqueue({
    title: options.title,
    cancelAction: options.cancelAction,
    build(dialog, finish) {
      buttons = options.buttons.map((button) =>
        h("button", {
          className: `button ${button.kind ?? "secondary"}`,
          text: button.label,
          attributes: { type: "button", "data-action": button.action },
          on: { click: () => finish(button.action) },
        }),
      );
      if (options.message) dialog.append(h("p", { className: "modal-message", text: options.message }));
      dialog.append(h("div", { className: "modal-buttons" }, ...buttons));
    },
    firstFocus() {
      const preferred = options.buttons.findIndex((button) => button.kind === "primary" || button.kind === "danger");
      return buttons[preferred >= 0 ? preferred : 0] ?? null;
    },
    onKey(event) {
      // Only buttons here: Tab and the arrows move between them.
      if (event.key !== "Tab" && event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      event.preventDefault();
      const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const step = event.key === "ArrowLeft" || (event.key === "Tab" && event.shiftKey) ? -1 : 1;
      buttons[(index + step + buttons.length) % buttons.length]!.focus();
    },
  });
}

/** Shows a dialog with a body of its own (a form), after any dialog already on screen. */
export function showDialog(options: DialogOptions): Promise<string> {
  return enqueue({
    title: options.title,
    className: options.className,
    cancelAction: options.cancelAction,
    build(dialog, finish) {
      dialog.append(...options.content(finish));
    },
    firstFocus: (dialog) => focusableIn(dialog)[0] ?? null,
    onKey(event, dialog) {
      // Tab stays inside the dialog, wrapping around at either end.
      if (event.key !== "Tab") return;
      const focusable = focusableIn(dialog);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    },
  });
}

function focusableIn(dialog: HTMLElement): HTMLElement[] {
  const candidates = dialog.querySelectorAll<HTMLElement>("button, input, select, textarea, [tabindex]:not([tabindex='-1'])");
  return [...candidates].filter((element) => !element.matches(":disabled") && element.getClientRects().length > 0);
}

function enqueue(frame: Frame): Promise<string> {
  const result = queue.then(() => present(frame));
  queue = result.catch(() => undefined);
  return result;
}

function present(frame: Frame): Promise<string> {
  return new Promise((resolve) => {
    openCount++;
    const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const titleId = `modal-title-${Date.now()}`;
    const dialog = h(
      "div",
      { className: `modal${frame.className ? ` ${frame.className}` : ""}`, testId: "modal", attributes: { role: "dialog", "aria-modal": "true", "aria-labelledby": titleId } },
      h("h2", { className: "modal-title", text: frame.title, attributes: { id: titleId } }),
    );
    const backdrop = h("div", { className: "modal-backdrop" }, dialog);
    backdrop.addEventListener("mousedown", (event) => {
      if (event.target === backdrop) finish(frame.cancelAction);
    });
    backdrop.addEventListener("keydown", (event) => {
      // Nothing behind the dialog may react to keys while it is open.
      event.stopPropagation();
      if (event.key === "Escape") {
        event.preventDefault();
        finish(frame.cancelAction);
      } else {
        frame.onKey(event, dialog);
      }
    });

    let finished = false;
    function finish(action: string) {
      if (finished) return;
      finished = true;
      backdrop.remove();
      openCount--;
      if (previousFocus?.isConnected) previousFocus.focus();
      resolve(action);
    }

    frame.build(dialog, finish);
    document.body.append(backdrop);
    frame.firstFocus(dialog)?.focus();
  });
}

export interface TextQuestion {
  title: string;
  label: string;
  value: string;
  confirmLabel: string;
}

/** Asks for one line of text (a name, a title); resolves with it trimmed, or null when cancelled. */
export async function askForText(question: TextQuestion): Promise<string | null> {
  const input = h("input", { className: "text-input", testId: "modal-input", attributes: { type: "text", spellcheck: "false" } });
  input.value = question.value;
  const action = await showDialog({
    title: question.title,
    cancelAction: "cancel",
    content: (close) => [
      h(
        "form",
        {
          className: "modal-form",
          on: {
            submit: (event) => {
              event.preventDefault();
              if (input.value.trim() !== "") close("confirm");
            },
          },
        },
        h("label", { className: "field" }, h("span", { className: "field-label", text: question.label }), input),
        h(
          "div",
          { className: "modal-buttons" },
          h("button", { className: "button secondary", text: "Cancel", attributes: { type: "button", "data-action": "cancel" }, on: { click: () => close("cancel") } }),
          h("button", { className: "button primary", text: question.confirmLabel, attributes: { type: "submit", "data-action": "confirm" } }),
        ),
      ),
    ],
  });
  return action === "confirm" ? input.value.trim() : null;
}
