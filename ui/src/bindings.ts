// Generated from the Rust types by src-tauri/src/ipc.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p flashfusion bindings` after changing them.

/**
 * A stable machine-readable code. The UI branches on it, never on the message.
 * A variant exists only because something needs to tell it apart.
 */
export type ErrorCode = "not_found" | "already_exists" | "invalid_path" | "conflict" | "binary_file" | "too_large" | "corrupt_database" | "future_database" | "invalid_input" | "keyring_unavailable" | "auth_failed" | "quota_exceeded" | "rate_limited" | "provider_error" | "timeout" | "offline" | "rejected" | "build_failed" | "payment_required" | "io" | "internal";

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
export type StartupRequest = { project: ProjectInfo | null, file: string | null, 
/**
 * An invite link the app was opened with (`flashfusion://join?…`).
 */
joinLink: string | null, };

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

export type ProviderKind = "openAi" | "anthropic";

export type ProviderConfig = { kind: ProviderKind, 
/**
 * Up to and including the version segment: `https://api.openai.com/v1`,
 * `http://localhost:11434/v1`, `https://api.anthropic.com/v1`.
 */
baseUrl: string, model: string, maxOutputTokens: number, 
/**
 * How long to wait for the answer to start, and at most between two
 * pieces of it.
 */
timeoutSeconds: number, };

export type ModelPrice = { model: string, 
/**
 * US dollars per million prompt tokens.
 */
inputPerMillion: number, 
/**
 * US dollars per million completion tokens.
 */
outputPerMillion: number, };

export type AssistantSettings = { provider: ProviderConfig, 
/**
 * Tokens the prompt (instructions, files, history, question) may use.
 */
contextBudget: number, messagesPerMinute: number, messagesPerDay: number, prices: Array<ModelPrice>, };

export type AssistantStatus = { settings: AssistantSettings, 
/**
 * An API key for the configured base URL is in the keyring.
 */
hasApiKey: boolean, 
/**
 * Why the OS keyring cannot be used, if it cannot (keys then cannot be
 * saved; providers without keys, like Ollama, still work).
 */
keyringProblem: string | null, };

export type ApiKeyArgs = { 
/**
 * `None` or empty removes the key.
 */
key: string | null, };

export type ConversationId = number;

export type MessageId = number;

export type ConversationSummary = { id: ConversationId, title: string, updatedAt: number, messageCount: number, };

export type MessageRole = "user" | "assistant";

export type MessageState = "streaming" | "complete" | "interrupted" | "cancelled" | "failed";

export type Usage = { promptTokens: number, completionTokens: number, 
/**
 * True when the provider sent no usage and it was counted locally.
 */
estimated: boolean, 
/**
 * From the price table; `None` when the model has no price.
 */
costUsd: number | null, };

export type MessageRecord = { id: MessageId, role: MessageRole, content: string, state: MessageState, model: string | null, usage: Usage | null, createdAt: number, };

export type ConversationArgs = { conversationId: ConversationId, };

export type RenameConversationArgs = { conversationId: ConversationId, title: string, };

export type OpenFile = { path: string, 
/**
 * The editor's text (may be unsaved).
 */
text: string, 
/**
 * The selected text, if any.
 */
selection: string | null, 
/**
 * 1-based line of the cursor, to centre a window on when the file is too big.
 */
cursorLine: number, };

export type SendArgs = { projectId: ProjectId, 
/**
 * `None` starts a new conversation.
 */
conversationId: ConversationId | null, text: string, openFile: OpenFile | null, 
/**
 * Files edited lately, most recent first.
 */
recentFiles: Array<string>, 
/**
 * Editing a past message: it and everything after it are replaced.
 */
replaceFrom: MessageId | null, };

export type ContextKind = "instructions" | "question" | "history" | "selection" | "openFile" | "mentioned" | "related" | "recent" | "tree";

/**
 * One thing that went into (or was left out of) the prompt, for the user.
 */
export type ContextItem = { kind: ContextKind, 
/**
 * A file path, or a description ("3 earlier messages").
 */
label: string, tokens: number, 
/**
 * Only part of it fitted.
 */
truncated: boolean, };

