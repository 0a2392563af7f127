import { Annotation, type ChangeSet, Compartment, EditorSelection, EditorState, type Extension, Prec, type StateEffect, Transaction } from "@codemirror/state";
import { EditorView, keymap, type ViewUpdate } from "@codemirror/view";
import type { CursorArgs, Peer, SharedText } from "../bindings";
import type { Documents, OpenDocument, SharedBacking } from "../documents";
import type { EditorHost } from "../editor-host";
import { call, errorMessage, isIpcError } from "../ipc";
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
/** How often a resync reads Rust's text again when it was older than what the tab already has. */
const RESYNC_ATTEMPTS = 5;
/** Refusals in a row that Rust's count does not explain before the tab takes Rust's text as it is. */
const MAX_DISAGREEMENTS = 3;

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

/**
 * How one file's tab is kept in step with Rust. Kept by path, and after its
 * tab closed until its pending edits settled (they go on from the closed
 * tab's last state).
 */
interface FileSync {
  document: OpenDocument;
  track: EditTrack;
  /** The tab and Rust may differ (a failed edit, a missing change): Rust's text is read and merged before sending more. */
  stale: boolean;
  /** The next resync gives the tab Rust's text as it is, dropping local edits (a viewer's refused change). */
  dropLocal: boolean;
  /** The file was renamed: Rust counts its changes anew, so the next read's seq is not comparable. */
  renamed: boolean;
  /** Refusals in a row where Rust's count was not ahead of ours. */
  disagreements: number;
  /** The file left the shared project, or the binding was disposed: nothing more is sent. */
  gone: boolean;
  /** Wakes a refused edit waiting for remote changes. */
  wake: (() => void) | null;
  /** Edits, undo, redo and cursor updates of this file reach Rust one at a time, in order. */
  queue: Promise<void>;
}

type FileEvent = Extract<SessionEvent, { kind: "text" | "reset" }>;

/**
 * Binds the tabs of a shared project to the shared document in Rust: opens
 * files from it, sends every local change set (in order, one call each),
 * applies remote changes without moving the local cursor, runs undo and redo
 * in Rust, publishes our cursor, draws everyone else's, and follows a peer.
 */
