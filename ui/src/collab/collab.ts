import type { SessionInfo } from "../bindings";
import type { Documents } from "../documents";
import type { EditorHost } from "../editor-host";
import { errorMessage } from "../ipc";
import { showError, showNotice } from "../notices";
import type { CommentsPanel } from "./comments-panel";
import type { HistoryPanel } from "./history-panel";
import { typingText } from "./presence";
import { CollabSession, type SessionEvent } from "./session";
import { SharedDocuments, type SharedDocumentsHost } from "./shared-documents";
import type { CollabBanner, CollabStatus } from "./status";

export interface WorkbenchCollabHost {
  readonly documents: Documents;
  readonly editor: EditorHost;
  readonly status: CollabStatus;
  readonly banner: CollabBanner;
  /** The shared file list changed (Rust also mirrors it to disk): refresh the explorer. */
  filesChanged(): void;
  /** Clicks in the comment gutter. */
  readonly comments: SharedDocumentsHost["comments"];
}

/**
 * A shared project in its workbench: the session and its events, the tabs
 * bound to the shared document, what the status bar and the banner say, and
 * the comments and history panels once they are loaded.
 */
export class WorkbenchCollab {
  readonly session: CollabSession;
  readonly shared: SharedDocuments;
  private commentsPanel: CommentsPanel | null = null;
  private historyPanel: HistoryPanel | null = null;
  private readonly stopListening: () => void;

  private constructor(
    info: SessionInfo,
    private readonly host: WorkbenchCollabHost,
  ) {
    this.session = new CollabSession(info);
    this.shared = new SharedDocuments({ session: this.session, documents: host.documents, editor: host.editor, comments: host.comments });
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

  /** The comments panel, once loaded. */
  get comments(): CommentsPanel | null {
    return this.commentsPanel;
  }

  /** The comments panel was loaded: it follows the threads and our role from now on. */
  attachComments(panel: CommentsPanel): void {
    this.commentsPanel = panel;
    panel.update(this.session.threads);
  }

  /** The history panel was loaded: it follows our role from now on. */
  attachHistory(panel: HistoryPanel): void {
    this.historyPanel = panel;
  }

  /** Ctrl/Cmd+S: a version of the shared files, with the history panel's message if it has one. */
  async saveVersion(): Promise<void> {
    if (this.historyPanel) return this.historyPanel.saveVersion();
    const { saveCheckpoint } = await import("./history-panel");
    await saveCheckpoint(this.session.projectId, this.session.info.role);
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
      case "comments":
        this.commentsPanel?.update(event.threads);
        return;
      case "role":
        this.commentsPanel?.setMe(this.session.me);
        this.historyPanel?.setRole(event.role);
        this.render();
        return;
      case "status":
      case "peers":
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