export type ContextSummary = { items: Array<ContextItem>, totalTokens: number, budget: number, 
/**
 * Files left out, with why (secret, ignored, over budget, missing).
 */
leftOut: Array<string>, };

/**
 * Streamed to the UI while an answer arrives.
 */
export type ChatEvent = { "type": "started", conversationId: ConversationId, userMessage: MessageRecord, answerId: MessageId, context: ContextSummary, } | { "type": "firstByte", atEpochMs: number, } | { "type": "delta", text: string, } | { "type": "retrying", attempt: number, waitSeconds: number, };

export type Buffer = { path: string, text: string, };

export type ProposeArgs = { projectId: ProjectId, messageId: MessageId, 
/**
 * The editor's open buffers: edits apply to what the user sees.
 */
buffers: Array<Buffer>, };

/**
 * Why a block could not be parsed or applied.
 */
export type EditIssue = { 
/**
 * 1-based line of the block's SEARCH marker in the reply.
 */
line: number, 
/**
 * A user-readable reason.
 */
message: string, };

export type LineKind = "context" | "removed" | "added";

export type DiffLine = { kind: LineKind, 
/**
 * 1-based line number in the old text (none for an added line).
 */
oldLine: number | null, 
/**
 * 1-based line number in the new text (none for a removed line).
 */
newLine: number | null, 
/**
 * Highlighted HTML of the line, no trailing newline.
 */
html: string, };

export type Hunk = { 
/**
 * 0-based index of the first changed old line (context excluded).
 */
oldStart: number, 
/**
 * How many old lines the hunk replaces.
 */
oldCount: number, 
/**
 * 0-based index of the first changed new line (context excluded).
 */
newStart: number, newCount: number, 
/**
 * The new text that replaces old lines `[old_start, old_start + old_count)`,
 * line endings included.
 */
replacement: string, 
/**
 * The lines to display, with context around the change.
 */
lines: Array<DiffLine>, };

export type ProposedFile = { path: string, 
/**
 * The file does not exist yet.
 */
creates: boolean, language: string, 
/**
 * The text the change was computed against.
 */
oldText: string, newText: string, hunks: Array<Hunk>, 
/**
 * Blocks for this file that could not be applied, with why.
 */
failures: Array<EditIssue>, };

export type Proposals = { files: Array<ProposedFile>, 
/**
 * Malformed blocks and paths that cannot be edited.
 */
issues: Array<EditIssue>, };

export type MergeArgs = { oldText: string, newText: string, 
/**
 * Indexes of the hunks the user accepted.
 */
accepted: Array<number>, };

export type MarkdownArgs = { text: string, };

export type PromptTemplate = { id: string, title: string, prompt: string, builtIn: boolean, };

export type TemplateIdArgs = { id: string, };

export type LessonSummary = { id: string, title: string, summary: string, minutes: number, xp: number, quizDone: boolean, labDone: boolean, complete: boolean, };

export type CourseView = { id: string, title: string, summary: string, complete: boolean, lessons: Array<LessonSummary>, };

export type BadgeView = { id: string, title: string, description: string, earned: boolean, };

export type ChallengeSummary = { id: string, title: string, xp: number, day: string, done: boolean, };

export type LearnOverview = { xp: number, level: number, levelStartXp: number, nextLevelXp: number, streak: number, badges: Array<BadgeView>, courses: Array<CourseView>, challenge: ChallengeSummary, };

export type QuizView = { question: string, options: Array<string>, chosen: number | null, correct: boolean | null, 
/**
 * Shown once answered.
 */
explanation: string | null, };

export type LabKindView = "code" | "prompt";

export type LabView = { kind: LabKindView, instructionsHtml: string, xp: number, 
/**
 * The learner's last attempt, else the starter code (empty for prompts).
 */
code: string, passed: boolean, };

export type LessonView = { courseId: string, id: string, title: string, html: string, minutes: number, xp: number, quiz: Array<QuizView>, lab: LabView, };

export type ChallengeView = { summary: ChallengeSummary, lab: LabView, };

/**
 * Something just earned, for the "+50 XP" and badge toasts.
 */
export type AwardView = { label: string, xp: number, badge: boolean, };

