import { Annotation, type ChangeSet, Compartment, EditorSelection, EditorState, type Extension, Prec, type StateEffect, Transaction } from "@codemirror/state";
import { EditorView, keymap, type ViewUpdate } from "@codemirror/view";
import type { CursorArgs, Peer, SharedText } from "../bindings";
import type { Documents, OpenDocument, SharedBacking } from "../documents";
import type { EditorHost } from "../editor-host";
import { call, errorMessage } from "../ipc";
import { minimalReplacement } from "../minimal-change";
import { isModalOpen } from "../modal";
import { showError, showNotice } from "../notices";
import { baseName } from "../paths";
import { commentsGutter, threadsEffect, threadsForPath } from "./comments-gutter";
import { Throttle, TypingTimer } from "./cursor-throttle";
import { EditTrack } from "./edit-track";
import { cursorsIn, remoteCursors, setRemoteCursors } from "./remote-cursors";
import type { CollabSession, SessionEvent } from "./session";
import { SHARED_LINE_SEPARATOR } from "./text-changes";

/** Marks transactions that bring in changes from Rust (peers, undo, redo, restore): never sent back. */
export const remoteEdit = Annotation.define<boolean>();

const CURSOR_INTERVAL_MS = 100;
const TYPING_HOLD_MS = 2_000;
const FAILURE_REPORT_INTERVAL_MS = 5_000;
/**
 * How long a refused edit waits for the remote changes Rust made first (they
 * are already on their way over the channel); past it the tab takes Rust's text.
 */
const REMOTE_WAIT_MS = 2_000;
/** How long after undo or redo returned its change may still arrive (and move the cursor to it). */
const REVEAL_WAIT_MS = 1_000;

/** Transactions by which the person moved or typed: they end follow mode. */
function isOwnMove(transaction: Transaction): boolean {
  return ["select", "input", "delete", "move", "undo", "redo"].some((event) => transaction.isUserEvent(event));
}

export interface SharedDocumentsHost {
  readonly session: CollabSession;
  readonly documents: Documents;
  readonly editor: EditorHost;
  /** Clicks in the comment gutter: a line's thread, or a new comment on a line (1-based) starting at `index`. */
  readonly comments: {
    open(threadId: string): void;
    add(path: string, line: number, index: number): void;
  };
}

interface SharedState {
  track: EditTrack;
  /** Bumped by every change to the tab's text, so a read of Rust's text knows when it is out of date. */
  generation: number;
  /** The tab and Rust may differ (a failed edit, a missing change): it takes Rust's text before sending more. */
  stale: boolean;
  /** Wakes a refused edit waiting for remote changes. */
  wake: (() => void) | null;
}

type FileEvent = Extract<SessionEvent, { kind: "text" | "reset" }>;

/**
 * Binds the tabs of a shared project to the shared document in Rust: opens
 * files from it, sends every local change set (in order, one call each),
 * applies remote changes without moving the local cursor, runs undo and redo
 * in Rust, publishes our cursor, draws everyone else's, and follows a peer.
 */
export class SharedDocuments implements SharedBacking {
  private readonly states = new WeakMap<OpenDocument, SharedState>();
  /** Edits, undo and redo reach Rust one at a time, in the order they were made. */
  private queue: Promise<void> = Promise.resolve();
  private readonly readOnlySlot = new Compartment();
  /**
   * Files read for a tab that does not exist yet, with their events since:
   * the read and the channel are not ordered, and the tab replays those
   * its text does not have yet (by seq).
   */
  private readonly opening = new Map<string, FileEvent[]>();
  private readonly cursor = new Throttle<CursorArgs>(CURSOR_INTERVAL_MS, (args) => this.publishCursor(args));
  private readonly typing = new TypingTimer(TYPING_HOLD_MS, () => this.sendCursor());
  /** After undo or redo, the change that comes back moves the cursor to it. */
  private revealNextChangeIn: OpenDocument | null = null;
  private following: { clientId: number; name: string } | null = null;
  /** Follow mode is opening the followed peer's file: that tab switch is not the person's. */
  private followOpening = false;
  private lastFailureReport = 0;
  private disposed = false;
  private readonly stopListening: () => void;
  private readonly onKeyDown = (event: KeyboardEvent) => {
    // Escape in a dialog closes the dialog, nothing more.
    if (event.key === "Escape" && this.following && !isModalOpen()) this.stopFollowing();
  };

  constructor(private readonly host: SharedDocumentsHost) {
    this.stopListening = host.session.on((event) => this.handle(event));
    window.addEventListener("keydown", this.onKeyDown, true);
  }

  private get session(): CollabSession {
    return this.host.session;
  }

  private get documents(): Documents {
    return this.host.documents;
  }

  // ---- SharedBacking

