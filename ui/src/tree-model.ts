import type { TreeEntry } from "./bindings";
import { isSameOrInside, parentPath, remapPath } from "./paths";

export interface TreeNode {
  entry: TreeEntry;
  children: TreeNode[];
}

/** One line of the rendered explorer. */
export interface TreeRow {
  entry: TreeEntry;
  /** Nesting level from the root (0 = top level), independent of entry.depth. */
  level: number;
  expanded: boolean;
}

/** Nests a flat pre-order listing (TreeEntry.depth) into a forest. */
export function buildTree(entries: readonly TreeEntry[]): TreeNode[] {
  const roots: TreeNode[] = [];
  const openDirectories: TreeNode[] = [];
  for (const entry of entries) {
    while (openDirectories.length > 0 && openDirectories[openDirectories.length - 1]!.entry.depth >= entry.depth) {
      openDirectories.pop();
    }
    const node: TreeNode = { entry, children: [] };
    const parent = openDirectories[openDirectories.length - 1];
    (parent ? parent.children : roots).push(node);
    if (entry.kind === "dir") openDirectories.push(node);
  }
  return roots;
}

/**
 * The explorer's state without the DOM: the listing, which folders are open,
 * and the children of ignored folders fetched on demand with list_dir.
 * Folders start collapsed; the top level is always visible.
 */
export class TreeModel {
  private roots: TreeNode[] = [];
  private readonly byPath = new Map<string, TreeNode>();
  private readonly expanded: Set<string>;
  // Ignored folders are listed without their contents; these were fetched on demand.
  private readonly loadedOnDemand = new Map<string, TreeNode[]>();

  constructor(expandedPaths: Iterable<string> = []) {
    this.expanded = new Set(expandedPaths);
  }

  /** Replaces the listing (after list_tree). On-demand contents are dropped: they may be stale. */
  setEntries(entries: readonly TreeEntry[]): void {
    this.roots = buildTree(entries);
    this.loadedOnDemand.clear();
    this.reindex();
  }

  /** Attaches the result of list_dir for `directory`. */
  setChildren(directory: string, entries: readonly TreeEntry[]): void {
    if (!this.byPath.has(directory)) return;
    this.loadedOnDemand.set(directory, buildTree(entries));
    this.reindex();
  }

  get(path: string): TreeEntry | undefined {
    return this.byPath.get(path)?.entry;
  }

  /** True for a folder whose contents were not part of the listing and have not been fetched yet. */
  needsLoad(path: string): boolean {
    const node = this.byPath.get(path);
    if (!node || node.entry.kind !== "dir" || this.loadedOnDemand.has(path)) return false;
    return node.children.length === 0 && (node.entry.ignored || this.isInsideOnDemandContent(path));
  }

  isExpanded(path: string): boolean {
    return this.expanded.has(path);
  }

  setExpanded(path: string, expanded: boolean): void {
    if (expanded) this.expanded.add(path);
    else this.expanded.delete(path);
  }

  /** Opens every folder above `path` so it becomes visible. */
  revealPath(path: string): void {
    for (let folder = parentPath(path); folder !== ""; folder = parentPath(folder)) this.expanded.add(folder);
  }

  expandedPaths(): string[] {
    return [...this.expanded];
  }

  /** Expanded folders that still need list_dir (e.g. after a reload). */
  expandedNeedingLoad(): string[] {
    return [...this.expanded].filter((path) => this.needsLoad(path));
  }

  visibleRows(): TreeRow[] {
    const rows: TreeRow[] = [];
    const visit = (nodes: readonly TreeNode[], level: number) => {
      for (const node of nodes) {
        const path = node.entry.path;
        const expanded = node.entry.kind === "dir" && this.expanded.has(path);
        rows.push({ entry: node.entry, level, expanded });
        if (expanded) visit(this.childrenOf(node), level + 1);
      }
    };
    visit(this.roots, 0);
    return rows;
  }

  /** Every file of the listing, for quick open. Contents of ignored folders are left out on purpose. */
  filePaths(): string[] {
    const files: string[] = [];
    const visit = (nodes: readonly TreeNode[]) => {
      for (const node of nodes) {
        if (node.entry.kind === "file") files.push(node.entry.path);
        else visit(node.children);
      }
    };
    visit(this.roots);
    return files;
  }

  /** Keeps the open/closed state of folders across a rename or move. */
  renamePath(from: string, to: string): void {
    for (const path of [...this.expanded]) {
      const moved = remapPath(path, from, to);
      if (moved !== null) {
        this.expanded.delete(path);
        this.expanded.add(moved);
      }
    }
  }

  forgetPath(removed: string): void {
    for (const path of [...this.expanded]) {
      if (isSameOrInside(path, removed)) this.expanded.delete(path);
    }
  }

  private childrenOf(node: TreeNode): readonly TreeNode[] {
    return this.loadedOnDemand.get(node.entry.path) ?? node.children;
  }

  private isInsideOnDemandContent(path: string): boolean {
    for (let folder = parentPath(path); folder !== ""; folder = parentPath(folder)) {
      const node = this.byPath.get(folder);
      if (node && (node.entry.ignored || this.loadedOnDemand.has(folder))) return true;
    }
    return false;
  }

  private reindex(): void {
    this.byPath.clear();
    const visit = (nodes: readonly TreeNode[]) => {
      for (const node of nodes) {
        this.byPath.set(node.entry.path, node);
        visit(this.childrenOf(node));
      }
    };
    visit(this.roots);
  }
}
