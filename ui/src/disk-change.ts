// What to do with an open tab when the watcher reports its file changed.

/** What read_file found on disk after the change. */
export type DiskState = { kind: "present"; hash: string } | { kind: "missing" };

export type DiskChangeDecision =
  /** The disk holds what the tab is based on (typically our own save). */
  | "ignore"
  /** The tab has no edits: take the disk version silently. */
  | "reload"
  /** The tab has edits and the disk moved on: the person decides, never us. */
  | "ask"
  /** The person already chose to keep their edits over this very disk version. */
  | "already-kept"
  /** The file is gone; keep the tab (and its text) but say so. */
  | "mark-deleted";

export function decideDiskChange(
  tab: { hash: string | null; dirty: boolean; diskChanged?: string | null },
  disk: DiskState,
): DiskChangeDecision {
  if (disk.kind === "missing") return "mark-deleted";
  if (disk.hash === tab.hash) return "ignore";
  if (!tab.dirty) return "reload";
  return disk.hash === tab.diskChanged ? "already-kept" : "ask";
}
