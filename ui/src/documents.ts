import { Transaction, type EditorState, type Extension, type StateEffect, type Text, type TransactionSpec } from "@codemirror/state";
import type { ViewUpdate } from "@codemirror/view";
import type { FileContent, JournalEntry, ProjectId, SharedText } from "./bindings";
import { isDirtyAfterChange } from "./buffer-state";
import { decideDiskChange, type DiskState } from "./disk-change";
import { diskReload, type EditorHost } from "./editor-host";
import { call, errorMessage, isIpcError } from "./ipc";
import { JournalScheduler } from "./journal-scheduler";
import { languageForPath } from "./languages";
import { minimalReplacement } from "./minimal-change";
import { showModal } from "./modal";
import { showError } from "./notices";
import { baseName } from "./paths";
import { TabList } from "./tab-list";

/** An open file: one tab, one EditorState. */
export interface OpenDocument {
  path: string;
  languageId: string;
  /** Hash of the disk version the buffer is based on; what save_file checks against. */
  hash: string | null;
  state: EditorState;
  /** The document as it is on disk at `hash`, for telling when undo returns to it. */
  savedDoc: Text;
  dirty: boolean;
  saving: boolean;
  deletedOnDisk: boolean;
  /** The disk moved on (to this hash) while this buffer kept its own edits; saving will hit a conflict. */
  diskChanged: string | null;
  scroll: StateEffect<unknown> | null;
  /** A watcher event arrived during a save; look at the disk again once it finished. */
  recheckAfterSave: boolean;
  /**
   * Backed by the project's shared document in Rust, which persists it: never
   * dirty, never saved, journaled or reloaded from disk by the window.
   */
  shared: boolean;
}

/** How the files of a shared project are read and kept in step with Rust (see collab/shared-documents.ts). */
export interface SharedBacking {
  /**
   * The file's text from the shared document, and its count of changes
   * (after a closed tab's edits of it reached Rust). Followed by `opened`,
   * or by `abandoned` when no tab is made from it.
   */
  read(path: string): Promise<SharedText>;
  /** Whether the shared document has the file. */
  has(path: string): Promise<boolean>;
  /** A file read with `read` got no tab. */
  abandoned(path: string): void;
  /** A shared tab was closed (its edits still on their way go on). */
  closed(document: OpenDocument): void;
  /** What every shared tab's state is created with. */
  extensions(): Extension;
  /** A shared tab was opened with the text read at `seq`. */
  opened(document: OpenDocument, seq: number): void;
  /** Every update of a shown shared tab: edits to send, the cursor to publish. */
  update(document: OpenDocument, update: ViewUpdate): void;
  /** A shared tab follows a rename of its file. */
  renamed(document: OpenDocument): void;
}

export interface DocumentEvents {
  /** Tabs were opened, closed, reordered, renamed, or changed state (dirty, saving, deleted). */
  tabsChanged(): void;
  /** The active document's cursor or text moved. */
  cursorMoved(): void;
}

interface Loaded {
  content: FileContent;
  state: EditorState;
  /** Set for a file of the shared document: its count of changes when read. */
  seq: number | null;
}

/** Owns the open files of one project: tabs, saving, the hot-exit journal and disk changes. */
export class Documents {
  readonly tabs = new TabList<OpenDocument>();
  private readonly journal: JournalScheduler;
  // Journal writes and discards for a file must reach Rust in order, or a late
  // write could resurrect a journal entry right after a save discarded it.
  private journalQueue: Promise<void> = Promise.resolve();
  private readonly opening = new Map<string, Promise<Loaded | null>>();
  private readonly askingAboutDisk = new Set<OpenDocument>();
  private backing: SharedBacking | null = null;

  constructor(
    private readonly projectId: ProjectId,
    private readonly editor: EditorHost,
    private readonly events: DocumentEvents,
  ) {
    this.journal = new JournalScheduler((path) => this.writeJournal(path));
  }

  get active(): OpenDocument | undefined {
    return this.tabs.active;
  }

  dirtyDocuments(): OpenDocument[] {
    return this.tabs.all.filter((document) => document.dirty);
  }

