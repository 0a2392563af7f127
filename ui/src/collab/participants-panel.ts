import type { CollabRole, Invite, Participant, Peer } from "../bindings";
import { h } from "../dom";
import { icon } from "../icons";
import { call, errorMessage } from "../ipc";
import { showModal } from "../modal";
import { showError } from "../notices";
import { baseName } from "../paths";
import { choiceOptions, iconButton } from "../widgets";
import { inviteSummary } from "./invite-link";
import { CONNECTION_LABELS, PRESENCE_LABELS, peerOf, presenceOf, safeColor, type PresenceState } from "./presence";
import type { CollabSession } from "./session";

export interface CollabPanelHost {
  readonly session: CollabSession;
  /** The peer followed now, if any. */
  followedClient(): number | null;
  follow(clientId: number): void;
  /** Opens the invite dialog; resolves once it closed. */
  invite(): Promise<void>;
  /** Shows the comments panel, or the version history, in this panel's place. */
  showComments(): void;
  showHistory(): void;
  /** Leaves the session on this machine (after asking). */
  leave(): void;
  /** The panel's close button was pressed. */
  hide(): void;
}

const ROLE_LABELS: Record<CollabRole, string> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };
const ROLE_ORDER: Record<CollabRole, number> = { owner: 0, editor: 1, viewer: 2 };

interface Row {
  participant: Participant;
  self: boolean;
  presence: PresenceState;
  peer: Peer | undefined;
}

/**
 * The collaboration panel beside the editor: the session, its participants
 * (the owner changes roles and removes people here; a click follows someone),
 * the owner's invite links, the way to the comments and the version history,
 * and leaving the session.
 */
export class CollabPanel {
  readonly element: HTMLElement;
  private readonly summary = h("div", { className: "collab-summary" });
  private readonly problem = h("div", { className: "form-error", attributes: { role: "alert" } });
  private readonly list = h("ul", { className: "collab-participants", testId: "collab-participants", attributes: { "aria-label": "Participants" } });
  private readonly inviteButton: HTMLButtonElement;
  private readonly invitesList = h("ul", { className: "collab-invites", testId: "collab-invites" });
  private readonly invitesSection: HTMLElement;
  private readonly commentsButton: HTMLButtonElement;
  private readonly leaveButton: HTMLButtonElement;
  /** What the list shows, so an unchanged update leaves it (and focus in it) alone. */
  private shown = "";
  private readonly stopListening: () => void;
  private disposed = false;

  constructor(private readonly host: CollabPanelHost) {
    this.inviteButton = h(
      "button",
      { className: "button small primary", testId: "collab-invite-open", attributes: { type: "button" }, on: { click: () => void this.invite() } },
      icon("plus"),
      h("span", { text: "Invite" }),
    );
    this.invitesSection = h("section", { className: "collab-section" }, h("h3", { className: "collab-section-title", text: "Invite links" }), this.invitesList);
    this.commentsButton = h("button", { className: "button small", testId: "collab-open-comments", attributes: { type: "button" }, on: { click: () => host.showComments() } });
    this.leaveButton = h("button", { className: "button small danger", testId: "collab-leave", attributes: { type: "button" }, on: { click: () => host.leave() } });
    this.element = h(
      "aside",
      { id: "collab-panel", className: "collab-panel side-panel", testId: "collab-panel", attributes: { "aria-label": "Collaboration", tabindex: "-1" } },
      h(
        "header",
        { className: "deploy-header collab-header" },
        h("h2", { className: "deploy-title", text: "Collaboration" }),
        iconButton("refresh", "Refresh", "collab-refresh", () => void this.refresh()),
        iconButton("close", "Hide the collaboration panel", "collab-close", () => host.hide()),
      ),
      h(
        "div",
        { className: "collab-body" },
        this.summary,
        this.problem,
        h(
          "section",
          { className: "collab-section" },
          h("div", { className: "collab-section-header" }, h("h3", { className: "collab-section-title", text: "Participants" }), this.inviteButton),
          this.list,
        ),
        this.invitesSection,
        h(
          "section",
          { className: "collab-section collab-links" },
          this.commentsButton,
          h("button", { className: "button small", testId: "collab-open-history", text: "Version history", attributes: { type: "button" }, on: { click: () => host.showHistory() } }),
        ),
        h("section", { className: "collab-section" }, this.leaveButton),
      ),
    );
    this.stopListening = host.session.on((event) => {
      if (event.kind === "text" || event.kind === "reset" || event.kind === "files") return;
      this.render();
    });
    this.render();
  }

