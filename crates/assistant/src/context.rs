//! What the model sees: the system prompt, the conversation, the open file
//! and selection, files the user names (`@path`), files related to the open
//! one (imports and importers), recently edited files and a tree summary —
//! fitted into a token budget counted with the real tokenizer. Ignored files
//! and secrets never go in.

use std::collections::HashSet;
use std::path::Path;

use flashfusion_core::{Code, Error, Result};
use flashfusion_project::confine::ProjectRoot;
use flashfusion_project::tree::{self, EntryKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::imports;
use crate::provider::{ChatMessage, ChatRequest};

/// Counts tokens with OpenAI's o200k tokenizer: exact for current OpenAI
/// models, and a close estimate for others.
pub fn count_tokens(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton().encode_ordinary(text).len()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ContextKind {
    Instructions,
    Question,
    History,
    Selection,
    OpenFile,
    Mentioned,
    Related,
    Recent,
    Tree,
}

/// One thing that went into (or was left out of) the prompt, for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContextItem {
    pub kind: ContextKind,
    /// A file path, or a description ("3 earlier messages").
    pub label: String,
    pub tokens: u32,
    /// Only part of it fitted.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContextSummary {
    pub items: Vec<ContextItem>,
    pub total_tokens: u32,
    pub budget: u32,
    /// Files left out, with why (secret, ignored, over budget, missing).
    pub left_out: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenFile {
    pub path: String,
    /// The editor's text (may be unsaved).
    pub text: String,
    /// The selected text, if any.
    pub selection: Option<String>,
    /// 1-based line of the cursor, to centre a window on when the file is too big.
    pub cursor_line: u32,
}

pub struct ContextRequest<'a> {
    pub root: &'a ProjectRoot,
    pub budget: usize,
    pub instructions: &'a str,
    pub question: &'a str,
    /// Earlier messages, oldest first.
    pub history: &'a [ChatMessage],
    pub open_file: Option<&'a OpenFile>,
    /// Most recent first.
    pub recent_files: &'a [String],
}

pub struct BuiltContext {
    pub request: ChatRequest,
    pub summary: ContextSummary,
}

/// History may take at most this share of the budget, so files keep room.
const HISTORY_SHARE: f64 = 0.25;
/// The open file may take at most this share before it is cut to a window.
const OPEN_FILE_SHARE: f64 = 0.5;
const TREE_SHARE: f64 = 0.08;
/// Bigger files are never included whole (generated or data files).
const LARGEST_CONTEXT_FILE: u64 = 256 * 1024;
const MAX_RELATED: usize = 8;
const MAX_RECENT: usize = 6;

/// Files that may hold credentials are never sent to a model.
pub use flashfusion_core::secret_files::is_secret;

/// `@path` mentions in the user's message (a trailing `.,:;)` is punctuation).
pub fn mentioned_paths(question: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for word in question.split_whitespace() {
        if let Some(path) = word.strip_prefix('@') {
            let path = path.trim_end_matches(['.', ',', ':', ';', ')', '?', '!']).trim_start_matches("./");
            if !path.is_empty() && !paths.iter().any(|known| known == path) {
                paths.push(path.to_owned());
            }
        }
    }
    paths
}

struct Budget {
    total: usize,
    used: usize,
}

impl Budget {
    fn left(&self) -> usize {
        self.total.saturating_sub(self.used)
    }
}

pub fn build(request: &ContextRequest<'_>) -> Result<BuiltContext> {
    let mut budget = Budget { total: request.budget, used: 0 };
    let mut items = Vec::new();
    let mut left_out = Vec::new();
    let mut sections = Vec::new();

    let instructions_tokens = count_tokens(request.instructions);
    let question_tokens = count_tokens(request.question);
    budget.used = instructions_tokens + question_tokens;
    if budget.used > budget.total {
        return Err(Error::new(
            Code::InvalidInput,
            format!(
                "The message needs {question_tokens} tokens, more than the context budget of {} allows. Shorten it or raise the budget in the assistant settings.",
                budget.total
            ),
        ));
    }
    items.push(item(ContextKind::Instructions, "Instructions", instructions_tokens, false));
    items.push(item(ContextKind::Question, "Your message", question_tokens, false));

    let project_files = listed_files(request.root)?;
    let mut included: HashSet<String> = HashSet::new();

    if let Some(open) = request.open_file {
        if is_secret(&open.path) {
            left_out.push(format!("{} (may contain secrets)", open.path));
        } else if !project_files.iter().any(|known| known == &open.path) && root_has(request.root, &open.path) {
            left_out.push(format!("{} (ignored by .gitignore)", open.path));
        } else {
            if let Some(selection) = open.selection.as_deref().filter(|text| !text.trim().is_empty()) {
                let section = format!("The user selected this in {}:\n{}", open.path, fenced(&open.path, selection));
                let (section, tokens, truncated) = fit(&section, budget.left());
                if tokens > 0 {
                    budget.used += tokens;
                    items.push(item(ContextKind::Selection, &open.path, tokens, truncated));
                    sections.push(section);
                }
            }
            let share = ((budget.total as f64) * OPEN_FILE_SHARE) as usize;
            let limit = share.min(budget.left());
            // Counting a huge file's tokens is slow; a token is rarely under
            // two bytes, so such a file cannot fit whole anyway.
            let whole = (open.text.len() / 2 <= limit)
                .then(|| file_section(&open.path, &open.text, "The file open in the editor"))
                .map(|section| (count_tokens(&section), section))
                .filter(|(tokens, _)| *tokens <= limit);
            if let Some((tokens, section)) = whole {
                budget.used += tokens;
                items.push(item(ContextKind::OpenFile, &open.path, tokens, false));
                sections.push(section);
            } else if let Some((window, tokens)) = window_around(&open.path, &open.text, open.cursor_line, limit) {
                budget.used += tokens;
                items.push(item(ContextKind::OpenFile, &open.path, tokens, true));
                sections.push(window);
            } else {
                left_out.push(format!("{} (over the budget)", open.path));
            }
            included.insert(open.path.clone());
        }
    }

    for path in mentioned_paths(request.question) {
        if included.contains(&path) {
            continue;
        }
        match readable(request.root, &project_files, &path) {
            Ok(text) => {
                let section = file_section(&path, &text, "A file the user mentioned");
                let (section, tokens, truncated) = fit(&section, budget.left());
                if tokens == 0 {
                    left_out.push(format!("{path} (over the budget)"));
                    continue;
                }
                budget.used += tokens;
                items.push(item(ContextKind::Mentioned, &path, tokens, truncated));
                sections.push(section);
                included.insert(path);
            }
            Err(reason) => left_out.push(format!("{path} ({reason})")),
        }
    }

    // The conversation: most recent turns first, older ones dropped.
    let history_limit = (((budget.total as f64) * HISTORY_SHARE) as usize).min(budget.left());
    let mut history_tokens = 0;
    let mut kept = 0;
    for message in request.history.iter().rev() {
        let tokens = count_tokens(&message.content) + 4;
        if history_tokens + tokens > history_limit {
            break;
        }
        history_tokens += tokens;
        kept += 1;
    }
    let history: Vec<ChatMessage> = request.history[request.history.len() - kept..].to_vec();
    if kept > 0 {
        budget.used += history_tokens;
        items.push(item(ContextKind::History, &format!("{kept} earlier messages"), history_tokens, false));
    }
    if kept < request.history.len() {
        left_out.push(format!("{} older messages (over the budget)", request.history.len() - kept));
    }

    let mut add_file = |kind: ContextKind, path: &str, label: &str, budget: &mut Budget| {
        if included.contains(path) || is_secret(path) {
            return;
        }
        let Ok(text) = readable(request.root, &project_files, path) else { return };
        let section = file_section(path, &text, label);
        let tokens = count_tokens(&section);
        if tokens <= budget.left() {
            budget.used += tokens;
            items.push(item(kind, path, tokens, false));
            sections.push(section);
            included.insert(path.to_owned());
        } else {
            left_out.push(format!("{path} (over the budget)"));
        }
    };
    if let Some(open) = request.open_file {
        for path in imports::related_files(request.root.path(), &open.path, &open.text, &project_files)
            .into_iter()
            .take(MAX_RELATED)
        {
            add_file(ContextKind::Related, &path, "A file related to the open one", &mut budget);
        }
    }
    for path in request.recent_files.iter().take(MAX_RECENT) {
        add_file(ContextKind::Recent, path, "A recently edited file", &mut budget);
    }

    let tree_limit = (((budget.total as f64) * TREE_SHARE) as usize).min(budget.left());
    let (tree, tree_tokens, truncated) = fit(&tree_summary(&project_files), tree_limit);
    if tree_tokens > 0 {
        budget.used += tree_tokens;
        items.push(item(ContextKind::Tree, &format!("{} project files", project_files.len()), tree_tokens, truncated));
        sections.push(tree);
    }

    let mut system = request.instructions.to_owned();
    for section in &sections {
        system.push_str("\n\n");
        system.push_str(section);
    }
    let mut messages = history;
    messages.push(ChatMessage { role: crate::provider::Role::User, content: request.question.to_owned() });
    let total_tokens = u32::try_from(budget.used).unwrap_or(u32::MAX);
    Ok(BuiltContext {
        request: ChatRequest { system, messages },
        summary: ContextSummary {
            items,
            total_tokens,
            budget: u32::try_from(budget.total).unwrap_or(u32::MAX),
            left_out,
        },
    })
}

fn item(kind: ContextKind, label: &str, tokens: usize, truncated: bool) -> ContextItem {
    ContextItem { kind, label: label.to_owned(), tokens: u32::try_from(tokens).unwrap_or(u32::MAX), truncated }
}

/// The project's files that may be shown to a model: not ignored, not secret.
fn listed_files(root: &ProjectRoot) -> Result<Vec<String>> {
    Ok(tree::list_tree(root)?
        .into_iter()
        .filter(|entry| entry.kind == EntryKind::File && !entry.ignored && !is_secret(&entry.path))
        .map(|entry| entry.path)
        .collect())
}

/// A project file's text, if it may go into the context.
fn readable(root: &ProjectRoot, listed: &[String], path: &str) -> std::result::Result<String, &'static str> {
    if is_secret(path) {
        return Err("may contain secrets");
    }
    if !listed.iter().any(|known| known == path) {
        return Err("not in the project, or ignored by .gitignore");
    }
    let absolute = root.resolve(path).map_err(|_| "outside the project")?;
    // A link inside the project is judged by what it points at.
    let target = std::fs::canonicalize(&absolute).map_err(|_| "unreadable")?;
    let target_relative = root.relative(&target).ok_or("outside the project")?;
    if is_secret(&target_relative) || !listed.iter().any(|known| known == &target_relative) {
        return Err("a link to a secret or ignored file");
    }
    let size = std::fs::metadata(&absolute).map_err(|_| "unreadable")?.len();
    if size > LARGEST_CONTEXT_FILE {
        return Err("too large");
    }
    flashfusion_project::files::read_text(&absolute).map(|(text, _)| text).map_err(|_| "not a text file")
}

