//! Line diffs for the edit preview: hunks whose lines come highlighted, and
//! applying only the hunks the user accepted.

use crate::highlight;
use serde::Serialize;
use similar::{DiffOp, DiffTag, DiffableStr, TextDiff};
use ts_rs::TS;

/// Unchanged lines shown around each change; changes closer than twice this
/// share a hunk.
const CONTEXT_LINES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LineKind {
    Context,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiffLine {
    pub kind: LineKind,
    /// 1-based line number in the old text (none for an added line).
    pub old_line: Option<u32>,
    /// 1-based line number in the new text (none for a removed line).
    pub new_line: Option<u32>,
    /// Highlighted HTML of the line, no trailing newline.
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Hunk {
    /// 0-based index of the first changed old line (context excluded).
    pub old_start: u32,
    /// How many old lines the hunk replaces.
    pub old_count: u32,
    /// 0-based index of the first changed new line (context excluded).
    pub new_start: u32,
    pub new_count: u32,
    /// The new text that replaces old lines `[old_start, old_start + old_count)`,
    /// line endings included.
    pub replacement: String,
    /// The lines to display, with context around the change.
    pub lines: Vec<DiffLine>,
}

/// Line diff with three lines of context, one hunk per group of nearby
/// changes, each line highlighted for `language` (an editor language id).
pub fn diff_hunks(language: &str, old: &str, new: &str) -> Vec<Hunk> {
    let diff = TextDiff::from_lines(old, new);
    let groups = diff.grouped_ops(CONTEXT_LINES);
    if groups.is_empty() {
        return Vec::new();
    }
    let html = Highlighted {
        old: highlighted_lines(language, old, diff.old_slices()),
        new: highlighted_lines(language, new, diff.new_slices()),
    };
    groups.iter().filter_map(|group| hunk(group, diff.new_slices(), &html)).collect()
}

/// The text after applying only the hunks whose indexes are in `accepted`
/// to `old`: all of them gives the new text, none gives `old` back.
pub fn apply_hunks(old: &str, hunks: &[Hunk], accepted: &[usize]) -> String {
    let old_lines = old.tokenize_lines();
    let mut text = String::with_capacity(old.len());
    let mut next_line = 0;
    for (index, hunk) in hunks.iter().enumerate() {
        if !accepted.contains(&index) {
            continue;
        }
        // Clamped so hunks that do not fit this text (out of order, or from
        // another text) cannot make slicing panic.
        let start = (hunk.old_start as usize).clamp(next_line, old_lines.len());
        let end = (start + hunk.old_count as usize).min(old_lines.len());
        text.extend(old_lines[next_line..start].iter().copied());
        text.push_str(&hunk.replacement);
        next_line = end;
    }
    text.extend(old_lines[next_line..].iter().copied());
    text
}

/// The HTML of every line of both texts, by line index.
struct Highlighted {
    old: Vec<String>,
    new: Vec<String>,
}

fn hunk(group: &[DiffOp], new_lines: &[&str], html: &Highlighted) -> Option<Hunk> {
    if group.iter().all(|op| op.tag() == DiffTag::Equal) {
        return None;
    }
    // The changed ranges lie between the group's leading and trailing context,
    // or reach the start or end of the texts where there is none. The changes'
    // own indexes are not used: similar gives a deletion an arbitrary new index.
    let (old_start, new_start) = match group.first() {
        Some(op) if op.tag() == DiffTag::Equal => (op.old_range().end, op.new_range().end),
        _ => (0, 0),
    };
    let (old_end, new_end) = match group.last() {
        Some(op) if op.tag() == DiffTag::Equal => (op.old_range().start, op.new_range().start),
        _ => (html.old.len(), html.new.len()),
    };
    Some(Hunk {
        old_start: to_u32(old_start),
        old_count: to_u32(old_end.checked_sub(old_start)?),
        new_start: to_u32(new_start),
        new_count: to_u32(new_end.checked_sub(new_start)?),
        replacement: new_lines.get(new_start..new_end)?.concat(),
        lines: group.iter().flat_map(|op| display_lines(op, html)).collect(),
    })
}

fn display_lines(op: &DiffOp, html: &Highlighted) -> Vec<DiffLine> {
    let (tag, old_range, new_range) = op.as_tag_tuple();
    if tag == DiffTag::Equal {
        return old_range
            .zip(new_range)
            .map(|(old, new)| DiffLine {
                kind: LineKind::Context,
                old_line: Some(line_number(old)),
                new_line: Some(line_number(new)),
                html: html.old[old].clone(),
            })
            .collect();
    }
    // A deletion has no new lines and an insertion no old ones, so this covers
    // all three kinds of change.
    let removed = old_range.map(|old| DiffLine {
        kind: LineKind::Removed,
        old_line: Some(line_number(old)),
        new_line: None,
        html: html.old[old].clone(),
    });
    let added = new_range.map(|new| DiffLine {
        kind: LineKind::Added,
        old_line: None,
        new_line: Some(line_number(new)),
        html: html.new[new].clone(),
    });
    removed.chain(added).collect()
}

/// One HTML string per diff line. Highlighting runs over the whole text so
/// that state spanning lines (block comments, strings) is right.
fn highlighted_lines(language: &str, text: &str, lines: &[&str]) -> Vec<String> {
    match highlight::lines_to_html(language, text) {
        Ok(html) if html.len() == lines.len() => html,
        // The highlighter breaks lines only at '\n', the diff also at a lone '\r'.
        Ok(_) => plain_lines(lines),
        Err(error) => {
            tracing::warn!("diff shown without highlighting: {error}");
            plain_lines(lines)
        }
    }
}

fn plain_lines(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|line| escape_html(line.trim_end_matches(['\n', '\r']))).collect()
}

fn escape_html(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            _ => escaped.push(character),
        }
    }
    escaped
}

