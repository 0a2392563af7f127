import type { CollabEvent, CollabRole, CommentThread, ConnectionState, Participant, Peer, SessionInfo } from "../bindings";
import { call, errorMessage, stream } from "../ipc";
import type { Me } from "./comments-model";

/**
 * What a shared project's window hears: Rust's collaboration events, and the
 * window's own: the member list was reloaded, our role changed, follow mode
 * started or stopped.
 */
export type SessionEvent =
  | CollabEvent
  | { kind: "participants"; participants: readonly Participant[] }
  | { kind: "role"; role: CollabRole }
  | { kind: "follow"; clientId: number | null; name: string | null };

export type SessionListener = (event: SessionEvent) => void;

/**
 * A shared project as the window sees it: the session, the connection, who
 * is here, the comment threads. The state lives in Rust; this keeps the
 * latest of each event for views that open later (the participants,
 * comments and history panels subscribe with `on`).
 */
export class CollabSession {
  connection: ConnectionState = "connecting";
  peers: readonly Peer[] = [];
  threads: readonly CommentThread[] = [];
  /** The shared files, once Rust sent them. */
  files: readonly string[] | null = null;
  participants: readonly Participant[] = [];
  /** Why the last member list could not be loaded, if it could not. */
  participantsProblem: string | null = null;
  /** Set once we were removed from the room or lost access: nothing more can be changed. */
  endedReason: string | null = null;
  private readonly listeners = new Set<SessionListener>();
  /** Who is connected (ids and names): the member list is reloaded when it changes. */
  private peersKey = "";
  private participantsGeneration = 0;
  private disposed = false;

  constructor(public info: SessionInfo) {}

  get projectId(): number {
    return this.info.projectId;
  }

  get isOwner(): boolean {
    return this.info.role === "owner";
  }

  /** This person as comments name their authors. */
  get me(): Me {
    return { id: String(this.info.participantId), role: this.info.role };
  }

  /** Edits are refused: we are a viewer, or the session ended. */
  get readOnly(): boolean {
    return this.info.role === "viewer" || this.endedReason !== null;
  }

  /** Starts the event stream (the command returns at once; the channel keeps delivering). */
  async subscribe(): Promise<void> {
    await stream("collab_subscribe", { projectId: this.projectId }, (event) => this.receive(event));
    void this.refreshParticipants();
  }

  /** Listens to every event from now on; returns the way to stop. */
  on(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  receive(event: CollabEvent): void {
    if (this.disposed) return;
    switch (event.kind) {
      case "status":
        this.connection = event.state;
        break;
      case "peers": {
        this.peers = event.peers;
        const key = event.peers.map((peer) => `${peer.clientId}:${peer.name}`).sort().join("\n");
        if (key !== this.peersKey) {
          this.peersKey = key;
          void this.refreshParticipants();
        }
        break;
      }
      case "comments":
        this.threads = event.threads;
        break;
      case "files":
        this.files = event.paths;
        break;
      case "ended":
        this.endedReason = event.reason;
        break;
      case "text":
      case "reset":
      case "denied":
        break;
    }
    this.emit(event);
  }

  /** Our own row in the member list. */
  self(participants: readonly Participant[] = this.participants): Participant | undefined {
    return participants.find((participant) => participant.participantId === this.info.participantId);
  }

  /** Reloads the member list (after people came or went, or the owner changed it). */
  async refreshParticipants(): Promise<void> {
    if (this.disposed || this.endedReason !== null) return;
    const generation = ++this.participantsGeneration;
    try {
      const participants = await call("collab_participants", { projectId: this.projectId });
      if (generation !== this.participantsGeneration || this.disposed) return;
      this.participants = participants;
      this.participantsProblem = null;
      const role = this.self(participants)?.role;
      this.emit({ kind: "participants", participants });
      if (role && role !== this.info.role) {
        this.info = { ...this.info, role };
        this.emit({ kind: "role", role });
      }
    } catch (error) {
      if (generation !== this.participantsGeneration || this.disposed) return;
      this.participantsProblem = errorMessage(error);
      this.emit({ kind: "participants", participants: this.participants });
    }
  }

  /** Tells every listener about something the window did (follow mode). */
  announce(event: Extract<SessionEvent, { kind: "follow" }>): void {
    if (!this.disposed) this.emit(event);
  }

  dispose(): void {
    // Rust replaces the channel when the project is subscribed again; until then its events are ignored.
    this.disposed = true;
    this.listeners.clear();
  }

  private emit(event: SessionEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