  /** The panel became visible: brings it up to date and takes focus. */
  show(): void {
    void this.refresh();
    this.element.focus({ preventScroll: true });
  }

  dispose(): void {
    this.disposed = true;
    this.stopListening();
  }

  private async refresh(): Promise<void> {
    await Promise.all([this.host.session.refreshParticipants(), this.loadInvites()]);
  }

  private render(): void {
    const session = this.host.session;
    const owner = session.isOwner && session.endedReason === null;
    this.inviteButton.hidden = !owner;
    this.invitesSection.hidden = !owner;
    const open = session.threads.filter((thread) => !thread.resolved).length;
    this.commentsButton.textContent = open > 0 ? `Comments · ${open} open` : "Comments";
    // Leaving forgets the session on this machine; the room stays on its relay for the others.
    this.leaveButton.textContent = session.isOwner ? "Stop sharing on this machine" : "Leave session";
    const where = session.info.hostedLocally ? "Hosted on this computer" : `On ${session.info.server}`;
    const state = session.endedReason !== null ? `Ended: ${session.endedReason}` : CONNECTION_LABELS[session.connection];
    this.summary.textContent = `${where} · you are ${ROLE_LABELS[session.info.role].toLowerCase()} · ${state}`;
    this.problem.textContent = session.participantsProblem ? `Cannot load the participants: ${session.participantsProblem}` : "";
    const rows = this.rows();
    const followed = this.host.followedClient();
    const key = JSON.stringify([rows.map((row) => [row.participant, row.self, row.presence, row.peer?.clientId, row.peer?.color, row.peer?.path]), followed, owner]);
    if (key === this.shown) return;
    this.shown = key;
    if (rows.length === 0) {
      this.list.replaceChildren(h("li", { className: "muted collab-empty", text: session.participantsProblem ? "" : "Loading…" }));
      return;
    }
    this.list.replaceChildren(...rows.map((row) => this.row(row, owner, followed)));
  }

  private rows(): Row[] {
    const session = this.host.session;
    const self = session.self();
    return session.participants
      .map((participant) => {
        const isSelf = participant === self;
        const presence: PresenceState = isSelf ? (session.connection === "connected" ? "online" : "offline") : presenceOf(participant, session.peers);
        return { participant, self: isSelf, presence, peer: isSelf ? undefined : peerOf(participant, session.peers) };
      })
      .sort((a, b) => Number(b.self) - Number(a.self) || ROLE_ORDER[a.participant.role] - ROLE_ORDER[b.participant.role] || a.participant.name.localeCompare(b.participant.name));
  }

  private row(row: Row, owner: boolean, followed: number | null): HTMLElement {
    const { participant, peer } = row;
    const color = row.self ? safeColor(this.host.session.info.color) : peer ? safeColor(peer.color) : "var(--fg-subtle)";
    const canFollow = peer !== undefined && peer.path !== null && row.presence !== "offline";
    const isFollowed = canFollow && peer.clientId === followed;
    const where = peer?.path ? ` · in ${baseName(peer.path)}` : "";
    const avatar = h("span", { className: "collab-avatar", text: participant.name.charAt(0).toUpperCase(), attributes: { "aria-hidden": "true" } });
    avatar.style.setProperty("--peer-color", color);
    const main = h(
      canFollow ? "button" : "div",
      {
        className: "collab-participant-main",
        title: canFollow ? `Follow ${participant.name}` : undefined,
        attributes: canFollow ? { type: "button" } : {},
        on: canFollow ? { click: () => this.host.follow(peer.clientId) } : {},
      },
      avatar,
      h(
        "span",
        { className: "collab-participant-text" },
        h("span", { className: "collab-participant-name", text: row.self ? `${participant.name} (you)` : participant.name }),
        h("span", { className: `collab-presence ${row.presence}`, text: `${PRESENCE_LABELS[row.presence]}${row.presence === "offline" ? "" : where}` }),
      ),
    );
    const manageable = owner && !row.self && participant.role !== "owner";
    return h(
      "li",
      {
        className: `collab-participant${isFollowed ? " following" : ""}`,
        testId: "collab-participant",
        attributes: {
          "data-name": participant.name,
          "data-role": participant.role,
          "data-presence": row.presence,
          "data-self": String(row.self),
          "data-participant": String(participant.participantId),
        },
      },
      main,
      manageable ? this.roleSelect(participant) : h("span", { className: "badge collab-role", text: ROLE_LABELS[participant.role] }),
      canFollow && !isFollowed ? h("button", { className: "link-button collab-follow", testId: "collab-follow", text: "Follow", attributes: { type: "button" }, on: { click: () => this.host.follow(peer.clientId) } }) : null,
      isFollowed ? h("span", { className: "collab-following-badge", text: "Following" }) : null,
      manageable
        ? h(
            "button",
            {
              className: "icon-button collab-remove",
              testId: "collab-remove",
              title: `Remove ${participant.name}`,
              attributes: { type: "button", "aria-label": `Remove ${participant.name}` },
              on: { click: () => void this.remove(participant) },
            },
            icon("close"),
          )
        : null,
    );
  }