export type LessonArgs = { courseId: string, lessonId: string, };

export type AnswerArgs = { courseId: string, lessonId: string, question: number, choice: number, };

export type AnswerOutcome = { correct: boolean, explanation: string, awards: Array<AwardView>, };

export type LabArgs = { courseId: string, lessonId: string, code: string, };

export type ChallengeArgs = { code: string, };

export type CheckResult = { name: string, passed: boolean, 
/**
 * Shown when the check fails: what to look at.
 */
hint: string, 
/**
 * What went wrong (the assertion's message), when it failed.
 */
message: string | null, };

export type LabResult = { passed: boolean, checks: Array<CheckResult>, 
/**
 * A problem with the code as a whole (a syntax error, the time or
 * memory limit), when there is one.
 */
error: string | null, elapsedMs: number, };

export type LabOutcome = { result: LabResult, awards: Array<AwardView>, };

export type CertificateArgs = { courseId: string, name: string, 
/**
 * Where to write the PDF.
 */
path: string, };

export type CertificateInfo = { path: string, code: string, };

/**
 * Opt-in settings; the account's token lives in the keyring.
 */
export type LeaderboardSettings = { serverUrl: string, displayName: string, optedIn: boolean, };

export type JoinArgs = { serverUrl: string, email: string, password: string, displayName: string, 
/**
 * Register a new account instead of signing in.
 */
createAccount: boolean, };

export type BoardEntry = { rank: number, name: string, xp: number, };

export type LeaderboardView = { settings: LeaderboardSettings, 
/**
 * Awards waiting to be sent.
 */
queued: number, sent: number, 
/**
 * Awards the server would not count, with its reasons.
 */
refused: Array<string>, board: Array<BoardEntry>, 
/**
 * Why the board could not be reached, if it could not.
 */
offline: string | null, };

export type Platform = "git_remote" | "github_pages" | "netlify" | "vercel" | "cloudflare_pages" | "render" | "railway";

/**
 * Where a project deploys to, as the user configured it.
 */
export type TargetConfig = { platform: Platform, 
/**
 * The platform's name for the site: Netlify site id, Vercel or
 * Cloudflare project name, Render service id, Railway service id,
 * GitHub `owner/repo`, or the URL of a git remote.
 */
site: string, 
/**
 * Cloudflare account id, Railway environment id; empty otherwise.
 */
account: string, 
/**
 * The branch to push (git remote, GitHub Pages); a default when empty.
 */
branch: string, 
/**
 * Overrides the platform's API base URL (self-hosted, tests).
 */
apiBase: string, };

/**
 * An environment variable pushed to the platform on deploy.
 */
export type EnvVar = { name: string, value: string, secret: boolean, };

/**
 * A DNS record the user must create for a custom domain.
 */
export type DnsRecord = { 
/**
 * A, AAAA, CNAME, TXT.
 */
kind: string, name: string, value: string, };

export type DomainStatus = { domain: string, records: Array<DnsRecord>, verified: boolean, };

/**
 * How a project is built and where the site ends up.
 */
export type BuildPlan = { framework: string, 
/**
 * The install command, when dependencies are missing.
 */
install: Array<string> | null, 
/**
 * The build command; `None` for a site served as it is.
 */
command: Array<string> | null, 
/**
 * The output folder, relative to the project.
 */
output: string, };

export type CommitInfo = { id: string, summary: string, author: string, 
/**
 * Seconds since the epoch.
 */
time: number, };

export type ChangeKind = "added" | "modified" | "deleted" | "renamed" | "untracked";

export type FileChange = { path: string, kind: ChangeKind, };

export type GitStatus = { 
/**
 * The current branch; `None` when HEAD is detached.
 */
branch: string | null, head: CommitInfo | null, changes: Array<FileChange>, branches: Array<string>, tags: Array<string>, };

/**
 * Where a push stands, for a progress bar.
 */
export type PushProgress = { "stage": "packing", done: number, total: number, } | { "stage": "sending", done: number, total: number, bytes: number, };

export type Stage = "build" | "commit" | "upload" | "deploy" | "done";