/// True if `path` names an existing file in the project (an unsaved new
/// buffer has none, and is the user's own text).
fn root_has(root: &ProjectRoot, path: &str) -> bool {
    root.resolve(path).is_ok_and(|absolute| absolute.exists())
}

fn fenced(path: &str, text: &str) -> String {
    let language = flashfusion_core::highlight::language_id(Path::new(path));
    // A fence longer than any backtick run inside keeps the text intact.
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run.max(2) + 1);
    format!("{fence}{language}\n{text}\n{fence}")
}

fn file_section(path: &str, text: &str, label: &str) -> String {
    format!("{label}: {path}\n{}", fenced(path, text))
}

/// Cuts `text` to at most `limit` tokens at a line boundary.
fn fit(text: &str, limit: usize) -> (String, usize, bool) {
    let tokens = count_tokens(text);
    if tokens <= limit {
        return (text.to_owned(), tokens, false);
    }
    let marker = "\n… (cut to fit the context budget)";
    let mut end = text.len() * limit / tokens.max(1);
    while end > 0 {
        end = end.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        end = text[..end].rfind('\n').unwrap_or(0);
        let candidate = format!("{}{marker}", &text[..end]);
        let candidate_tokens = count_tokens(&candidate);
        if candidate_tokens <= limit {
            return (candidate, candidate_tokens, true);
        }
        end = end * 9 / 10;
    }
    (String::new(), 0, true)
}

/// The lines around the cursor that fit into `limit` tokens.
fn window_around(path: &str, text: &str, cursor_line: u32, limit: usize) -> Option<(String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let cursor = (cursor_line.max(1) as usize - 1).min(lines.len().saturating_sub(1));
    // Start from the number of lines that should fit (about three bytes per
    // token), then shrink until the count agrees.
    let average_line = (text.len() / lines.len().max(1)).max(1);
    let mut half = (limit * 3 / average_line / 2).min(lines.len());
    loop {
        let start = cursor.saturating_sub(half);
        let end = (cursor + half + 1).min(lines.len());
        let section = format!(
            "The file open in the editor: {path} (lines {}–{} of {})\n{}",
            start + 1,
            end,
            lines.len(),
            fenced(path, &lines[start..end].join("\n"))
        );
        let tokens = count_tokens(&section);
        if tokens <= limit {
            return Some((section, tokens));
        }
        if half == 0 {
            return None;
        }
        half = half * 2 / 3;
    }
}

fn tree_summary(files: &[String]) -> String {
    let mut summary = String::from("The project's files:\n");
    for path in files {
        summary.push_str(path);
        summary.push('\n');
    }
    summary
}
