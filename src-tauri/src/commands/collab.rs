//! Collaboration commands: thin calls into `flashfusion_collab::service`,
//! plus what needs the rest of the app (the project's files and folder, the
//! locally hosted relay).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use flashfusion_collab::args::{
    AddCommentArgs, CollabJoinArgs, CommentIdArgs, CursorArgs, EditArgs, EditCommentArgs, ExportArgs, HostKind,
    InviteArgs, InviteIdArgs, ParticipantArgs, ReplyArgs, ResolveArgs, RoleArgs, SaveVersionArgs, ShareArgs,
    VersionArgs,
};
use flashfusion_collab::comments::{self, CommentThread};
use flashfusion_collab::history::FileDiff;
use flashfusion_collab::invite::InviteLink;
use flashfusion_collab::project_files::shareable_files;
use flashfusion_collab::rest::{CollabRole, Invite, Participant, RoomApi, VersionInfo};
use flashfusion_collab::service::{Host, SessionInfo};
use flashfusion_collab::session::{CollabEvent, EditOutcome, SharedText};
use flashfusion_core::{now_millis, Code, Error, Result};
use flashfusion_project::{PathArgs, ProjectArgs, ProjectInfo};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use super::assistant::wait_for;
use crate::local_host::{port_of, DEFAULT_PORT};
use crate::AppState;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct JoinedSession {
    pub project: ProjectInfo,
    pub session: SessionInfo,
}

/// The name the owner of a locally hosted session appears under.
fn local_user_name() -> String {
    std::env::var("USER").ok().filter(|name| !name.is_empty()).unwrap_or_else(|| "Host".to_owned())
}

/// The port the local relay listens on: 4455, or `FLASHFUSION_HOST_PORT`.
fn host_port() -> u16 {
    std::env::var("FLASHFUSION_HOST_PORT").ok().and_then(|port| port.parse().ok()).unwrap_or(DEFAULT_PORT)
}

#[tauri::command(async)]
pub fn collab_share(state: State<'_, AppState>, args: ShareArgs) -> Result<SessionInfo> {
    let root = state.workbench()?.root(args.project_id)?.path().to_path_buf();
    let name = root.file_name().map_or_else(|| "Shared project".to_owned(), |name| name.to_string_lossy().into_owned());
    let files = shareable_files(&root)?;
    wait_for(async {
        let host = match args.host {
            HostKind::Local => {
                let hosting = state.local_host.ensure(host_port(), &local_user_name()).await?;
                Host { server: hosting.url, token: hosting.owner_token, hosted_locally: true }
            }
            HostKind::Server => {
                let missing = || Error::new(Code::InvalidInput, "enter the server address, your email and password");
                let server =
                    args.server_url.as_deref().map(str::trim).filter(|url| !url.is_empty()).ok_or_else(missing)?;
                let (email, password) = args.email.as_deref().zip(args.password.as_deref()).ok_or_else(missing)?;
                let token = RoomApi::new(server, None)?.sign_in(email.trim(), password).await?;
                Host { server: server.trim_end_matches('/').to_owned(), token, hosted_locally: false }
            }
        };
        state.collab.share(args.project_id, &root, &name, files, host).await
    })
}

#[tauri::command(async)]
pub fn collab_invite(state: State<'_, AppState>, args: InviteArgs) -> Result<Invite> {
    wait_for(state.collab.invite(args.project_id, args.role, args.expires.as_str(), args.max_uses))
}

#[tauri::command(async)]
pub fn collab_invites(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<Invite>> {
    wait_for(state.collab.invites(args.project_id))
}

#[tauri::command(async)]
pub fn collab_revoke_invite(state: State<'_, AppState>, args: InviteIdArgs) -> Result<()> {
    wait_for(state.collab.revoke_invite(args.project_id, &args.invite_id))
}

/// Joins from an invite link: the session's files go into a new folder next
/// to the user's other projects, opened as a project.
#[tauri::command(async)]
pub fn collab_join(state: State<'_, AppState>, args: CollabJoinArgs) -> Result<JoinedSession> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 40 {
        return Err(Error::new(Code::InvalidInput, "enter a display name (up to 40 characters)"));
    }
    let link = InviteLink::parse(&args.link)?;
    let (admission, room_name) = wait_for(state.collab.redeem(&link, name))?;
    let folder = session_folder(&flashfusion_core::paths::AppPaths::default_projects_dir(), &room_name)?;
    let project = state.workbench()?.adopt_project(&folder, "session")?;
    let session = state.collab.start_joined(project.id, &folder, &link, admission, name)?;
    Ok(JoinedSession { project, session })
}

/// A new folder for a joined session, named after its room.
fn session_folder(projects: &Path, room_name: &str) -> Result<PathBuf> {
    let base: String = room_name
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.') { c } else { '-' })
        .collect::<String>()
        .trim_matches(['.', ' '])
        .to_owned();
    let base = if base.is_empty() { "Shared project".to_owned() } else { base };
    let folder = (1..1000)
        .map(|n| if n == 1 { projects.join(&base) } else { projects.join(format!("{base} ({n})")) })
        .find(|folder| !folder.exists())
        .ok_or_else(|| Error::new(Code::AlreadyExists, format!("too many folders named {base}")))?;
    std::fs::create_dir_all(&folder)
        .map_err(|error| Error::new(Code::Io, format!("could not create {}: {error}", folder.display())))?;
    Ok(folder)
}

