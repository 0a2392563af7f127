import type { ConnectionState } from "../bindings";
import { h } from "../dom";
import { icon } from "../icons";
import { CONNECTION_LABELS } from "./presence";

export interface CollabStatusActions {
  /** Share the project, or (shared, as the owner) invite someone. */
  share(): void;
  /** Show or hide the participants panel. */
  togglePanel(): void;
  stopFollowing(): void;
}

/** The shared project in the status bar: Share/Invite, the connection, who is typing, whom we follow. */
export class CollabStatus {
  readonly element: HTMLElement;
  private readonly shareLabel = h("span", { text: "Share" });
  private readonly shareButton: HTMLButtonElement;
  private readonly connectionLabel = h("span", { className: "collab-status-label" });
  readonly connectionButton: HTMLButtonElement;
  private readonly typing = h("span", { className: "status-item collab-typing", testId: "collab-typing", attributes: { "aria-live": "polite" } });
  private readonly following: HTMLButtonElement;

  constructor(actions: CollabStatusActions) {
    this.shareButton = h(
      "button",
      { className: "status-item status-button", testId: "collab-share", title: "Share this project with others", attributes: { type: "button" }, on: { click: () => actions.share() } },
      icon("share"),
      this.shareLabel,
    );
    this.connectionButton = h(
      "button",
      {
        className: "status-item status-button collab-status",
        testId: "collab-status",
        attributes: { type: "button", "aria-pressed": "false", "data-state": "connecting" },
        on: { click: () => actions.togglePanel() },
      },
      h("span", { className: "collab-status-dot", attributes: { "aria-hidden": "true" } }),
      this.connectionLabel,
    );
    this.following = h("button", {
      className: "status-item status-button collab-following",
      testId: "collab-following",
      title: "Stop following (Esc)",
      attributes: { type: "button" },
      on: { click: () => actions.stopFollowing() },
    });
    this.connectionButton.hidden = this.typing.hidden = this.following.hidden = true;
    this.element = h("span", { className: "status-collab" }, this.following, this.typing, this.connectionButton, this.shareButton);
  }

  /** Not shared (Share), shared as the owner (Invite), or shared as someone else (no button). */
  showSharing(shared: boolean, owner: boolean): void {
    this.shareButton.hidden = shared && !owner;
    this.shareLabel.textContent = shared ? "Invite" : "Share";
    this.shareButton.title = shared ? "Invite someone to this shared project" : "Share this project with others";
    this.connectionButton.hidden = !shared;
  }

  showConnection(state: ConnectionState | "ended", online: number, title: string): void {
    this.connectionButton.dataset.state = state;
    const label = state === "ended" ? "Session ended" : CONNECTION_LABELS[state];
    this.connectionLabel.textContent = state === "connected" && online > 0 ? `${label} · ${online + 1}` : label;
    this.connectionButton.title = title;
  }

  showTyping(text: string): void {
    this.typing.hidden = text === "";
    if (this.typing.textContent !== text) this.typing.textContent = text;
  }

  showFollowing(name: string | null): void {
    this.following.hidden = name === null;
    this.following.textContent = name === null ? "" : `Following ${name} · Esc to stop`;
  }

  /** The project is not shared (any more). */
  showUnshared(): void {
    this.showSharing(false, false);
    this.showTyping("");
    this.showFollowing(null);
  }
}

/** The line above the editor saying why the shared files cannot be edited. */
export class CollabBanner {
  readonly element = h("div", { className: "collab-banner", attributes: { role: "status" } });

  constructor() {
    this.element.hidden = true;
  }

  hide(): void {
    this.element.hidden = true;
  }

  show(role: string, endedReason: string | null): void {
    if (endedReason !== null) {
      this.element.dataset.testid = "collab-ended-banner";
      this.element.textContent = `The session ended: ${endedReason}. The files are read-only.`;
      this.element.hidden = false;
    } else if (role === "viewer") {
      this.element.dataset.testid = "collab-viewer-banner";
      this.element.textContent = "You are a viewer: the files are read-only. You can still follow others.";
      this.element.hidden = false;
    } else {
      this.element.hidden = true;
    }
  }
}