  async read(path: string): Promise<SharedText> {
    if (!this.opening.has(path)) this.opening.set(path, []);
    try {
      return await call("collab_read", { projectId: this.session.projectId, path });
    } catch (error) {
      this.opening.delete(path);
      throw error;
    }
  }

  opened(document: OpenDocument, seq: number): void {
    const state: SharedState = { track: new EditTrack(seq), generation: 0, stale: false, wake: null };
    this.states.set(document, state);
    const early = this.opening.get(document.path) ?? [];
    this.opening.delete(document.path);
    for (const event of early) this.applyFileEvent(document, state, event);
    this.documents.dispatchTo(document, {
      effects: [setRemoteCursors.of(cursorsIn(document.path, this.session.peers, document.state.doc.length)), this.threadsOf(document.path)],
    });
  }

  renamed(document: OpenDocument): void {
    // Rust moved the text to a new file, with its own count of changes.
    this.requestResync(document);
  }

  extensions(): Extension {
    const history = (command: "collab_undo" | "collab_redo") => () => {
      void this.runHistory(command);
      // Handled even when nothing happens: CodeMirror's own history must never undo a shared tab.
      return true;
    };
    return [
      EditorState.lineSeparator.of(SHARED_LINE_SEPARATOR),
      this.readOnlySlot.of(this.readOnlyExtension()),
      remoteCursors(),
      commentsGutter({
        open: (threadId) => this.host.comments.open(threadId),
        add: ({ line, index }) => {
          const path = this.documents.active?.path;
          if (path !== undefined) this.host.comments.add(path, line, index);
        },
      }),
      Prec.highest(
        keymap.of([
          { key: "Mod-z", run: history("collab_undo"), preventDefault: true },
          { key: "Mod-y", run: history("collab_redo"), preventDefault: true },
          { key: "Mod-Shift-z", run: history("collab_redo"), preventDefault: true },
        ]),
      ),
    ];
  }

  update(document: OpenDocument, update: ViewUpdate): void {
    let local = false;
    let edited = false;
    for (const transaction of update.transactions) {
      if (transaction.annotation(remoteEdit)) continue;
      local = true;
      if (transaction.docChanged) {
        this.sendEdit(document, transaction);
        edited = true;
      }
      if (this.following && isOwnMove(transaction)) this.stopFollowing();
    }
    if (edited) this.typing.touch();
    // Rust keeps our cursor on its characters while others edit; only our own moves are news (and activity).
    if (local && (update.docChanged || update.selectionSet)) this.sendCursor();
  }

  // ---- for the workbench

  /** The active tab changed: publish where we are now; a switch by the person ends follow mode. */
  activeChanged(): void {
    const active = this.documents.active;
    if (this.following && !this.followOpening) {
      const peer = this.session.peers.find((candidate) => candidate.clientId === this.following?.clientId);
      if (peer?.path !== active?.path) this.stopFollowing();
    }
    this.sendCursor();
  }

  get followedClient(): number | null {
    return this.following?.clientId ?? null;
  }

  /** Opens a peer's file and keeps their cursor in view until the person moves or presses Escape. */
  follow(clientId: number): void {
    const peer = this.session.peers.find((candidate) => candidate.clientId === clientId);
    if (!peer) return;
    this.following = { clientId, name: peer.name };
    this.session.announce({ kind: "follow", clientId, name: peer.name });
    void this.keepInView(peer);
  }

  stopFollowing(): void {
    if (!this.following) return;
    this.following = null;
    this.session.announce({ kind: "follow", clientId: null, name: null });
  }

  dispose(): void {
    this.disposed = true;
    this.stopListening();
    window.removeEventListener("keydown", this.onKeyDown, true);
    this.cursor.cancel();
    this.typing.cancel();
    this.opening.clear();
  }

  // ---- events from Rust

  private handle(event: SessionEvent): void {
    switch (event.kind) {
      case "text":
      case "reset":
        this.receiveFileEvent(event);
        return;
      case "peers":
        this.showPeers(event.peers);
        return;
      case "comments":
        this.showThreads();
        return;
      case "files":
        this.followFileList(event.paths);
        return;
      case "denied":
        showNotice("You are a viewer: your change was not applied", { kind: "error", testId: "collab-denied" });
        // The change is in the editor but not in the document: take Rust's text back.
        for (const document of this.sharedTabs()) this.requestResync(document);
        return;
      case "ended":
        this.cursor.cancel();
        this.typing.cancel();
        this.stopFollowing();
        this.applyReadOnly();
        return;
      case "role":
        this.applyReadOnly();
        return;
      default:
        return;
    }
  }

  private receiveFileEvent(event: FileEvent): void {
    const document = this.documents.tabs.find(event.path);
    if (document?.shared) this.applyFileEvent(document, this.stateOf(document), event);
    else this.opening.get(event.path)?.push(event);
  }

