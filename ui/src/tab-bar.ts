import type { OpenDocument } from "./documents";
import { h } from "./dom";
import { icon } from "./icons";
import { baseName, parentPath } from "./paths";

export interface TabBarActions {
  activate(path: string): void;
  close(path: string): void;
}

export class TabBar {
  readonly element = h("div", { className: "tab-bar", attributes: { role: "tablist", "aria-label": "Open files" } });

  constructor(private readonly actions: TabBarActions) {
    // Middle-click closes; its mousedown would otherwise start autoscroll.
    this.element.addEventListener("mousedown", (event) => {
      if (event.button === 1) event.preventDefault();
    });
  }

  render(documents: readonly OpenDocument[], active: OpenDocument | undefined): void {
    const nameCounts = new Map<string, number>();
    for (const document of documents) {
      const name = baseName(document.path);
      nameCounts.set(name, (nameCounts.get(name) ?? 0) + 1);
    }
    const tabs = documents.map((document) => {
      const name = baseName(document.path);
      // Two tabs with the same file name get their folder shown, as in VS Code.
      const folder = (nameCounts.get(name) ?? 0) > 1 ? parentPath(document.path) : "";
      return this.renderTab(document, document === active, folder);
    });
    this.element.replaceChildren(...tabs);
    this.element.querySelector(".tab.active")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  private renderTab(document: OpenDocument, isActive: boolean, folder: string): HTMLElement {
    const { path } = document;
    const classes = ["tab"];
    if (isActive) classes.push("active");
    if (document.dirty) classes.push("dirty");
    if (document.deletedOnDisk) classes.push("deleted");
    const notes: string[] = [];
    if (document.dirty) notes.push("unsaved");
    if (document.deletedOnDisk) notes.push("deleted on disk");
    if (document.diskChanged) notes.push("changed on disk");
    return h(
      "div",
      {
        className: classes.join(" "),
        testId: "tab",
        title: notes.length > 0 ? `${path} (${notes.join(", ")})` : path,
        attributes: { role: "tab", "data-path": path, "aria-selected": String(isActive) },
        on: {
          click: () => this.actions.activate(path),
          auxclick: (event) => {
            if (event.button === 1) this.actions.close(path);
          },
        },
      },
      h("span", { className: "tab-name", text: baseName(path) }),
      folder ? h("span", { className: "tab-folder", text: folder }) : null,
      document.deletedOnDisk ? h("span", { className: "tab-note", text: "deleted on disk" }) : null,
      document.diskChanged && !document.deletedOnDisk ? h("span", { className: "tab-note", text: "⚠", title: "Changed on disk" }) : null,
      h(
        "button",
        {
          className: "tab-close",
          title: "Close",
          attributes: { type: "button", "aria-label": `Close ${baseName(path)}`, tabindex: "-1" },
          on: {
            click: (event) => {
              event.stopPropagation();
              this.actions.close(path);
            },
          },
        },
        document.dirty ? h("span", { className: "tab-dirty-dot", text: "●" }) : null,
        icon("close", "icon tab-close-icon"),
      ),
    );
  }
}
