//! Deploy and git commands: each a line or two over `flashfusion_deploy`.

use std::sync::Arc;

use flashfusion_core::Result;
use flashfusion_deploy::git::{CommitInfo, GitStatus};
use flashfusion_deploy::log::{DeployEvent, EventSink};
use flashfusion_deploy::targets::DomainStatus;
use flashfusion_deploy::{
    CommitArgs, DeployOverview, DeploymentArgs, DomainArgs, EnvVarView, GithubAccount, GithubConnectArgs,
    GithubRepoArgs, PlatformTokenArgs, PushArgs, RefArgs, SaveEnvArgs, SaveTargetArgs, TargetArgs, TargetView,
};
use flashfusion_project::ProjectArgs;
use flashfusion_store::DeploymentRecord;
use tauri::ipc::Channel;
use tauri::State;

use super::assistant::wait_for;
use crate::AppState;

/// Streams deploy events to the window; a closed window only loses the view.
fn sink(channel: Channel<DeployEvent>) -> EventSink {
    Arc::new(move |event| {
        if let Err(error) = channel.send(event) {
            tracing::warn!(%error, "could not stream a deploy event to the window");
        }
    })
}

#[tauri::command(async)]
pub fn deploy_overview(state: State<'_, AppState>, args: ProjectArgs) -> Result<DeployOverview> {
    tokio::task::block_in_place(|| state.deployer()?.overview(args.project_id))
}

#[tauri::command(async)]
pub fn save_deploy_target(state: State<'_, AppState>, args: SaveTargetArgs) -> Result<TargetView> {
    state.deployer()?.save_target(&args)
}

#[tauri::command(async)]
pub fn delete_deploy_target(state: State<'_, AppState>, args: TargetArgs) -> Result<()> {
    state.deployer()?.delete_target(&args.target_id)
}

#[tauri::command(async)]
pub fn set_platform_token(state: State<'_, AppState>, args: PlatformTokenArgs) -> Result<()> {
    state.deployer()?.set_token(&args)
}

#[tauri::command(async)]
pub fn start_deploy(
    state: State<'_, AppState>,
    args: TargetArgs,
    on_event: Channel<DeployEvent>,
) -> Result<DeploymentRecord> {
    wait_for(state.deployer()?.deploy(&args.target_id, sink(on_event)))
}

#[tauri::command(async)]
pub fn rollback_deployment(
    state: State<'_, AppState>,
    args: DeploymentArgs,
    on_event: Channel<DeployEvent>,
) -> Result<DeploymentRecord> {
    wait_for(state.deployer()?.rollback(&args.deployment_id, sink(on_event)))
}

#[tauri::command(async)]
pub fn deployment_log(state: State<'_, AppState>, args: DeploymentArgs) -> Result<String> {
    state.deployer()?.deployment_log(&args.deployment_id)
}

#[tauri::command(async)]
pub fn env_vars(state: State<'_, AppState>, args: TargetArgs) -> Result<Vec<EnvVarView>> {
    state.deployer()?.env_vars(&args.target_id)
}

#[tauri::command(async)]
pub fn save_env_vars(state: State<'_, AppState>, args: SaveEnvArgs) -> Result<Vec<EnvVarView>> {
    state.deployer()?.save_env_vars(&args)
}

#[tauri::command(async)]
pub fn import_env_file(state: State<'_, AppState>, args: TargetArgs) -> Result<Vec<EnvVarView>> {
    state.deployer()?.import_env_file(&args.target_id)
}

#[tauri::command(async)]
pub fn add_domain(state: State<'_, AppState>, args: DomainArgs) -> Result<DomainStatus> {
    wait_for(state.deployer()?.add_domain(&args))
}

#[tauri::command(async)]
pub fn git_init(state: State<'_, AppState>, args: ProjectArgs) -> Result<GitStatus> {
    tokio::task::block_in_place(|| state.deployer()?.git_init(args.project_id))
}

#[tauri::command(async)]
pub fn git_commit(state: State<'_, AppState>, args: CommitArgs) -> Result<GitStatus> {
    tokio::task::block_in_place(|| state.deployer()?.git_commit(&args))
}

#[tauri::command(async)]
pub fn git_history(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<CommitInfo>> {
    tokio::task::block_in_place(|| state.deployer()?.git_history(args.project_id))
}

#[tauri::command(async)]
pub fn git_create_ref(state: State<'_, AppState>, args: RefArgs) -> Result<GitStatus> {
    state.deployer()?.git_create_ref(&args)
}

#[tauri::command(async)]
pub fn git_push(state: State<'_, AppState>, args: PushArgs, on_event: Channel<DeployEvent>) -> Result<GitStatus> {
    wait_for(state.deployer()?.git_push(&args, sink(on_event)))
}

#[tauri::command(async)]
pub fn github_connect(state: State<'_, AppState>, args: GithubConnectArgs) -> Result<GithubAccount> {
    wait_for(state.deployer()?.github_connect(&args))
}

#[tauri::command(async)]
pub fn github_create_repo(
    state: State<'_, AppState>,
    args: GithubRepoArgs,
    on_event: Channel<DeployEvent>,
) -> Result<GitStatus> {
    wait_for(state.deployer()?.github_create_repo(&args, sink(on_event)))
}
