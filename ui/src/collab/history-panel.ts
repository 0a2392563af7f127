// Version history of a shared project: the timeline of versions, saving one,
// the difference between any version and now, restoring it, and exporting
// the whole session as a zip.
//
// A side panel of the workbench (workbench.ts makes it; collab.ts tells it
// our role). Ctrl/Cmd+S in a session saves a version through the loaded
// panel (with the message typed in its box) or saveCheckpoint. The timeline
// refreshes itself every 10 s while the panel is visible, and after a save
// or restore made here or through saveCheckpoint. It needs
// styles/collab-panels.css.

import { save as saveDialog } from "@tauri-apps/plugin-dialog";
import type { CollabRole, FileDiff, ProjectId, VersionInfo } from "../bindings";
import { hunkHeader } from "../diff-rows";
import { splitTable } from "../diff-view";
import { h } from "../dom";
import { call, errorMessage } from "../ipc";
import { showDialog, showModal } from "../modal";
import { showError, showNotice } from "../notices";
import { relativeTime } from "../units";
import { dialogButtons, iconButton } from "../widgets";
import { panelHeader } from "./panel-header";
import {
  canChangeHistory,
  changedFiles,
  diffSummary,
  exportFileName,
  lineCounts,
  sortVersions,
  STATUS_LABELS,
  versionTitle,
  withZipExtension,
} from "./history-model";

export interface HistoryPanelHost {
  readonly projectId: ProjectId;
  /** The project folder's name (the export's suggested file name). */
  readonly projectName: string;
  /** This person's role in the session (later changes through `setRole`). */
  readonly role: CollabRole;
  /** The panel's close button was pressed. */
  hide(): void;
}

const REFRESH_INTERVAL_MS = 10_000;
const VIEWER_NOTE = "Viewers cannot save or restore versions.";

/** Panels on screen, told when a version is saved elsewhere (Ctrl/Cmd+S). */
const mounted = new Set<HistoryPanel>();

/**
 * Saves a version of the shared files now (Ctrl/Cmd+S, or the panel's box).
 * Tells the person the outcome; resolves with the version, or null.
 */
export async function saveCheckpoint(projectId: ProjectId, role: CollabRole, message = ""): Promise<VersionInfo | null> {
  if (!canChangeHistory(role)) {
    showNotice(VIEWER_NOTE);
    return null;
  }
  try {
    const version = await call("collab_save_version", { projectId, message: message.trim() });
    showNotice(`Saved version #${version.id}${version.message ? ` · ${version.message}` : ""}`, { testId: "collab-version-saved" });
    for (const panel of mounted) if (panel.projectId === projectId) void panel.refresh();
    return version;
  } catch (error) {
    showError(`Cannot save a version: ${errorMessage(error)}`);
    return null;
  }
}

/** Creates the history panel (not yet in the document: place `element` as other side panels are). */
export function mountHistoryPanel(host: HistoryPanelHost): HistoryPanel {
  return new HistoryPanel(host);
}

/** One file's changes since the version: version on the left, now on the right. */
function fileDiffView(file: FileDiff): HTMLElement {
  const { added, removed } = lineCounts(file);
  return h(
    "details",
    { className: "history-file-diff", attributes: { open: "", "data-path": file.path, "data-status": file.status } },
    h(
      "summary",
      { className: "history-file-diff-head" },
      h("span", { className: "history-file-path", text: file.path, title: file.path }),
      h("span", { className: `badge history-status ${file.status}`, text: STATUS_LABELS[file.status] }),
      h("span", { className: "spacer" }),
      h("span", { className: "history-line-counts", text: `+${added} −${removed}` }),
    ),
    h("div", { className: "history-diff-columns" }, h("span", { text: "This version" }), h("span", { text: "Now" })),
    ...file.hunks.map((hunk) =>
      h(
        "div",
        { className: "hunk" },
        h("div", { className: "hunk-header" }, h("span", { className: "hunk-range", text: hunkHeader(hunk.lines) })),
        h("div", { className: "diff-scroll" }, splitTable(hunk.lines)),
      ),
    ),
  );
}

/** A disabled control cannot show its own tooltip (base.css turns pointer events off), so a wrapper does. */
function explained(control: HTMLElement, allowed: boolean, why: string): HTMLElement {
  return allowed ? control : h("span", { className: "collab-disabled-reason", title: why }, control);
}

