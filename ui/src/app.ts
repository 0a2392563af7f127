import { getCurrentWindow } from "@tauri-apps/api/window";
import type { ProjectInfo } from "./bindings";
import { call, errorMessage, onEvent } from "./ipc";
import { matchesShortcut } from "./keys";
import { LEARN_SHORTCUT } from "./learn/model";
import { MARKET_SHORTCUT } from "./market/format";
import { isModalOpen } from "./modal";
import { showError } from "./notices";
import { loadThemeSetting } from "./theme";
import { Welcome } from "./welcome";
import { Workbench } from "./workbench";

declare global {
  interface Window {
    /** Set once the first screen (welcome or workbench) is rendered; end-to-end tests wait for it. */
    __ffReady?: boolean;
    /** Process uptime when the editor first painted a file given at startup; read by the benchmark. */
    __ffEditorReadyMs?: number;
    /** The one editor view, for end-to-end tests and the benchmark to read and drive. */
    __ffEditorView?: import("@codemirror/view").EditorView;
    /**
     * The last answer's first token: when its first byte reached Rust, and when the
     * chat panel painted it (both Unix ms on the same clock); read by the benchmark.
     */
    __ffFirstTokenPaint?: { firstByteEpochMs: number; inPageEpochMs: number; paintedEpochMs: number };
  }
}

/** The full-window views over the welcome screen or the workbench; one at a time. */
type OverlayName = "learn" | "market";

const OVERLAYS: Record<OverlayName, { shortcut: string; label: string }> = {
  learn: { shortcut: LEARN_SHORTCUT, label: "Learn" },
  market: { shortcut: MARKET_SHORTCUT, label: "the marketplace" },
};

interface OverlayView {
  close(): void;
  shieldKey(event: KeyboardEvent): void;
}

function reportAs(context: string): (error: unknown) => null {
  return (error) => {
    showError(`${context}: ${errorMessage(error)}`);
    return null;
  };
}

/** Switches between the welcome screen and a project's workbench, and guards leaving with unsaved work. */
export class App {
  private workbench: Workbench | null = null;
  private welcome: Welcome | null = null;
  private overlay: { name: OverlayName; view: OverlayView } | null = null;
  private overlayOpening = false;

  constructor(private readonly root: HTMLElement) {
    // Registered before any workbench's own listener, so it runs first.
    window.addEventListener("keydown", (event) => this.onKeyDown(event), true);
  }

  async boot(): Promise<void> {
    // None of these failures may keep the person from reaching a screen.
    await Promise.all([
      loadThemeSetting().catch(reportAs("Cannot load settings")),
      onEvent("fs-changed", (change) => this.workbench?.handleFsChange(change)).catch(reportAs("Cannot watch files for changes")),
      this.guardWindowClose().catch(reportAs("Cannot intercept closing the window")),
    ]);
    const request = await call("startup_request").catch(reportAs("Cannot read the startup request"));
    if (request?.project) {
      await this.showProject(request.project, request.file);
      window.__ffReady = true;
      if (request.file && this.workbench?.documents.active) await this.reportEditorReady();
    } else {
      await this.showWelcome();
      window.__ffReady = true;
    }
    // Started by a flashfusion://join link: ask for a name over the first screen.
    if (request?.joinLink) void this.joinSession(request.joinLink);
  }

  async showProject(project: ProjectInfo, file: string | null = null): Promise<void> {
    this.welcome?.element.remove();
    this.welcome = null;
    this.workbench?.dispose();
    const workbench = new Workbench(project, {
      closeProject: () => void this.closeProject(),
      openFolder: (root) => void this.switchProject(root),
      openMarket: () => void this.toggleOverlay("market", true),
      joinSession: (link) => void this.joinSession(link),
    });
    this.workbench = workbench;
    this.root.replaceChildren(workbench.element);
    await workbench.start(file);
  }

  private async showWelcome(): Promise<void> {
    const welcome = new Welcome({
      showProject: (project) => this.showProject(project),
      openLearn: () => void this.toggleOverlay("learn", true),
      openMarket: () => void this.toggleOverlay("market", true),
      joinSession: (link) => void this.joinSession(link),
    });
    this.welcome = welcome;
    this.root.replaceChildren(welcome.element);
    await welcome.load();
  }

