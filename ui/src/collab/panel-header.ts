import { h } from "../dom";

/** The header of a collaboration side panel: its title, then its buttons on the right. */
export function panelHeader(title: string, ...buttons: HTMLElement[]): HTMLElement {
  return h(
    "header",
    { className: "collab-panel-header" },
    h("h2", { className: "collab-panel-title", text: title }),
    h("span", { className: "spacer" }),
    ...buttons,
  );
}
