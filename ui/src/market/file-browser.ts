import type { ManifestFile, Version } from "../bindings";
import { h, safeHtml } from "../dom";
import { icon } from "../icons";
import { call } from "../ipc";
import { baseName } from "../paths";
import { formatBytes } from "../units";
import { type FolderNode, buildFileTree, fileCount } from "./file-tree";
import { failureView } from "./widgets";

/** A version's files as a tree; choosing one shows it highlighted beside the tree. */
export class FileBrowser {
  readonly element: HTMLElement;
  private readonly tree = h("div", { className: "market-tree", attributes: { "aria-label": "Files" } });
  private readonly preview = h("div", { id: "market-preview", className: "market-preview", attributes: { "aria-live": "polite" } });
  private version: Version | null = null;
  /** Bumped by every preview asked for, so a slow one cannot replace a newer one. */
  private generation = 0;

  constructor(private readonly templateId: number) {
    this.element = h("div", { className: "market-files" }, this.tree, this.preview);
  }

  show(version: Version | null): void {
    this.version = version;
    this.generation++;
    const root = buildFileTree(version?.files ?? []);
    if (fileCount(root) === 0) {
      this.tree.replaceChildren(h("p", { className: "muted", text: version ? "This version has no files." : "No version has been published yet." }));
    } else {
      this.tree.replaceChildren(...this.folderContents(root, 0));
    }
    delete this.preview.dataset.path;
    this.preview.replaceChildren(h("p", { className: "market-preview-message muted", text: "Choose a file to preview it." }));
  }

  private folderContents(node: FolderNode, depth: number): HTMLElement[] {
    return [...node.folders.map((folder) => this.folder(folder, depth)), ...node.files.map((file) => this.file(file))];
  }

  private folder(node: FolderNode, depth: number): HTMLElement {
    const folder = h(
      "details",
      { className: "market-folder", attributes: { "data-path": node.path } },
      h(
        "summary",
        { className: "market-tree-row" },
        icon("chevron", "icon market-folder-chevron"),
        icon("folder"),
        h("span", { className: "market-tree-name", text: node.name }),
        h("span", { className: "market-tree-meta", text: String(fileCount(node)) }),
      ),
      ...this.folderContents(node, depth + 1),
    );
    // The first level starts open; deeper folders open on demand.
    folder.open = depth === 0;
    return folder;
  }

  private file(file: ManifestFile): HTMLElement {
    return h(
      "button",
      {
        className: "market-tree-row market-file",
        title: file.path,
        attributes: { type: "button", "data-path": file.path },
        on: { click: () => void this.open(file) },
      },
      icon("file"),
      h("span", { className: "market-tree-name", text: baseName(file.path) }),
      h("span", { className: "market-tree-meta", text: formatBytes(file.size) }),
    );
  }

  private async open(file: ManifestFile): Promise<void> {
    const version = this.version;
    if (!version) return;
    const generation = ++this.generation;
    for (const row of this.tree.querySelectorAll(".market-file")) row.classList.toggle("selected", row.getAttribute("data-path") === file.path);
    const header = h("div", { className: "market-preview-header" }, h("span", { className: "market-preview-path", text: file.path }), h("span", { className: "muted", text: formatBytes(file.size) }));
    this.preview.replaceChildren(header, h("p", { className: "market-preview-message muted", text: "Loading…" }));
    this.preview.dataset.path = file.path;
    try {
      const html = await call("market_preview", { templateId: this.templateId, version: version.version, path: file.path });
      if (generation !== this.generation) return;
      this.preview.replaceChildren(header, safeHtml("market-preview-code", html, "pre"));
    } catch (error) {
      if (generation !== this.generation) return;
      this.preview.replaceChildren(header, failureView(error));
    }
  }
}
