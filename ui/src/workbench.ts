import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { FsChange, ProjectInfo, SessionInfo } from "./bindings";
import type { WorkbenchCollab } from "./collab/collab";
import type { CommentsPanel } from "./collab/comments-panel";
import { CollabBanner, CollabStatus } from "./collab/status";
import { Documents } from "./documents";
import { h, isTextInput } from "./dom";
import { EditorHost } from "./editor-host";
import { Explorer } from "./explorer";
import { icon } from "./icons";
import { call, errorMessage } from "./ipc";
import { isMac, matchesShortcut, shortcutLabel } from "./keys";
import { MARKET_SHORTCUT } from "./market/format";
import { isModalOpen, showModal } from "./modal";
import { showError, showNotice } from "./notices";
import { Palette, type PaletteCommand } from "./palette";
import { type SidePanelName, StatusBar } from "./status-bar";
import { TabBar } from "./tab-bar";
import { toggleTheme } from "./theme";

export interface WorkbenchHost {
  /** Leave the project for the welcome screen (after the unsaved-changes question). */
  closeProject(): void;
  /** Switch to another project folder. */
  openFolder(root: string): void;
  /** Show the template marketplace over the workbench. */
  openMarket(): void;
  /** Ask for an invite link (prefilled with `link`) and a name, and open the shared project. */
  joinSession(link: string): void;
}

interface WorkbenchCommand extends PaletteCommand {
  /** Keys that run the command anywhere in the workbench; the first is the one shown. */
  keys?: string[];
}

/** A column whose width follows a dragged sash and is remembered. */
interface ResizableColumn {
  sash: HTMLElement;
  storageKey: string;
  cssVariable: string;
  minimum: number;
  /** The column's width with the sash at `clientX`. */
  widthAt(clientX: number): number;
}

/** A panel beside the editor, loaded the first time it is opened (most sessions never need its code). */
interface SidePanel {
  readonly element: HTMLElement;
  /** It became visible. */
  show(): void;
  /** Project files changed on disk. */
  filesChanged?(): void;
  dispose(): void;
}

const SIDEBAR_WIDTH_KEY = "flashfusion.sidebarWidth";
// The name predates the deploy panel, which shares the assistant's column.
const SIDE_PANEL_WIDTH_KEY = "flashfusion.chatWidth";
const ASSISTANT_SHORTCUT = "Mod-k";
const DEPLOY_SHORTCUT = "Mod-Shift-d";
/** How long closing waits for the shared files' edits to reach Rust. */
const SETTLE_TIMEOUT_MS = 3_000;
const SIDE_PANEL_LABELS: Record<SidePanelName, string> = {
  assistant: "the assistant",
  deploy: "the deploy panel",
  collab: "the collaboration panel",
  comments: "the comments",
  history: "the version history",
};
/** The panels about a shared session: they go when the session does. */
const SESSION_PANELS: readonly SidePanelName[] = ["collab", "comments", "history"];

function reportLoadFailure(error: unknown): void {
  showError(`Cannot load the assistant: ${errorMessage(error)}`);
}

/** The project window: explorer, tabs, editor, assistant, status bar, palette and their shortcuts. */
export class Workbench {
  readonly element: HTMLElement;
  readonly documents: Documents;
  private readonly editor: EditorHost;
  private readonly explorer: Explorer;
  private readonly tabBar: TabBar;
  private readonly statusBar: StatusBar;
  private readonly palette: Palette;
  /** Set while the project is shared (see collab/collab.ts). */
  private collab: WorkbenchCollab | null = null;
  private collabStarting: Promise<void> | null = null;
  private readonly collabStatus: CollabStatus;
  private readonly collabBanner = new CollabBanner();
  private readonly sideSash: HTMLElement;
  private readonly sidePanels = new Map<SidePanelName, Promise<SidePanel>>();
  private openSidePanel: SidePanelName | null = null;
  private readonly emptyState: HTMLElement;
  private readonly editorPane: HTMLElement;
  private readonly commands: WorkbenchCommand[];
  private readonly onKeyDown = (event: KeyboardEvent) => this.handleShortcut(event);
  private disposed = false;