export type DeployEvent = { "kind": "stage", stage: Stage, } | { "kind": "line", line: string, } | { "kind": "push", progress: PushProgress, } | { "kind": "upload", done: number, total: number, };

export type DeployState = "running" | "ready" | "failed" | "interrupted";

export type DeploymentRecord = { id: string, targetId: string, commitId: string | null, 
/**
 * The platform's id for it: what a rollback goes back to.
 */
platformId: string | null, url: string | null, state: DeployState, error: string | null, 
/**
 * The deployment this one rolled back to.
 */
rollbackOf: string | null, uploadedFiles: number, uploadedBytes: number, startedAt: number, finishedAt: number | null, };

export type TargetView = { id: string, label: string, config: TargetConfig, 
/**
 * Whether the platform's token is in the keyring.
 */
hasToken: boolean, };

export type DeployOverview = { 
/**
 * `None` when the project has no repository yet.
 */
git: GitStatus | null, build: BuildPlan, targets: Array<TargetView>, deployments: Array<DeploymentRecord>, };

export type SaveTargetArgs = { projectId: ProjectId, 
/**
 * `None` adds a target.
 */
id: string | null, config: TargetConfig, };

export type TargetArgs = { targetId: string, };

export type DeploymentArgs = { deploymentId: string, };

export type PlatformTokenArgs = { platform: Platform, 
/**
 * Empty removes the token.
 */
token: string, };

export type CommitArgs = { projectId: ProjectId, message: string, };

export type RefKind = "branch" | "tag";

export type RefArgs = { projectId: ProjectId, kind: RefKind, name: string, };

export type PushArgs = { projectId: ProjectId, 
/**
 * A remote's name (`origin`) or URL.
 */
remote: string, };

export type EnvVarView = { name: string, secret: boolean, 
/**
 * The value, except for secrets (never sent back to the window).
 */
value: string | null, };

export type SaveEnvArgs = { targetId: string, 
/**
 * The full list; a secret with an empty value keeps its stored value.
 */
vars: Array<EnvVar>, };

export type DomainArgs = { targetId: string, domain: string, };

export type GithubConnectArgs = { token: string, 
/**
 * GitHub Enterprise's API; empty for github.com.
 */
apiBase: string, };

export type GithubAccount = { login: string, };

export type GithubRepoArgs = { projectId: ProjectId, name: string, private: boolean, apiBase: string, };

export type MarketStatus = { server: string, account: string | null, };

/**
 * An answer from the server, or (offline) the last one kept.
 */
export type Cached<T> = { value: T, 
/**
 * True when the server could not be reached and this is the kept copy.
 */
offline: boolean, fetchedAt: number, };

export type CreatorRef = { id: number, name: string, };

export type TemplateSummary = { id: number, title: string, description: string, category: string, tags: Array<string>, licence: string, priceCents: number, creator: CreatorRef, rating: number | null, ratingCount: number, downloads: number, featured: boolean, status: string, latestVersion: string | null, previewUrl: string | null, createdAt: number, updatedAt: number, };

export type ManifestFile = { path: string, size: number, };

export type Version = { id: number, version: string, notes: string, bundleHash: string, files: Array<ManifestFile>, fileCount: number, totalBytes: number, createdAt: number, };

export type Template = { readme: string, versions: Array<Version>, purchased: boolean, following: boolean, id: number, title: string, description: string, category: string, tags: Array<string>, licence: string, priceCents: number, creator: CreatorRef, rating: number | null, ratingCount: number, downloads: number, featured: boolean, status: string, latestVersion: string | null, previewUrl: string | null, createdAt: number, updatedAt: number, };

export type FacetCount = { value: string, count: number, };

export type Facets = { category: Array<FacetCount>, price: Array<FacetCount>, tags: Array<FacetCount>, licence: Array<FacetCount>, };

export type SearchPage = { items: Array<TemplateSummary>, total: number, page: number, perPage: number, facets: Facets, };

export type SearchQuery = { q: string, category: string | null, 
/**
 * `free` or `paid`.
 */
price: string | null, tags: Array<string>, licence: string | null, 
/**
 * relevance, downloads, rating or newest.
 */
sort: string | null, page: number | null, };

