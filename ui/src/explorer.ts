import type { EntryKind, ProjectInfo, TreeEntry } from "./bindings";
import { showContextMenu, type MenuEntry } from "./context-menu";
import { h } from "./dom";
import { icon, type IconName } from "./icons";
import { call, errorMessage } from "./ipc";
import { showModal } from "./modal";
import { showError } from "./notices";
import { baseName, isSameOrInside, joinPath, parentPath, resolveUserPath } from "./paths";
import { TreeModel, type TreeRow } from "./tree-model";

export interface ExplorerActions {
  openFile(path: string): void;
  /** A file or folder was renamed or moved on disk. */
  renamed(from: string, to: string): Promise<void>;
  /** A file or folder was deleted on disk. */
  deleted(path: string): void;
}

type InlineEdit =
  | { kind: "create"; entryKind: EntryKind; folder: string; input: HTMLInputElement; error: HTMLElement }
  | { kind: "rename"; path: string; input: HTMLInputElement; error: HTMLElement };

const INDENT_PX = 12;
const DRAG_TYPE = "application/x-flashfusion-path";
const RELOAD_DELAY_MS = 150;

/** The file tree: listing, expansion, selection and the file operations started from it. */
export class Explorer {
  readonly model: TreeModel;
  readonly element: HTMLElement;
  private readonly tree = h("div", { className: "tree", attributes: { role: "tree", tabindex: "0", "aria-label": "Files" } });
  private selectedPath: string | null = null;
  private activePath: string | null = null;
  private edit: InlineEdit | null = null;
  private draggedPath: string | null = null;
  private dropTarget: string | null = null;
  private reloadTimer: ReturnType<typeof setTimeout> | null = null;
  private reloadGeneration = 0;
  private readonly expansionKey: string;

  constructor(
    private readonly project: ProjectInfo,
    private readonly actions: ExplorerActions,
  ) {
    this.expansionKey = `flashfusion.expanded:${project.root}`;
    this.model = new TreeModel(this.loadExpansion());
    const headerButton = (testId: string, title: string, iconName: IconName, run: () => void) =>
      h("button", { className: "icon-button", testId, title, attributes: { type: "button", "aria-label": title }, on: { click: run } }, icon(iconName));
    this.element = h(
      "aside",
      { className: "sidebar" },
      h(
        "header",
        { className: "sidebar-header" },
        h("span", { className: "sidebar-title", text: project.name, title: project.root }),
        h(
          "span",
          { className: "sidebar-actions" },
          headerButton("tree-new-file", "New file…", "newFile", () => this.startCreate("file")),
          headerButton("tree-new-folder", "New folder…", "newFolder", () => this.startCreate("dir")),
          headerButton("tree-refresh", "Refresh", "refresh", () => void this.reload()),
          headerButton("tree-collapse", "Collapse folders", "collapse", () => this.collapseAll()),
        ),
      ),
      this.tree,
    );
    this.tree.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.tree.addEventListener("contextmenu", (event) => {
      if (event.target !== this.tree) return;
      event.preventDefault();
      this.selectedPath = null;
      this.render();
      showContextMenu(event.clientX, event.clientY, [
        { label: "New file…", run: () => this.startCreate("file") },
        { label: "New folder…", run: () => this.startCreate("dir") },
      ]);
    });
    // Dropping on the empty space below the rows moves to the project root.
    this.tree.addEventListener("dragover", (event) => {
      if (event.target === this.tree) this.onDragOver(event, "");
    });
    this.tree.addEventListener("drop", (event) => {
      if (event.target === this.tree) this.onDrop(event, "");
    });
  }

  focus(): void {
    this.tree.focus();
  }

  /** Re-reads the listing (and the contents of open ignored folders) from disk. */
  async reload(): Promise<void> {
    const generation = ++this.reloadGeneration;
    try {
      const entries = await call("list_tree", { projectId: this.project.id });
      if (generation !== this.reloadGeneration) return;
      this.model.setEntries(entries);
      const lazy = this.model.expandedNeedingLoad();
      const children = await Promise.all(lazy.map((path) => this.listDirectory(path)));
      if (generation !== this.reloadGeneration) return;
      lazy.forEach((path, index) => {
        const listed = children[index];
        if (listed) this.model.setChildren(path, listed);
      });
    } catch (error) {
      showError(`Cannot list the project files: ${errorMessage(error)}`);
    }
    this.render();
  }

