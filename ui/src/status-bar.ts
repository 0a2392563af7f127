import type { EditorState } from "@codemirror/state";
import type { Theme } from "./bindings";
import type { OpenDocument } from "./documents";
import { h } from "./dom";
import { icon, type IconName } from "./icons";
import { languageLabel } from "./languages";
import { currentTheme, onThemeChange, toggleTheme } from "./theme";

function setText(element: HTMLElement, text: string): void {
  // Skipping identical writes keeps cursor movement from touching the DOM needlessly.
  if (element.textContent !== text) element.textContent = text;
}

/** A status bar button that runs something elsewhere in the workbench. */
export interface StatusAction {
  title: string;
  run(): void;
}

/** The panels beside the editor; one at a time is open. */
export type SidePanelName = "assistant" | "deploy" | "collab" | "comments" | "history";

export class StatusBar {
  private readonly position = h("span", { className: "status-item", testId: "status-position" });
  private readonly language = h("span", { className: "status-item", testId: "status-language" });
  private readonly saved = h("span", { className: "status-item status-saved", testId: "status-saved" });
  private readonly warning = h("span", { className: "status-item status-warning" });
  private readonly themeButton = h("button", {
    className: "status-item status-button",
    testId: "theme-toggle",
    attributes: { type: "button" },
    on: { click: () => void toggleTheme() },
  });
  private readonly panelButtons: Partial<Record<SidePanelName, HTMLButtonElement>>;
  /** Where the collaboration items go (Share, the connection, who is typing). */
  private readonly collabSlot = h("span", { className: "status-collab-slot" });
  readonly element: HTMLElement;
  private readonly stopListening: () => void;

  /** `market` opens the template marketplace. */
  constructor(projectName: string, panels: Record<"assistant" | "deploy", StatusAction>, market: StatusAction) {
    const panelButton = (action: StatusAction, iconName: IconName, label: string, ids: { id?: string; testId: string }) =>
      h(
        "button",
        { ...ids, className: "status-item status-button", title: action.title, attributes: { type: "button", "aria-pressed": "false" }, on: { click: () => action.run() } },
        icon(iconName),
        h("span", { text: label }),
      );
    this.panelButtons = {
      assistant: panelButton(panels.assistant, "chat", "Assistant", { testId: "chat-toggle" }),
      deploy: panelButton(panels.deploy, "deploy", "Deploy", { id: "deploy-open", testId: "deploy-toggle" }),
    };
    this.element = h(
      "footer",
      { className: "status-bar" },
      h("span", { className: "status-item status-project", title: projectName }, icon("project"), h("span", { text: projectName })),
      h("span", { className: "status-spacer" }),
      this.collabSlot,
      this.warning,
      this.position,
      this.language,
      this.saved,
      h(
        "button",
        { id: "market-open", className: "status-item status-button", title: market.title, attributes: { type: "button" }, on: { click: () => market.run() } },
        icon("market"),
        h("span", { text: "Marketplace" }),
      ),
      this.panelButtons.deploy,
      this.panelButtons.assistant,
      this.themeButton,
    );
    this.showTheme(currentTheme());
    this.stopListening = onThemeChange((theme) => this.showTheme(theme));
  }

  dispose(): void {
    this.stopListening();
  }

  showDocument(document: OpenDocument | undefined): void {
    this.language.hidden = this.saved.hidden = this.position.hidden = !document;
    if (!document) {
      this.warning.hidden = true;
      return;
    }
    setText(this.language, languageLabel(document.languageId));
    setText(this.saved, document.saving ? "Saving…" : document.dirty ? "Unsaved" : "Saved");
    this.saved.classList.toggle("unsaved", document.dirty);
    const warning = document.deletedOnDisk ? "Deleted on disk" : document.diskChanged ? "Changed on disk" : "";
    this.warning.hidden = warning === "";
    setText(this.warning, warning);
    this.showPosition(document.state);
  }

  /** Shows the collaboration items; `panelButton` toggles the collaboration panel. */
  showCollab(items: HTMLElement, panelButton: HTMLButtonElement): void {
    this.collabSlot.replaceChildren(items);
    this.panelButtons.collab = panelButton;
  }

  showOpenPanel(open: SidePanelName | null): void {
    for (const [name, button] of Object.entries(this.panelButtons)) button?.setAttribute("aria-pressed", String(name === open));
  }

  showPosition(state: EditorState): void {
    const head = state.selection.main.head;
    const line = state.doc.lineAt(head);
    const cursors = state.selection.ranges.length;
    setText(this.position, `Ln ${line.number}, Col ${head - line.from + 1}${cursors > 1 ? ` (${cursors} cursors)` : ""}`);
  }

  private showTheme(theme: Theme): void {
    const next = theme === "dark" ? "light" : "dark";
    this.themeButton.replaceChildren(icon(theme === "dark" ? "moon" : "sun"));
    this.themeButton.title = `Switch to ${next} theme`;
    this.themeButton.setAttribute("aria-label", `Switch to ${next} theme`);
  }
}