fn line_number(index: usize) -> u32 {
    to_u32(index + 1)
}

fn to_u32(number: usize) -> u32 {
    u32::try_from(number).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered_lines(count: usize) -> Vec<String> {
        (1..=count).map(|number| format!("line {number}\n")).collect()
    }

    /// A small deterministic generator, so the property test needs no extra crate.
    struct XorShift(u64);

    impl XorShift {
        fn below(&mut self, bound: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % bound as u64) as usize
        }
    }

    fn random_text(random: &mut XorShift, lines: usize) -> String {
        const WORDS: [&str; 6] = ["a\n", "b\n", "c\n", "  d\n", "\n", "e\r\n"];
        let mut text: String = (0..lines).map(|_| WORDS[random.below(WORDS.len())]).collect();
        if random.below(3) == 0 {
            text.push_str("tail");
        }
        text
    }

    fn assert_all_and_none(old: &str, new: &str) -> Vec<Hunk> {
        let hunks = diff_hunks("rust", old, new);
        let all: Vec<usize> = (0..hunks.len()).collect();
        assert_eq!(apply_hunks(old, &hunks, &all), new, "all hunks of {old:?} -> {new:?}");
        assert_eq!(apply_hunks(old, &hunks, &[]), old, "no hunks of {old:?} -> {new:?}");
        hunks
    }

    #[test]
    fn identical_texts_have_no_hunks() {
        assert_eq!(diff_hunks("rust", "a\nb\n", "a\nb\n"), []);
        assert_eq!(diff_hunks("rust", "", ""), []);
    }

    #[test]
    fn every_subset_of_separate_hunks_applies_independently() {
        let old_lines = numbered_lines(30);
        let mut new_lines = old_lines.clone();
        new_lines[1] = "two\n".into();
        new_lines.insert(15, "inserted\n".into());
        new_lines.remove(28);
        let (old, new) = (old_lines.concat(), new_lines.concat());
        let hunks = assert_all_and_none(&old, &new);
        assert_eq!(hunks.len(), 3);

        for subset in 0..8usize {
            let accepted: Vec<usize> = (0..3).filter(|index| subset & (1 << index) != 0).collect();
            let mut expected = old_lines.clone();
            // Applied back to front so earlier indexes stay valid.
            if accepted.contains(&2) {
                expected.remove(27);
            }
            if accepted.contains(&1) {
                expected.insert(15, "inserted\n".into());
            }
            if accepted.contains(&0) {
                expected[1] = "two\n".into();
            }
            assert_eq!(apply_hunks(&old, &hunks, &accepted), expected.concat(), "accepted {accepted:?}");
        }
    }

    #[test]
    fn hunk_ranges_cover_only_the_changed_lines() {
        let old = numbered_lines(10).concat();
        let new = old.replace("line 5\n", "five\nfive and a half\n");
        let hunks = diff_hunks("plaintext", &old, &new);
        assert_eq!(hunks.len(), 1);
        let hunk = &hunks[0];
        assert_eq!((hunk.old_start, hunk.old_count, hunk.new_start, hunk.new_count), (4, 1, 4, 2));
        assert_eq!(hunk.replacement, "five\nfive and a half\n");
        let shown: Vec<(LineKind, Option<u32>, Option<u32>, String)> =
            hunk.lines.iter().map(|line| (line.kind, line.old_line, line.new_line, line.html.clone())).collect();
        let plain = |text: &str| format!("<span class=\"sy-text sy-plain\">{text}</span>");
        let context = LineKind::Context;
        assert_eq!(
            shown,
            [
                (context, Some(2), Some(2), plain("line 2")),
                (context, Some(3), Some(3), plain("line 3")),
                (context, Some(4), Some(4), plain("line 4")),
                (LineKind::Removed, Some(5), None, plain("line 5")),
                (LineKind::Added, None, Some(5), plain("five")),
                (LineKind::Added, None, Some(6), plain("five and a half")),
                (context, Some(6), Some(7), plain("line 6")),
                (context, Some(7), Some(8), plain("line 7")),
                (context, Some(8), Some(9), plain("line 8")),
            ]
        );
    }

    #[test]
    fn nearby_changes_share_a_hunk_whose_replacement_keeps_the_lines_between() {
        let old = numbered_lines(12).concat();
        let new = old.replace("line 3\n", "three\n").replace("line 8\n", "eight\n");
        let hunks = assert_all_and_none(&old, &new);
        assert_eq!(hunks.len(), 1);
        assert_eq!((hunks[0].old_start, hunks[0].old_count), (2, 6));
        assert_eq!(hunks[0].replacement, "three\nline 4\nline 5\nline 6\nline 7\neight\n");
    }

    #[test]
    fn a_new_file_is_one_hunk_of_added_lines() {
        let hunks = assert_all_and_none("", "fn main() {}\n// done\n");
        assert_eq!(hunks.len(), 1);
        assert_eq!((hunks[0].old_start, hunks[0].old_count, hunks[0].new_start, hunks[0].new_count), (0, 0, 0, 2));
        let numbers: Vec<_> = hunks[0].lines.iter().map(|line| (line.kind, line.old_line, line.new_line)).collect();
        assert_eq!(numbers, [(LineKind::Added, None, Some(1)), (LineKind::Added, None, Some(2))]);
    }

    #[test]
    fn deleting_everything_is_one_hunk_of_removed_lines() {
        let hunks = assert_all_and_none("a\nb\n", "");
        assert_eq!(hunks[0].lines.iter().map(|line| line.kind).collect::<Vec<_>>(), [LineKind::Removed; 2]);
        assert_eq!(hunks[0].replacement, "");
    }

    #[test]
    fn files_without_a_trailing_newline() {
        assert_all_and_none("a\nb", "a\nc");
        let hunks = assert_all_and_none("a\nb", "a\nb\n");
        assert_eq!(hunks[0].replacement, "b\n");
        let html: Vec<_> = hunks[0].lines.iter().map(|line| line.html.as_str()).collect();
        assert_eq!(html.len(), 3);
        assert!(html.iter().all(|html| !html.contains('\n')), "{html:?}");
        assert_all_and_none("a\nb\n", "a\nb\nc");
    }

    #[test]
    fn crlf_lines_keep_their_endings_but_not_in_the_html() {
        let hunks = assert_all_and_none("a\r\nb\r\n", "a\r\nc\r\n");
        assert_eq!(hunks[0].replacement, "c\r\n");
        assert!(hunks[0].lines.iter().all(|line| !line.html.contains('\r')), "{:?}", hunks[0].lines);
    }

    #[test]
    fn a_lone_carriage_return_falls_back_to_plain_lines() {
        let hunks = assert_all_and_none("a\rb\n", "a\rc\n");
        let html: Vec<_> = hunks[0].lines.iter().map(|line| line.html.as_str()).collect();
        assert_eq!(html, ["a", "b", "c"]);
    }

    #[test]
    fn markup_in_code_is_escaped() {
        for language in ["rust", "plaintext", "no-such-language"] {
            let hunks = diff_hunks(language, "", "if a < b && c > d { \"<script>\" }\n");
            let html = &hunks[0].lines[0].html;
            assert!(html.contains("&lt;") && html.contains("&gt;") && html.contains("&amp;"), "{language}: {html}");
            assert!(!html.contains("<script>"), "{language}: {html}");
        }
        assert_eq!(plain_lines(&["<a href=\"x\">&</a>\r\n"]), ["&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"]);
    }

    #[test]
    fn lines_are_highlighted_with_the_state_of_the_whole_text() {
        let old = "/* a comment\n   that goes on\n   and on */\nfn main() {}\n";
        let new = old.replace("that goes on", "that keeps going");
        let hunks = diff_hunks("rust", old, &new);
        let added = hunks[0].lines.iter().find(|line| line.kind == LineKind::Added).unwrap();
        assert!(added.html.contains("sy-comment"), "{added:?}");
        let code = hunks[0].lines.last().unwrap();
        assert!(code.html.contains("sy-storage") && !code.html.contains("sy-comment"), "{code:?}");
        for line in &hunks[0].lines {
            assert_eq!(line.html.matches("<span").count(), line.html.matches("</span>").count(), "{line:?}");
        }
    }

    #[test]
    fn random_edits_apply_all_and_none_and_each_alone() {
        let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..500 {
            let (old_length, new_length) = (random.below(25), random.below(25));
            let old = random_text(&mut random, old_length);
            let new = random_text(&mut random, new_length);
            let hunks = assert_all_and_none(&old, &new);
            let old_line_count = old.tokenize_lines().len();
            for (index, hunk) in hunks.iter().enumerate() {
                let single = apply_hunks(&old, &hunks, &[index]);
                let expected = old_line_count - hunk.old_count as usize + hunk.new_count as usize;
                assert_eq!(single.tokenize_lines().len(), expected, "hunk {index} of {old:?} -> {new:?}");
            }
        }
    }

    #[test]
    fn unknown_hunk_indexes_are_ignored() {
        let hunks = diff_hunks("rust", "a\n", "b\n");
        assert_eq!(apply_hunks("a\n", &hunks, &[5]), "a\n");
    }

    #[test]
    fn hunks_serialize_in_camel_case() {
        let hunks = diff_hunks("plaintext", "a\n", "b\n");
        let json = serde_json::to_value(&hunks[0]).unwrap();
        assert_eq!(json["oldStart"], 0);
        assert_eq!(json["newCount"], 1);
        assert_eq!(json["lines"][0]["kind"], "removed");
        assert_eq!(json["lines"][1]["newLine"], 1);
        assert_eq!(json["lines"][1]["oldLine"], serde_json::Value::Null);
    }
}