export type Category = { slug: string, name: string, count: number, };

export type Review = { id: number, templateId: number, author: CreatorRef, stars: number, body: string, helpful: number, createdAt: number, updatedAt: number, };

export type Creator = { id: number, name: string, bio: string, avatarUrl: string, templates: number, downloads: number, followers: number, following: boolean, };

/**
 * What a creator fills in to publish (or update) a template.
 */
export type TemplateFields = { title: string, description: string, category: string, tags: Array<string>, licence: string, priceCents: number, readme: string, };

export type TemplatePage = { template: Template, 
/**
 * The README rendered to HTML (raw HTML in it escaped).
 */
readmeHtml: string, };

export type MarketServerArgs = { server: string, };

export type SignInArgs = { email: string, password: string, 
/**
 * Present to create the account first.
 */
name: string | null, };

export type TemplateArgs = { templateId: number, };

export type ReviewArgs = { templateId: number, stars: number, body: string, };

export type ReviewIdArgs = { reviewId: number, };

export type FollowArgs = { creatorId: number, follow: boolean, };

export type PreviewArgs = { templateId: number, version: string, path: string, };

export type UseTemplateArgs = { templateId: number, version: string, name: string, parentDir: string, };

export type PublishArgs = { projectId: ProjectId, 
/**
 * `None` publishes a new template; otherwise a new version of it.
 */
templateId: number | null, fields: TemplateFields, version: string, notes: string, files: Array<string>, };

export type PublishFile = { path: string, size: number, 
/**
 * Whether it may be published; `reason` says why not.
 */
allowed: boolean, reason: string | null, };

export type CollabRole = "owner" | "editor" | "viewer";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/**
 * What the window knows about a shared project.
 */
export type SessionInfo = { projectId: ProjectId, server: string, roomId: string, 
/**
 * Who we are in the room; comments we wrote carry it as `authorId`.
 */
participantId: number, role: CollabRole, name: string, color: string, clientId: number, hostedLocally: boolean, };

/**
 * One change in CodeMirror's terms: replace `[from, to)` of the text as it
 * was before the change set with `insert` (UTF-16 offsets).
 */
export type TextChange = { from: number, to: number, insert: string, };

/**
 * A shared file's text and how many changes the window did not make it has had.
 */
export type SharedText = { text: string, seq: number, };

/**
 * Whether an edit was applied; if not, the window rebases it over the
 * changes up to `seq` and sends it again.
 */
export type EditOutcome = { applied: boolean, seq: number, };

/**
 * A participant as the window draws them, positions resolved for now.
 */
export type Peer = { clientId: number, 
/**
 * Their participant id in the room (None for clients that do not say).
 */
participantId: number | null, name: string, color: string, path: string | null, anchor: number | null, head: number | null, typing: boolean, 
/**
 * Milliseconds since their presence last changed.
 */
idleMs: number, };

export type Comment = { id: string, authorId: string, author: string, body: string, 
/**
 * Unix milliseconds.
 */
createdAt: number, editedAt: number | null, };

export type CommentThread = { id: string, path: string, 
/**
 * Where the thread is now, in the file's UTF-16 code units.
 */
index: number, 
/**
 * 1-based.
 */
line: number, resolved: boolean, comments: Array<Comment>, };

export type Participant = { participantId: number, name: string, role: CollabRole, 
/**
 * Connected to the room right now.
 */
online: boolean, };

export type Invite = { id: string, 
/**
 * Only when the invite was just created: the server keeps the code hashed.
 */
link: string | null, role: CollabRole, 
/**
 * Unix milliseconds; none for an invite that never expires.
 */
expiresAt: number | null, maxUses: number | null, uses: number, revoked: boolean, };

export type VersionInfo = { id: number, 
/**
 * Unix milliseconds.
 */
createdAt: number, message: string, author: string, 
/**
 * A checkpoint the server took by itself.
 */
automatic: boolean, };

export type FileStatus = "added" | "removed" | "modified" | "unchanged";

export type FileDiff = { path: string, status: FileStatus, 
/**
 * Empty for an unchanged file.
 */
hunks: Array<Hunk>, };

