//! The IPC contract, declared once: every command with its argument and
//! result types, and every event. From it come the invoke handler and the
//! TypeScript bindings in `ui/src/bindings.ts` (checked for drift by a test;
//! `UPDATE_BINDINGS=1 cargo test -p flashfusion bindings` rewrites them).

use flashfusion_assistant::chat::{ApiKeyArgs, ConversationArgs, ProposeArgs, RenameConversationArgs};
use flashfusion_assistant::context::{ContextItem, ContextKind, ContextSummary, OpenFile};
use flashfusion_assistant::diff::{DiffLine, Hunk, LineKind};
use flashfusion_assistant::edits::EditIssue;
use flashfusion_assistant::proposals::{Buffer, MergeArgs, Proposals, ProposedFile};
use flashfusion_assistant::provider::{ProviderConfig, ProviderKind};
use flashfusion_assistant::settings::{AssistantSettings, ModelPrice};
use flashfusion_assistant::templates::{PromptTemplate, TemplateIdArgs};
use flashfusion_assistant::{AssistantStatus, ChatEvent, SendArgs};
use flashfusion_collab::args::{
    AddCommentArgs, CollabJoinArgs, CommentIdArgs, CursorArgs, EditArgs, EditCommentArgs, ExportArgs, HostKind,
    InviteArgs, InviteExpiry, InviteIdArgs, ParticipantArgs, ReplyArgs, ResolveArgs, RoleArgs, SaveVersionArgs,
    ShareArgs, VersionArgs,
};
use flashfusion_collab::comments::{Comment, CommentThread};
use flashfusion_collab::history::{FileDiff, FileStatus};
use flashfusion_collab::presence::Peer;
use flashfusion_collab::rest::{CollabRole, Invite, Participant, VersionInfo};
use flashfusion_collab::service::SessionInfo;
use flashfusion_collab::session::{CollabEvent, ConnectionState, EditOutcome, SharedText, TextChange};
use flashfusion_core::markdown::MarkdownArgs;
use flashfusion_core::{Code, Error, ProjectId};
use flashfusion_deploy::build::BuildPlan;
use flashfusion_deploy::git::{ChangeKind, CommitInfo, FileChange, GitStatus, PushProgress};
use flashfusion_deploy::log::{DeployEvent, Stage};
use flashfusion_deploy::targets::{DnsRecord, DomainStatus, EnvVar, Platform, TargetConfig};
use flashfusion_deploy::{
    CommitArgs, DeployOverview, DeploymentArgs, DomainArgs, EnvVarView, GithubAccount, GithubConnectArgs,
    GithubRepoArgs, PlatformTokenArgs, PushArgs, RefArgs, RefKind, SaveEnvArgs, SaveTargetArgs, TargetArgs, TargetView,
};
use flashfusion_learn::grader::{CheckResult, LabResult};
use flashfusion_learn::leaderboard::{BoardEntry, JoinArgs, LeaderboardSettings, LeaderboardView};
use flashfusion_learn::learning::{
    AnswerArgs, AnswerOutcome, AwardView, BadgeView, CertificateArgs, CertificateInfo, ChallengeArgs, ChallengeSummary,
    ChallengeView, CourseView, LabArgs, LabKindView, LabOutcome, LabView, LearnOverview, LessonArgs, LessonSummary,
    LessonView, QuizView,
};
use flashfusion_market::bundle::PublishFile;
use flashfusion_market::types::{
    Category, Creator, CreatorRef, FacetCount, Facets, ManifestFile, Review, SearchPage, SearchQuery, Template,
    TemplateFields, TemplateSummary, Version,
};
use flashfusion_market::{
    Cached, FollowArgs, MarketServerArgs, MarketStatus, PreviewArgs, PublishArgs, ReviewArgs, ReviewIdArgs, SignInArgs,
    TemplateArgs, TemplatePage, UseTemplateArgs,
};
use flashfusion_project::templates::TemplateInfo;
use flashfusion_project::tree::{EntryKind, TreeEntry};
use flashfusion_project::watch::FsChange;
use flashfusion_project::{
    CreateProjectArgs, FileContent, HighlightArgs, JournalArgs, OpenProjectArgs, PathArgs, ProjectArgs, ProjectInfo,
    RenameArgs, SaveFileArgs, SaveResult, Settings, Theme,
};
use flashfusion_store::{
    ConversationId, ConversationSummary, DeployState, DeploymentRecord, JournalEntry, MessageId, MessageRecord,
    MessageRole, MessageState, RecentProject, Usage,
};
use ts_rs::{Config, TS};

