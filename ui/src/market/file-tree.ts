import type { ManifestFile } from "../bindings";
import { joinPath } from "../paths";

// A template version's flat file manifest as a folder tree. Free of the DOM
// so it can be tested.

export interface FolderNode {
  name: string;
  /** "" for the template's root. */
  path: string;
  folders: FolderNode[];
  files: ManifestFile[];
}

function folder(name: string, path: string): FolderNode {
  return { name, path, folders: [], files: [] };
}

const byName = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Folders first, then files, each sorted by name; a path that appears twice is kept once. */
export function buildFileTree(files: readonly ManifestFile[]): FolderNode {
  const root = folder("", "");
  const folders = new Map<string, FolderNode>([["", root]]);
  const seen = new Set<string>();
  for (const file of files) {
    const parts = file.path.split("/").filter((part) => part !== "");
    const path = parts.join("/");
    if (parts.length === 0 || seen.has(path)) continue;
    seen.add(path);
    let parent = root;
    for (const name of parts.slice(0, -1)) {
      const childPath = joinPath(parent.path, name);
      let child = folders.get(childPath);
      if (!child) {
        child = folder(name, childPath);
        folders.set(childPath, child);
        parent.folders.push(child);
      }
      parent = child;
    }
    parent.files.push({ path, size: file.size });
  }
  for (const node of folders.values()) {
    node.folders.sort(byName);
    node.files.sort(byName);
  }
  return root;
}

/** How many files a folder holds, at any depth. */
export function fileCount(node: FolderNode): number {
  return node.files.length + node.folders.reduce((sum, child) => sum + fileCount(child), 0);
}
