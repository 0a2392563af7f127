//! Tauri commands: each one line over the workbench. `ipc.rs` lists them with
//! their types, and checks that list against these signatures at compile time.
//! All run off the main thread (`async`) so disk and database work never
//! blocks the window.

use flashfusion_core::secret_files::is_secret;
use flashfusion_core::Result;
use flashfusion_project::templates::TemplateInfo;
use flashfusion_project::tree::TreeEntry;
use flashfusion_project::{
    CreateProjectArgs, FileContent, HighlightArgs, JournalArgs, OpenProjectArgs, PathArgs, ProjectArgs, ProjectInfo,
    RenameArgs, SaveFileArgs, SaveResult, Settings,
};
use flashfusion_store::{JournalEntry, RecentProject};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::AppState;

mod assistant;
mod collab;
mod deploy;
mod learn;
mod market;
pub use assistant::*;
pub use collab::*;
pub use deploy::*;
pub use learn::*;
pub use market::*;

/// What to show at start: the project named on the command line (and a file
/// in it to open), or nothing (the welcome screen).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartupRequest {
    pub project: Option<ProjectInfo>,
    pub file: Option<String>,
    /// An invite link the app was opened with (`flashfusion://join?…`).
    pub join_link: Option<String>,
}

#[tauri::command(async)]
pub fn startup_request(state: State<'_, AppState>) -> Result<StartupRequest> {
    let Some(folder) = &state.startup.folder else {
        return Ok(StartupRequest { project: None, file: None, join_link: state.startup.join_link.clone() });
    };
    let root = std::path::absolute(folder).unwrap_or_else(|_| folder.clone()).to_string_lossy().into_owned();
    let project = state.workbench()?.open_project(OpenProjectArgs { root })?;
    Ok(StartupRequest { project: Some(project), file: state.startup.file.clone(), join_link: None })
}

/// Milliseconds since the process started (the start-up benchmark reads it
/// once the editor has painted).
#[tauri::command(async)]
pub fn process_uptime_ms(state: State<'_, AppState>) -> Result<f64> {
    Ok(state.started.elapsed().as_secs_f64() * 1000.0)
}

#[tauri::command(async)]
pub fn list_recent(state: State<'_, AppState>) -> Result<Vec<RecentProject>> {
    state.workbench()?.recent_projects()
}

#[tauri::command(async)]
pub fn list_templates(state: State<'_, AppState>) -> Result<Vec<TemplateInfo>> {
    Ok(state.workbench()?.templates())
}

#[tauri::command(async)]
pub fn default_projects_dir(_state: State<'_, AppState>) -> Result<String> {
    Ok(flashfusion_core::paths::AppPaths::default_projects_dir().to_string_lossy().into_owned())
}

#[tauri::command(async)]
pub fn create_project(state: State<'_, AppState>, args: CreateProjectArgs) -> Result<ProjectInfo> {
    state.workbench()?.create_project(args)
}

#[tauri::command(async)]
pub fn open_project(state: State<'_, AppState>, args: OpenProjectArgs) -> Result<ProjectInfo> {
    state.workbench()?.open_project(args)
}

#[tauri::command(async)]
pub fn close_project(state: State<'_, AppState>, args: ProjectArgs) -> Result<()> {
    state.workbench()?.close_project(args)
}

#[tauri::command(async)]
pub fn list_tree(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<TreeEntry>> {
    state.workbench()?.list_tree(args)
}

#[tauri::command(async)]
pub fn list_dir(state: State<'_, AppState>, args: PathArgs) -> Result<Vec<TreeEntry>> {
    state.workbench()?.list_dir(args)
}

#[tauri::command(async)]
pub fn read_file(state: State<'_, AppState>, args: PathArgs) -> Result<FileContent> {
    state.workbench()?.read_file(args)
}

#[tauri::command(async)]
pub fn file_hash(state: State<'_, AppState>, args: PathArgs) -> Result<Option<String>> {
    state.workbench()?.file_hash(args)
}

#[tauri::command(async)]
pub fn save_file(state: State<'_, AppState>, args: SaveFileArgs) -> Result<SaveResult> {
    state.workbench()?.save_file(args)
}

#[tauri::command(async)]
pub fn create_file(state: State<'_, AppState>, args: PathArgs) -> Result<()> {
    // In a shared project the document changes first: it refuses viewers.
    // Files that may hold secrets stay on this machine.
    if let Some(session) = state.collab.running(args.project_id).filter(|_| !is_secret(&args.path)) {
        session.create_file(&args.path, "")?;
    }
    state.workbench()?.create_file(args)
}

#[tauri::command(async)]
pub fn create_dir(state: State<'_, AppState>, args: PathArgs) -> Result<()> {
    state.workbench()?.create_dir(args)
}

#[tauri::command(async)]
pub fn rename_path(state: State<'_, AppState>, args: RenameArgs) -> Result<()> {
    if let Some(session) =
        state.collab.running(args.project_id).filter(|_| !is_secret(&args.from) && !is_secret(&args.to))
    {
        session.rename_path(&args.from, &args.to)?;
    }
    state.workbench()?.rename_path(args)
}

#[tauri::command(async)]
pub fn delete_path(state: State<'_, AppState>, args: PathArgs) -> Result<()> {
    if let Some(session) = state.collab.running(args.project_id) {
        session.delete_path(&args.path)?;
    }
    state.workbench()?.delete_path(args)
}

#[tauri::command(async)]
pub fn journal_buffer(state: State<'_, AppState>, args: JournalArgs) -> Result<()> {
    state.workbench()?.journal_buffer(args)
}

#[tauri::command(async)]
pub fn discard_journal(state: State<'_, AppState>, args: PathArgs) -> Result<()> {
    state.workbench()?.discard_journal(args)
}

#[tauri::command(async)]
pub fn restore_journal(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<JournalEntry>> {
    state.workbench()?.restore_journal(args)
}

#[tauri::command(async)]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings> {
    state.workbench()?.settings()
}

#[tauri::command(async)]
pub fn update_settings(state: State<'_, AppState>, args: Settings) -> Result<Settings> {
    state.workbench()?.update_settings(args)
}

#[tauri::command(async)]
pub fn highlight(state: State<'_, AppState>, args: HighlightArgs) -> Result<String> {
    state.workbench()?.highlight(args)
}