type DiffState = { kind: "none" } | { kind: "loading" } | { kind: "failed"; message: string } | { kind: "shown"; files: FileDiff[] };

export class HistoryPanel {
  readonly element: HTMLElement;
  private readonly timeline = h("ol", { className: "history-timeline", attributes: { "aria-label": "Versions" } });
  private readonly timelineNote = h("p", { className: "muted collab-empty", testId: "history-empty" });
  private readonly diffArea = h("section", { className: "history-diff", testId: "history-diff", attributes: { "aria-label": "Changes since the version" } });
  private readonly messageInput = h("input", {
    className: "text-input history-save-message",
    testId: "history-save-message",
    attributes: { type: "text", placeholder: "Message (optional)", "aria-label": "Version message", spellcheck: "true", autocomplete: "off" },
  });
  private readonly saveButton = h("button", { className: "button small primary", testId: "history-save", text: "Save version", attributes: { type: "submit" } });
  private readonly saveSlot = h("span", { className: "history-save-slot" });
  private readonly exportButton = h("button", {
    className: "button small",
    testId: "history-export",
    text: "Export session…",
    title: "Save the files, comments and history of this session as a zip",
    attributes: { type: "button" },
    on: { click: () => void this.exportSession() },
  });
  private role: CollabRole;
  /** The role the save box was last drawn for. */
  private shownRole: CollabRole | null = null;
  private restoreButton: HTMLButtonElement | null = null;
  private versions: VersionInfo[] = [];
  private selected: number | null = null;
  private diff: DiffState = { kind: "none" };
  /** What the timeline shows, so an unchanged refresh leaves it (and focus in it) alone. */
  private shownTimeline = "";
  private loaded = false;
  /** Which request may still fill the timeline or the diff (a newer one wins). */
  private timelineGeneration = 0;
  private diffGeneration = 0;
  private busy = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly host: HistoryPanelHost) {
    this.role = host.role;
    this.element = h(
      "aside",
      { id: "history-panel", className: "side-panel collab-panel history-panel", testId: "history-panel", attributes: { "aria-label": "Version history", tabindex: "-1" } },
      panelHeader(
        "Version history",
        this.exportButton,
        iconButton("refresh", "Refresh", "history-refresh", () => void this.refresh()),
        iconButton("close", "Hide the history", "history-close", () => host.hide()),
      ),
      h(
        "form",
        {
          className: "history-save",
          on: {
            submit: (event) => {
              event.preventDefault();
              void this.saveVersion();
            },
          },
        },
        this.messageInput,
        this.saveSlot,
      ),
      h("div", { className: "history-timeline-wrap" }, this.timelineNote, this.timeline),
      this.diffArea,
    );
    this.timer = setInterval(() => {
      if (!this.element.hidden && this.element.isConnected) void this.refresh();
    }, REFRESH_INTERVAL_MS);
    mounted.add(this);
    this.renderPermissions();
    this.renderTimeline();
    this.renderDiff();
  }

  get projectId(): ProjectId {
    return this.host.projectId;
  }

  /** The panel became visible: brings the timeline up to date. */
  show(): void {
    void this.refresh();
    this.element.focus({ preventScroll: true });
  }

  dispose(): void {
    clearInterval(this.timer);
    mounted.delete(this);
  }

  setRole(role: CollabRole): void {
    this.role = role;
    this.renderPermissions();
    this.renderDiff();
  }

  /** Saves a version with the message typed in the box (none is fine). */
  async saveVersion(): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    try {
      const version = await saveCheckpoint(this.host.projectId, this.role, this.messageInput.value);
      if (version) this.messageInput.value = "";
    } finally {
      this.setBusy(false);
    }
  }

  /** Reloads the timeline (the diff shown stays; it is fetched again only on request). */
  async refresh(): Promise<void> {
    const generation = ++this.timelineGeneration;
    try {
      const versions = await call("collab_versions", { projectId: this.host.projectId });
      if (generation !== this.timelineGeneration) return;
      this.versions = sortVersions(versions);
      this.loaded = true;
      if (this.selected !== null && !this.versions.some((version) => version.id === this.selected)) {
        this.selected = null;
        this.diff = { kind: "none" };
        this.renderDiff();
      }
      this.renderTimeline();
    } catch (error) {
      if (generation !== this.timelineGeneration) return;
      this.timelineNote.hidden = false;
      this.timelineNote.textContent = `Cannot load the versions: ${errorMessage(error)}`;
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.renderPermissions();
  }

  private renderPermissions(): void {
    const allowed = canChangeHistory(this.role);
    this.saveButton.disabled = !allowed || this.busy;
    if (this.restoreButton) this.restoreButton.disabled = !allowed || this.busy;
    if (this.shownRole === this.role) return;
    this.shownRole = this.role;
    this.messageInput.disabled = !allowed;
    this.messageInput.title = allowed ? "" : VIEWER_NOTE;
    this.saveSlot.replaceChildren(explained(this.saveButton, allowed, VIEWER_NOTE));
  }

  private renderTimeline(): void {
    const now = Date.now();
    // The minute is part of it so the relative times stay right.
    const key = JSON.stringify([this.versions, this.selected, this.loaded, Math.floor(now / 60_000)]);
    if (key === this.shownTimeline) return;
    this.shownTimeline = key;
    this.timelineNote.hidden = this.versions.length > 0;
    this.timelineNote.textContent = this.loaded ? "No versions yet. One is saved automatically every 30 seconds of editing." : "Loading the versions…";
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>(".history-version")?.dataset.versionId : undefined;
    this.timeline.replaceChildren(...this.versions.map((version) => this.versionRow(version, now)));
    if (focusedId) this.timeline.querySelector<HTMLElement>(`.history-version[data-version-id="${focusedId}"]`)?.focus({ preventScroll: true });
  }

  private versionRow(version: VersionInfo, now: number): HTMLElement {
    const selected = version.id === this.selected;
    return h(
      "li",
      {},
      h(
        "button",
        {
          className: `history-version${selected ? " selected" : ""}${version.automatic ? " automatic" : " manual"}`,
          testId: "history-version",
          title: "Compare this version with now",
          attributes: {
            type: "button",
            "aria-pressed": String(selected),
            "data-version-id": String(version.id),
            "data-automatic": String(version.automatic),
          },
          on: { click: () => this.select(version.id) },
        },
        h(
          "span",
          { className: "history-version-head" },
          h("span", { className: `badge history-kind ${version.automatic ? "automatic" : "manual"}`, text: version.automatic ? "Auto" : "Saved" }),
          h("span", { className: "history-version-title", text: versionTitle(version) }),
        ),
        h(
          "span",
          { className: "history-version-meta" },
          h("span", { text: version.author || "Someone" }),
          h("span", { text: "·" }),
          h("span", { className: "history-version-time", text: relativeTime(version.createdAt, now), title: new Date(version.createdAt).toLocaleString() }),
          h("span", { className: "spacer" }),
          h("span", { className: "history-version-id", text: `#${version.id}` }),
        ),
      ),
    );
  }

  private select(versionId: number): void {
    this.selected = versionId;
    this.renderTimeline();
    void this.loadDiff();
  }

  private async loadDiff(): Promise<void> {
    const versionId = this.selected;
    if (versionId === null) return;
    const generation = ++this.diffGeneration;
    this.diff = { kind: "loading" };
    this.renderDiff();
    try {
      const files = await call("collab_version_diff", { projectId: this.host.projectId, versionId });
      if (generation !== this.diffGeneration) return;
      this.diff = { kind: "shown", files };
    } catch (error) {
      if (generation !== this.diffGeneration) return;
      this.diff = { kind: "failed", message: `Cannot compare the version with now: ${errorMessage(error)}` };
    }
    this.renderDiff();
  }

  private renderDiff(): void {
    const version = this.versions.find((candidate) => candidate.id === this.selected);
    this.restoreButton = null;
    if (!version || this.diff.kind === "none") {
      this.diffArea.replaceChildren(h("p", { className: "muted collab-empty", text: "Select a version to see what changed since then." }));
      return;
    }
    const allowed = canChangeHistory(this.role);
    const restoreButton = h("button", {
      className: "button small danger",
      testId: "history-restore",
      text: "Restore this version",
      title: "Bring every file back to this version, for everyone",
      attributes: { type: "button", "data-version-id": String(version.id) },
      on: { click: () => void this.restore(version) },
    });
    restoreButton.disabled = !allowed || this.busy;
    this.restoreButton = restoreButton;
    const files = this.diff.kind === "shown" ? changedFiles(this.diff.files) : [];
    const wideButton = h("button", {
      className: "button small",
      testId: "history-diff-wide",
      text: "Wide view",
      title: "Show the changes in a larger window",
      attributes: { type: "button" },
      on: { click: () => void this.showWide(version, files) },
    });
    wideButton.hidden = files.length === 0;
    const header = h(
      "header",
      { className: "history-diff-header" },
      h(
        "div",
        { className: "history-diff-title" },
        h("strong", { text: `#${version.id} ${versionTitle(version)}` }),
        h("span", { className: "muted", text: `${version.author || "Someone"} · ${new Date(version.createdAt).toLocaleString()}` }),
      ),
      h("div", { className: "history-diff-actions" }, wideButton, explained(restoreButton, allowed, VIEWER_NOTE)),
    );
    let content: HTMLElement[];
    if (this.diff.kind === "loading") content = [h("p", { className: "muted collab-empty", text: "Comparing with now…" })];
    else if (this.diff.kind === "failed") content = [h("p", { className: "form-error", text: this.diff.message, attributes: { role: "alert" } })];
    else {
      content = [
        h("p", { className: "history-diff-summary", testId: "history-diff-summary", text: diffSummary(this.diff.files) }),
        this.fileList(files),
        ...files.map(fileDiffView),
      ];
    }
    this.diffArea.replaceChildren(header, ...content);
  }

  /** The changed files with their status; a click scrolls to the file's changes. */
  private fileList(files: readonly FileDiff[]): HTMLElement {
    return h(
      "ul",
      { className: "history-files" },
      ...files.map((file) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              className: "history-file",
              testId: "history-file",
              title: `Show the changes to ${file.path}`,
              attributes: { type: "button", "data-path": file.path, "data-status": file.status },
              on: {
                click: () => {
                  const section = [...this.diffArea.querySelectorAll<HTMLDetailsElement>(".history-file-diff")].find((element) => element.dataset.path === file.path);
                  if (!section) return;
                  section.open = true;
                  section.scrollIntoView({ block: "start" });
                },
              },
            },
            h("span", { className: `badge history-status ${file.status}`, text: STATUS_LABELS[file.status] }),
            h("span", { className: "history-file-path", text: file.path }),
          ),
        ),
      ),
    );
  }

  private async showWide(version: VersionInfo, files: readonly FileDiff[]): Promise<void> {
    await showDialog({
      title: `Changes since version #${version.id}`,
      className: "modal-wide history-diff-dialog",
      cancelAction: "close",
      content: (close) => [h("div", { className: "history-diff-dialog-body" }, ...files.map(fileDiffView)), dialogButtons(close, "Close")],
    });
  }

  private async restore(version: VersionInfo): Promise<void> {
    if (!canChangeHistory(this.role) || this.busy) return;
    const when = new Date(version.createdAt).toLocaleString();
    const action = await showModal({
      title: `Restore version #${version.id}?`,
      message:
        `Every shared file goes back to how it was on ${when}, for everyone in the session. ` +
        "The current files are saved as a version first, so you can come back to them.",
      buttons: [
        { action: "restore", label: "Restore", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "restore") return;
    this.setBusy(true);
    try {
      // The edits since the last checkpoint would otherwise exist in no version.
      await call("collab_save_version", { projectId: this.host.projectId, message: `Before restoring version #${version.id}` });
      await call("collab_restore", { projectId: this.host.projectId, versionId: version.id });
      showNotice(`Restored version #${version.id}`, { testId: "history-restored-notice" });
    } catch (error) {
      showError(`Cannot restore version #${version.id}: ${errorMessage(error)}`);
    } finally {
      this.setBusy(false);
    }
    await this.refresh();
    if (this.selected === version.id) await this.loadDiff();
  }

  private async exportSession(): Promise<void> {
    let destination: string | null;
    try {
      destination = await saveDialog({
        title: "Export session",
        defaultPath: exportFileName(this.host.projectName, Date.now()),
        filters: [{ name: "Zip archive", extensions: ["zip"] }],
      });
    } catch (error) {
      showError(`Cannot show the save dialog: ${errorMessage(error)}`);
      return;
    }
    if (!destination) return;
    this.exportButton.disabled = true;
    try {
      const path = await call("collab_export", { projectId: this.host.projectId, destination: withZipExtension(destination) });
      showNotice(`Exported the session to ${path}`, { testId: "history-export-notice", timeoutMs: 15_000 });
    } catch (error) {
      showError(`Cannot export the session: ${errorMessage(error)}`);
    } finally {
      this.exportButton.disabled = false;
    }
  }
}
