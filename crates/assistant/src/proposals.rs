//! From an answer to reviewable changes: the edit blocks it proposes,
//! applied to each file's current text (the editor's buffer if open, else
//! the disk), shown as highlighted hunks the user accepts or rejects.

use std::collections::HashMap;
use std::path::Path;

use flashfusion_core::{highlight, Code, Result};
use flashfusion_project::confine::ProjectRoot;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::diff::{self, Hunk};
use crate::edits::{self, EditIssue};

#[derive(Debug, Clone, Deserialize, TS)]
pub struct Buffer {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProposedFile {
    pub path: String,
    /// The file does not exist yet.
    pub creates: bool,
    pub language: String,
    /// The text the change was computed against.
    pub old_text: String,
    pub new_text: String,
    pub hunks: Vec<Hunk>,
    /// Blocks for this file that could not be applied, with why.
    pub failures: Vec<EditIssue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Proposals {
    pub files: Vec<ProposedFile>,
    /// Malformed blocks and paths that cannot be edited.
    pub issues: Vec<EditIssue>,
}

/// The changes `answer` proposes, against the open `buffers` or the disk.
pub fn from_answer(root: &ProjectRoot, answer: &str, buffers: &[Buffer]) -> Result<Proposals> {
    let parsed = edits::parse_edit_blocks(answer);
    let mut issues = parsed.issues.clone();
    let open: HashMap<&str, &str> = buffers.iter().map(|buffer| (buffer.path.as_str(), buffer.text.as_str())).collect();
    let mut files = Vec::new();
    for (path, blocks) in edits::group_by_path(&parsed.blocks) {
        let line = blocks.first().map(|block| u32::try_from(block.line).unwrap_or(u32::MAX)).unwrap_or(0);
        let absolute = match root.resolve(&path) {
            Ok(absolute) => absolute,
            Err(error) => {
                issues.push(EditIssue { line, message: format!("{path}: {}", error.message) });
                continue;
            }
        };
        let original = match open.get(path.as_str()) {
            Some(text) => Some((*text).to_owned()),
            None => match flashfusion_project::files::read_text(&absolute) {
                Ok((text, _)) => Some(text),
                Err(error) if error.code == Code::NotFound => None,
                Err(error) => {
                    issues.push(EditIssue { line, message: format!("{path}: {}", error.message) });
                    continue;
                }
            },
        };
        let edit = edits::apply_to_file(&path, original.as_deref(), &blocks);
        let language = highlight::language_id(Path::new(&path)).to_owned();
        let old_text = original.unwrap_or_default();
        let hunks = diff::diff_hunks(&language, &old_text, &edit.new_text);
        files.push(ProposedFile {
            path,
            creates: edit.creates,
            language,
            old_text,
            new_text: edit.new_text,
            hunks,
            failures: edit.failures,
        });
    }
    Ok(Proposals { files, issues })
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MergeArgs {
    pub old_text: String,
    pub new_text: String,
    /// Indexes of the hunks the user accepted.
    pub accepted: Vec<u32>,
}

/// The text with only the accepted hunks of `old → new` applied.
pub fn merge_hunks(args: &MergeArgs) -> String {
    let accepted: Vec<usize> = args.accepted.iter().map(|index| *index as usize).collect();
    diff::apply_hunks(&args.old_text, &diff::diff_hunks("plaintext", &args.old_text, &args.new_text), &accepted)
}
