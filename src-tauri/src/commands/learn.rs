//! Learn commands: each a line or two over `flashfusion_learn`.

use flashfusion_core::Result;
use flashfusion_learn::leaderboard::{JoinArgs, LeaderboardView};
use flashfusion_learn::learning::{
    AnswerArgs, AnswerOutcome, CertificateArgs, CertificateInfo, ChallengeArgs, ChallengeView, LabArgs, LabOutcome,
    LearnOverview, LessonArgs, LessonView,
};
use tauri::State;

use super::assistant::wait_for;
use crate::AppState;

#[tauri::command(async)]
pub fn learn_overview(state: State<'_, AppState>) -> Result<LearnOverview> {
    state.learning()?.overview()
}

#[tauri::command(async)]
pub fn open_lesson(state: State<'_, AppState>, args: LessonArgs) -> Result<LessonView> {
    state.learning()?.open_lesson(&args)
}

#[tauri::command(async)]
pub fn answer_quiz(state: State<'_, AppState>, args: AnswerArgs) -> Result<AnswerOutcome> {
    state.learning()?.answer_quiz(&args)
}

/// Grading runs JavaScript for up to a second: off the async workers.
#[tauri::command(async)]
pub fn run_lab(state: State<'_, AppState>, args: LabArgs) -> Result<LabOutcome> {
    tokio::task::block_in_place(|| state.learning()?.run_lab(&args))
}

#[tauri::command(async)]
pub fn daily_challenge(state: State<'_, AppState>) -> Result<ChallengeView> {
    state.learning()?.challenge()
}

#[tauri::command(async)]
pub fn run_challenge(state: State<'_, AppState>, args: ChallengeArgs) -> Result<LabOutcome> {
    tokio::task::block_in_place(|| state.learning()?.run_challenge(&args))
}

#[tauri::command(async)]
pub fn save_certificate(state: State<'_, AppState>, args: CertificateArgs) -> Result<CertificateInfo> {
    state.learning()?.certificate(&args)
}

#[tauri::command(async)]
pub fn leaderboard(state: State<'_, AppState>) -> Result<LeaderboardView> {
    wait_for(state.learning()?.leaderboard())
}

#[tauri::command(async)]
pub fn join_leaderboard(state: State<'_, AppState>, args: JoinArgs) -> Result<LeaderboardView> {
    wait_for(state.learning()?.join_leaderboard(&args))
}

#[tauri::command(async)]
pub fn leave_leaderboard(state: State<'_, AppState>) -> Result<LeaderboardView> {
    wait_for(state.learning()?.leave_leaderboard())
}