use crate::commands::{self, JoinedSession, StartupRequest};
use crate::AppState;

/// Renders a type's TypeScript name.
type TypeName = fn(&Config) -> String;

struct CommandSignature {
    name: &'static str,
    args: TypeName,
    /// The payload type of the command's `onEvent` channel, if it streams.
    channel: Option<TypeName>,
    result: TypeName,
}

macro_rules! contract {
    (commands { $($name:ident($($args:ty)? $(=> $channel:ty)?) -> $result:ty;)* }) => {
        /// Compile-time check: each listed signature is the command's real one.
        const _: () = {
            $(let _: for<'a> fn(
                tauri::State<'a, AppState> $(, $args)? $(, tauri::ipc::Channel<$channel>)?
            ) -> flashfusion_core::Result<$result> = commands::$name;)*
        };

        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(commands::$name),*]
        }

        fn command_signatures() -> Vec<CommandSignature> {
            vec![$(CommandSignature {
                name: stringify!($name),
                args: contract!(@args $($args)?),
                channel: contract!(@channel $($channel)?),
                result: <$result as TS>::name,
            }),*]
        }
    };
    (@args $args:ty) => { <$args as TS>::name };
    (@args) => { |_: &Config| "null".to_owned() };
    (@channel $channel:ty) => { Some(<$channel as TS>::name) };
    (@channel) => { None };
}