export class SharedDocuments implements SharedBacking {
  /** Per path: the open tab's sync state, or a closed tab's until its edits settled. */
  private readonly files = new Map<string, FileSync>();
  private readonly syncs = new WeakMap<OpenDocument, FileSync>();
  private readonly readOnlySlot = new Compartment();
  /**
   * Files read for a tab that does not exist yet, with their events since:
   * the read and the channel are not ordered, and the tab replays those
   * its text does not have yet (by seq).
   */
  private readonly opening = new Map<string, FileEvent[]>();
  private readonly cursor = new Throttle<CursorArgs>(CURSOR_INTERVAL_MS, (args) => this.publishCursor(args));
  private readonly typing = new TypingTimer(TYPING_HOLD_MS, () => this.sendCursor());
  /** While undo or redo runs, the first change of that file that comes back moves the cursor to it. */
  private reveal: FileSync | null = null;
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
      // A closed tab's edits still on their way go first: the text read must have them.
      await this.settleClosed(path);
      return await call("collab_read", { projectId: this.session.projectId, path });
    } catch (error) {
      this.opening.delete(path);
      throw error;
    }
  }

  async has(path: string): Promise<boolean> {
    try {
      await call("collab_read", { projectId: this.session.projectId, path });
      return true;
    } catch (error) {
      if (isIpcError(error, "not_found")) return false;
      throw error;
    }
  }

  opened(document: OpenDocument, seq: number): void {
    const sync = this.bind(document, seq, document.state.doc.sliceString(0, document.state.doc.length, SHARED_LINE_SEPARATOR));
    const early = this.opening.get(document.path) ?? [];
    this.opening.delete(document.path);
    for (const event of early) this.applyFileEvent(sync, event);
    this.documents.dispatchTo(document, {
      effects: [setRemoteCursors.of(cursorsIn(document.path, this.session.peers, document.state.doc.length)), this.threadsOf(document.path)],
    });
  }

  abandoned(path: string): void {
    this.opening.delete(path);
  }

  closed(document: OpenDocument): void {
    const sync = this.syncs.get(document);
    if (sync) this.forgetIfSettled(sync);
  }

  renamed(document: OpenDocument): void {
    const sync = this.syncOf(document);
    for (const [path, candidate] of this.files) if (candidate === sync) this.files.delete(path);
    this.files.set(document.path, sync);
    // Rust moved the text to a new file, with its own count of changes: read it, keeping the pending edits.
    sync.renamed = true;
    this.requestResync(sync);
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

  /** Edits not known to have reached Rust (of open or closed tabs). */
  get unsent(): boolean {
    return [...this.files.values()].some((sync) => !sync.gone && (sync.track.busy || sync.stale));
  }

  /** Resolves once every file's queued edits reached Rust, or after `timeoutMs`; true if they did. */
  async settle(timeoutMs: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const idle = Promise.all([...this.files.values()].map((sync) => this.idle(sync))).then(() => !this.unsent);
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
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
        for (const document of this.sharedTabs()) this.requestResync(this.syncOf(document), true);
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
    // A file being opened replays what its text read misses; a tab (or a closed tab's edits) takes it now.
    this.opening.get(event.path)?.push(event);
    const sync = this.files.get(event.path);
    if (sync && !sync.gone) this.applyFileEvent(sync, event);
  }

  private applyFileEvent(sync: FileSync, event: FileEvent): void {
    const { track } = sync;
    // Already in the text the tab was given.
    if (event.seq <= track.seq) return;
    if (event.kind === "reset") {
      // A peer deleted the file and created it again: what was pending was about the old text.
      this.replaceText(sync, event.text, event.seq);
      return;
    }
    let remote: ChangeSet | null = null;
    // A change missing before this one, or changes that do not fit the text: the tab and Rust differ already.
    let fits = event.seq === track.seq + 1;
    try {
      if (fits) remote = track.remote(event.changes, sync.document.state.doc.length);
    } catch {
      fits = false;
    }
    if (!fits) return this.requestResync(sync);
    if (remote) this.applyChanges(sync, remote, this.takeReveal(sync));
    sync.wake?.();
  }

  /** Whether this change is the one an undo or redo under way produced (the first to come back). */
  private takeReveal(sync: FileSync): boolean {
    if (this.reveal !== sync) return false;
    this.reveal = null;
    return true;
  }

  private applyChanges(sync: FileSync, changes: ChangeSet, reveal = false): void {
    let selection: EditorSelection | undefined;
    if (reveal) {
      let end = -1;
      changes.iterChangedRanges((_fromA, _toA, _fromB, toB) => (end = toB));
      if (end >= 0) selection = EditorSelection.single(end);
    }
    this.documents.dispatchTo(sync.document, {
      changes,
      selection,
      scrollIntoView: selection !== undefined,
      annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
    });
  }

  /** Gives the tab Rust's whole text at `seq`; pending edits are dropped. */
  private replaceText(sync: FileSync, text: string, seq: number): void {
    sync.track.reset(seq, text);
    sync.stale = false;
    sync.dropLocal = false;
    sync.disagreements = 0;
    const { document } = sync;
    const current = document.state.doc.sliceString(0, document.state.doc.length, SHARED_LINE_SEPARATOR);
    if (current !== text) {
      // The smallest replacement keeps the cursor and the comment markers where the text did not change.
      this.documents.dispatchTo(document, {
        changes: minimalReplacement(current, text),
        annotations: [remoteEdit.of(true), Transaction.addToHistory.of(false)],
      });
    }
    sync.wake?.();
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

  /**
   * Tabs of files that left the shared project are marked deleted (and
   * unmarked if they come back). Once Rust confirms the file is gone (a
   * peer renamed or deleted it, not our own rename on its way), the tab
   * becomes an unsaved file on disk with its text.
   */
  private followFileList(paths: readonly string[]): void {
    const present = new Set(paths);
    for (const document of this.sharedTabs()) {
      const gone = !present.has(document.path);
      this.documents.setDeleted(document, gone);
      if (gone) {
        const sync = this.syncOf(document);
        this.enqueue(sync, () => this.confirmGone(sync));
      }
    }
  }

  private async confirmGone(sync: FileSync): Promise<void> {
    const { document } = sync;
    const stillGone = () => !sync.gone && this.isOpen(document) && !(this.session.files ?? []).includes(document.path);
    if (!stillGone()) {
      if (this.isOpen(document)) this.documents.setDeleted(document, false);
      return;
    }
    try {
      await call("collab_read", { projectId: this.session.projectId, path: document.path });
      return;
    } catch (error) {
      if (!isIpcError(error, "not_found") || !stillGone()) return;
    }
    this.drop(sync);
    await this.documents.detachShared(document);
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
    const sync = this.syncOf(document);
    if (sync.gone) return;
    sync.track.add(transaction.changes);
    this.enqueue(sync, () => this.flush(sync));
  }

  /**
   * Sends the file's pending edits, one call at a time. A refused edit (a
   * remote change came first) is sent again, rebased, once the remote
   * changes Rust made before it arrived. When the tab and Rust may differ,
   * Rust's text is read and merged first.
   */
  private async flush(sync: FileSync): Promise<void> {
    while (!this.disposed && !sync.gone) {
      if (sync.stale) {
        await this.resync(sync);
        if (sync.stale) break;
        continue;
      }
      const edit = sync.track.next();
      if (!edit) {
        if (!sync.track.waiting) break;
        if (!(await this.remoteArrival(sync))) sync.stale = true;
        continue;
      }
      const path = sync.document.path;
      const { changes, seen } = sync.track.send(edit);
      let held: ChangeSet | null;
      try {
        const outcome = await call("collab_edit", { projectId: this.session.projectId, path, seen, changes });
        held = sync.track.settled(edit, sync.document.state.doc.length, outcome);
        // Refused without Rust having seen more than we did: the counts disagree; read Rust's text again
        // (and, should that keep happening, take it as it is rather than loop).
        if (outcome.applied) sync.disagreements = 0;
        else if (outcome.seq <= seen) {
          sync.stale = true;
          if (++sync.disagreements >= MAX_DISAGREEMENTS) sync.dropLocal = true;
        }
      } catch (error) {
        held = sync.track.failed(edit, sync.document.state.doc.length);
        // Sent to the old path just before a rename reached the tab: the resync after the rename sends it again.
        if (sync.document.path === path) this.reportFailure(`Your change to ${baseName(path)} was not applied: ${errorMessage(error)}`);
        sync.stale = true;
      }
      if (held) this.applyChanges(sync, held);
    }
    this.forgetIfSettled(sync);
  }

  /** Resolves true when a remote change of the file arrived, false after REMOTE_WAIT_MS without one. */
  private remoteArrival(sync: FileSync): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        sync.wake = null;
        resolve(false);
      }, REMOTE_WAIT_MS);
      sync.wake = () => {
        clearTimeout(timer);
        sync.wake = null;
        resolve(true);
      };
    });
  }

  private async runHistory(command: "collab_undo" | "collab_redo"): Promise<void> {
    const document = this.documents.active;
    if (!document?.shared || this.session.readOnly) return;
    const sync = this.syncOf(document);
    await this.enqueue(sync, async () => {
      // Its change comes over the channel, usually before the call returns; one arriving later is applied where it is.
      this.reveal = sync;
      try {
        await call(command, { projectId: this.session.projectId, path: document.path });
      } catch (error) {
        showError(`Cannot ${command === "collab_undo" ? "undo" : "redo"}: ${errorMessage(error)}`);
      } finally {
        if (this.reveal === sync) this.reveal = null;
      }
    });
  }

  private enqueue(sync: FileSync, task: () => Promise<void>): Promise<void> {
    // Each task reports its own failures; an unexpected one must not stop the queue.
    sync.queue = sync.queue.then(task).catch((error: unknown) => this.reportFailure(`Cannot send your changes: ${errorMessage(error)}`));
    return sync.queue;
  }

  /** Resolves once nothing is queued for the file any more. */
  private async idle(sync: FileSync): Promise<void> {
    for (;;) {
      const queue = sync.queue;
      await queue;
      if (sync.queue === queue) return;
    }
  }

  private reportFailure(message: string): void {
    // A burst of refused keystrokes is one problem, told once.
    if (Date.now() - this.lastFailureReport < FAILURE_REPORT_INTERVAL_MS) return;
    this.lastFailureReport = Date.now();
    showError(message);
  }

  /** Rust's text is read and merged once the edits sent before are settled; `dropLocal` gives up local edits. */
  private requestResync(sync: FileSync, dropLocal = false): void {
    sync.stale = true;
    if (dropLocal) sync.dropLocal = true;
    sync.wake?.();
    this.enqueue(sync, () => (sync.stale ? this.flush(sync) : Promise.resolve()));
  }

  /**
   * Reads Rust's text and count of the file. The local edits not in it are
   * kept and sent as one new edit, and what Rust has that the tab lacks is
   * applied to the tab (see EditTrack.resync); nothing typed is lost.
   */
  private async resync(sync: FileSync): Promise<void> {
    for (let attempt = 0; attempt < RESYNC_ATTEMPTS; attempt++) {
      if (this.disposed || sync.gone || this.session.endedReason !== null) return;
      const path = sync.document.path;
      let shared: SharedText;
      try {
        shared = await call("collab_read", { projectId: this.session.projectId, path });
      } catch (error) {
        // The file left the shared project: a closed tab's edits have nowhere to go; an open tab is handled by the file list.
        if (isIpcError(error, "not_found") && !this.isOpen(sync.document)) {
          this.reportFailure(`Your changes to ${baseName(path)} were not sent: the file left the shared project`);
          this.drop(sync);
        }
        return;
      }
      if (sync.gone || sync.document.path !== path) continue;
      // Remote changes newer than this text reached the tab while it was read: read again.
      if (!sync.renamed && shared.seq < sync.track.seq) continue;
      sync.renamed = false;
      if (sync.dropLocal) {
        this.replaceText(sync, shared.text, shared.seq);
        return;
      }
      const toEditor = sync.track.resync(shared.text, shared.seq, sync.document.state.doc);
      sync.stale = false;
      if (!toEditor.empty) this.applyChanges(sync, toEditor);
      sync.wake?.();
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

  /** Sent after the file's queued edits, so Rust places it in the text that has them. */
  private publishCursor(args: CursorArgs): void {
    const send = () => call("collab_cursor", args).catch((error: unknown) => this.reportFailure(`Cannot share your cursor: ${errorMessage(error)}`));
    const sync = args.path === null ? undefined : this.files.get(args.path);
    // Not awaited: the file's next edits need not wait for it.
    if (sync && !sync.gone) void this.enqueue(sync, async () => void send());
    else void send();
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

  private bind(document: OpenDocument, seq: number, text: string): FileSync {
    const sync: FileSync = {
      document,
      track: new EditTrack(seq, text),
      stale: false,
      dropLocal: false,
      renamed: false,
      disagreements: 0,
      gone: false,
      wake: null,
      queue: Promise.resolve(),
    };
    const previous = this.files.get(document.path);
    if (previous && previous !== sync) previous.gone = true;
    this.files.set(document.path, sync);
    this.syncs.set(document, sync);
    return sync;
  }

  private syncOf(document: OpenDocument): FileSync {
    const sync = this.syncs.get(document);
    if (sync) return sync;
    // Every shared tab is bound as it opens (`opened`); one that was not takes Rust's text first.
    const unbound = this.bind(document, 0, "");
    unbound.stale = true;
    unbound.dropLocal = true;
    return unbound;
  }

  /** Nothing more is sent for the file, and its state is forgotten. */
  private drop(sync: FileSync): void {
    sync.gone = true;
    sync.wake?.();
    if (this.reveal === sync) this.reveal = null;
    for (const [path, candidate] of this.files) if (candidate === sync) this.files.delete(path);
  }

  /** A closed tab's state goes once its edits reached Rust. */
  private async settleClosed(path: string): Promise<void> {
    const sync = this.files.get(path);
    if (!sync || this.isOpen(sync.document)) return;
    await this.idle(sync);
    if (this.files.get(path) === sync && !this.isOpen(sync.document)) this.drop(sync);
  }

  private forgetIfSettled(sync: FileSync): void {
    if (this.isOpen(sync.document) || sync.track.busy || (sync.stale && !sync.gone && !this.disposed)) return;
    this.drop(sync);
  }
}