  constructor(
    readonly project: ProjectInfo,
    private readonly host: WorkbenchHost,
  ) {
    this.editorPane = h("div", { className: "editor-pane" });
    this.editor = new EditorHost(this.editorPane, (update) => this.documents.handleEditorUpdate(update));
    this.documents = new Documents(project.id, this.editor, {
      tabsChanged: () => this.showDocuments(),
      cursorMoved: () => {
        const active = this.documents.active;
        if (active) this.statusBar.showPosition(active.state);
      },
    });
    this.explorer = new Explorer(project, {
      openFile: (path) => void this.documents.open(path),
      renamed: (from, to) => this.documents.followRename(from, to),
      deleted: (path) => this.documents.followDelete(path),
    });
    this.tabBar = new TabBar({
      activate: (path) => this.documents.activate(path),
      close: (path) => void this.documents.close(path),
    });
    this.statusBar = new StatusBar(
      project.name,
      {
        assistant: { title: `Toggle AI assistant (${shortcutLabel(ASSISTANT_SHORTCUT)})`, run: () => this.toggleSidePanel("assistant") },
        deploy: { title: `Toggle the deploy panel (${shortcutLabel(DEPLOY_SHORTCUT)})`, run: () => this.toggleSidePanel("deploy") },
      },
      { title: `Template marketplace (${shortcutLabel(MARKET_SHORTCUT)})`, run: () => host.openMarket() },
    );
    this.collabStatus = new CollabStatus({
      share: () => void this.share(),
      togglePanel: () => this.toggleSidePanel("collab"),
      stopFollowing: () => this.collab?.shared.stopFollowing(),
    });
    this.statusBar.showCollab(this.collabStatus.element, this.collabStatus.connectionButton);
    this.commands = this.buildCommands();
    this.emptyState = this.buildEmptyState();

    const sash = h("div", { className: "sash", attributes: { role: "separator", "aria-orientation": "vertical", "aria-label": "Resize sidebar" } });
    this.sideSash = h("div", { className: "sash side-sash", attributes: { role: "separator", "aria-orientation": "vertical", "aria-label": "Resize side panel" } });
    this.sideSash.hidden = true;
    this.element = h(
      "div",
      { className: "workbench", testId: "workbench" },
      this.explorer.element,
      sash,
      h(
        "main",
        { className: "editor-area" },
        this.tabBar.element,
        this.collabBanner.element,
        h("div", { className: "editor-stack" }, this.editorPane, this.emptyState),
      ),
      this.sideSash,
      this.statusBar.element,
    );
    this.palette = new Palette(this.element, {
      commands: () => this.commands,
      files: () => this.explorer.model.filePaths(),
      openFile: (path) => void this.documents.open(path),
    });
    this.enableResize({ sash, storageKey: SIDEBAR_WIDTH_KEY, cssVariable: "--sidebar-width", minimum: 160, widthAt: (x) => x });
    this.enableResize({
      sash: this.sideSash,
      storageKey: SIDE_PANEL_WIDTH_KEY,
      cssVariable: "--side-panel-width",
      minimum: 280,
      widthAt: (x) => window.innerWidth - x,
    });
    window.addEventListener("keydown", this.onKeyDown, true);
    this.showDocuments();
  }

  /**
   * Loads the tree, restores unsaved buffers of the last session (in a shared
   * project those of files it does not share: Rust keeps the others) and
   * opens `file` if given.
   */
  async start(file: string | null): Promise<void> {
    const [, journal, session] = await Promise.all([
      this.explorer.reload(),
      call("restore_journal", { projectId: this.project.id }).catch((error: unknown) => {
        showError(`Could not restore unsaved files: ${errorMessage(error)}`);
        return [];
      }),
      call("collab_session", { projectId: this.project.id }).catch((error: unknown) => {
        showError(`Cannot tell whether the project is shared: ${errorMessage(error)}`);
        return null;
      }),
    ]);
    if (session) await this.startCollab(session);
    if (this.disposed) return;
    const restored = await this.documents.restore(journal);
    if (restored > 0) {
      showNotice(`Restored ${restored} unsaved file${restored === 1 ? "" : "s"}`, { testId: "restored-notice", timeoutMs: null });
    }
    if (file) await this.documents.open(file);
    else if (this.documents.active) this.documents.activate(this.documents.active.path);
    else this.explorer.focus();
  }

