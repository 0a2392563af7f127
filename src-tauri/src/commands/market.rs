//! Marketplace commands: each a line or two over `flashfusion_market`.

use flashfusion_core::Result;
use flashfusion_market::bundle::PublishFile;
use flashfusion_market::types::{Category, Creator, Review, SearchPage, SearchQuery, Template, TemplateSummary};
use flashfusion_market::{
    Cached, FollowArgs, MarketServerArgs, MarketStatus, PreviewArgs, PublishArgs, ReviewArgs, ReviewIdArgs, SignInArgs,
    TemplateArgs, TemplatePage, UseTemplateArgs,
};
use flashfusion_project::{ProjectArgs, ProjectInfo};
use tauri::State;

use super::assistant::wait_for;
use crate::AppState;

#[tauri::command(async)]
pub fn market_status(state: State<'_, AppState>) -> Result<MarketStatus> {
    state.market()?.status()
}

#[tauri::command(async)]
pub fn market_set_server(state: State<'_, AppState>, args: MarketServerArgs) -> Result<MarketStatus> {
    state.market()?.set_server(&args)
}

#[tauri::command(async)]
pub fn market_sign_in(state: State<'_, AppState>, args: SignInArgs) -> Result<MarketStatus> {
    wait_for(state.market()?.sign_in(&args))
}

#[tauri::command(async)]
pub fn market_sign_out(state: State<'_, AppState>) -> Result<MarketStatus> {
    state.market()?.sign_out()
}

#[tauri::command(async)]
pub fn market_categories(state: State<'_, AppState>) -> Result<Cached<Vec<Category>>> {
    wait_for(state.market()?.categories())
}

#[tauri::command(async)]
pub fn market_search(state: State<'_, AppState>, args: SearchQuery) -> Result<Cached<SearchPage>> {
    wait_for(state.market()?.search(&args))
}

#[tauri::command(async)]
pub fn market_template(state: State<'_, AppState>, args: TemplateArgs) -> Result<Cached<TemplatePage>> {
    wait_for(state.market()?.template(args.template_id))
}

#[tauri::command(async)]
pub fn market_reviews(state: State<'_, AppState>, args: TemplateArgs) -> Result<Cached<Vec<Review>>> {
    wait_for(state.market()?.reviews(args.template_id))
}

#[tauri::command(async)]
pub fn market_review(state: State<'_, AppState>, args: ReviewArgs) -> Result<Review> {
    wait_for(state.market()?.review(&args))
}

#[tauri::command(async)]
pub fn market_helpful(state: State<'_, AppState>, args: ReviewIdArgs) -> Result<()> {
    wait_for(state.market()?.helpful(&args))
}

#[tauri::command(async)]
pub fn market_follow(state: State<'_, AppState>, args: FollowArgs) -> Result<Creator> {
    wait_for(state.market()?.follow(&args))
}

#[tauri::command(async)]
pub fn market_preview(state: State<'_, AppState>, args: PreviewArgs) -> Result<String> {
    wait_for(state.market()?.preview(&args))
}

/// Unpacks the template as a new project and opens it.
#[tauri::command(async)]
pub fn market_use_template(state: State<'_, AppState>, args: UseTemplateArgs) -> Result<ProjectInfo> {
    let used = wait_for(state.market()?.use_template(&args))?;
    state.workbench()?.adopt_project(&used.root, &used.origin)
}

#[tauri::command(async)]
pub fn market_publish_candidates(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<PublishFile>> {
    let root = state.workbench()?.root(args.project_id)?;
    tokio::task::block_in_place(|| state.market()?.publish_candidates(root.path()))
}

#[tauri::command(async)]
pub fn market_publish(state: State<'_, AppState>, args: PublishArgs) -> Result<Template> {
    let root = state.workbench()?.root(args.project_id)?;
    wait_for(state.market()?.publish(root.path(), &args))
}

#[tauri::command(async)]
pub fn market_my_templates(state: State<'_, AppState>) -> Result<Vec<TemplateSummary>> {
    wait_for(state.market()?.my_templates())
}