  /** Called by the EditorView for every update of the shown state. */
  handleEditorUpdate(update: ViewUpdate): void {
    const document = this.tabs.active;
    if (!document) return;
    document.state = update.state;
    if (document.shared) this.backing?.update(document, update);
    else if (update.docChanged && !update.transactions.some((transaction) => transaction.annotation(diskReload))) {
      const freshEdit = update.transactions.some(
        (transaction) => transaction.docChanged && !transaction.isUserEvent("undo") && !transaction.isUserEvent("redo"),
      );
      this.setDirty(document, isDirtyAfterChange(update.state.doc, document.savedDoc, !freshEdit));
    }
    if (update.docChanged || update.selectionSet) this.events.cursorMoved();
  }

  /** Opens `path` in a tab (or focuses its tab). Resolves with null when it could not be read. */
  async open(path: string, options: { focus?: boolean } = {}): Promise<OpenDocument | null> {
    const existing = this.tabs.find(path);
    if (existing) {
      this.activate(existing.path, options);
      return existing;
    }
    // Two quick clicks on the same file share one read.
    let pending = this.opening.get(path);
    if (!pending) {
      pending = this.load(path);
      this.opening.set(path, pending);
      void pending.finally(() => this.opening.delete(path));
    }
    const loaded = await pending;
    if (!loaded) return null;
    let document = this.tabs.find(loaded.content.path);
    if (!document) {
      document = this.newDocument(loaded.content.path, loaded.content.language, loaded.content.hash, loaded.state);
      document.shared = loaded.seq !== null;
      this.addTab(document);
      if (loaded.seq !== null) this.backing?.opened(document, loaded.seq);
    } else if (loaded.seq !== null) {
      this.backing?.abandoned(loaded.content.path);
    }
    this.activate(document.path, options);
    return document;
  }

  private async load(path: string): Promise<Loaded | null> {
    try {
      const shared = await this.loadShared(path);
      if (shared) return shared;
      const content = await call("read_file", { projectId: this.projectId, path });
      return { content, state: await this.editor.createState(content.text, content.language), seq: null };
    } catch (error) {
      showError(`Cannot open ${path}: ${errorMessage(error)}`);
      return null;
    }
  }

  /** A file of a shared project from the shared document; null for a file not shared (ignored, secret), which opens from disk. */
  private async loadShared(path: string): Promise<Loaded | null> {
    const backing = this.backing;
    if (!backing) return null;
    let shared: SharedText;
    try {
      shared = await backing.read(path);
    } catch (error) {
      if (isIpcError(error, "not_found")) return null;
      throw error;
    }
    const language = languageForPath(path);
    try {
      const state = await this.editor.createState(shared.text, language, backing.extensions(), { history: false });
      return { content: { path, text: shared.text, language, hash: "" }, state, seq: shared.seq };
    } catch (error) {
      backing.abandoned(path);
      throw error;
    }
  }

  /**
   * Reopens the unsaved buffers of the last session, marked dirty. Returns how
   * many were restored. In a shared project only files it does not share
   * have any (Rust keeps the shared ones).
   */
  async restore(entries: readonly JournalEntry[]): Promise<number> {
    let restored = 0;
    for (const entry of entries) {
      if (this.tabs.find(entry.path)) continue;
      try {
        if (this.backing && (await this.backing.has(entry.path))) continue;
      } catch (error) {
        showError(`Cannot restore ${entry.path}: ${errorMessage(error)}`);
        continue;
      }
      let disk: FileContent | null = null;
      try {
        disk = await call("read_file", { projectId: this.projectId, path: entry.path });
      } catch (error) {
        if (!isIpcError(error, "not_found")) {
          showError(`Cannot restore ${entry.path}: ${errorMessage(error)}`);
          continue;
        }
      }
      if (disk && disk.text === entry.text) {
        // The journal is stale: the disk already has this text.
        this.enqueueJournal(() => call("discard_journal", { projectId: this.projectId, path: entry.path }));
        continue;
      }
      const languageId = disk?.language ?? languageForPath(entry.path);
      const savedState = await this.editor.createState(disk?.text ?? "", languageId);
      // A minimal change keeps most of the text tree shared with the disk
      // version, which keeps later comparisons against it cheap.
      const state = savedState.update({
        changes: minimalReplacement(disk?.text ?? "", entry.text),
        annotations: Transaction.addToHistory.of(false),
      }).state;
      const document = this.newDocument(entry.path, languageId, entry.baseHash, state);
      document.savedDoc = savedState.doc;
      document.dirty = true;
      document.deletedOnDisk = disk === null;
      document.diskChanged = disk !== null && disk.hash !== entry.baseHash ? disk.hash : null;
      this.addTab(document);
      restored++;
    }
    return restored;
  }