  private async closeProject(): Promise<void> {
    const workbench = this.workbench;
    if (!workbench || !(await workbench.documents.confirmDiscardAll())) return;
    await this.leave(workbench);
    await this.showWelcome();
  }

  private async switchProject(root: string): Promise<void> {
    let project: ProjectInfo;
    try {
      project = await call("open_project", { root });
    } catch (error) {
      showError(`Cannot open ${root}: ${errorMessage(error)}`);
      return;
    }
    await this.replaceProject(project);
  }

  /** Shows a project that open_project (or a template) just opened in place of the current screen. */
  private async replaceProject(project: ProjectInfo): Promise<void> {
    const current = this.workbench;
    // Reopening the current project changes nothing: ask about nothing.
    if (current && project.id === current.project.id) return;
    if (current && !(await current.documents.confirmDiscardAll())) {
      await call("close_project", { projectId: project.id }).catch(reportAs("Cannot close the project"));
      return;
    }
    if (current) await this.leave(current);
    await this.showProject(project);
  }

  /** Asks for the invite link (prefilled with `link`) and a name, joins, and opens the shared project like any other. */
  private async joinSession(link: string): Promise<void> {
    try {
      const { openJoinDialog } = await import("./collab/join-dialog");
      const joined = await openJoinDialog(link);
      if (joined) await this.replaceProject(joined.project);
    } catch (error) {
      showError(`Cannot join the session: ${errorMessage(error)}`);
    }
  }

  private async leave(workbench: Workbench): Promise<void> {
    await workbench.settle();
    try {
      await call("close_project", { projectId: workbench.project.id });
    } catch (error) {
      showError(`Closing the project failed: ${errorMessage(error)}`);
    }
    workbench.dispose();
    if (this.workbench === workbench) this.workbench = null;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (isModalOpen()) return;
    for (const name of Object.keys(OVERLAYS) as OverlayName[]) {
      if (!matchesShortcut(event, OVERLAYS[name].shortcut)) continue;
      event.preventDefault();
      event.stopPropagation();
      void this.toggleOverlay(name);
      return;
    }
    this.overlay?.view.shieldKey(event);
  }

  /**
   * Shows Learn or the marketplace over the current screen (which stays
   * exactly as it is) in place of the other, or closes it.
   */
  private async toggleOverlay(name: OverlayName, open = this.overlay?.name !== name): Promise<void> {
    if (this.overlayOpening) return;
    if (!open) {
      if (this.overlay?.name === name) this.overlay.view.close();
      return;
    }
    if (this.overlay?.name === name) return;
    this.overlay?.view.close();
    this.overlayOpening = true;
    const closed = () => {
      if (this.overlay?.name === name) this.overlay = null;
    };
    try {
      this.overlay = { name, view: await this.openOverlay(name, closed) };
    } catch (error) {
      showError(`Cannot open ${OVERLAYS[name].label}: ${errorMessage(error)}`);
    } finally {
      this.overlayOpening = false;
    }
  }

  private async openOverlay(name: OverlayName, closed: () => void): Promise<OverlayView> {
    if (name === "learn") {
      const { LearnView } = await import("./learn/learn-view");
      return LearnView.open(this.root, closed);
    }
    const { MarketView } = await import("./market/market-view");
    return MarketView.open(this.root, {
      project: this.workbench?.project ?? null,
      // The marketplace has closed by then; only the project is left to show.
      openProject: (project) => void this.replaceProject(project),
      closed,
    });
  }

  private async guardWindowClose(): Promise<void> {
    const appWindow = getCurrentWindow();
    await appWindow.onCloseRequested(async (event) => {
      const workbench = this.workbench;
      if (!workbench || (workbench.documents.dirtyDocuments().length === 0 && !workbench.hasUnsentEdits)) return;
      // Must happen before the handler returns; the decision comes from a dialog (and the edits still to send).
      event.preventDefault();
      if (!(await workbench.documents.confirmDiscardAll())) return;
      await workbench.settle();
      await appWindow.destroy();
    });
  }

  /** Waits until the opened file has been painted, then records how long the process took to get there. */
  private async reportEditorReady(): Promise<void> {
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    try {
      window.__ffEditorReadyMs = await call("process_uptime_ms");
    } catch (error) {
      showError(`Cannot measure startup time: ${errorMessage(error)}`);
    }
  }
}
