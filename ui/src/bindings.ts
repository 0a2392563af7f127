// Generated from the Rust types by src-tauri/src/ipc.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p flashfusion bindings` after changing them.

/**
 * A stable machine-readable code. The UI branches on it, never on the message.
 * A variant exists only because something needs to tell it apart.
 */
export type ErrorCode = "not_found" | "already_exists" | "invalid_path" | "conflict" | "binary_file" | "too_large" | "corrupt_database" | "future_database" | "invalid_input" | "io" | "internal";

/**
 * The one error shape: a code plus a sentence a user can act on.
 * It crosses the IPC boundary as `{code, message}`.
 */
export type IpcError = { code: ErrorCode, message: string, };

/**
 * A project's row id in the local database.
 */
export type ProjectId = number;

export type ProjectInfo = { id: ProjectId, name: string, root: string, template: string | null, };

export type RecentProject = { id: ProjectId, name: string, root: string, 
/**
 * Unix milliseconds.
 */
openedAt: number, 
/**
 * False when the folder is gone (moved, deleted, unmounted).
 */
exists: boolean, };

export type TemplateInfo = { id: string, name: string, description: string, language: string, };

export type EntryKind = "file" | "dir";

export type TreeEntry = { 
/**
 * Relative to the project root, '/'-separated.
 */
path: string, name: string, kind: EntryKind, depth: number, 
/**
 * Ignored entries are shown dimmed; ignored folders are not descended into.
 */
ignored: boolean, };

export type FileContent = { path: string, text: string, 
/**
 * The editor language id (see `flashfusion_core::highlight::language_id`).
 */
language: string, hash: string, };

export type SaveResult = { hash: string, };

export type JournalEntry = { path: string, text: string, 
/**
 * Hash of the file on disk the unsaved text started from.
 */
baseHash: string | null, updatedAt: number, };

export type Theme = "light" | "dark";

export type Settings = { theme: Theme, };

/**
 * What to show at start: the project named on the command line (and a file
 * in it to open), or nothing (the welcome screen).
 */
export type StartupRequest = { project: ProjectInfo | null, file: string | null, };

/**
 * Sent to the UI as the `fs-changed` event.
 */
export type FsChange = { projectId: ProjectId, 
/**
 * Relative paths that were created, changed, renamed or removed.
 */
paths: Array<string>, };

export type CreateProjectArgs = { template: string, name: string, parentDir: string, };

export type OpenProjectArgs = { root: string, };

export type ProjectArgs = { projectId: ProjectId, };

export type PathArgs = { projectId: ProjectId, path: string, };

export type RenameArgs = { projectId: ProjectId, from: string, to: string, };

export type SaveFileArgs = { projectId: ProjectId, path: string, text: string, 
/**
 * Hash of the disk content the buffer started from; `None` for a file
 * that did not exist.
 */
baseHash: string | null, 
/**
 * Save even if the file changed on disk since (the user chose "Overwrite").
 */
force: boolean, };

export type JournalArgs = { projectId: ProjectId, path: string, text: string, baseHash: string | null, };

export type HighlightArgs = { path: string, text: string, };

/** invoke(name, { args }); commands whose args are `null` take no arguments. */
export interface Commands {
  startup_request: { args: null; result: StartupRequest };
  process_uptime_ms: { args: null; result: number };
  list_recent: { args: null; result: Array<RecentProject> };
  list_templates: { args: null; result: Array<TemplateInfo> };
  default_projects_dir: { args: null; result: string };
  create_project: { args: CreateProjectArgs; result: ProjectInfo };
  open_project: { args: OpenProjectArgs; result: ProjectInfo };
  close_project: { args: ProjectArgs; result: null };
  list_tree: { args: ProjectArgs; result: Array<TreeEntry> };
  list_dir: { args: PathArgs; result: Array<TreeEntry> };
  read_file: { args: PathArgs; result: FileContent };
  file_hash: { args: PathArgs; result: string | null };
  save_file: { args: SaveFileArgs; result: SaveResult };
  create_file: { args: PathArgs; result: null };
  create_dir: { args: PathArgs; result: null };
  rename_path: { args: RenameArgs; result: null };
  delete_path: { args: PathArgs; result: null };
  journal_buffer: { args: JournalArgs; result: null };
  discard_journal: { args: PathArgs; result: null };
  restore_journal: { args: ProjectArgs; result: Array<JournalEntry> };
  get_settings: { args: null; result: Settings };
  update_settings: { args: Settings; result: Settings };
  highlight: { args: HighlightArgs; result: string };
}

/** Events emitted by the Rust side, by name. */
export interface Events {
  "fs-changed": FsChange;
}
