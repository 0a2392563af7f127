//! SEARCH/REPLACE edit blocks in the model's reply: parsing them out of the
//! prose, and applying them to files. Applying is deliberately strict: a block
//! applies only where its SEARCH text matches one place in the file, exactly
//! or (failing that) with whitespace drift, so an edit never lands in the
//! wrong place; anything else is reported for the user to see.
//!
//! The format, as the system prompt asks for it:
//!
//! ````text
//! src/main.rs
//! ```rust
//! <<<<<<< SEARCH
//! fn old() {}
//! =======
//! fn new() {}
//! >>>>>>> REPLACE
//! ```
//! ````

use std::collections::HashMap;

use serde::Serialize;
use ts_rs::TS;

/// One edit: replace `search` with `replace` in the file at `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditBlock {
    /// Relative to the project root, `/`-separated, without `.` or `..` segments.
    pub path: String,
    /// Whole lines, each ending with `\n`; empty for a new file.
    pub search: String,
    /// Whole lines, each ending with `\n`.
    pub replace: String,
    /// 1-based line of the SEARCH marker in the reply.
    pub line: usize,
}

/// Why a block could not be parsed or applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EditIssue {
    /// 1-based line of the block's SEARCH marker in the reply.
    pub line: u32,
    /// A user-readable reason.
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedEdits {
    pub blocks: Vec<EditBlock>,
    pub issues: Vec<EditIssue>,
}

/// Result of applying all blocks for one file, in order, to its current text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    pub path: String,
    /// The file did not exist and a block created it.
    pub creates: bool,
    pub new_text: String,
    /// How many blocks applied.
    pub applied: usize,
    pub failures: Vec<EditIssue>,
}

// ---------------------------------------------------------------- parsing

/// Finds the edit blocks in a reply. Text outside blocks is ignored;
/// malformed blocks become issues, never blocks.
pub fn parse_edit_blocks(reply: &str) -> ParsedEdits {
    let mut parser =
        Parser { lines: reply.lines().collect(), parsed: ParsedEdits::default(), consumed: 0, previous_block: None };
    let mut index = 0;
    while let Some(&line) = parser.lines.get(index) {
        index = if is_search_marker(line) {
            parser.parse_block(index)
        } else {
            if is_replace_marker(line) {
                parser.issue(index, "a `>>>>>>> REPLACE` line without a `<<<<<<< SEARCH` line before it".to_owned());
            }
            index + 1
        };
    }
    parser.parsed
}

struct Parser<'a> {
    lines: Vec<&'a str>,
    parsed: ParsedEdits,
    /// Lines before this index belong to earlier blocks (well-formed or
    /// not), so none of them can be the path line of a later block.
    consumed: usize,
    /// The REPLACE marker index and path of the last block parsed: a block
    /// right after it (same fence, no path line) is for the same file.
    previous_block: Option<(usize, String)>,
}

/// The SEARCH and REPLACE parts of a block, and the index of its REPLACE marker.
struct BlockBody {
    search: String,
    replace: String,
    end: usize,
}

/// A malformed block: why, and where parsing carries on.
struct BodyError {
    message: &'static str,
    resume: usize,
}

impl Parser<'_> {
    /// Parses the block whose SEARCH marker is at `marker`; returns the index to carry on from.
    fn parse_block(&mut self, marker: usize) -> usize {
        let body = match self.read_body(marker + 1) {
            Ok(body) => body,
            Err(error) => {
                self.issue(marker, error.message.to_owned());
                self.consumed = error.resume;
                self.previous_block = None;
                return error.resume;
            }
        };
        let path = self.path_for(marker);
        self.consumed = body.end + 1;
        self.previous_block = path.as_ref().ok().map(|path| (body.end, path.clone()));
        match path {
            Ok(path) => {
                let block = EditBlock { path, search: body.search, replace: body.replace, line: marker + 1 };
                self.parsed.blocks.push(block);
            }
            Err(message) => self.issue(marker, message),
        }
        self.consumed
    }

    fn read_body(&self, start: usize) -> Result<BlockBody, BodyError> {
        const NO_DIVIDER: &str = "this block has no `=======` line between its SEARCH and REPLACE parts";
        const NOT_CLOSED: &str = "this block is not closed by a `>>>>>>> REPLACE` line";
        let mut search = String::new();
        let mut index = start;
        loop {
            let Some(&line) = self.lines.get(index) else {
                return Err(BodyError { message: NO_DIVIDER, resume: index });
            };
            if is_divider(line) {
                break;
            }
            if is_search_marker(line) {
                return Err(BodyError { message: NO_DIVIDER, resume: index });
            }
            if is_replace_marker(line) {
                return Err(BodyError { message: NO_DIVIDER, resume: index + 1 });
            }
            push_line(&mut search, line);
            index += 1;
        }
        let mut replace = String::new();
        index += 1;
        loop {
            let Some(&line) = self.lines.get(index) else {
                return Err(BodyError { message: NOT_CLOSED, resume: index });
            };
            if is_replace_marker(line) {
                return Ok(BlockBody { search, replace, end: index });
            }
            if is_search_marker(line) {
                return Err(BodyError { message: NOT_CLOSED, resume: index });
            }
            push_line(&mut replace, line);
            index += 1;
        }
    }

    /// The path for the block whose SEARCH marker is at `marker`: the line
    /// before the opening fence, or before the marker when there is no fence.
    fn path_for(&self, marker: usize) -> Result<String, String> {
        let mut candidate = self.previous_non_blank(marker);
        if let (Some(index), Some((previous_end, previous_path))) = (candidate, &self.previous_block) {
            if index == *previous_end {
                return Ok(previous_path.clone());
            }
        }
        if let Some(index) = candidate.filter(|&index| index >= self.consumed && is_fence(self.lines[index])) {
            candidate = self.previous_non_blank(index);
        }
        let line = candidate.filter(|&index| index >= self.consumed).map_or("", |index| self.lines[index]);
        let path = strip_path_decorations(line);
        if path.is_empty() {
            return Err(
                "no file path before this SEARCH block; the path must be on the line before its fence".to_owned()
            );
        }
        if path.contains(char::is_whitespace) || is_any_marker(line) {
            return Err(format!("the line before this SEARCH block, `{}`, is not a file path", line.trim()));
        }
        normalize_path(path)
    }

    fn previous_non_blank(&self, before: usize) -> Option<usize> {
        (0..before).rev().find(|&index| !self.lines[index].trim().is_empty())
    }

    fn issue(&mut self, index: usize, message: String) {
        self.parsed.issues.push(EditIssue { line: to_u32(index + 1), message });
    }
}