  handleFsChange(change: FsChange): void {
    if (change.projectId !== this.project.id) return;
    void this.documents.handleDiskChanges(change.paths);
    // Rust's mirror of the shared files: their structure comes with the session's `files` event.
    const shared = new Set(this.collab?.session.files ?? []);
    if (change.paths.every((path) => shared.has(path))) return;
    this.explorer.scheduleReload();
    this.eachSidePanel((panel) => panel.filesChanged?.());
  }

  /** Before the project or the window closes: the shared files' queued edits reach Rust, the journal is written. */
  async settle(): Promise<void> {
    if (this.collab && !(await this.collab.shared.settle(SETTLE_TIMEOUT_MS))) {
      showError("Some of your changes to shared files could not be sent before closing.");
    }
    await this.documents.settle();
  }

  /** Shared files have edits on their way to Rust. */
  get hasUnsentEdits(): boolean {
    return this.collab?.shared.unsent ?? false;
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener("keydown", this.onKeyDown, true);
    this.collab?.dispose();
    this.documents.dispose();
    this.explorer.dispose();
    this.eachSidePanel((panel) => panel.dispose());
    this.statusBar.dispose();
    this.palette.close();
    this.element.remove();
  }

  private showDocuments(): void {
    const active = this.documents.active;
    this.tabBar.render(this.documents.tabs.all, active);
    this.collab?.shared.activeChanged();
    this.statusBar.showDocument(active);
    this.explorer.setActivePath(active?.path ?? null);
    this.editorPane.hidden = !active;
    this.emptyState.hidden = Boolean(active);
  }

  private buildEmptyState(): HTMLElement {
    const hint = (label: string, keys: string) =>
      h("div", { className: "empty-hint" }, h("span", { text: label }), h("kbd", { text: shortcutLabel(keys) }));
    return h(
      "div",
      { className: "editor-empty" },
      icon("bolt", "icon editor-empty-logo"),
      hint("Quick open a file", "Mod-p"),
      hint("Show all commands", "Mod-Shift-p"),
      hint("New file", "Mod-n"),
    );
  }

  private buildCommands(): WorkbenchCommand[] {
    const withEditor = (run: (editor: EditorHost) => void) => () => {
      if (this.documents.active) run(this.editor);
    };
    const commands: WorkbenchCommand[] = [
      // A shared file is saved by Rust; saving it records a version of the shared history. Other files save to disk.
      { title: "Save", keys: ["Mod-s"], run: () => void (this.collab && this.documents.active?.shared ? this.collab.saveVersion() : this.documents.save()) },
      { title: "Save all", keys: ["Mod-Alt-s"], run: () => void this.documents.saveAll() },
      { title: "New file…", keys: ["Mod-n"], run: () => this.explorer.startCreate("file") },
      { title: "New folder…", keys: ["Mod-Shift-n"], run: () => this.explorer.startCreate("dir") },
      { title: "Rename…", keys: ["F2"], run: () => this.explorer.startRename() },
      { title: "Delete", shortcut: isMac ? "Mod-Backspace" : "Delete", run: () => void this.explorer.confirmDelete() },
      { title: "Close tab", keys: ["Mod-w"], run: () => void this.documents.close() },
      { title: "Next tab", keys: ["Ctrl-Tab", "Ctrl-PageDown"], run: () => this.documents.cycle(1) },
      { title: "Previous tab", keys: ["Ctrl-Shift-Tab", "Ctrl-PageUp"], run: () => this.documents.cycle(-1) },
      { title: "Close project", run: () => this.host.closeProject() },
      { title: "Toggle theme", run: () => void toggleTheme() },
      { title: "Find", keys: ["Mod-f"], run: withEditor((editor) => editor.find()) },
      { title: "Replace", keys: ["Mod-h", "Mod-Alt-f"], run: withEditor((editor) => editor.replace()) },
      { title: "Go to line…", keys: ["Mod-g"], run: withEditor((editor) => editor.goToLine()) },
      { title: "Quick open…", keys: ["Mod-p"], run: () => this.palette.open("files") },
      { title: "Show all commands", keys: ["Mod-Shift-p"], run: () => this.palette.open("commands") },
      { title: "Open folder…", keys: ["Mod-o"], run: () => void this.chooseFolder() },
      { title: "Focus explorer", keys: ["Mod-Shift-e"], run: () => this.explorer.focus() },
      { title: "Toggle AI assistant", keys: [ASSISTANT_SHORTCUT], run: () => this.toggleSidePanel("assistant") },
      { title: "Toggle deploy panel", keys: [DEPLOY_SHORTCUT], run: () => this.toggleSidePanel("deploy") },
      // The app runs the shortcut itself: the marketplace opens over the welcome screen too.
      { title: "Open marketplace", shortcut: MARKET_SHORTCUT, run: () => this.host.openMarket() },
      { title: "Share project…", run: () => void this.share() },
      { title: "Join session…", run: () => this.host.joinSession("") },
      { title: "Toggle collaboration panel", run: () => this.toggleSidePanel("collab") },
      { title: "Toggle comments", run: () => this.toggleSidePanel("comments") },
      { title: "Toggle version history", run: () => this.toggleSidePanel("history") },
      { title: "Add comment on this line", run: () => this.commentOnCursorLine() },
      { title: "Leave session…", run: () => void this.leaveSession() },
      { title: "Stop following", run: () => this.collab?.shared.stopFollowing() },
      {
        title: "AI assistant settings…",
        run: () => void import("./assistant-settings").then((settings) => settings.openAssistantSettings(), reportLoadFailure),
      },
    ];
    for (const command of commands) command.shortcut ??= command.keys?.[0];
    return commands;
  }