/// The project's session (resumed after a restart), or None if it is not shared.
#[tauri::command(async)]
pub fn collab_session(state: State<'_, AppState>, args: ProjectArgs) -> Result<Option<SessionInfo>> {
    if state.collab.running(args.project_id).is_none() {
        if let Some(server) = state.collab.hosted_locally(args.project_id)? {
            wait_for(state.local_host.ensure(port_of(&server), &local_user_name()))?;
        }
    }
    state.collab.session(args.project_id)
}

#[tauri::command(async)]
pub fn collab_subscribe(state: State<'_, AppState>, args: ProjectArgs, on_event: Channel<CollabEvent>) -> Result<()> {
    state.collab.subscribe(
        args.project_id,
        Arc::new(move |event| {
            if let Err(error) = on_event.send(event) {
                tracing::debug!(%error, "a collaboration event did not reach the window");
            }
        }),
    )
}

#[tauri::command(async)]
pub fn collab_read(state: State<'_, AppState>, args: PathArgs) -> Result<SharedText> {
    state.collab.open(args.project_id)?.read(&args.path)
}

#[tauri::command(async)]
pub fn collab_edit(state: State<'_, AppState>, args: EditArgs) -> Result<EditOutcome> {
    state.collab.open(args.project_id)?.edit(&args.path, Some(args.seen), &args.changes)
}

#[tauri::command(async)]
pub fn collab_undo(state: State<'_, AppState>, args: PathArgs) -> Result<bool> {
    state.collab.open(args.project_id)?.undo(&args.path)
}

#[tauri::command(async)]
pub fn collab_redo(state: State<'_, AppState>, args: PathArgs) -> Result<bool> {
    state.collab.open(args.project_id)?.redo(&args.path)
}

#[tauri::command(async)]
pub fn collab_cursor(state: State<'_, AppState>, args: CursorArgs) -> Result<()> {
    state.collab.open(args.project_id)?.set_cursor(args.path.as_deref(), args.anchor, args.head, args.typing);
    Ok(())
}

#[tauri::command(async)]
pub fn collab_participants(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<Participant>> {
    wait_for(state.collab.participants(args.project_id))
}

#[tauri::command(async)]
pub fn collab_set_role(state: State<'_, AppState>, args: RoleArgs) -> Result<()> {
    wait_for(state.collab.set_role(args.project_id, args.participant_id, args.role))
}

#[tauri::command(async)]
pub fn collab_remove_participant(state: State<'_, AppState>, args: ParticipantArgs) -> Result<()> {
    wait_for(state.collab.remove_participant(args.project_id, args.participant_id))
}

#[tauri::command(async)]
pub fn collab_add_comment(state: State<'_, AppState>, args: AddCommentArgs) -> Result<CommentThread> {
    state
        .collab
        .open(args.project_id)?
        .comment(|txn, author| comments::add_thread(txn, &args.path, args.index, author, &args.body, now_millis()))
}

#[tauri::command(async)]
pub fn collab_reply(state: State<'_, AppState>, args: ReplyArgs) -> Result<()> {
    state
        .collab
        .open(args.project_id)?
        .comment(|txn, author| comments::reply(txn, &args.thread_id, author, &args.body, now_millis()).map(drop))
}

#[tauri::command(async)]
pub fn collab_edit_comment(state: State<'_, AppState>, args: EditCommentArgs) -> Result<()> {
    state.collab.open(args.project_id)?.comment(|txn, author| {
        comments::edit_comment(txn, &args.thread_id, &args.comment_id, author, &args.body, now_millis())
    })
}

#[tauri::command(async)]
pub fn collab_delete_comment(state: State<'_, AppState>, args: CommentIdArgs) -> Result<()> {
    let is_owner = state.collab.role(args.project_id)? == CollabRole::Owner;
    state
        .collab
        .open(args.project_id)?
        .comment(|txn, author| comments::delete_comment(txn, &args.thread_id, &args.comment_id, author, is_owner))
}

#[tauri::command(async)]
pub fn collab_resolve(state: State<'_, AppState>, args: ResolveArgs) -> Result<()> {
    state.collab.open(args.project_id)?.comment(|txn, _| comments::set_resolved(txn, &args.thread_id, args.resolved))
}

#[tauri::command(async)]
pub fn collab_versions(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<VersionInfo>> {
    wait_for(state.collab.versions(args.project_id))
}

#[tauri::command(async)]
pub fn collab_save_version(state: State<'_, AppState>, args: SaveVersionArgs) -> Result<VersionInfo> {
    wait_for(state.collab.save_version(args.project_id, args.message.trim()))
}

#[tauri::command(async)]
pub fn collab_version_diff(state: State<'_, AppState>, args: VersionArgs) -> Result<Vec<FileDiff>> {
    wait_for(state.collab.version_diff(args.project_id, args.version_id))
}

#[tauri::command(async)]
pub fn collab_restore(state: State<'_, AppState>, args: VersionArgs) -> Result<()> {
    wait_for(state.collab.restore(args.project_id, args.version_id))
}

#[tauri::command(async)]
pub fn collab_export(state: State<'_, AppState>, args: ExportArgs) -> Result<String> {
    let destination = PathBuf::from(args.destination.trim());
    if !destination.is_absolute() {
        return Err(Error::new(Code::InvalidInput, "choose where to save the export"));
    }
    wait_for(state.collab.export(args.project_id, &destination))?;
    Ok(destination.to_string_lossy().into_owned())
}

#[tauri::command(async)]
pub fn collab_leave(state: State<'_, AppState>, args: ProjectArgs) -> Result<()> {
    state.collab.leave(args.project_id)
}
