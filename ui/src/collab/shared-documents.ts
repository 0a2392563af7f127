import { Annotation, Compartment, EditorSelection, EditorState, type Extension, Prec, Transaction } from "@codemirror/state";
import { EditorView, keymap, type ViewUpdate } from "@codemirror/view";
import type { CursorArgs, Peer, TextChange } from "../bindings";
import type { Documents, OpenDocument, SharedBacking } from "../documents";
import type { EditorHost } from "../editor-host";
import { call, errorMessage } from "../ipc";
import { minimalReplacement } from "../minimal-change";
import { isModalOpen } from "../modal";
import { showError, showNotice } from "../notices";
import { baseName } from "../paths";
import { Throttle, TypingTimer } from "./cursor-throttle";
import { EditTrack, type RemoteChanges } from "./edit-track";
import { cursorsIn, remoteCursors, setRemoteCursors } from "./remote-cursors";
import type { CollabSession, SessionEvent } from "./session";
import { SHARED_LINE_SEPARATOR } from "./text-changes";

/** Marks transactions that bring in changes from Rust (peers, undo, redo, restore): never sent back. */
export const remoteEdit = Annotation.define<boolean>();

const CURSOR_INTERVAL_MS = 100;
const TYPING_HOLD_MS = 2_000;
/** How long the text must be still before the editor is compared with Rust after a doubtful moment. */
const RECONCILE_DELAY_MS = 400;
/** A file read from the shared document counts as opening this long (its tab may not exist yet). */
const OPENING_MS = 5_000;
const FAILURE_REPORT_INTERVAL_MS = 5_000;
/**
 * A remote change this soon after Rust's text was read may already be in
 * what was read (the channel and command replies are not ordered): compare again.
 */
const AFTER_SYNC_MS = 1_000;
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
}