  private handleShortcut(event: KeyboardEvent): void {
    if (isModalOpen()) return;
    for (const command of this.commands) {
      const key = command.keys?.find((candidate) => matchesShortcut(event, candidate));
      if (!key) continue;
      // A bare function key would be a typed character elsewhere; it must not fire inside text fields other than the editor.
      if (key === "F2" && isTextInput(event.target) && !this.editorPane.contains(event.target as Node)) return;
      event.preventDefault();
      event.stopPropagation();
      command.run();
      return;
    }
  }

  /** Shares the project, or (already shared, as the owner) makes an invite link. */
  private async share(): Promise<void> {
    const session = this.collab?.session;
    if (session && (!session.isOwner || session.endedReason !== null)) {
      showNotice(session.endedReason !== null ? "The session has ended." : "Only the owner of the session can invite people.");
      return;
    }
    try {
      const { openShareDialog } = await import("./collab/share-dialog");
      await openShareDialog({
        projectId: this.project.id,
        session: session?.info ?? null,
        saveAll: () => this.documents.saveAll(),
        started: (info) => this.startCollab(info),
      });
    } catch (error) {
      showError(`Cannot share the project: ${errorMessage(error)}`);
    }
  }

  /** The project is shared: its tabs follow the shared document from now on. */
  private startCollab(info: SessionInfo): Promise<void> {
    this.collabStarting ??= import("./collab/collab").then(async ({ WorkbenchCollab }) => {
      if (this.disposed) return;
      const collab = await WorkbenchCollab.start(info, {
        documents: this.documents,
        editor: this.editor,
        status: this.collabStatus,
        banner: this.collabBanner,
        filesChanged: () => this.explorer.scheduleReload(),
        comments: {
          open: (threadId) => void this.withComments((panel) => panel.openThread(threadId)),
          add: (path, line, index) => void this.withComments((panel) => panel.startComment(path, line, index)),
        },
      });
      // The workbench went away while the session started: nobody else would dispose of it.
      if (this.disposed) {
        collab.dispose();
        return;
      }
      this.collab = collab;
      this.showDocuments();
    });
    return this.collabStarting;
  }