contract! {
    commands {
        startup_request() -> StartupRequest;
        process_uptime_ms() -> f64;
        list_recent() -> Vec<RecentProject>;
        list_templates() -> Vec<TemplateInfo>;
        default_projects_dir() -> String;
        create_project(CreateProjectArgs) -> ProjectInfo;
        open_project(OpenProjectArgs) -> ProjectInfo;
        close_project(ProjectArgs) -> ();
        list_tree(ProjectArgs) -> Vec<TreeEntry>;
        list_dir(PathArgs) -> Vec<TreeEntry>;
        read_file(PathArgs) -> FileContent;
        file_hash(PathArgs) -> Option<String>;
        save_file(SaveFileArgs) -> SaveResult;
        create_file(PathArgs) -> ();
        create_dir(PathArgs) -> ();
        rename_path(RenameArgs) -> ();
        delete_path(PathArgs) -> ();
        journal_buffer(JournalArgs) -> ();
        discard_journal(PathArgs) -> ();
        restore_journal(ProjectArgs) -> Vec<JournalEntry>;
        get_settings() -> Settings;
        update_settings(Settings) -> Settings;
        highlight(HighlightArgs) -> String;
        assistant_status() -> AssistantStatus;
        update_assistant_settings(AssistantSettings) -> AssistantStatus;
        set_api_key(ApiKeyArgs) -> AssistantStatus;
        test_connection() -> Vec<String>;
        list_conversations(ProjectArgs) -> Vec<ConversationSummary>;
        conversation_messages(ConversationArgs) -> Vec<MessageRecord>;
        rename_conversation(RenameConversationArgs) -> ();
        delete_conversation(ConversationArgs) -> ();
        send_message(SendArgs => ChatEvent) -> MessageRecord;
        cancel_message(ConversationArgs) -> ();
        propose_edits(ProposeArgs) -> Proposals;
        merge_hunks(MergeArgs) -> String;
        render_markdown(MarkdownArgs) -> String;
        list_prompt_templates() -> Vec<PromptTemplate>;
        save_prompt_template(PromptTemplate) -> Vec<PromptTemplate>;
        delete_prompt_template(TemplateIdArgs) -> Vec<PromptTemplate>;
        learn_overview() -> LearnOverview;
        open_lesson(LessonArgs) -> LessonView;
        answer_quiz(AnswerArgs) -> AnswerOutcome;
        run_lab(LabArgs) -> LabOutcome;
        daily_challenge() -> ChallengeView;
        run_challenge(ChallengeArgs) -> LabOutcome;
        save_certificate(CertificateArgs) -> CertificateInfo;
        leaderboard() -> LeaderboardView;
        join_leaderboard(JoinArgs) -> LeaderboardView;
        leave_leaderboard() -> LeaderboardView;
        deploy_overview(ProjectArgs) -> DeployOverview;
        save_deploy_target(SaveTargetArgs) -> TargetView;
        delete_deploy_target(TargetArgs) -> ();
        set_platform_token(PlatformTokenArgs) -> ();
        start_deploy(TargetArgs => DeployEvent) -> DeploymentRecord;
        rollback_deployment(DeploymentArgs => DeployEvent) -> DeploymentRecord;
        deployment_log(DeploymentArgs) -> String;
        env_vars(TargetArgs) -> Vec<EnvVarView>;
        save_env_vars(SaveEnvArgs) -> Vec<EnvVarView>;
        import_env_file(TargetArgs) -> Vec<EnvVarView>;
        add_domain(DomainArgs) -> DomainStatus;
        git_init(ProjectArgs) -> GitStatus;
        git_commit(CommitArgs) -> GitStatus;
        git_history(ProjectArgs) -> Vec<CommitInfo>;
        git_create_ref(RefArgs) -> GitStatus;
        git_push(PushArgs => DeployEvent) -> GitStatus;
        github_connect(GithubConnectArgs) -> GithubAccount;
        github_create_repo(GithubRepoArgs => DeployEvent) -> GitStatus;
        market_status() -> MarketStatus;
        market_set_server(MarketServerArgs) -> MarketStatus;
        market_sign_in(SignInArgs) -> MarketStatus;
        market_sign_out() -> MarketStatus;
        market_categories() -> Cached<Vec<Category>>;
        market_search(SearchQuery) -> Cached<SearchPage>;
        market_template(TemplateArgs) -> Cached<TemplatePage>;
        market_reviews(TemplateArgs) -> Cached<Vec<Review>>;
        market_review(ReviewArgs) -> Review;
        market_helpful(ReviewIdArgs) -> ();
        market_follow(FollowArgs) -> Creator;
        market_preview(PreviewArgs) -> String;
        market_use_template(UseTemplateArgs) -> ProjectInfo;
        market_publish_candidates(ProjectArgs) -> Vec<PublishFile>;
        market_publish(PublishArgs) -> Template;
        market_my_templates() -> Vec<TemplateSummary>;
        collab_share(ShareArgs) -> SessionInfo;
        collab_invite(InviteArgs) -> Invite;
        collab_invites(ProjectArgs) -> Vec<Invite>;
        collab_revoke_invite(InviteIdArgs) -> ();
        collab_join(CollabJoinArgs) -> JoinedSession;
        collab_session(ProjectArgs) -> Option<SessionInfo>;
        collab_subscribe(ProjectArgs => CollabEvent) -> ();
        collab_read(PathArgs) -> SharedText;
        collab_edit(EditArgs) -> EditOutcome;
        collab_undo(PathArgs) -> bool;
        collab_redo(PathArgs) -> bool;
        collab_cursor(CursorArgs) -> ();
        collab_participants(ProjectArgs) -> Vec<Participant>;
        collab_set_role(RoleArgs) -> ();
        collab_remove_participant(ParticipantArgs) -> ();
        collab_add_comment(AddCommentArgs) -> CommentThread;
        collab_reply(ReplyArgs) -> ();
        collab_edit_comment(EditCommentArgs) -> ();
        collab_delete_comment(CommentIdArgs) -> ();
        collab_resolve(ResolveArgs) -> ();
        collab_versions(ProjectArgs) -> Vec<VersionInfo>;
        collab_save_version(SaveVersionArgs) -> VersionInfo;
        collab_version_diff(VersionArgs) -> Vec<FileDiff>;
        collab_restore(VersionArgs) -> ();
        collab_export(ExportArgs) -> String;
        collab_leave(ProjectArgs) -> ();
    }
}

/// Events the Rust side emits, by name.
fn event_signatures() -> Vec<(&'static str, TypeName)> {
    vec![(crate::FS_CHANGED_EVENT, <FsChange as TS>::name)]
}