  private applyFileEvent(document: OpenDocument, state: SharedState, event: FileEvent): void {
    const { track } = state;
    // Already in the text the tab was given.
    if (event.seq <= track.seq) return;
    if (event.kind === "reset") {
      // A peer deleted the file and created it again: what was pending was about the old text.
      this.replaceText(document, state, event.text, event.seq);
      return;
    }
    let remote: ChangeSet | null = null;
    // A change missing before this one, or changes that do not fit the text: the tab and Rust differ already.
    let fits = event.seq === track.seq + 1;
    try {
      if (fits) remote = track.remote(event.changes, document.state.doc.length);
    } catch {
      fits = false;
    }
    if (!fits) return this.requestResync(document);
    if (remote) this.applyChanges(document, state, remote);
    state.wake?.();
  }

  private applyChanges(document: OpenDocument, state: SharedState, changes: ChangeSet): void {
    state.generation++;
    let selection: EditorSelection | undefined;
    if (this.revealNextChangeIn === document) {
      this.revealNextChangeIn = null;
      let end = -1;
      changes.iterChangedRanges((_fromA, _toA, _fromB, toB) => (end = toB));
      if (end >= 0) selection = EditorSelection.single(end);
    }
    this.documents.dispatchTo(document, {
      changes,
      selection,
      scrollIntoView: selection !== undefined,
      annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
    });
  }

  /** Gives the tab Rust's whole text at `seq` (outside its undo history); pending edits are dropped. */
  private replaceText(document: OpenDocument, state: SharedState, text: string, seq: number): void {
    state.track.reset(seq);
    state.stale = false;
    state.generation++;
    const current = document.state.doc.sliceString(0, document.state.doc.length, SHARED_LINE_SEPARATOR);
    if (current !== text) {
      // The smallest replacement keeps the cursor and the comment markers where the text did not change.
      this.documents.dispatchTo(document, {
        changes: minimalReplacement(current, text),
        annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
      });
    }
    state.wake?.();
  }

  private showPeers(peers: readonly Peer[]): void {
    for (const document of this.sharedTabs()) {
      this.documents.dispatchTo(document, { effects: setRemoteCursors.of(cursorsIn(document.path, peers, document.state.doc.length)) });
    }
    if (!this.following) return;
    const followed = peers.find((peer) => peer.clientId === this.following?.clientId);
    if (followed) {
      void this.keepInView(followed);
    } else {
      showNotice(`${this.following.name} left: no longer following`);
      this.stopFollowing();
    }
  }

  /** Each shared tab's comment threads, and whether a line can get a new one. */
  private showThreads(): void {
    for (const document of this.sharedTabs()) this.documents.dispatchTo(document, { effects: this.threadsOf(document.path) });
  }

  private threadsOf(path: string): StateEffect<unknown> {
    return threadsEffect(threadsForPath(this.session.threads, path), !this.session.readOnly);
  }

  /** Tabs of files that left the shared project are marked deleted (and unmarked if they come back). */
  private followFileList(paths: readonly string[]): void {
    const present = new Set(paths);
    for (const document of this.sharedTabs()) this.documents.setDeleted(document, !present.has(document.path));
  }

  private applyReadOnly(): void {
    const effect = this.readOnlySlot.reconfigure(this.readOnlyExtension());
    for (const document of this.sharedTabs()) this.documents.dispatchTo(document, { effects: [effect, this.threadsOf(document.path)] });
  }

  private readOnlyExtension(): Extension {
    return this.session.readOnly ? EditorState.readOnly.of(true) : [];
  }

  // ---- local edits, undo, redo

  private sendEdit(document: OpenDocument, transaction: Transaction): void {
    const state = this.stateOf(document);
    state.track.add(transaction.changes);
    state.generation++;
    this.enqueue(() => this.flush(document, state));
  }

  /**
   * Sends the tab's pending edits, one call at a time. A refused edit (a
   * remote change came first) is sent again, rebased, once the remote
   * changes Rust made before it arrived.
   */
  private async flush(document: OpenDocument, state: SharedState): Promise<void> {
    while (!this.disposed) {
      if (state.stale) return this.resync(document, state);
      const edit = state.track.next();
      if (!edit) {
        if (!state.track.waiting) return;
        if (!(await this.remoteArrival(state))) state.stale = true;
        continue;
      }
      const { changes, seen } = state.track.send(edit);
      let held: ChangeSet | null;
      try {
        const outcome = await call("collab_edit", { projectId: this.session.projectId, path: document.path, seen, changes });
        held = state.track.settled(edit, document.state.doc.length, outcome);
        // Refused without Rust having seen more than we did: the counts disagree, and sending again would loop.
        if (!outcome.applied && outcome.seq <= seen) state.stale = true;
      } catch (error) {
        held = state.track.failed(edit, document.state.doc.length);
        this.reportFailure(`Your change to ${baseName(document.path)} was not applied: ${errorMessage(error)}`);
        state.stale = true;
      }
      if (held && this.isOpen(document)) this.applyChanges(document, state, held);
    }
  }