  /** Asks, then leaves the session on this machine: the tabs go back to the files on disk. */
  private async leaveSession(): Promise<void> {
    const collab = this.collab;
    if (!collab) {
      showNotice("The project is not shared.");
      return;
    }
    const owner = collab.session.isOwner;
    const action = await showModal({
      title: owner ? "Stop sharing this project on this machine?" : "Leave the session?",
      message: owner
        ? "This machine stops taking part in the session. The files stay in the project folder as they are now."
        : "Your copy of the files stays in the project folder as it is now. To come back, join again from an invite link.",
      buttons: [
        { action: "leave", label: owner ? "Stop sharing" : "Leave", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "leave" || this.collab !== collab) return;
    // Edits on their way reach the session before leaving it.
    await collab.shared.settle(SETTLE_TIMEOUT_MS);
    try {
      await call("collab_leave", { projectId: this.project.id });
    } catch (error) {
      showError(`Cannot leave the session: ${errorMessage(error)}`);
      return;
    }
    await this.reloadCollab();
    showNotice(owner ? "The project is no longer shared from this machine" : "You left the session", { testId: "collab-left" });
  }

  /** Drops the session's state and panels, and asks Rust again whether the project is shared. */
  private async reloadCollab(): Promise<void> {
    for (const name of SESSION_PANELS) this.closeSidePanel(name);
    this.collab?.dispose();
    this.collab = null;
    this.collabStarting = null;
    this.collabStatus.showUnshared();
    this.collabBanner.hide();
    await this.documents.unshare();
    this.showDocuments();
    this.explorer.scheduleReload();
    try {
      const session = await call("collab_session", { projectId: this.project.id });
      if (session) await this.startCollab(session);
    } catch (error) {
      showError(`Cannot tell whether the project is shared: ${errorMessage(error)}`);
    }
  }

  /** Opens the comments panel and runs `action` on it once it is loaded. */
  private async withComments(action: (panel: CommentsPanel) => void): Promise<void> {
    this.toggleSidePanel("comments", true);
    // A failure to load was reported already.
    await this.sidePanels.get("comments")?.catch(() => undefined);
    const panel = this.collab?.comments;
    if (panel && this.openSidePanel === "comments") action(panel);
  }

  /** "Add comment on this line": the comments panel, with the box for a new comment on the cursor's line. */
  private commentOnCursorLine(): void {
    const document = this.documents.active;
    if (!this.collab || !document?.shared) {
      showNotice("Comments are for the files of a shared project.");
      return;
    }
    const line = document.state.doc.lineAt(document.state.selection.main.head);
    void this.withComments((panel) => panel.startComment(document.path, line.number, line.from));
  }

  /** Opens a file with the caret at the start of a line (1-based), leaving focus where it is. */
  private async openAt(path: string, line: number): Promise<void> {
    const document = await this.documents.open(path, { focus: false });
    if (!document || document !== this.documents.active) return;
    const target = document.state.doc.line(Math.max(1, Math.min(line, document.state.doc.lines)));
    this.editor.view.dispatch({ selection: { anchor: target.from }, scrollIntoView: true });
  }

  private async chooseFolder(): Promise<void> {
    try {
      const chosen = await openDialog({ directory: true, title: "Open folder" });
      if (typeof chosen === "string") this.host.openFolder(chosen);
    } catch (error) {
      showError(`Cannot show the folder picker: ${errorMessage(error)}`);
    }
  }

  /** Opens a side panel in place of the one open (or closes it); the column stays while either is open. */
  private toggleSidePanel(name: SidePanelName, open = this.openSidePanel !== name): void {
    if (!open && this.openSidePanel !== name) return;
    // These panels are about a session: an unshared project gets the share dialog (or a word) instead.
    if (open && SESSION_PANELS.includes(name) && !this.collab) {
      if (name === "collab") void this.share();
      else showNotice("Comments and version history are for shared projects: share this one first.");
      return;
    }
    const focusWasInPanel = document.activeElement?.closest(".side-panel") != null;
    this.openSidePanel = open ? name : null;
    this.element.classList.toggle("side-open", open);
    this.sideSash.hidden = !open;
    this.statusBar.showOpenPanel(this.openSidePanel);
    if (focusWasInPanel && this.documents.active) this.editor.focus();
    if (open && !this.sidePanels.has(name)) this.loadSidePanel(name);
    for (const [panelName, loading] of this.sidePanels) {
      loading.then(
        (panel) => {
          // Another toggle may have come while the panel was loading; the latest one counts.
          panel.element.hidden = this.openSidePanel !== panelName;
          if (open && panelName === name && this.openSidePanel === name) panel.show();
        },
        () => undefined,
      );
    }
  }

  /** Hides a panel and forgets it (it is made again when next opened). */
  private closeSidePanel(name: SidePanelName): void {
    this.toggleSidePanel(name, false);
    const loading = this.sidePanels.get(name);
    if (!loading) return;
    this.sidePanels.delete(name);
    loading.then(
      (panel) => {
        panel.dispose();
        panel.element.remove();
      },
      () => undefined,
    );
  }

  private loadSidePanel(name: SidePanelName): void {
    const hide = () => this.toggleSidePanel(name, false);
    const loading = this.createSidePanel(name, hide);
    const mounted = loading.then((panel) => {
      this.sideSash.after(panel.element);
      return panel;
    });
    mounted.catch((error: unknown) => {
      this.sidePanels.delete(name);
      showError(`Cannot load ${SIDE_PANEL_LABELS[name]}: ${errorMessage(error)}`);
      hide();
    });
    this.sidePanels.set(name, mounted);
  }

  private createSidePanel(name: SidePanelName, hide: () => void): Promise<SidePanel> {
    switch (name) {
      case "assistant":
        return import("./chat-panel").then(
          ({ ChatPanel }) => new ChatPanel({ projectId: this.project.id, documents: this.documents, files: () => this.explorer.model.filePaths(), hide }),
        );
      case "deploy":
        return import("./deploy/deploy-panel").then(({ DeployPanel }) => new DeployPanel({ projectId: this.project.id, projectName: this.project.name, hide }));
      case "collab":
        return import("./collab/participants-panel").then(({ CollabPanel }) => {
          const collab = this.sharedCollab();
          return new CollabPanel({
            session: collab.session,
            followedClient: () => collab.shared.followedClient,
            follow: (clientId) => collab.shared.follow(clientId),
            invite: () => this.share(),
            showComments: () => this.toggleSidePanel("comments", true),
            showHistory: () => this.toggleSidePanel("history", true),
            leave: () => void this.leaveSession(),
            hide,
          });
        });
      case "comments":
        return import("./collab/comments-panel").then(({ mountCommentsPanel }) => {
          const collab = this.sharedCollab();
          const { session } = collab;
          const panel = mountCommentsPanel({
            projectId: this.project.id,
            me: session.me,
            participantNames: () => [...session.participants, ...session.peers].map((person) => person.name),
            openLocation: (path, line) => void this.openAt(path, line),
            hide,
          });
          collab.attachComments(panel);
          return panel;
        });
      case "history":
        return import("./collab/history-panel").then(({ mountHistoryPanel }) => {
          const collab = this.sharedCollab();
          const panel = mountHistoryPanel({ projectId: this.project.id, projectName: this.project.name, role: collab.session.info.role, hide });
          collab.attachHistory(panel);
          return panel;
        });
    }
  }

  private sharedCollab(): WorkbenchCollab {
    if (!this.collab) throw new Error("the project is not shared");
    return this.collab;
  }

  private eachSidePanel(run: (panel: SidePanel) => void): void {
    for (const loading of this.sidePanels.values()) loading.then(run, () => undefined);
  }

  private enableResize(column: ResizableColumn): void {
    const { sash } = column;
    const apply = (width: number) => {
      const clamped = Math.max(column.minimum, Math.min(width, Math.round(window.innerWidth * 0.6)));
      this.element.style.setProperty(column.cssVariable, `${clamped}px`);
      return clamped;
    };
    const stored = Number(localStorage.getItem(column.storageKey));
    if (stored > 0) apply(stored);
    sash.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      sash.setPointerCapture(event.pointerId);
      sash.classList.add("dragging");
      const onMove = (move: PointerEvent) => localStorage.setItem(column.storageKey, String(apply(column.widthAt(move.clientX))));
      const onUp = () => {
        sash.classList.remove("dragging");
        sash.removeEventListener("pointermove", onMove);
        sash.removeEventListener("pointerup", onUp);
      };
      sash.addEventListener("pointermove", onMove);
      sash.addEventListener("pointerup", onUp);
    });
  }
}
