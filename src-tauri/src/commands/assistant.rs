//! Assistant commands: each a line or two over `flashfusion_assistant`.

use flashfusion_assistant::chat::{ApiKeyArgs, ConversationArgs, ProposeArgs, RenameConversationArgs};
use flashfusion_assistant::proposals::{self, MergeArgs, Proposals};
use flashfusion_assistant::settings::AssistantSettings;
use flashfusion_assistant::templates::{self, PromptTemplate, TemplateIdArgs};
use flashfusion_assistant::{AssistantStatus, ChatEvent, SendArgs};
use flashfusion_core::markdown::{self, MarkdownArgs};
use flashfusion_core::Result;
use flashfusion_project::ProjectArgs;
use flashfusion_store::{ConversationSummary, MessageRecord};
use tauri::ipc::Channel;
use tauri::State;

use crate::AppState;

/// Runs async work from a command without holding up the runtime's other tasks.
pub(super) fn wait_for<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::task::block_in_place(|| tauri::async_runtime::handle().block_on(future))
}

#[tauri::command(async)]
pub fn assistant_status(state: State<'_, AppState>) -> Result<AssistantStatus> {
    state.assistant()?.status()
}

#[tauri::command(async)]
pub fn update_assistant_settings(state: State<'_, AppState>, args: AssistantSettings) -> Result<AssistantStatus> {
    state.assistant()?.update_settings(args)
}

#[tauri::command(async)]
pub fn set_api_key(state: State<'_, AppState>, args: ApiKeyArgs) -> Result<AssistantStatus> {
    state.assistant()?.set_api_key(args)
}

#[tauri::command(async)]
pub fn test_connection(state: State<'_, AppState>) -> Result<Vec<String>> {
    wait_for(state.assistant()?.test_connection())
}

#[tauri::command(async)]
pub fn list_conversations(state: State<'_, AppState>, args: ProjectArgs) -> Result<Vec<ConversationSummary>> {
    state.assistant()?.conversations(args.project_id)
}

#[tauri::command(async)]
pub fn conversation_messages(state: State<'_, AppState>, args: ConversationArgs) -> Result<Vec<MessageRecord>> {
    state.assistant()?.messages(args.conversation_id)
}

#[tauri::command(async)]
pub fn rename_conversation(state: State<'_, AppState>, args: RenameConversationArgs) -> Result<()> {
    state.assistant()?.rename_conversation(args.conversation_id, &args.title)
}

#[tauri::command(async)]
pub fn delete_conversation(state: State<'_, AppState>, args: ConversationArgs) -> Result<()> {
    state.assistant()?.delete_conversation(args.conversation_id)
}

#[tauri::command(async)]
pub fn send_message(state: State<'_, AppState>, args: SendArgs, on_event: Channel<ChatEvent>) -> Result<MessageRecord> {
    let root = state.workbench()?.root(args.project_id)?;
    wait_for(state.assistant()?.send(root, args, &mut |event| {
        if let Err(error) = on_event.send(event) {
            tracing::warn!(%error, "could not stream a piece of the answer to the window");
        }
    }))
}

#[tauri::command(async)]
pub fn cancel_message(state: State<'_, AppState>, args: ConversationArgs) -> Result<()> {
    state.assistant()?.cancel(args.conversation_id);
    Ok(())
}

#[tauri::command(async)]
pub fn propose_edits(state: State<'_, AppState>, args: ProposeArgs) -> Result<Proposals> {
    tokio::task::block_in_place(|| state.assistant()?.proposals(&state.workbench()?.root(args.project_id)?, args))
}

#[tauri::command(async)]
pub fn merge_hunks(_state: State<'_, AppState>, args: MergeArgs) -> Result<String> {
    Ok(proposals::merge_hunks(&args))
}

#[tauri::command(async)]
pub fn render_markdown(_state: State<'_, AppState>, args: MarkdownArgs) -> Result<String> {
    Ok(markdown::to_html(&args.text))
}

#[tauri::command(async)]
pub fn list_prompt_templates(state: State<'_, AppState>) -> Result<Vec<PromptTemplate>> {
    templates::list(state.assistant()?.store())
}

#[tauri::command(async)]
pub fn save_prompt_template(state: State<'_, AppState>, args: PromptTemplate) -> Result<Vec<PromptTemplate>> {
    templates::save(state.assistant()?.store(), args)
}

#[tauri::command(async)]
pub fn delete_prompt_template(state: State<'_, AppState>, args: TemplateIdArgs) -> Result<Vec<PromptTemplate>> {
    templates::delete(state.assistant()?.store(), &args.id)
}