export type CollabEvent = { "kind": "status", state: ConnectionState, } | { "kind": "text", path: string, seq: number, changes: Array<TextChange>, } | { "kind": "reset", path: string, seq: number, text: string, } | { "kind": "files", paths: Array<string>, } | { "kind": "peers", peers: Array<Peer>, } | { "kind": "comments", threads: Array<CommentThread>, } | { "kind": "denied", reason: string, } | { "kind": "ended", reason: string, };

export type HostKind = "local" | "server";

/**
 * Not `Debug`: it can carry a password.
 */
export type ShareArgs = { projectId: ProjectId, host: HostKind, serverUrl: string | null, email: string | null, password: string | null, };

export type InviteExpiry = "7d" | "30d" | "never";

export type InviteArgs = { projectId: ProjectId, role: CollabRole, expires: InviteExpiry, maxUses: number | null, };

export type InviteIdArgs = { projectId: ProjectId, inviteId: string, };

export type CollabJoinArgs = { link: string, name: string, };

export type JoinedSession = { project: ProjectInfo, session: SessionInfo, };

export type EditArgs = { projectId: ProjectId, path: string, 
/**
 * The file's `seq` the window had when it made the edit.
 */
seen: number, changes: Array<TextChange>, };

export type CursorArgs = { projectId: ProjectId, path: string | null, anchor: number, head: number, typing: boolean, };

export type RoleArgs = { projectId: ProjectId, participantId: number, role: CollabRole, };

export type ParticipantArgs = { projectId: ProjectId, participantId: number, };

export type AddCommentArgs = { projectId: ProjectId, path: string, index: number, body: string, };

export type ReplyArgs = { projectId: ProjectId, threadId: string, body: string, };

export type EditCommentArgs = { projectId: ProjectId, threadId: string, commentId: string, body: string, };

export type CommentIdArgs = { projectId: ProjectId, threadId: string, commentId: string, };

export type ResolveArgs = { projectId: ProjectId, threadId: string, resolved: boolean, };

export type SaveVersionArgs = { projectId: ProjectId, message: string, };

export type VersionArgs = { projectId: ProjectId, versionId: number, };