  /** Resolves true when a remote change of the file arrived, false after REMOTE_WAIT_MS without one. */
  private remoteArrival(state: SharedState): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        state.wake = null;
        resolve(false);
      }, REMOTE_WAIT_MS);
      state.wake = () => {
        clearTimeout(timer);
        state.wake = null;
        resolve(true);
      };
    });
  }

  private async runHistory(command: "collab_undo" | "collab_redo"): Promise<void> {
    const document = this.documents.active;
    if (!document?.shared || this.session.readOnly) return;
    const path = document.path;
    await this.enqueue(async () => {
      this.revealNextChangeIn = document;
      try {
        const changed = await call(command, { projectId: this.session.projectId, path });
        // Its change comes over the channel, usually first; a late one is still awaited a moment.
        if (!changed) this.revealNextChangeIn = null;
        else setTimeout(() => this.revealNextChangeIn === document && (this.revealNextChangeIn = null), REVEAL_WAIT_MS);
      } catch (error) {
        this.revealNextChangeIn = null;
        showError(`Cannot ${command === "collab_undo" ? "undo" : "redo"}: ${errorMessage(error)}`);
      }
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    // Each task reports its own failures; an unexpected one must not stop the queue.
    this.queue = this.queue.then(task).catch((error: unknown) => this.reportFailure(`Cannot send your changes: ${errorMessage(error)}`));
    return this.queue;
  }

  private reportFailure(message: string): void {
    // A burst of refused keystrokes is one problem, told once.
    if (Date.now() - this.lastFailureReport < FAILURE_REPORT_INTERVAL_MS) return;
    this.lastFailureReport = Date.now();
    showError(message);
  }

  /** The tab takes Rust's text once the edits sent before it are settled. */
  private requestResync(document: OpenDocument): void {
    const state = this.stateOf(document);
    state.stale = true;
    state.wake?.();
    this.enqueue(() => (state.stale ? this.resync(document, state) : Promise.resolve()));
  }

  /** Reads Rust's text and count of the file and gives them to the tab. */
  private async resync(document: OpenDocument, state: SharedState): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.disposed || !this.isOpen(document) || this.session.endedReason !== null) return;
      const generation = state.generation;
      let shared: SharedText;
      try {
        shared = await call("collab_read", { projectId: this.session.projectId, path: document.path });
      } catch {
        // The file left the shared project; the file list event marks the tab.
        return;
      }
      if (!this.isOpen(document)) return;
      // Changed while it was read: read again (a few times; then a later change that is missing starts this over).
      if (state.generation !== generation && attempt < 3) continue;
      this.replaceText(document, state, shared.text, shared.seq);
      return;
    }
  }

  // ---- cursors and follow mode

  private sendCursor(): void {
    if (this.session.endedReason !== null) return;
    const document = this.documents.active;
    const projectId = this.session.projectId;
    if (!document?.shared) {
      this.cursor.push({ projectId, path: null, anchor: 0, head: 0, typing: false });
      return;
    }
    const { anchor, head } = document.state.selection.main;
    this.cursor.push({ projectId, path: document.path, anchor, head, typing: this.typing.typing });
  }

  private publishCursor(args: CursorArgs): void {
    call("collab_cursor", args).catch((error: unknown) => this.reportFailure(`Cannot share your cursor: ${errorMessage(error)}`));
  }

  private async keepInView(peer: Peer): Promise<void> {
    if (peer.path === null || peer.head === null) return;
    let document = this.documents.active;
    if (document?.path !== peer.path) {
      this.followOpening = true;
      try {
        document = (await this.documents.open(peer.path, { focus: false })) ?? undefined;
      } finally {
        this.followOpening = false;
      }
    }
    if (!this.following || !document || document !== this.documents.active) return;
    const position = Math.min(peer.head, document.state.doc.length);
    this.host.editor.view.dispatch({ effects: EditorView.scrollIntoView(position, { y: "nearest", yMargin: 60 }) });
  }

  private sharedTabs(): OpenDocument[] {
    return this.documents.tabs.all.filter((document) => document.shared);
  }

  private isOpen(document: OpenDocument): boolean {
    return document.shared && this.documents.tabs.all.includes(document);
  }

  private stateOf(document: OpenDocument): SharedState {
    let state = this.states.get(document);
    if (!state) {
      // Every shared tab is bound as it opens (`opened`); one that was not takes Rust's text first.
      state = { track: new EditTrack(), generation: 0, stale: true, wake: null };
      this.states.set(document, state);
    }
    return state;
  }
}