fn push_line(text: &mut String, line: &str) {
    text.push_str(line);
    text.push('\n');
}

/// A marker is 5 to 9 copies of `symbol`, then `word` (if any), then only whitespace.
fn is_marker(line: &str, symbol: char, word: &str) -> bool {
    let line = line.trim_end();
    let rest = line.trim_start_matches(symbol);
    let count = line.len() - rest.len();
    (5..=9).contains(&count) && rest.trim_start().eq_ignore_ascii_case(word)
}

fn is_search_marker(line: &str) -> bool {
    is_marker(line, '<', "SEARCH")
}

fn is_divider(line: &str) -> bool {
    is_marker(line, '=', "")
}

fn is_replace_marker(line: &str) -> bool {
    is_marker(line, '>', "REPLACE")
}

fn is_any_marker(line: &str) -> bool {
    is_search_marker(line) || is_divider(line) || is_replace_marker(line)
}

fn is_fence(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("```") || line.starts_with("~~~")
}

/// Strips the markdown models dress paths in: `**src/a.ts**`, `` `src/a.ts` ``,
/// `src/a.ts:`, `# src/a.ts`, `File: src/a.ts`, and combinations of them.
fn strip_path_decorations(line: &str) -> &str {
    const LABELS: [&str; 3] = ["file:", "filename:", "path:"];
    let mut text = line.trim();
    loop {
        let before = text;
        text = text.trim_start_matches('#').trim_start();
        if let Some(label) = LABELS.iter().find(|label| starts_with_ignore_case(text, label)) {
            text = text[label.len()..].trim_start();
        }
        text = text.trim_end_matches(':').trim_end();
        text = text.trim_matches(['*', '`', '"', '\'']);
        if text == before {
            return text;
        }
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// Validates a path from the reply and normalises it to `a/b/c` form.
/// Backslashes count as separators, so `..\..\x` or `C:\x` cannot slip by.
fn normalize_path(path: &str) -> Result<String, String> {
    if path.chars().any(char::is_control) {
        return Err(format!("the path `{}` contains control characters", path.escape_debug()));
    }
    let unified = path.replace('\\', "/");
    let has_drive = unified.as_bytes().get(1) == Some(&b':') && unified.starts_with(|c: char| c.is_ascii_alphabetic());
    if unified.starts_with('/') || unified.starts_with('~') || has_drive {
        return Err(format!("the path `{path}` is absolute; edits must use a path relative to the project"));
    }
    if unified.split('/').any(|segment| segment == "..") {
        return Err(format!("the path `{path}` leaves the project (it has a `..` segment)"));
    }
    if unified.ends_with('/') {
        return Err(format!("the path `{path}` names a directory, not a file"));
    }
    let segments: Vec<&str> = unified.split('/').filter(|segment| !matches!(*segment, "" | ".")).collect();
    if segments.is_empty() {
        return Err(format!("the path `{path}` names no file"));
    }
    Ok(segments.join("/"))
}

// ---------------------------------------------------------------- applying

/// Groups blocks by path, in first-appearance order.
pub fn group_by_path(blocks: &[EditBlock]) -> Vec<(String, Vec<&EditBlock>)> {
    let mut groups: Vec<(String, Vec<&EditBlock>)> = Vec::new();
    let mut group_of_path: HashMap<&str, usize> = HashMap::new();
    for block in blocks {
        let group = *group_of_path.entry(&block.path).or_insert_with(|| {
            groups.push((block.path.clone(), Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(block);
    }
    groups
}

/// Applies all blocks for one file, in order, to its current text (`None` =
/// the file does not exist). A block that fails leaves the text as it was and
/// the following blocks still try.
pub fn apply_to_file(path: &str, original: Option<&str>, blocks: &[&EditBlock]) -> FileEdit {
    let mut edit = FileEdit {
        path: path.to_owned(),
        creates: false,
        new_text: original.unwrap_or_default().to_owned(),
        applied: 0,
        failures: Vec::new(),
    };
    let mut exists = original.is_some();
    for block in blocks {
        match apply_block(path, exists.then_some(edit.new_text.as_str()), block) {
            Ok(text) => {
                edit.creates |= !exists;
                exists = true;
                edit.new_text = text;
                edit.applied += 1;
            }
            Err(message) => edit.failures.push(EditIssue { line: to_u32(block.line), message }),
        }
    }
    edit
}

fn apply_block(path: &str, current: Option<&str>, block: &EditBlock) -> Result<String, String> {
    let search: Vec<&str> = block.search.lines().collect();
    if search.iter().all(|line| line.trim().is_empty()) {
        return match current {
            Some(text) if !text.is_empty() => Err(format!(
                "SEARCH is empty but {path} already has content; the model must quote the lines to replace"
            )),
            _ => Ok(block.replace.clone()),
        };
    }
    let text = current.ok_or_else(|| format!("{path} does not exist"))?;
    let lines = split_lines(text);
    let found = find_unique(&lines, &search, path)?;
    let replace: Vec<String> = match &found.indentation {
        Some(shift) => block.replace.lines().map(|line| shift.apply(line)).collect(),
        None => block.replace.lines().map(str::to_owned).collect(),
    };
    Ok(splice(text, &lines, found.start, search.len(), &replace))
}

/// One line of the file: its text without the terminator, and its byte span with it.
struct Line<'a> {
    content: &'a str,
    start: usize,
    end: usize,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut start = 0;
    text.split_inclusive('\n')
        .map(|raw| {
            let content = raw.strip_suffix('\n').map_or(raw, |line| line.strip_suffix('\r').unwrap_or(line));
            let line = Line { content, start, end: start + raw.len() };
            start = line.end;
            line
        })
        .collect()
}

/// Where the SEARCH lines matched, and the indentation shift for the
/// REPLACE lines when they matched only with indentation drift.
struct Found {
    start: usize,
    indentation: Option<IndentShift>,
}

/// How loosely SEARCH lines may match file lines. Tried from strictest to
/// loosest; the first level that matches anywhere decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    Exact,
    IgnoringTrailingWhitespace,
    IgnoringIndentation,
}

impl Strictness {
    const ALL: [Self; 3] = [Self::Exact, Self::IgnoringTrailingWhitespace, Self::IgnoringIndentation];

    fn same(self, file: &str, search: &str) -> bool {
        match self {
            Self::Exact => file == search,
            Self::IgnoringTrailingWhitespace => file.trim_end() == search.trim_end(),
            Self::IgnoringIndentation => file.trim() == search.trim(),
        }
    }
}

fn find_unique(lines: &[Line<'_>], search: &[&str], path: &str) -> Result<Found, String> {
    for strictness in Strictness::ALL {
        let starts = matching_starts(lines, search, strictness);
        match starts.as_slice() {
            [] => continue,
            &[start] => {
                let indentation = (strictness == Strictness::IgnoringIndentation)
                    .then(|| IndentShift::between(search, &lines[start..]));
                return Ok(Found { start, indentation });
            }
            _ => {
                return Err(format!(
                    "the SEARCH text occurs {} times in {path}; it needs more surrounding lines to be unambiguous",
                    starts.len()
                ))
            }
        }
    }
    let first = search.iter().find(|line| !line.trim().is_empty()).map_or("", |line| line.trim());
    Err(format!("the SEARCH text was not found in {path} (it starts with `{}`)", shorten(first)))
}

fn matching_starts(lines: &[Line<'_>], search: &[&str], strictness: Strictness) -> Vec<usize> {
    if search.len() > lines.len() {
        return Vec::new();
    }
    (0..=lines.len() - search.len())
        .filter(|&start| search.iter().zip(&lines[start..]).all(|(wanted, line)| strictness.same(line.content, wanted)))
        .collect()
}

/// How to move REPLACE lines from the model's indentation to the file's,
/// taken from the first non-blank SEARCH line and the file line it matched.
enum IndentShift {
    Add(String),
    Remove(usize),
    Swap { model: String, file: String },
}

impl IndentShift {
    fn between(search: &[&str], matched: &[Line<'_>]) -> Self {
        let pair = search.iter().zip(matched).find(|(wanted, _)| !wanted.trim().is_empty());
        let (model, file) = pair.map_or(("", ""), |(wanted, line)| (indentation(wanted), indentation(line.content)));
        if let Some(extra) = file.strip_prefix(model) {
            Self::Add(extra.to_owned())
        } else if model.starts_with(file) {
            Self::Remove(model.len() - file.len())
        } else {
            Self::Swap { model: model.to_owned(), file: file.to_owned() }
        }
    }

    fn apply(&self, line: &str) -> String {
        if line.trim().is_empty() {
            return line.to_owned();
        }
        match self {
            Self::Add(extra) => format!("{extra}{line}"),
            Self::Remove(count) => {
                let removable = indentation(line).len().min(*count);
                line[removable..].to_owned()
            }
            Self::Swap { model, file } => match line.strip_prefix(model.as_str()) {
                Some(rest) => format!("{file}{rest}"),
                None => line.to_owned(),
            },
        }
    }
}

/// The leading spaces and tabs (ASCII only, so byte offsets into it are char boundaries).
fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// Replaces `count` lines from `start` with `replace`, written with the
/// file's line ending; a file that did not end with a line ending still doesn't.
fn splice(text: &str, lines: &[Line<'_>], start: usize, count: usize, replace: &[String]) -> String {
    let line_ending = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let from = lines[start].start;
    let to = lines[start + count - 1].end;
    let mut replacement = replace.iter().fold(String::new(), |mut joined, line| {
        joined.push_str(line);
        joined.push_str(line_ending);
        joined
    });
    if to == text.len() && !text.ends_with('\n') {
        replacement.truncate(replacement.len().saturating_sub(line_ending.len()));
    }
    [&text[..from], &replacement, &text[to..]].concat()
}

fn shorten(line: &str) -> String {
    const LIMIT: usize = 80;
    match line.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

fn to_u32(number: usize) -> u32 {
    u32::try_from(number).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(path: &str, search: &str, replace: &str) -> EditBlock {
        EditBlock { path: path.to_owned(), search: search.to_owned(), replace: replace.to_owned(), line: 1 }
    }

    fn apply(original: Option<&str>, blocks: &[EditBlock]) -> FileEdit {
        let references: Vec<&EditBlock> = blocks.iter().collect();
        apply_to_file("src/a.rs", original, &references)
    }

    fn only_issue(reply: &str) -> EditIssue {
        let parsed = parse_edit_blocks(reply);
        assert!(parsed.blocks.is_empty(), "{parsed:?}");
        assert_eq!(parsed.issues.len(), 1, "{parsed:?}");
        parsed.issues[0].clone()
    }

    // ------------------------------------------------------------ parsing

    #[test]
    fn parses_a_fenced_block() {
        let reply = "src/main.rs\n```rust\n<<<<<<< SEARCH\nfn old() {}\n=======\nfn new() {}\n>>>>>>> REPLACE\n```\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(parsed.issues, []);
        assert_eq!(
            parsed.blocks,
            [EditBlock {
                path: "src/main.rs".into(),
                search: "fn old() {}\n".into(),
                replace: "fn new() {}\n".into(),
                line: 3
            }]
        );
    }

    #[test]
    fn parses_an_unfenced_block_and_crlf_replies() {
        let reply = "src/a.ts\r\n<<<<<<< SEARCH\r\nold\r\n=======\r\nnew\r\n>>>>>>> REPLACE\r\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(
            parsed.blocks,
            [EditBlock { path: "src/a.ts".into(), search: "old\n".into(), replace: "new\n".into(), line: 2 }]
        );
    }

    #[test]
    fn parses_new_file_and_deletion_blocks() {
        let reply = "src/new.ts\n```ts\n<<<<<<< SEARCH\n=======\nexport const x = 1;\n>>>>>>> REPLACE\n```\n\
                     src/old.ts\n```ts\n<<<<<<< SEARCH\nconst gone = 1;\n=======\n>>>>>>> REPLACE\n```\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(parsed.issues, []);
        assert_eq!(
            (parsed.blocks[0].search.as_str(), parsed.blocks[0].replace.as_str()),
            ("", "export const x = 1;\n")
        );
        assert_eq!((parsed.blocks[1].search.as_str(), parsed.blocks[1].replace.as_str()), ("const gone = 1;\n", ""));
    }

    #[test]
    fn markers_may_have_five_to_nine_symbols_and_trailing_whitespace() {
        for (search, divider, replace) in [
            ("<<<<< SEARCH", "=====", ">>>>> REPLACE"),
            ("<<<<<<<<< SEARCH  ", "=========\t", ">>>>>>>>> REPLACE "),
            ("<<<<<<<SEARCH", "=======", ">>>>>>>REPLACE"),
        ] {
            let reply = format!("a.txt\n{search}\nx\n{divider}\ny\n{replace}\n");
            let parsed = parse_edit_blocks(&reply);
            assert_eq!(parsed.blocks.len(), 1, "{reply}: {parsed:?}");
            assert_eq!(parsed.blocks[0].replace, "y\n");
        }
        for too_many in ["<<<<<<<<<< SEARCH", "<<<< SEARCH"] {
            let parsed = parse_edit_blocks(&format!("a.txt\n{too_many}\nx\n=======\ny\n>>>>>>> REPLACE\n"));
            assert!(parsed.blocks.is_empty(), "{too_many}: {parsed:?}");
        }
    }

    #[test]
    fn strips_path_decorations() {
        for decorated in [
            "**src/a.ts**",
            "`src/a.ts`",
            "src/a.ts:",
            "# src/a.ts",
            "### src/a.ts",
            "File: src/a.ts",
            "file: `src/a.ts`",
            "**`src/a.ts`**:",
            "Path: ./src/a.ts",
            "  src/a.ts  ",
            "src\\a.ts",
            "src//./a.ts",
        ] {
            let reply = format!("{decorated}\n```ts\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n");
            let parsed = parse_edit_blocks(&reply);
            assert_eq!(parsed.issues, [], "{decorated}");
            assert_eq!(parsed.blocks[0].path, "src/a.ts", "{decorated}");
        }
    }

    #[test]
    fn keeps_unusual_but_valid_file_names() {
        for path in ["__init__.py", "a/..b/c..d", ".github/ci.yml", "Makefile"] {
            let parsed = parse_edit_blocks(&format!("{path}\n<<<<<<< SEARCH\n=======\nx\n>>>>>>> REPLACE\n"));
            assert_eq!(parsed.blocks[0].path, path, "{parsed:?}");
        }
    }

    #[test]
    fn a_blank_line_between_path_and_fence_is_allowed() {
        let parsed = parse_edit_blocks("src/a.rs\n\n```rust\n\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```");
        assert_eq!(parsed.blocks[0].path, "src/a.rs");
    }

    #[test]
    fn the_path_may_be_the_first_line_inside_the_fence() {
        let parsed = parse_edit_blocks("```rust\nsrc/a.rs\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```");
        assert_eq!(parsed.blocks[0].path, "src/a.rs");
    }

    #[test]
    fn consecutive_blocks_in_one_fence_share_the_path() {
        let reply = "src/a.rs\n```rust\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n\n\
                     <<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n```\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(parsed.issues, []);
        assert_eq!(
            parsed.blocks.iter().map(|block| (block.path.as_str(), block.line)).collect::<Vec<_>>(),
            [("src/a.rs", 3), ("src/a.rs", 9)]
        );
    }

    #[test]
    fn a_block_without_a_path_is_an_issue() {
        let issue = only_issue("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n");
        assert_eq!(issue.line, 1);
        assert!(issue.message.contains("no file path"), "{issue:?}");

        let issue = only_issue("```rust\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```");
        assert_eq!(issue.line, 2);
        assert!(issue.message.contains("no file path"), "{issue:?}");

        let issue = only_issue("Here is the fix:\n```rust\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```");
        assert_eq!(issue.line, 3);
        assert!(issue.message.contains("`Here is the fix:`, is not a file path"), "{issue:?}");
    }

    #[test]
    fn a_later_fence_does_not_inherit_the_earlier_path() {
        let reply = "src/a.rs\n```rust\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n\
                     ```rust\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n```\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(parsed.blocks.len(), 1);
        assert_eq!(parsed.issues.len(), 1);
        assert_eq!(parsed.issues[0].line, 10);
    }

    #[test]
    fn missing_divider_is_an_issue() {
        let issue = only_issue("src/a.rs\n```\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n```\n");
        assert_eq!(issue.line, 3);
        assert!(issue.message.contains("no `=======`"), "{issue:?}");

        let issue = only_issue("src/a.rs\n<<<<<<< SEARCH\na\nb\n");
        assert!(issue.message.contains("no `=======`"), "{issue:?}");
    }

    #[test]
    fn missing_replace_marker_is_an_issue() {
        let issue = only_issue("src/a.rs\n```\n<<<<<<< SEARCH\na\n=======\nb\n```\n");
        assert_eq!(issue.line, 3);
        assert!(issue.message.contains("not closed by a `>>>>>>> REPLACE`"), "{issue:?}");
    }

    #[test]
    fn a_malformed_block_does_not_swallow_the_next_one() {
        let reply = "src/a.rs\n<<<<<<< SEARCH\na\n>>>>>>> REPLACE\n\nsrc/b.rs\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(parsed.issues.iter().map(|issue| issue.line).collect::<Vec<_>>(), [2]);
        let found: Vec<(&str, &str)> = parsed.blocks.iter().map(|b| (b.path.as_str(), b.search.as_str())).collect();
        assert_eq!(found, [("src/b.rs", "c\n")]);
    }

    #[test]
    fn lines_of_a_malformed_block_never_name_a_later_blocks_file() {
        // Where a broken block ends is a guess, so the block right after it
        // is reported rather than given a path that may be one of its lines.
        let reply =
            "src/a.rs\n<<<<<<< SEARCH\na\n=======\nb\n\nsrc/b.rs\n<<<<<<< SEARCH\nc\n=======\nd\n>>>>>>> REPLACE\n\
                     src/c.rs\n<<<<<<< SEARCH\ne\n<<<<<<< SEARCH\nf\n=======\ng\n>>>>>>> REPLACE\n";
        let parsed = parse_edit_blocks(reply);
        assert_eq!(parsed.blocks, []);
        let issues: Vec<(u32, &str)> =
            parsed.issues.iter().map(|issue| (issue.line, &issue.message[..issue.message.len().min(22)])).collect();
        let expected = [
            (2, "this block is not clos"),
            (8, "no file path before th"),
            (14, "this block has no `==="),
            (16, "no file path before th"),
        ];
        assert_eq!(issues, expected);
    }

    #[test]
    fn a_stray_replace_marker_is_an_issue() {
        let issue = only_issue("src/a.rs\n```\nfn a() {}\n=======\nfn b() {}\n>>>>>>> REPLACE\n```\n");
        assert_eq!(issue.line, 6);
        assert!(issue.message.contains("without a `<<<<<<< SEARCH`"), "{issue:?}");
    }

    #[test]
    fn unsafe_paths_are_issues() {
        for (path, expected) in [
            ("/etc/passwd", "absolute"),
            ("\\\\server\\share\\x", "absolute"),
            ("C:\\Windows\\x.dll", "absolute"),
            ("c:/x", "absolute"),
            ("~/.bashrc", "absolute"),
            ("../outside.rs", "leaves the project"),
            ("src/../../outside.rs", "leaves the project"),
            ("..\\..\\outside.rs", "leaves the project"),
            ("..\\", "leaves the project"),
            ("src/", "directory"),
            ("./", "directory"),
            ("a\u{0}b.rs", "control characters"),
        ] {
            let issue = only_issue(&format!("{path}\n```\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n```\n"));
            assert_eq!(issue.line, 3, "{path}");
            assert!(issue.message.contains(expected), "{path}: {issue:?}");
        }
        let issue = only_issue("`.`\n<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n");
        assert!(issue.message.contains("names no file"), "{issue:?}");
    }

    #[test]
    fn text_outside_blocks_is_ignored() {
        let parsed = parse_edit_blocks("Sure! Here's what I'd change.\n\n```rust\nfn main() {}\n```\n\n=======\nDone.");
        assert_eq!(parsed, ParsedEdits::default());
    }

    const REALISTIC_REPLY: &str = r#"I'll make the counter start at one and add a reset button.

First, the state:

**src/counter.ts**
```ts
<<<<<<< SEARCH
export function createCounter() {
  let count = 0;
=======
export function createCounter() {
  let count = 1;
>>>>>>> REPLACE
```

Then the reset, in the same file:

src/counter.ts
```ts
<<<<<<< SEARCH
  return { increment };
=======
  const reset = () => (count = 1);
  return { increment, reset };
>>>>>>> REPLACE
```

And a new test file:

`src/counter.test.ts`
```ts
<<<<<<< SEARCH
=======
import { createCounter } from "./counter";

test("starts at one", () => {
  expect(createCounter().increment()).toBe(2);
});
>>>>>>> REPLACE
```

Finally the README:

README.md
```markdown
<<<<<<< SEARCH
# Counter
=======
# Counter

Starts at one; `reset()` goes back to one.
>>>>>>> REPLACE
```

Let me know if you want the button styled too."#;

    #[test]
    fn parses_a_realistic_reply_with_prose_between_blocks() {
        let parsed = parse_edit_blocks(REALISTIC_REPLY);
        assert_eq!(parsed.issues, []);
        let summary: Vec<(&str, usize)> = parsed.blocks.iter().map(|block| (block.path.as_str(), block.line)).collect();
        assert_eq!(
            summary,
            [("src/counter.ts", 7), ("src/counter.ts", 20), ("src/counter.test.ts", 32), ("README.md", 46)]
        );
        assert!(parsed.blocks[2].replace.contains("\n\ntest(\"starts at one\""));

        let groups = group_by_path(&parsed.blocks);
        let paths: Vec<&str> = groups.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["src/counter.ts", "src/counter.test.ts", "README.md"]);

        let counter = "export function createCounter() {\n  let count = 0;\n  const increment = () => ++count;\n  return { increment };\n}\n";
        let edit = apply_to_file("src/counter.ts", Some(counter), &groups[0].1);
        assert_eq!(edit.failures, []);
        assert_eq!(edit.applied, 2);
        assert_eq!(
            edit.new_text,
            "export function createCounter() {\n  let count = 1;\n  const increment = () => ++count;\n  \
             const reset = () => (count = 1);\n  return { increment, reset };\n}\n"
        );

        let test_file = apply_to_file("src/counter.test.ts", None, &groups[1].1);
        assert!(test_file.creates);
        assert!(test_file.new_text.starts_with("import { createCounter }"));

        let readme = apply_to_file("README.md", Some("# Counter\n"), &groups[2].1);
        assert_eq!(readme.new_text, "# Counter\n\nStarts at one; `reset()` goes back to one.\n");
    }

    #[test]
    fn groups_keep_first_appearance_order() {
        let blocks = [block("b", "1", ""), block("a", "2", ""), block("b", "3", "")];
        let groups = group_by_path(&blocks);
        let summary: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(path, blocks)| (path.as_str(), blocks.iter().map(|block| block.search.as_str()).collect()))
            .collect();
        assert_eq!(summary, [("b", vec!["1", "3"]), ("a", vec!["2"])]);
    }

    // ----------------------------------------------------------- applying

    #[test]
    fn exact_match_replaces_only_those_lines() {
        let edit = apply(Some("a\nb\nc\n"), &[block("src/a.rs", "b\n", "B1\nB2\n")]);
        assert_eq!((edit.new_text.as_str(), edit.applied, edit.creates), ("a\nB1\nB2\nc\n", 1, false));
        assert_eq!(edit.failures, []);
    }

    #[test]
    fn an_empty_replace_deletes_the_lines() {
        let edit = apply(Some("a\nb\nc\n"), &[block("src/a.rs", "b\n", "")]);
        assert_eq!(edit.new_text, "a\nc\n");
    }

    #[test]
    fn a_search_line_must_match_a_whole_line() {
        let edit = apply(Some("    x = 1;\nx = 1;\n"), &[block("src/a.rs", "x = 1;\n", "x = 2;\n")]);
        assert_eq!(edit.new_text, "    x = 1;\nx = 2;\n");
    }

    #[test]
    fn ambiguous_search_fails_and_changes_nothing() {
        let edit = apply(Some("x\ny\nx\n"), &[block("src/a.rs", "x\n", "z\n")]);
        assert_eq!(edit.new_text, "x\ny\nx\n");
        assert_eq!(edit.applied, 0);
        assert_eq!(
            edit.failures,
            [EditIssue {
                line: 1,
                message:
                    "the SEARCH text occurs 2 times in src/a.rs; it needs more surrounding lines to be unambiguous"
                        .into()
            }]
        );
    }

    #[test]
    fn overlapping_occurrences_are_ambiguous_too() {
        let edit = apply(Some("a\na\na\n"), &[block("src/a.rs", "a\na\n", "b\n")]);
        assert!(edit.failures[0].message.contains("occurs 2 times"), "{edit:?}");
    }

    #[test]
    fn ambiguity_with_whitespace_drift_also_fails() {
        let edit = apply(Some("  x\n    x\n"), &[block("src/a.rs", "x\n", "y\n")]);
        assert!(edit.failures[0].message.contains("occurs 2 times"), "{edit:?}");
    }

    #[test]
    fn a_unique_exact_match_wins_over_looser_ones() {
        let edit = apply(Some("  x\nx\n"), &[block("src/a.rs", "x\n", "y\n")]);
        assert_eq!(edit.new_text, "  x\ny\n");
    }

    #[test]
    fn trailing_whitespace_drift_still_matches() {
        let edit = apply(
            Some("fn a() {  \n    body();\t\n}\n"),
            &[block("src/a.rs", "fn a() {\n    body();\n", "fn b() {\n")],
        );
        assert_eq!(edit.new_text, "fn b() {\n}\n");
    }

    #[test]
    fn indentation_drift_matches_and_reindents_the_replacement() {
        let file = "impl A {\n    fn a() {\n        one();\n    }\n}\n";
        let search = "fn a() {\n    one();\n}\n";
        let replace = "fn a() {\n    one();\n\n    two();\n}\n";
        let edit = apply(Some(file), &[block("src/a.rs", search, replace)]);
        assert_eq!(edit.failures, []);
        assert_eq!(edit.new_text, "impl A {\n    fn a() {\n        one();\n\n        two();\n    }\n}\n");
    }

    #[test]
    fn over_indented_search_is_dedented() {
        let file = "fn a() {\n  one();\n}\n";
        let search = "        fn a() {\n          one();\n";
        let replace = "        fn a() {\n          two();\n      x\n";
        let edit = apply(Some(file), &[block("src/a.rs", search, replace)]);
        assert_eq!(edit.new_text, "fn a() {\n  two();\nx\n}\n");
    }

    #[test]
    fn tabs_against_spaces_swap_the_indentation() {
        let file = "fn a() {\n\tone();\n}\n";
        let search = "    one();\n";
        let replace = "    one();\n    two();\n";
        let edit = apply(Some(file), &[block("src/a.rs", search, replace)]);
        assert_eq!(edit.new_text, "fn a() {\n\tone();\n\ttwo();\n}\n");
    }

    #[test]
    fn unusual_whitespace_in_indentation_does_not_break_reindenting() {
        let file = "\u{3000}x\n";
        let search = "    \u{3000}x\n";
        let replace = "    \u{3000}y\n  \u{3000}z\n";
        let edit = apply(Some(file), &[block("src/a.rs", search, replace)]);
        assert_eq!(edit.new_text, "\u{3000}y\n\u{3000}z\n");
    }

    #[test]
    fn not_found_names_the_first_search_line() {
        let edit = apply(Some("a\n"), &[block("src/a.rs", "\n  fn missing() {\n}\n", "x\n")]);
        assert_eq!(edit.new_text, "a\n");
        assert_eq!(
            edit.failures[0].message,
            "the SEARCH text was not found in src/a.rs (it starts with `fn missing() {`)"
        );
    }

    #[test]
    fn a_long_first_line_is_shortened_in_the_message() {
        let long = "x".repeat(200);
        let edit = apply(Some("a\n"), &[block("src/a.rs", &long, "")]);
        assert!(edit.failures[0].message.contains(&format!("`{}…`", "x".repeat(80))), "{edit:?}");
    }

    #[test]
    fn crlf_files_keep_crlf() {
        let file = "fn a() {\r\n    one();\r\n}\r\n";
        let edit = apply(Some(file), &[block("src/a.rs", "    one();\n", "    two();\n    three();\n")]);
        assert_eq!(edit.new_text, "fn a() {\r\n    two();\r\n    three();\r\n}\r\n");
    }

    #[test]
    fn search_without_trailing_newline_matches_lines_with_one() {
        let edit = apply(Some("a\nb\nc\n"), &[block("src/a.rs", "b", "B")]);
        assert_eq!(edit.new_text, "a\nB\nc\n");
    }

    #[test]
    fn a_file_without_trailing_newline_keeps_it_that_way() {
        let edit = apply(Some("a\nb"), &[block("src/a.rs", "b\n", "c\nd\n")]);
        assert_eq!(edit.new_text, "a\nc\nd");
        let edit = apply(Some("a\nb"), &[block("src/a.rs", "a\n", "z\n")]);
        assert_eq!(edit.new_text, "z\nb");
    }

    #[test]
    fn new_file_is_created_from_the_replace_text() {
        let edit = apply(None, &[block("src/a.rs", "", "fn main() {}\n")]);
        assert_eq!(
            edit,
            FileEdit {
                path: "src/a.rs".into(),
                creates: true,
                new_text: "fn main() {}\n".into(),
                applied: 1,
                failures: vec![]
            }
        );
    }

    #[test]
    fn an_empty_existing_file_is_filled_but_not_created() {
        let edit = apply(Some(""), &[block("src/a.rs", "\n", "x\n")]);
        assert_eq!((edit.new_text.as_str(), edit.creates, edit.applied), ("x\n", false, 1));
    }

    #[test]
    fn empty_search_on_a_file_with_content_fails() {
        let edit = apply(Some("old\n"), &[block("src/a.rs", "", "new\n")]);
        assert_eq!(edit.new_text, "old\n");
        assert_eq!(
            edit.failures[0].message,
            "SEARCH is empty but src/a.rs already has content; the model must quote the lines to replace"
        );
    }

    #[test]
    fn non_empty_search_on_a_missing_file_fails() {
        let edit = apply(None, &[block("src/a.rs", "x\n", "y\n")]);
        assert_eq!((edit.creates, edit.applied, edit.new_text.as_str()), (false, 0, ""));
        assert_eq!(edit.failures[0].message, "src/a.rs does not exist");
    }

    #[test]
    fn blocks_apply_in_order_to_the_evolving_text() {
        let blocks = [
            block("src/a.rs", "", "fn a() {}\n"),
            block("src/a.rs", "fn a() {}\n", "fn a() {}\nfn b() {}\n"),
            block("src/a.rs", "", "clobber\n"),
            block("src/a.rs", "fn b() {}\n", "fn c() {}\n"),
        ];
        let edit = apply(None, &blocks);
        assert_eq!(edit.new_text, "fn a() {}\nfn c() {}\n");
        assert!(edit.creates);
        assert_eq!(edit.applied, 3);
        assert_eq!(edit.failures.len(), 1);
        assert!(edit.failures[0].message.starts_with("SEARCH is empty"));
    }

    #[test]
    fn a_failed_block_leaves_the_text_for_the_next_ones() {
        let mut blocks = [block("src/a.rs", "missing\n", "x\n"), block("src/a.rs", "a\n", "b\n")];
        blocks[0].line = 7;
        let edit = apply(Some("a\n"), &blocks);
        assert_eq!(edit.new_text, "b\n");
        assert_eq!(edit.applied, 1);
        assert_eq!(edit.failures[0].line, 7);
    }

    #[test]
    fn a_search_longer_than_the_file_is_not_found() {
        let edit = apply(Some("a\n"), &[block("src/a.rs", "a\nb\nc\n", "")]);
        assert!(edit.failures[0].message.contains("not found"), "{edit:?}");
    }

    #[test]
    fn multi_file_reply_applies_per_file() {
        let reply = "src/a.rs\n```rust\n<<<<<<< SEARCH\nA\n=======\nA2\n>>>>>>> REPLACE\n```\n\
                     src/b.rs\n```rust\n<<<<<<< SEARCH\nB\n=======\nB2\n>>>>>>> REPLACE\n```\n\
                     src/a.rs\n```rust\n<<<<<<< SEARCH\nA2\n=======\nA3\n>>>>>>> REPLACE\n```\n";
        let parsed = parse_edit_blocks(reply);
        let results: Vec<FileEdit> = group_by_path(&parsed.blocks)
            .iter()
            .map(|(path, blocks)| apply_to_file(path, Some(if path == "src/a.rs" { "A\n" } else { "B\n" }), blocks))
            .collect();
        let texts: Vec<(&str, &str)> =
            results.iter().map(|edit| (edit.path.as_str(), edit.new_text.as_str())).collect();
        assert_eq!(texts, [("src/a.rs", "A3\n"), ("src/b.rs", "B2\n")]);
    }

    #[test]
    fn issues_serialize_in_camel_case() {
        let json = serde_json::to_value(EditIssue { line: 3, message: "m".into() }).unwrap();
        assert_eq!(json, serde_json::json!({ "line": 3, "message": "m" }));
    }
}