  activate(path: string, options: { focus?: boolean } = {}): void {
    const previous = this.tabs.active;
    const next = this.tabs.find(path);
    if (!next) return;
    if (previous !== next) {
      if (previous) previous.scroll = this.editor.captureScroll();
      this.tabs.activate(path);
      this.editor.show(next.state, next.scroll);
    }
    if (options.focus !== false) this.editor.focus();
    this.events.tabsChanged();
    this.events.cursorMoved();
  }

  /**
   * Turns the active document's text into `text` as one undo step that
   * replaces only the range that differs, like an edit typed by the person:
   * the document becomes unsaved and is saved as usual. The cursor moves to
   * the start of the change, which is scrolled into view.
   */
  replaceActiveText(text: string, userEvent: string): void {
    const document = this.tabs.active;
    if (!document) return;
    const change = minimalReplacement(document.state.doc.toString(), text);
    this.editor.view.dispatch({ changes: change, selection: { anchor: change.from }, userEvent, scrollIntoView: true });
  }

  cycle(step: number): void {
    const next = this.tabs.neighbour(step);
    if (next) this.activate(next.path);
  }

  /** Saves a document; resolves true once it is on disk (after any conflict was resolved by overwriting). */
  async save(document: OpenDocument | undefined = this.tabs.active, force = false): Promise<boolean> {
    // Rust persists shared files itself.
    if (document?.shared) return true;
    if (!document || document.saving) return false;
    const path = document.path;
    const doc = document.state.doc;
    document.saving = true;
    this.events.tabsChanged();
    let conflict = false;
    try {
      const result = await call("save_file", {
        projectId: this.projectId,
        path,
        text: doc.toString(),
        // A file deleted on disk is written anew rather than checked against its old version.
        baseHash: document.deletedOnDisk ? null : document.hash,
        force,
      });
      document.hash = result.hash;
      document.savedDoc = doc;
      document.deletedOnDisk = false;
      document.diskChanged = null;
      // Typing may have continued while the save was in flight.
      this.setDirty(document, !document.state.doc.eq(doc));
      if (!document.dirty) this.discardJournal(path);
    } catch (error) {
      if (isIpcError(error, "conflict")) conflict = true;
      else showError(`Could not save ${path}: ${errorMessage(error)}`);
    } finally {
      document.saving = false;
      this.events.tabsChanged();
    }
    if (document.recheckAfterSave) {
      document.recheckAfterSave = false;
      void this.checkDisk(document);
    }
    if (conflict) return this.resolveConflict(document);
    return !document.dirty;
  }

  /** Saves every dirty document; resolves true when all of them are on disk. */
  async saveAll(): Promise<boolean> {
    const results = await Promise.all(this.dirtyDocuments().map((document) => this.save(document)));
    return results.every(Boolean);
  }