  /** Reloads once a burst of watcher events has settled. */
  scheduleReload(): void {
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      void this.reload();
    }, RELOAD_DELAY_MS);
  }

  dispose(): void {
    if (this.reloadTimer !== null) clearTimeout(this.reloadTimer);
  }

  /** Highlights (and reveals) the file of the active tab. */
  setActivePath(path: string | null): void {
    if (path === this.activePath) return;
    this.activePath = path;
    if (path) {
      this.model.revealPath(path);
      this.selectedPath = path;
      this.saveExpansion();
    }
    this.render();
    this.tree.querySelector(".tree-row.selected")?.scrollIntoView({ block: "nearest" });
  }

  /** Starts the inline input for a new file or folder inside the selected folder. */
  startCreate(entryKind: EntryKind): void {
    const folder = this.selectedFolder();
    if (folder !== "") {
      this.model.setExpanded(folder, true);
      this.model.revealPath(folder);
    }
    const input = h("input", {
      className: "tree-input",
      testId: "new-path-input",
      attributes: {
        type: "text",
        spellcheck: "false",
        "aria-label": entryKind === "file" ? "New file name" : "New folder name",
        placeholder: entryKind === "file" ? "file name (a/b.rs creates folders)" : "folder name",
      },
    });
    this.beginEdit({ kind: "create", entryKind, folder, input, error: h("div", { className: "tree-error", attributes: { role: "alert" } }) });
  }

  /** Starts renaming the selected entry (or `path`). */
  startRename(path: string | null = this.selectedPath ?? this.activePath): void {
    if (!path || !this.model.get(path)) return;
    this.selectedPath = path;
    this.model.revealPath(path);
    const name = baseName(path);
    const input = h("input", {
      className: "tree-input",
      testId: "rename-input",
      attributes: { type: "text", spellcheck: "false", "aria-label": `Rename ${name}` },
    });
    input.value = name;
    this.beginEdit({ kind: "rename", path, input, error: h("div", { className: "tree-error", attributes: { role: "alert" } }) });
    // Select the name without its extension, ready to type over.
    const dot = name.lastIndexOf(".");
    input.setSelectionRange(0, dot > 0 && this.model.get(path)?.kind === "file" ? dot : name.length);
  }

  /** Asks, then deletes the selected entry (or `path`). */
  async confirmDelete(path: string | null = this.selectedPath ?? this.activePath): Promise<void> {
    const entry = path ? this.model.get(path) : undefined;
    if (!path || !entry) return;
    const action = await showModal({
      title: `Delete “${entry.name}”?`,
      message: entry.kind === "dir" ? "The folder and everything in it will be deleted." : "The file will be deleted.",
      buttons: [
        { action: "confirm", label: "Delete", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "confirm") return;
    try {
      await call("delete_path", { projectId: this.project.id, path });
    } catch (error) {
      showError(`Could not delete ${path}: ${errorMessage(error)}`);
      return;
    }
    this.model.forgetPath(path);
    this.saveExpansion();
    if (this.selectedPath && isSameOrInside(this.selectedPath, path)) this.selectedPath = null;
    this.actions.deleted(path);
    await this.reload();
    this.tree.focus();
  }

  private selectedFolder(): string {
    const entry = this.selectedPath ? this.model.get(this.selectedPath) : undefined;
    if (!entry) return "";
    return entry.kind === "dir" ? entry.path : parentPath(entry.path);
  }

  private beginEdit(edit: InlineEdit): void {
    this.edit = edit;
    const { input } = edit;
    input.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Enter") {
        event.preventDefault();
        void this.commitEdit(edit);
      } else if (event.key === "Escape") {
        event.preventDefault();
        this.endEdit(edit);
      }
    });
    input.addEventListener("input", () => (edit.error.textContent = ""));
    input.addEventListener("blur", () => {
      // Clicking elsewhere in the app cancels; the window merely losing focus does not.
      setTimeout(() => {
        if (this.edit === edit && document.hasFocus() && document.activeElement !== input) this.endEdit(edit, false);
      }, 0);
    });
    this.render();
    input.focus();
  }

  private endEdit(edit: InlineEdit, refocus = true): void {
    if (this.edit !== edit) return;
    this.edit = null;
    this.render();
    if (refocus) this.tree.focus();
  }

  private async commitEdit(edit: InlineEdit): Promise<void> {
    const folder = edit.kind === "create" ? edit.folder : parentPath(edit.path);
    const target = resolveUserPath(folder, edit.input.value);
    if (target === null) {
      edit.error.textContent = edit.input.value.trim() === "" ? "Enter a name." : "That path is outside the project.";
      return;
    }
    try {
      if (edit.kind === "create") {
        await call(edit.entryKind === "file" ? "create_file" : "create_dir", { projectId: this.project.id, path: target });
      } else if (target !== edit.path) {
        await call("rename_path", { projectId: this.project.id, from: edit.path, to: target });
      }
    } catch (error) {
      edit.error.textContent = errorMessage(error);
      return;
    }
    this.endEdit(edit);
    this.selectedPath = target;
    this.model.revealPath(target);
    if (edit.kind === "rename" && target !== edit.path) {
      this.model.renamePath(edit.path, target);
      await this.actions.renamed(edit.path, target);
    }
    if (edit.kind === "create" && edit.entryKind === "dir") this.model.setExpanded(target, true);
    this.saveExpansion();
    await this.reload();
    if (edit.kind === "create" && edit.entryKind === "file") this.actions.openFile(target);
  }

  private async move(from: string, toFolder: string): Promise<void> {
    const to = joinPath(toFolder, baseName(from));
    if (to === from) return;
    if (isSameOrInside(toFolder, from)) {
      showError("A folder cannot be moved into itself.");
      return;
    }
    try {
      await call("rename_path", { projectId: this.project.id, from, to });
    } catch (error) {
      showError(`Could not move ${from}: ${errorMessage(error)}`);
      return;
    }
    this.model.renamePath(from, to);
    this.model.revealPath(to);
    this.saveExpansion();
    this.selectedPath = to;
    await this.actions.renamed(from, to);
    await this.reload();
  }

  private async toggle(path: string): Promise<void> {
    const expand = !this.model.isExpanded(path);
    this.model.setExpanded(path, expand);
    this.saveExpansion();
    this.render();
    if (expand && this.model.needsLoad(path)) {
      const children = await this.listDirectory(path);
      if (children) this.model.setChildren(path, children);
      this.render();
    }
  }

  private async listDirectory(path: string): Promise<TreeEntry[] | null> {
    try {
      return await call("list_dir", { projectId: this.project.id, path });
    } catch (error) {
      showError(`Cannot list ${path}: ${errorMessage(error)}`);
      return null;
    }
  }

  private collapseAll(): void {
    for (const path of this.model.expandedPaths()) this.model.setExpanded(path, false);
    this.saveExpansion();
    this.render();
  }

  private render(): void {
    const edit = this.edit;
    // Building the rows moves the input out of the document, which silently
    // drops its focus; note it first and give it back afterwards.
    const hadFocus = edit !== null && document.activeElement === edit.input;
    const rows = this.model.visibleRows();
    const elements: HTMLElement[] = [];
    if (edit?.kind === "create" && edit.folder === "") elements.push(this.renderCreateRow(edit, 0));
    for (const row of rows) {
      elements.push(this.renderRow(row));
      if (edit?.kind === "create" && edit.folder === row.entry.path) elements.push(this.renderCreateRow(edit, row.level + 1));
    }
    if (rows.length === 0 && !edit) elements.push(h("div", { className: "tree-empty", text: "This folder is empty." }));
    this.tree.replaceChildren(...elements);
    if (hadFocus) edit.input.focus();
  }

  private renderCreateRow(edit: Extract<InlineEdit, { kind: "create" }>, level: number): HTMLElement {
    return h(
      "div",
      { className: "tree-row tree-edit-row", attributes: { style: `padding-left: ${8 + level * INDENT_PX}px` } },
      h("span", { className: "tree-twisty" }),
      icon(edit.entryKind === "dir" ? "folder" : "file", "icon tree-icon"),
      h("span", { className: "tree-edit" }, edit.input, edit.error),
    );
  }

  private renderRow(row: TreeRow): HTMLElement {
    const { entry, level, expanded } = row;
    const isDir = entry.kind === "dir";
    const classes = ["tree-row"];
    if (entry.ignored) classes.push("ignored");
    if (entry.path === this.selectedPath) classes.push("selected");
    if (entry.path === this.activePath) classes.push("active");
    if (entry.path === this.dropTarget) classes.push("drop-target");
    const renaming = this.edit?.kind === "rename" && this.edit.path === entry.path ? this.edit : null;
    const attributes: Record<string, string> = {
      role: "treeitem",
      "data-path": entry.path,
      "data-kind": entry.kind,
      "aria-level": String(level + 1),
      "aria-selected": String(entry.path === this.selectedPath),
      draggable: renaming ? "false" : "true",
      style: `padding-left: ${8 + level * INDENT_PX}px`,
    };
    if (isDir) attributes["aria-expanded"] = String(expanded);
    const element = h(
      "div",
      {
        className: classes.join(" "),
        testId: "tree-item",
        title: entry.path,
        attributes,
        on: {
          click: () => this.onRowClick(entry),
          contextmenu: (event) => this.onRowContextMenu(event, entry),
          dragstart: (event) => {
            this.draggedPath = entry.path;
            event.dataTransfer?.setData(DRAG_TYPE, entry.path);
            if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
          },
          dragend: () => {
            this.draggedPath = null;
            this.setDropTarget(null);
          },
          dragover: (event) => this.onDragOver(event, isDir ? entry.path : parentPath(entry.path)),
          dragleave: () => this.setDropTarget(null),
          drop: (event) => this.onDrop(event, isDir ? entry.path : parentPath(entry.path)),
        },
      },
      h("span", { className: `tree-twisty${expanded ? " expanded" : ""}` }, isDir ? icon("chevron") : null),
      icon(isDir ? (expanded ? "folderOpen" : "folder") : "file", `icon tree-icon${isDir ? " folder" : ""}`),
      renaming ? h("span", { className: "tree-edit" }, renaming.input, renaming.error) : h("span", { className: "tree-name", text: entry.name }),
    );
    return element;
  }

  private onRowClick(entry: TreeEntry): void {
    if (this.edit?.kind === "rename" && this.edit.path === entry.path) return;
    this.selectedPath = entry.path;
    if (entry.kind === "dir") {
      void this.toggle(entry.path);
    } else {
      this.render();
      this.actions.openFile(entry.path);
    }
  }

  private onRowContextMenu(event: MouseEvent, entry: TreeEntry): void {
    event.preventDefault();
    event.stopPropagation();
    this.selectedPath = entry.path;
    this.render();
    const entries: MenuEntry[] = [
      { label: "New file…", run: () => this.startCreate("file") },
      { label: "New folder…", run: () => this.startCreate("dir") },
      null,
      { label: "Rename…", shortcut: "F2", run: () => this.startRename(entry.path) },
      { label: "Delete", shortcut: "Delete", danger: true, run: () => void this.confirmDelete(entry.path) },
    ];
    if (entry.kind === "file") entries.unshift({ label: "Open", run: () => this.actions.openFile(entry.path) }, null);
    showContextMenu(event.clientX, event.clientY, entries);
  }

  private onDragOver(event: DragEvent, folder: string): void {
    const dragged = this.draggedPath;
    if (dragged === null || isSameOrInside(folder, dragged) || parentPath(dragged) === folder) {
      this.setDropTarget(null);
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
    this.setDropTarget(folder);
  }

  private onDrop(event: DragEvent, folder: string): void {
    const dragged = this.draggedPath ?? event.dataTransfer?.getData(DRAG_TYPE) ?? "";
    event.preventDefault();
    event.stopPropagation();
    this.draggedPath = null;
    this.setDropTarget(null);
    if (dragged !== "") void this.move(dragged, folder);
  }

  private setDropTarget(folder: string | null): void {
    if (folder === this.dropTarget) return;
    this.dropTarget = folder;
    for (const row of this.tree.querySelectorAll<HTMLElement>(".tree-row[data-path]")) {
      row.classList.toggle("drop-target", row.dataset.path === folder);
    }
    this.tree.classList.toggle("drop-target-root", folder === "");
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.target !== this.tree) return;
    const rows = this.model.visibleRows();
    if (rows.length === 0) return;
    const index = rows.findIndex((row) => row.entry.path === this.selectedPath);
    const row = rows[index];
    const select = (next: number) => {
      const target = rows[Math.max(0, Math.min(rows.length - 1, next))]!;
      this.selectedPath = target.entry.path;
      this.render();
      this.tree.querySelector(".tree-row.selected")?.scrollIntoView({ block: "nearest" });
    };
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
        select(index + 1);
        break;
      case "ArrowUp":
        select(index < 0 ? rows.length - 1 : index - 1);
        break;
      case "Home":
        select(0);
        break;
      case "End":
        select(rows.length - 1);
        break;
      case "ArrowRight":
        if (row?.entry.kind === "dir") {
          if (!row.expanded) void this.toggle(row.entry.path);
          else select(index + 1);
        }
        break;
      case "ArrowLeft":
        if (row?.entry.kind === "dir" && row.expanded) void this.toggle(row.entry.path);
        else if (row) {
          const parent = parentPath(row.entry.path);
          if (parent !== "") select(rows.findIndex((candidate) => candidate.entry.path === parent));
        }
        break;
      case "Enter":
        if (row) this.onRowClick(row.entry);
        break;
      case "Delete":
        void this.confirmDelete();
        break;
      case "Backspace":
        // Cmd-Backspace is the macOS way to delete in file lists.
        if (event.metaKey) void this.confirmDelete();
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }

  private loadExpansion(): string[] {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(this.expansionKey) ?? "[]");
      return Array.isArray(stored) ? stored.filter((path): path is string => typeof path === "string") : [];
    } catch {
      // A corrupt entry only costs the remembered folder state.
      return [];
    }
  }

  private saveExpansion(): void {
    localStorage.setItem(this.expansionKey, JSON.stringify(this.model.expandedPaths()));
  }
}
