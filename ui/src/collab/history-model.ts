// What the version history panel shows, free of the DOM so it can be tested.

import type { CollabRole, FileDiff, FileStatus, VersionInfo } from "../bindings";

/** Saving and restoring change the shared doc, which the relay refuses from viewers. */
export function canChangeHistory(role: CollabRole): boolean {
  return role !== "viewer";
}

/** Newest first (Rust already sends them so; a refresh must not reorder equal times). */
export function sortVersions(versions: readonly VersionInfo[]): VersionInfo[] {
  return [...versions].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
}

/** The line a version is known by: its message, or what kind of checkpoint it is. */
export function versionTitle(version: VersionInfo): string {
  const message = version.message.trim();
  if (message) return message;
  return version.automatic ? "Automatic checkpoint" : "Saved version";
}

export const STATUS_LABELS: Record<FileStatus, string> = { added: "Added", removed: "Removed", modified: "Modified", unchanged: "Unchanged" };

/** Files that differ between the version and now, by path. */
export function changedFiles(files: readonly FileDiff[]): FileDiff[] {
  return files.filter((file) => file.status !== "unchanged").sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Lines added and removed since the version (a hunk's old side is the version, its new side now). */
export function lineCounts(file: FileDiff): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const hunk of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === "added") added++;
      else if (line.kind === "removed") removed++;
    }
  }
  return { added, removed };
}

/** "3 files changed · +12 −4", or that nothing changed. */
export function diffSummary(files: readonly FileDiff[]): string {
  const changed = changedFiles(files);
  if (changed.length === 0) return "The files are the same as now.";
  let added = 0;
  let removed = 0;
  for (const file of changed) {
    const counts = lineCounts(file);
    added += counts.added;
    removed += counts.removed;
  }
  return `${changed.length} ${changed.length === 1 ? "file" : "files"} changed · +${added} −${removed}`;
}

/** "my-app-session-2025-03-14.zip" as the export's suggested name. */
export function exportFileName(projectName: string, nowMs: number): string {
  const slug = projectName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const date = new Date(nowMs);
  const day = [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, "0")).join("-");
  return `${slug || "project"}-session-${day}.zip`;
}

/** The save dialog returns what was typed; the archive gets its extension when it was left off. */
export function withZipExtension(path: string): string {
  return /\.zip$/i.test(path) ? path : `${path}.zip`;
}