export type ExportArgs = { projectId: ProjectId, destination: string, };

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
  assistant_status: { args: null; result: AssistantStatus };
  update_assistant_settings: { args: AssistantSettings; result: AssistantStatus };
  set_api_key: { args: ApiKeyArgs; result: AssistantStatus };
  test_connection: { args: null; result: Array<string> };
  list_conversations: { args: ProjectArgs; result: Array<ConversationSummary> };
  conversation_messages: { args: ConversationArgs; result: Array<MessageRecord> };
  rename_conversation: { args: RenameConversationArgs; result: null };
  delete_conversation: { args: ConversationArgs; result: null };
  send_message: { args: SendArgs; channel: ChatEvent; result: MessageRecord };
  cancel_message: { args: ConversationArgs; result: null };
  propose_edits: { args: ProposeArgs; result: Proposals };
  merge_hunks: { args: MergeArgs; result: string };
  render_markdown: { args: MarkdownArgs; result: string };
  list_prompt_templates: { args: null; result: Array<PromptTemplate> };
  save_prompt_template: { args: PromptTemplate; result: Array<PromptTemplate> };
  delete_prompt_template: { args: TemplateIdArgs; result: Array<PromptTemplate> };
  learn_overview: { args: null; result: LearnOverview };
  open_lesson: { args: LessonArgs; result: LessonView };
  answer_quiz: { args: AnswerArgs; result: AnswerOutcome };
  run_lab: { args: LabArgs; result: LabOutcome };
  daily_challenge: { args: null; result: ChallengeView };
  run_challenge: { args: ChallengeArgs; result: LabOutcome };
  save_certificate: { args: CertificateArgs; result: CertificateInfo };
  leaderboard: { args: null; result: LeaderboardView };
  join_leaderboard: { args: JoinArgs; result: LeaderboardView };
  leave_leaderboard: { args: null; result: LeaderboardView };
  deploy_overview: { args: ProjectArgs; result: DeployOverview };
  save_deploy_target: { args: SaveTargetArgs; result: TargetView };
  delete_deploy_target: { args: TargetArgs; result: null };
  set_platform_token: { args: PlatformTokenArgs; result: null };
  start_deploy: { args: TargetArgs; channel: DeployEvent; result: DeploymentRecord };
  rollback_deployment: { args: DeploymentArgs; channel: DeployEvent; result: DeploymentRecord };
  deployment_log: { args: DeploymentArgs; result: string };
  env_vars: { args: TargetArgs; result: Array<EnvVarView> };
  save_env_vars: { args: SaveEnvArgs; result: Array<EnvVarView> };
  import_env_file: { args: TargetArgs; result: Array<EnvVarView> };
  add_domain: { args: DomainArgs; result: DomainStatus };
  git_init: { args: ProjectArgs; result: GitStatus };
  git_commit: { args: CommitArgs; result: GitStatus };
  git_history: { args: ProjectArgs; result: Array<CommitInfo> };
  git_create_ref: { args: RefArgs; result: GitStatus };
  git_push: { args: PushArgs; channel: DeployEvent; result: GitStatus };
  github_connect: { args: GithubConnectArgs; result: GithubAccount };
  github_create_repo: { args: GithubRepoArgs; channel: DeployEvent; result: GitStatus };
  market_status: { args: null; result: MarketStatus };
  market_set_server: { args: MarketServerArgs; result: MarketStatus };
  market_sign_in: { args: SignInArgs; result: MarketStatus };
  market_sign_out: { args: null; result: MarketStatus };
  market_categories: { args: null; result: Cached<Array<Category>> };
  market_search: { args: SearchQuery; result: Cached<SearchPage> };
  market_template: { args: TemplateArgs; result: Cached<TemplatePage> };
  market_reviews: { args: TemplateArgs; result: Cached<Array<Review>> };
  market_review: { args: ReviewArgs; result: Review };
  market_helpful: { args: ReviewIdArgs; result: null };
  market_follow: { args: FollowArgs; result: Creator };
  market_preview: { args: PreviewArgs; result: string };
  market_use_template: { args: UseTemplateArgs; result: ProjectInfo };
  market_publish_candidates: { args: ProjectArgs; result: Array<PublishFile> };
  market_publish: { args: PublishArgs; result: Template };
  market_my_templates: { args: null; result: Array<TemplateSummary> };
  collab_share: { args: ShareArgs; result: SessionInfo };
  collab_invite: { args: InviteArgs; result: Invite };
  collab_invites: { args: ProjectArgs; result: Array<Invite> };
  collab_revoke_invite: { args: InviteIdArgs; result: null };
  collab_join: { args: CollabJoinArgs; result: JoinedSession };
  collab_session: { args: ProjectArgs; result: SessionInfo | null };
  collab_subscribe: { args: ProjectArgs; channel: CollabEvent; result: null };
  collab_read: { args: PathArgs; result: SharedText };
  collab_edit: { args: EditArgs; result: EditOutcome };
  collab_undo: { args: PathArgs; result: boolean };
  collab_redo: { args: PathArgs; result: boolean };
  collab_cursor: { args: CursorArgs; result: null };
  collab_participants: { args: ProjectArgs; result: Array<Participant> };
  collab_set_role: { args: RoleArgs; result: null };
  collab_remove_participant: { args: ParticipantArgs; result: null };
  collab_add_comment: { args: AddCommentArgs; result: CommentThread };
  collab_reply: { args: ReplyArgs; result: null };
  collab_edit_comment: { args: EditCommentArgs; result: null };
  collab_delete_comment: { args: CommentIdArgs; result: null };
  collab_resolve: { args: ResolveArgs; result: null };
  collab_versions: { args: ProjectArgs; result: Array<VersionInfo> };
  collab_save_version: { args: SaveVersionArgs; result: VersionInfo };
  collab_version_diff: { args: VersionArgs; result: Array<FileDiff> };
  collab_restore: { args: VersionArgs; result: null };
  collab_export: { args: ExportArgs; result: string };
  collab_leave: { args: ProjectArgs; result: null };
}

/** Events emitted by the Rust side, by name. */
export interface Events {
  "fs-changed": FsChange;
}