  private async resolveConflict(document: OpenDocument): Promise<boolean> {
    const action = await showModal({
      title: `${baseName(document.path)} changed on disk since you opened it`,
      message: "Overwrite the file with your version, or reload the version on disk and lose your edits?",
      buttons: [
        { action: "overwrite", label: "Overwrite", kind: "danger" },
        { action: "reload", label: "Reload from disk" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action === "overwrite") return this.save(document, true);
    if (action === "reload") await this.reloadFromDisk(document);
    return false;
  }

  /**
   * Closes a tab, asking first when it has unsaved changes. Resolves false if
   * the person cancelled or saving failed.
   */
  async close(path: string | undefined = this.tabs.active?.path): Promise<boolean> {
    const document = path === undefined ? undefined : this.tabs.find(path);
    if (!document) return false;
    if (document.dirty) {
      const action = await showModal({
        title: `Save the changes you made to ${baseName(document.path)}?`,
        message: "Your changes will be lost if you don't save them.",
        buttons: [
          { action: "save", label: "Save", kind: "primary" },
          { action: "discard", label: "Don't save" },
          { action: "cancel", label: "Cancel" },
        ],
        cancelAction: "cancel",
      });
      if (action === "cancel") return false;
      if (action === "save" && !(await this.save(document))) return false;
      if (action === "discard") this.revert(document);
    }
    this.remove(document);
    return true;
  }

  /**
   * Before the project or the window closes: offers to save every unsaved
   * file. Resolves true when it is fine to go on.
   */
  async confirmDiscardAll(): Promise<boolean> {
    const dirty = this.dirtyDocuments();
    if (dirty.length === 0) return true;
    const names = dirty.map((document) => baseName(document.path));
    const action = await showModal({
      title: dirty.length === 1 ? `Save the changes you made to ${names[0]}?` : `Save changes to ${dirty.length} files?`,
      message: dirty.length === 1 ? "Your changes will be lost if you don't save them." : `${names.join(", ")} have unsaved changes.`,
      buttons: [
        { action: "save", label: dirty.length === 1 ? "Save" : "Save all", kind: "primary" },
        { action: "discard", label: "Don't save" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action === "cancel") return false;
    if (action === "save") return this.saveAll();
    for (const document of dirty) this.revert(document);
    return true;
  }

  /** The tab stays open as it is, but its unsaved text is given up (journal included). */
  private revert(document: OpenDocument): void {
    this.journal.cancel(document.path);
    this.discardJournal(document.path);
  }

  /** Flushes the journal queue; call before the window goes away. */
  async settle(): Promise<void> {
    await this.journalQueue;
  }

  dispose(): void {
    this.journal.cancelAll();
  }

  /**
   * The project is shared from now on: files open from the shared document,
   * and the open tabs (saved beforehand) are read from it again, each keeping
   * its cursor.
   */
  async share(backing: SharedBacking): Promise<void> {
    this.backing = backing;
    for (const document of [...this.tabs.all]) {
      if (document.shared) continue;
      const path = document.path;
      let shared: SharedText;
      try {
        shared = await backing.read(path);
      } catch (error) {
        // A file the project does not share stays a file on disk.
        if (!isIpcError(error, "not_found")) showError(`Cannot open ${path} from the shared project: ${errorMessage(error)}`);
        continue;
      }
      if (!this.tabs.all.includes(document) || document.shared) {
        backing.abandoned(path);
        continue;
      }
      const fresh = await this.editor.createState(shared.text, document.languageId, backing.extensions(), { history: false });
      const anchor = Math.min(document.state.selection.main.anchor, fresh.doc.length);
      const head = Math.min(document.state.selection.main.head, fresh.doc.length);
      this.journal.cancel(path);
      if (document.dirty) this.discardJournal(path);
      document.state = fresh.update({ selection: { anchor, head } }).state;
      document.savedDoc = fresh.doc;
      document.hash = null;
      document.shared = true;
      document.dirty = false;
      document.deletedOnDisk = false;
      document.diskChanged = null;
      // The text is the one just saved, so the scroll position still fits it.
      if (document === this.tabs.active) this.editor.show(document.state, this.editor.captureScroll());
      backing.opened(document, shared.seq);
    }
    this.events.tabsChanged();
  }

  /**
   * The project is no longer shared (the session was left): shared tabs go
   * back to their files on disk, keeping their text and cursor. Where the
   * disk does not have that text yet, the tab is left unsaved.
   */
  async unshare(): Promise<void> {
    this.backing = null;
    for (const document of [...this.tabs.all]) {
      if (!document.shared) continue;
      let disk: FileContent | null = null;
      try {
        disk = await call("read_file", { projectId: this.projectId, path: document.path });
      } catch (error) {
        if (!isIpcError(error, "not_found")) showError(`Cannot read ${document.path} from disk: ${errorMessage(error)}`);
      }
      if (!this.tabs.all.includes(document)) continue;
      await this.toDiskBuffer(document, disk);
    }
    this.events.tabsChanged();
  }

  /**
   * A shared file left the project (a peer renamed or deleted it): its tab
   * keeps its text as an unsaved file marked deleted, to be saved or closed
   * (with the usual question).
   */
  async detachShared(document: OpenDocument): Promise<void> {
    if (!document.shared || !this.tabs.all.includes(document)) return;
    await this.toDiskBuffer(document, null);
    this.events.tabsChanged();
  }

  /** A shared tab becomes a tab of its file on disk (`disk`; null when there is none), keeping its text and cursor. */
  private async toDiskBuffer(document: OpenDocument, disk: FileContent | null): Promise<void> {
    const savedState = await this.editor.createState(disk?.text ?? "", document.languageId);
    if (!document.shared || !this.tabs.all.includes(document)) return;
    const { anchor, head } = document.state.selection.main;
    const state = savedState.update({
      changes: minimalReplacement(savedState.doc.toString(), document.state.doc.toString()),
      annotations: Transaction.addToHistory.of(false),
    }).state;
    // Shared tabs count a "\r\n" as two positions, disk tabs as one: the cursor is kept inside the text.
    document.state = state.update({ selection: { anchor: Math.min(anchor, state.doc.length), head: Math.min(head, state.doc.length) } }).state;
    document.savedDoc = savedState.doc;
    document.hash = disk?.hash ?? null;
    document.shared = false;
    document.deletedOnDisk = disk === null;
    document.diskChanged = null;
    this.setDirty(document, !document.state.doc.eq(savedState.doc));
    if (document === this.tabs.active) this.editor.show(document.state, this.editor.captureScroll());
  }

  /** Applies a transaction to a tab's state, through the view when it is the one shown. */
  dispatchTo(document: OpenDocument, spec: TransactionSpec): void {
    if (document === this.tabs.active) this.editor.view.dispatch(spec);
    else document.state = document.state.update(spec).state;
  }

  /** A shared file left the project (or came back). */
  setDeleted(document: OpenDocument, deleted: boolean): void {
    if (document.deletedOnDisk === deleted) return;
    document.deletedOnDisk = deleted;
    this.events.tabsChanged();
  }

  /** Tabs follow a rename or move made in the explorer. */
  async followRename(from: string, to: string): Promise<void> {
    const previousPaths = new Map(this.tabs.under(from).map((document) => [document, document.path]));
    const moved = this.tabs.renamePath(from, to);
    for (const document of moved) {
      const oldPath = previousPaths.get(document)!;
      if (document.dirty) {
        this.journal.cancel(oldPath);
        this.discardJournal(oldPath);
        this.journal.noteChange(document.path);
      }
      if (document.shared) this.backing?.renamed(document);
      const languageId = languageForPath(document.path);
      if (languageId !== languageForPath(oldPath)) await this.changeLanguage(document, languageId);
    }
    this.events.tabsChanged();
  }

  /** Tabs follow a delete made in the explorer: clean ones close, dirty ones stay, marked. */
  followDelete(path: string): void {
    for (const document of this.tabs.under(path)) {
      if (document.dirty) document.deletedOnDisk = true;
      else this.remove(document);
    }
    this.events.tabsChanged();
  }

  /** The watcher reported these paths (files or folders) changed. */
  async handleDiskChanges(paths: readonly string[]): Promise<void> {
    const affected = new Set<OpenDocument>();
    // Rust writes shared files to disk from the shared document: the disk follows them, not the other way round.
    for (const path of paths) for (const document of this.tabs.under(path)) if (!document.shared) affected.add(document);
    await Promise.all([...affected].map((document) => this.checkDisk(document)));
  }

  private async checkDisk(document: OpenDocument): Promise<void> {
    if (document.saving) {
      // The event may be our own save whose result (the new hash) is not known yet.
      document.recheckAfterSave = true;
      return;
    }
    const path = document.path;
    let disk: DiskState;
    try {
      // The hash alone decides most events (our own saves, touches); the
      // text is transferred only when there is something to reload.
      const hash = await call("file_hash", { projectId: this.projectId, path });
      disk = hash === null ? { kind: "missing" } : { kind: "present", hash };
    } catch (error) {
      showError(`Cannot check ${path} on disk: ${errorMessage(error)}`);
      return;
    }
    if (!this.tabs.all.includes(document) || document.saving) return;
    // Renamed while we were checking: what we found is about the old path.
    if (document.path !== path) return this.checkDisk(document);
    switch (decideDiskChange(document, disk)) {
      case "ignore":
        if (document.deletedOnDisk || document.diskChanged) {
          document.deletedOnDisk = false;
          document.diskChanged = null;
          this.events.tabsChanged();
        }
        return;
      case "reload":
        await this.reloadFromDisk(document);
        return;
      case "mark-deleted":
        if (!document.deletedOnDisk) {
          document.deletedOnDisk = true;
          this.events.tabsChanged();
        }
        return;
      case "ask":
        await this.askAboutDiskChange(document, disk.kind === "present" ? disk.hash : null);
        return;
      case "already-kept":
        return;
    }
  }

  private async askAboutDiskChange(document: OpenDocument, diskHash: string | null): Promise<void> {
    if (this.askingAboutDisk.has(document)) return;
    this.askingAboutDisk.add(document);
    try {
      const action = await showModal({
        title: `${baseName(document.path)} changed on disk`,
        message: "You have unsaved changes. Reload the version on disk (your changes will be lost), or keep your changes?",
        buttons: [
          { action: "reload", label: "Reload" },
          { action: "keep", label: "Keep my changes", kind: "primary" },
        ],
        cancelAction: "keep",
      });
      if (!this.tabs.all.includes(document)) return;
      if (action === "reload") {
        await this.reloadFromDisk(document);
      } else {
        // Remember what was kept over, so the same disk version is not asked about again.
        document.diskChanged = diskHash;
        this.events.tabsChanged();
      }
    } finally {
      this.askingAboutDisk.delete(document);
    }
  }

  private async reloadFromDisk(document: OpenDocument): Promise<void> {
    try {
      const content = await call("read_file", { projectId: this.projectId, path: document.path });
      this.applyDiskContent(document, content);
      this.discardJournal(document.path);
    } catch (error) {
      if (isIpcError(error, "not_found")) {
        document.deletedOnDisk = true;
        this.events.tabsChanged();
      } else {
        showError(`Cannot reload ${document.path}: ${errorMessage(error)}`);
      }
    }
  }

  /** Replaces the buffer with the disk version as one non-undoable change that keeps the cursors in place. */
  private applyDiskContent(document: OpenDocument, content: FileContent): void {
    const spec = {
      changes: minimalReplacement(document.state.doc.toString(), content.text),
      annotations: [Transaction.addToHistory.of(false), diskReload.of(true)],
    };
    this.dispatchTo(document, spec);
    document.hash = content.hash;
    document.savedDoc = document.state.doc;
    document.deletedOnDisk = false;
    document.diskChanged = null;
    this.setDirty(document, false);
    this.events.tabsChanged();
  }

  private async changeLanguage(document: OpenDocument, languageId: string): Promise<void> {
    const effect = await this.editor.languageChange(languageId);
    document.languageId = languageId;
    this.dispatchTo(document, { effects: effect });
  }

  private newDocument(path: string, languageId: string, hash: string | null, state: EditorState): OpenDocument {
    return {
      path,
      languageId,
      hash,
      state,
      savedDoc: state.doc,
      dirty: false,
      saving: false,
      deletedOnDisk: false,
      diskChanged: null,
      scroll: null,
      recheckAfterSave: false,
      shared: false,
    };
  }

  private addTab(document: OpenDocument): void {
    const previous = this.tabs.active;
    if (previous) previous.scroll = this.editor.captureScroll();
    this.tabs.add(document);
    this.editor.show(document.state, null);
    this.events.tabsChanged();
  }

  private remove(document: OpenDocument): void {
    const wasActive = document === this.tabs.active;
    this.journal.cancel(document.path);
    this.tabs.remove(document.path);
    if (document.shared) this.backing?.closed(document);
    const next = this.tabs.active;
    if (wasActive && next) this.editor.show(next.state, next.scroll);
    // With no tab left the view drops the closed document so its memory can be freed.
    else if (wasActive) this.editor.clear();
    this.events.tabsChanged();
    this.events.cursorMoved();
  }

  private setDirty(document: OpenDocument, dirty: boolean): void {
    const changed = document.dirty !== dirty;
    document.dirty = dirty;
    if (dirty) {
      this.journal.noteChange(document.path);
    } else if (changed) {
      this.journal.cancel(document.path);
      this.discardJournal(document.path);
    }
    if (changed) this.events.tabsChanged();
  }

  private writeJournal(path: string): void {
    this.enqueueJournal(async () => {
      const document = this.tabs.find(path);
      if (!document?.dirty) return;
      await call("journal_buffer", { projectId: this.projectId, path, text: document.state.doc.toString(), baseHash: document.hash });
    });
  }

  private discardJournal(path: string): void {
    this.enqueueJournal(() => call("discard_journal", { projectId: this.projectId, path }));
  }

  private enqueueJournal(task: () => Promise<unknown>): void {
    this.journalQueue = this.journalQueue.then(task).then(
      () => undefined,
      (error: unknown) => showError(`Could not update the unsaved-changes journal: ${errorMessage(error)}`),
    );
  }
}