interface SharedState {
  track: EditTrack;
  /** Bumped by every change to the tab's text, so a comparison with Rust knows when it is stale. */
  generation: number;
  /** When the tab was last compared with Rust's text. */
  syncedAt: number;
}

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
  private readonly reconcileTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly openingSince = new Map<string, number>();
  private readonly cursor = new Throttle<CursorArgs>(CURSOR_INTERVAL_MS, (args) => this.publishCursor(args));
  private readonly typing = new TypingTimer(TYPING_HOLD_MS, () => this.sendCursor());
  /** After undo or redo, the change that comes back moves the cursor to it. */
  private revealNextChangeIn: OpenDocument | null = null;
  private following: { clientId: number; name: string } | null = null;
  /** Follow mode is opening the followed peer's file: that tab switch is not the person's. */
  private followOpening = false;
  private lastFailureReport = 0;
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

  async read(path: string): Promise<string> {
    this.openingSince.set(path, Date.now());
    return call("collab_read", { projectId: this.session.projectId, path });
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

  /**
   * The active tab changed: publish where we are now, draw the cursors in a
   * newly opened file at once; a switch by the person ends follow mode.
   */
  activeChanged(): void {
    const active = this.documents.active;
    if (this.following && !this.followOpening) {
      const peer = this.session.peers.find((candidate) => candidate.clientId === this.following?.clientId);
      if (peer?.path !== active?.path) this.stopFollowing();
    }
    if (active?.shared && !this.states.has(active)) {
      this.stateOf(active);
      this.documents.dispatchTo(active, { effects: setRemoteCursors.of(cursorsIn(active.path, this.session.peers, active.state.doc.length)) });
    }
    this.sendCursor();
  }

  /** Saves a named point in the shared history (what Ctrl+S does in a shared project). */
  async saveVersion(): Promise<void> {
    try {
      await call("collab_save_version", { projectId: this.session.projectId, message: "" });
      showNotice("Version saved", { testId: "collab-version-saved" });
    } catch (error) {
      showError(`Cannot save a version: ${errorMessage(error)}`);
    }
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
    this.stopListening();
    window.removeEventListener("keydown", this.onKeyDown, true);
    this.cursor.cancel();
    this.typing.cancel();
    for (const timer of this.reconcileTimers.values()) clearTimeout(timer);
    this.reconcileTimers.clear();
  }

  // ---- events from Rust

  private handle(event: SessionEvent): void {
    switch (event.kind) {
      case "text":
        this.applyRemote(event.path, event.changes);
        return;
      case "peers":
        this.showPeers(event.peers);
        return;
      case "files":
        this.followFileList(event.paths);
        return;
      case "denied":
        showNotice("You are a viewer: your change was not applied", { kind: "error", testId: "collab-denied" });
        // The change is in the editor but not in the document: take Rust's text back.
        for (const document of this.sharedTabs()) this.scheduleReconcile(document.path);
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

  private applyRemote(path: string, changes: readonly TextChange[]): void {
    const document = this.documents.tabs.find(path);
    if (!document?.shared) {
      // Read before this change was made, or after? Compare once the tab exists.
      const since = this.openingSince.get(path);
      if (since !== undefined && Date.now() - since < OPENING_MS) this.scheduleReconcile(path);
      return;
    }
    const state = this.stateOf(document);
    let remote: RemoteChanges | null;
    try {
      remote = state.track.remote(changes, document.state.doc.length);
    } catch {
      // They do not fit the text: the editor and Rust differ already.
      this.scheduleReconcile(path);
      return;
    }
    if (remote) this.applyRemoteChanges(document, state, remote);
  }

  private applyRemoteChanges(document: OpenDocument, state: SharedState, remote: RemoteChanges): void {
    state.generation++;
    let selection: EditorSelection | undefined;
    if (this.revealNextChangeIn === document) {
      this.revealNextChangeIn = null;
      let end = -1;
      remote.changes.iterChangedRanges((_fromA, _toA, _fromB, toB) => (end = toB));
      if (end >= 0) selection = EditorSelection.single(end);
    }
    this.documents.dispatchTo(document, {
      changes: remote.changes,
      selection,
      scrollIntoView: selection !== undefined,
      annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
    });
    if (remote.uncertain) this.scheduleReconcile(document.path);
    else if (Date.now() - state.syncedAt < AFTER_SYNC_MS) {
      // Rust's text was read just now: this change may already be in it.
      this.scheduleReconcile(document.path);
    }
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

  /** Tabs of files that left the shared project are marked deleted (and unmarked if they come back). */
  private followFileList(paths: readonly string[]): void {
    const present = new Set(paths);
    for (const document of this.sharedTabs()) this.documents.setDeleted(document, !present.has(document.path));
  }

  private applyReadOnly(): void {
    const effect = this.readOnlySlot.reconfigure(this.readOnlyExtension());
    for (const document of this.sharedTabs()) this.documents.dispatchTo(document, { effects: effect });
  }

  private readOnlyExtension(): Extension {
    return this.session.readOnly ? EditorState.readOnly.of(true) : [];
  }

  // ---- local edits, undo, redo

  private sendEdit(document: OpenDocument, transaction: Transaction): void {
    const state = this.stateOf(document);
    const edit = state.track.add(transaction.changes);
    state.generation++;
    const path = document.path;
    this.enqueue(async () => {
      // The contract has no `seen` yet (see EditTrack): only the changes are sent.
      const { changes } = state.track.send(edit);
      let held: RemoteChanges | null;
      try {
        await call("collab_edit", { projectId: this.session.projectId, path, changes });
        held = state.track.settled(edit, document.state.doc.length);
      } catch (error) {
        held = state.track.failed(edit, document.state.doc.length);
        this.reportFailure(`Your change to ${baseName(path)} was not applied: ${errorMessage(error)}`);
        this.scheduleReconcile(path);
      }
      if (held && this.documents.tabs.all.includes(document)) this.applyRemoteChanges(document, state, held);
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
    // Each task reports its own failure; the queue itself never rejects.
    this.queue = this.queue.then(task);
    return this.queue;
  }

  private reportFailure(message: string): void {
    // A burst of refused keystrokes is one problem, told once.
    if (Date.now() - this.lastFailureReport < FAILURE_REPORT_INTERVAL_MS) return;
    this.lastFailureReport = Date.now();
    showError(message);
  }

  /**
   * Compares a tab with Rust's text once both are still, and takes Rust's
   * text where they differ. Needed after moments whose order cannot be told
   * (a remote change arriving while our edit was on its way, a refused edit,
   * a file opened while it changed).
   */
  private scheduleReconcile(path: string, attempt = 0): void {
    const previous = this.reconcileTimers.get(path);
    if (previous !== undefined) clearTimeout(previous);
    const timer = setTimeout(() => {
      this.reconcileTimers.delete(path);
      void this.reconcile(path, attempt);
    }, RECONCILE_DELAY_MS);
    this.reconcileTimers.set(path, timer);
  }

  private async reconcile(path: string, attempt: number): Promise<void> {
    if (this.session.endedReason !== null) return;
    const document = this.documents.tabs.find(path);
    if (!document?.shared) {
      // The tab may still be on its way.
      if (attempt < 5 && this.openingSince.has(path)) this.scheduleReconcile(path, attempt + 1);
      return;
    }
    this.openingSince.delete(path);
    const state = this.stateOf(document);
    if (state.track.busy) return this.scheduleReconcile(path, attempt);
    const generation = state.generation;
    let text: string;
    try {
      text = await call("collab_read", { projectId: this.session.projectId, path });
    } catch {
      // The file left the shared project; the file list event marks the tab.
      return;
    }
    if (!this.documents.tabs.all.includes(document)) return;
    if (state.generation !== generation || state.track.busy) return this.scheduleReconcile(path, attempt);
    const current = document.state.doc.sliceString(0, document.state.doc.length, SHARED_LINE_SEPARATOR);
    state.track.synced();
    state.syncedAt = Date.now();
    if (current === text) return;
    state.generation++;
    this.documents.dispatchTo(document, {
      changes: minimalReplacement(current, text),
      annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
    });
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

  private stateOf(document: OpenDocument): SharedState {
    let state = this.states.get(document);
    if (!state) {
      state = { track: new EditTrack(), generation: 0, syncedAt: 0 };
      this.states.set(document, state);
    }
    return state;
  }
}
