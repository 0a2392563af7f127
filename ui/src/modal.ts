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

// Dialogs arrive from independent sources (a save conflict, a watcher event,
// a close request); they are shown one at a time in arrival order.
let queue: Promise<unknown> = Promise.resolve();
let openCount = 0;

export function isModalOpen(): boolean {
  return openCount > 0;
}

/** Shows the dialog (after any dialog already on screen) and resolves with the chosen action. */
export function showModal(options: ModalOptions): Promise<string> {
  const result = queue.then(() => present(options));
  queue = result.catch(() => undefined);
  return result;
}

function present(options: ModalOptions): Promise<string> {
  return new Promise((resolve) => {
    openCount++;
    const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const titleId = `modal-title-${Date.now()}`;
    const buttons = options.buttons.map((button) =>
      h("button", {
        className: `button ${button.kind ?? "secondary"}`,
        text: button.label,
        attributes: { type: "button", "data-action": button.action },
        on: { click: () => finish(button.action) },
      }),
    );
    const dialog = h(
      "div",
      { className: "modal", testId: "modal", attributes: { role: "dialog", "aria-modal": "true", "aria-labelledby": titleId } },
      h("h2", { className: "modal-title", text: options.title, attributes: { id: titleId } }),
      options.message ? h("p", { className: "modal-message", text: options.message }) : null,
      h("div", { className: "modal-buttons" }, ...buttons),
    );
    const backdrop = h("div", { className: "modal-backdrop" }, dialog);
    backdrop.addEventListener("mousedown", (event) => {
      if (event.target === backdrop) finish(options.cancelAction);
    });
    backdrop.addEventListener("keydown", (event) => {
      // Nothing behind the dialog may react to keys while it is open.
      event.stopPropagation();
      if (event.key === "Escape") {
        event.preventDefault();
        finish(options.cancelAction);
      } else if (event.key === "Tab" || event.key === "ArrowLeft" || event.key === "ArrowRight") {
        event.preventDefault();
        const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
        const step = event.key === "ArrowLeft" || (event.key === "Tab" && event.shiftKey) ? -1 : 1;
        buttons[(index + step + buttons.length) % buttons.length]!.focus();
      }
    });

    function finish(action: string) {
      backdrop.remove();
      openCount--;
      if (previousFocus?.isConnected) previousFocus.focus();
      resolve(action);
    }

    document.body.append(backdrop);
    const preferred = options.buttons.findIndex((button) => button.kind === "primary" || button.kind === "danger");
    buttons[preferred >= 0 ? preferred : 0]!.focus();
  });
}