/// Every named type the contract uses, declared in the bindings.
fn declarations(config: &Config) -> Vec<String> {
    fn declare<T: TS>(config: &Config) -> String {
        let docs = T::docs().map(|docs| format!("{}\n", docs.trim_end())).unwrap_or_default();
        format!("{docs}export {}", T::decl(config))
    }
    vec![
        declare::<Code>(config),
        declare::<Error>(config),
        declare::<ProjectId>(config),
        declare::<ProjectInfo>(config),
        declare::<RecentProject>(config),
        declare::<TemplateInfo>(config),
        declare::<EntryKind>(config),
        declare::<TreeEntry>(config),
        declare::<FileContent>(config),
        declare::<SaveResult>(config),
        declare::<JournalEntry>(config),
        declare::<Theme>(config),
        declare::<Settings>(config),
        declare::<StartupRequest>(config),
        declare::<FsChange>(config),
        declare::<CreateProjectArgs>(config),
        declare::<OpenProjectArgs>(config),
        declare::<ProjectArgs>(config),
        declare::<PathArgs>(config),
        declare::<RenameArgs>(config),
        declare::<SaveFileArgs>(config),
        declare::<JournalArgs>(config),
        declare::<HighlightArgs>(config),
        declare::<ProviderKind>(config),
        declare::<ProviderConfig>(config),
        declare::<ModelPrice>(config),
        declare::<AssistantSettings>(config),
        declare::<AssistantStatus>(config),
        declare::<ApiKeyArgs>(config),
        declare::<ConversationId>(config),
        declare::<MessageId>(config),
        declare::<ConversationSummary>(config),
        declare::<MessageRole>(config),
        declare::<MessageState>(config),
        declare::<Usage>(config),
        declare::<MessageRecord>(config),
        declare::<ConversationArgs>(config),
        declare::<RenameConversationArgs>(config),
        declare::<OpenFile>(config),
        declare::<SendArgs>(config),
        declare::<ContextKind>(config),
        declare::<ContextItem>(config),
        declare::<ContextSummary>(config),
        declare::<ChatEvent>(config),
        declare::<Buffer>(config),
        declare::<ProposeArgs>(config),
        declare::<EditIssue>(config),
        declare::<LineKind>(config),
        declare::<DiffLine>(config),
        declare::<Hunk>(config),
        declare::<ProposedFile>(config),
        declare::<Proposals>(config),
        declare::<MergeArgs>(config),
        declare::<MarkdownArgs>(config),
        declare::<PromptTemplate>(config),
        declare::<TemplateIdArgs>(config),
        declare::<LessonSummary>(config),
        declare::<CourseView>(config),
        declare::<BadgeView>(config),
        declare::<ChallengeSummary>(config),
        declare::<LearnOverview>(config),
        declare::<QuizView>(config),
        declare::<LabKindView>(config),
        declare::<LabView>(config),
        declare::<LessonView>(config),
        declare::<ChallengeView>(config),
        declare::<AwardView>(config),
        declare::<LessonArgs>(config),
        declare::<AnswerArgs>(config),
        declare::<AnswerOutcome>(config),
        declare::<LabArgs>(config),
        declare::<ChallengeArgs>(config),
        declare::<CheckResult>(config),
        declare::<LabResult>(config),
        declare::<LabOutcome>(config),
        declare::<CertificateArgs>(config),
        declare::<CertificateInfo>(config),
        declare::<LeaderboardSettings>(config),
        declare::<JoinArgs>(config),
        declare::<BoardEntry>(config),
        declare::<LeaderboardView>(config),
        declare::<Platform>(config),
        declare::<TargetConfig>(config),
        declare::<EnvVar>(config),
        declare::<DnsRecord>(config),
        declare::<DomainStatus>(config),
        declare::<BuildPlan>(config),
        declare::<CommitInfo>(config),
        declare::<ChangeKind>(config),
        declare::<FileChange>(config),
        declare::<GitStatus>(config),
        declare::<PushProgress>(config),
        declare::<Stage>(config),
        declare::<DeployEvent>(config),
        declare::<DeployState>(config),
        declare::<DeploymentRecord>(config),
        declare::<TargetView>(config),
        declare::<DeployOverview>(config),
        declare::<SaveTargetArgs>(config),
        declare::<TargetArgs>(config),
        declare::<DeploymentArgs>(config),
        declare::<PlatformTokenArgs>(config),
        declare::<CommitArgs>(config),
        declare::<RefKind>(config),
        declare::<RefArgs>(config),
        declare::<PushArgs>(config),
        declare::<EnvVarView>(config),
        declare::<SaveEnvArgs>(config),
        declare::<DomainArgs>(config),
        declare::<GithubConnectArgs>(config),
        declare::<GithubAccount>(config),
        declare::<GithubRepoArgs>(config),
        declare::<MarketStatus>(config),
        declare::<Cached<()>>(config),
        declare::<CreatorRef>(config),
        declare::<TemplateSummary>(config),
        declare::<ManifestFile>(config),
        declare::<Version>(config),
        declare::<Template>(config),
        declare::<FacetCount>(config),
        declare::<Facets>(config),
        declare::<SearchPage>(config),
        declare::<SearchQuery>(config),
        declare::<Category>(config),
        declare::<Review>(config),
        declare::<Creator>(config),
        declare::<TemplateFields>(config),
        declare::<TemplatePage>(config),
        declare::<MarketServerArgs>(config),
        declare::<SignInArgs>(config),
        declare::<TemplateArgs>(config),
        declare::<ReviewArgs>(config),
        declare::<ReviewIdArgs>(config),
        declare::<FollowArgs>(config),
        declare::<PreviewArgs>(config),
        declare::<UseTemplateArgs>(config),
        declare::<PublishArgs>(config),
        declare::<PublishFile>(config),
        declare::<CollabRole>(config),
        declare::<ConnectionState>(config),
        declare::<SessionInfo>(config),
        declare::<TextChange>(config),
        declare::<SharedText>(config),
        declare::<EditOutcome>(config),
        declare::<Peer>(config),
        declare::<Comment>(config),
        declare::<CommentThread>(config),
        declare::<Participant>(config),
        declare::<Invite>(config),
        declare::<VersionInfo>(config),
        declare::<FileStatus>(config),
        declare::<FileDiff>(config),
        declare::<CollabEvent>(config),
        declare::<HostKind>(config),
        declare::<ShareArgs>(config),
        declare::<InviteExpiry>(config),
        declare::<InviteArgs>(config),
        declare::<InviteIdArgs>(config),
        declare::<CollabJoinArgs>(config),
        declare::<JoinedSession>(config),
        declare::<EditArgs>(config),
        declare::<CursorArgs>(config),
        declare::<RoleArgs>(config),
        declare::<ParticipantArgs>(config),
        declare::<AddCommentArgs>(config),
        declare::<ReplyArgs>(config),
        declare::<EditCommentArgs>(config),
        declare::<CommentIdArgs>(config),
        declare::<ResolveArgs>(config),
        declare::<SaveVersionArgs>(config),
        declare::<VersionArgs>(config),
        declare::<ExportArgs>(config),
    ]
}

/// The full text of `ui/src/bindings.ts`.
pub fn typescript_bindings() -> String {
    let config = Config::default();
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/ipc.rs. Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p flashfusion bindings` after changing them.\n\n",
    );
    for declaration in declarations(&config) {
        out.push_str(&declaration);
        out.push_str("\n\n");
    }
    out.push_str("/** invoke(name, { args }); commands whose args are `null` take no arguments. */\nexport interface Commands {\n");
    for command in command_signatures() {
        let channel = command.channel.map(|channel| format!(" channel: {};", channel(&config))).unwrap_or_default();
        out.push_str(&format!(
            "  {}: {{ args: {};{channel} result: {} }};\n",
            command.name,
            (command.args)(&config),
            (command.result)(&config)
        ));
    }
    out.push_str("}\n\n/** Events emitted by the Rust side, by name. */\nexport interface Events {\n");
    for (name, payload) in event_signatures() {
        out.push_str(&format!("  \"{name}\": {};\n", payload(&config)));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn bindings_are_up_to_date() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let generated = super::typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p flashfusion bindings` and commit it"
        );
    }
}