  private roleSelect(participant: Participant): HTMLSelectElement {
    const select = h(
      "select",
      { className: "text-input collab-role-select", testId: "collab-role-select", attributes: { "aria-label": `Role of ${participant.name}` } },
      ...choiceOptions([
        { value: "editor", label: ROLE_LABELS.editor },
        { value: "viewer", label: ROLE_LABELS.viewer },
      ]),
    );
    select.value = participant.role;
    select.addEventListener("change", () => void this.setRole(participant, select.value === "viewer" ? "viewer" : "editor"));
    return select;
  }

  private async setRole(participant: Participant, role: CollabRole): Promise<void> {
    try {
      await call("collab_set_role", { projectId: this.host.session.projectId, participantId: participant.participantId, role });
    } catch (error) {
      showError(`Cannot change ${participant.name}'s role: ${errorMessage(error)}`);
    }
    this.shown = "";
    await this.host.session.refreshParticipants();
  }

  private async remove(participant: Participant): Promise<void> {
    const action = await showModal({
      title: `Remove ${participant.name} from the session?`,
      message: "They lose access at once. An invite link brings them back.",
      buttons: [
        { action: "remove", label: "Remove", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "remove" || this.disposed) return;
    try {
      await call("collab_remove_participant", { projectId: this.host.session.projectId, participantId: participant.participantId });
    } catch (error) {
      showError(`Cannot remove ${participant.name}: ${errorMessage(error)}`);
    }
    await this.host.session.refreshParticipants();
  }

  private async invite(): Promise<void> {
    await this.host.invite();
    if (!this.disposed) await this.loadInvites();
  }

  private async loadInvites(): Promise<void> {
    const session = this.host.session;
    if (!session.isOwner || session.endedReason !== null) return;
    try {
      const invites = await call("collab_invites", { projectId: session.projectId });
      if (!this.disposed) this.renderInvites(invites.filter((invite) => !invite.revoked));
    } catch (error) {
      if (!this.disposed) this.invitesList.replaceChildren(h("li", { className: "form-error", text: `Cannot load the invite links: ${errorMessage(error)}` }));
    }
  }

  private renderInvites(invites: readonly Invite[]): void {
    if (invites.length === 0) {
      this.invitesList.replaceChildren(h("li", { className: "muted", text: "No active links." }));
      return;
    }
    const now = Date.now();
    this.invitesList.replaceChildren(
      ...invites.map((invite) =>
        h(
          "li",
          { className: "collab-invite", testId: "collab-invite", attributes: { "data-role": invite.role } },
          h("span", { className: "collab-invite-text", text: inviteSummary(invite, now) }),
          h("button", { className: "link-button collab-revoke", testId: "collab-revoke-invite", text: "Revoke", attributes: { type: "button" }, on: { click: () => void this.revoke(invite) } }),
        ),
      ),
    );
  }

  private async revoke(invite: Invite): Promise<void> {
    try {
      await call("collab_revoke_invite", { projectId: this.host.session.projectId, inviteId: invite.id });
    } catch (error) {
      showError(`Cannot revoke the link: ${errorMessage(error)}`);
    }
    await this.loadInvites();
  }
}
