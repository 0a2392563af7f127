import type { SessionInfo } from "../bindings";
import type { Documents } from "../documents";
import type { EditorHost } from "../editor-host";
import { errorMessage } from "../ipc";
import { showError, showNotice } from "../notices";
import { typingText } from "./presence";
import { CollabSession, type SessionEvent } from "./session";
import { SharedDocuments } from "./shared-documents";
import type { CollabBanner, CollabStatus } from "./status";

export interface WorkbenchCollabHost {
  readonly documents: Documents;
  readonly editor: EditorHost;
  readonly status: CollabStatus;
  readonly banner: CollabBanner;
  /** The shared file list changed (Rust also mirrors it to disk): refresh the explorer. */
  filesChanged(): void;
}

/**
 * A shared project in its workbench: the session and its events, the tabs
 * bound to the shared document, and what the status bar and the banner say.
 * Other views (participants, comments, history) use `session`.
 */
export class WorkbenchCollab {
  readonly session: CollabSession;
  readonly shared: SharedDocuments;
  private readonly stopListening: () => void;

  private constructor(
    info: SessionInfo,
    private readonly host: WorkbenchCollabHost,
  ) {
    this.session = new CollabSession(info);
    this.shared = new SharedDocuments({ session: this.session, documents: host.documents, editor: host.editor });
    this.stopListening = this.session.on((event) => this.handle(event));
    this.render();
  }

  /**
   * Starts the session's events, then binds the open tabs (so no change made
   * while they are read again is missed).
   */
  static async start(info: SessionInfo, host: WorkbenchCollabHost): Promise<WorkbenchCollab> {
    const collab = new WorkbenchCollab(info, host);
    try {
      await collab.session.subscribe();
    } catch (error) {
      showError(`Cannot follow the shared session: ${errorMessage(error)}`);
    }
    await host.documents.share(collab.shared);
    return collab;
  }

  dispose(): void {
    this.stopListening();
    this.shared.dispose();
    this.session.dispose();
  }

  private handle(event: SessionEvent): void {
    switch (event.kind) {
      case "files":
        this.host.filesChanged();
        return;
      case "ended":
        showNotice(`The session ended: ${event.reason}`, { kind: "error", testId: "collab-ended", timeoutMs: null });
        this.render();
        return;
      case "follow":
        this.host.status.showFollowing(event.name);
        return;
      case "status":
      case "peers":
      case "role":
        this.render();
        return;
      default:
        return;
    }
  }

  private render(): void {
    const { session } = this;
    const { status, banner } = this.host;
    const where = session.info.hostedLocally ? "Hosted on this computer" : `Shared on ${session.info.server}`;
    status.showSharing(true, session.isOwner && session.endedReason === null);
    status.showConnection(session.endedReason !== null ? "ended" : session.connection, session.peers.length, `${where} as ${session.info.role}. Show the participants.`);
    status.showTyping(session.endedReason === null ? typingText(session.peers) : "");
    banner.show(session.info.role, session.endedReason);
  }
}
