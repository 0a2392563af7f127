//! What changed in the shared files since a version: each file added,
//! removed, modified or unchanged, with the highlighted hunks the assistant's
//! edit previews show too (old = the version, new = now).

use std::collections::BTreeMap;
use std::path::Path;

use flashfusion_core::diff::{diff_hunks, Hunk};
use flashfusion_core::highlight::language_id;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum FileStatus {
    Added,
    Removed,
    Modified,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileDiff {
    pub path: String,
    pub status: FileStatus,
    /// Empty for an unchanged file.
    pub hunks: Vec<Hunk>,
}

/// Every file of either side: the changed ones first, then the unchanged
/// ones (without hunks), each group by path.
pub fn version_diff(version: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> Vec<FileDiff> {
    let mut paths: Vec<&String> = version.keys().chain(now.keys()).collect();
    paths.sort();
    paths.dedup();
    let mut diffs: Vec<FileDiff> = paths
        .into_iter()
        .map(|path| {
            let (old, new) = (version.get(path), now.get(path));
            let status = match (old, new) {
                (None, _) => FileStatus::Added,
                (_, None) => FileStatus::Removed,
                (Some(old), Some(new)) if old == new => FileStatus::Unchanged,
                _ => FileStatus::Modified,
            };
            let hunks = match status {
                FileStatus::Unchanged => Vec::new(),
                _ => diff_hunks(
                    language_id(Path::new(path)),
                    old.map_or("", String::as_str),
                    new.map_or("", String::as_str),
                ),
            };
            FileDiff { path: path.clone(), status, hunks }
        })
        .collect();
    // Stable: each group keeps its path order.
    diffs.sort_by_key(|diff| diff.status == FileStatus::Unchanged);
    diffs
}

#[cfg(test)]
mod tests {
    use flashfusion_core::diff::LineKind;

    use super::*;

    fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())).collect()
    }

    #[test]
    fn every_file_of_either_side_with_unchanged_ones_last() {
        let version = files(&[("a.rs", "same\n"), ("gone.txt", "bye\n"), ("m.rs", "fn a() {}\n"), ("z.md", "# z\n")]);
        let now = files(&[("a.rs", "same\n"), ("b.rs", "new\n"), ("m.rs", "fn b() {}\n"), ("z.md", "# z\n")]);
        let diffs = version_diff(&version, &now);
        let summary: Vec<(&str, FileStatus, usize)> =
            diffs.iter().map(|diff| (diff.path.as_str(), diff.status, diff.hunks.len())).collect();
        assert_eq!(
            summary,
            [
                ("b.rs", FileStatus::Added, 1),
                ("gone.txt", FileStatus::Removed, 1),
                ("m.rs", FileStatus::Modified, 1),
                ("a.rs", FileStatus::Unchanged, 0),
                ("z.md", FileStatus::Unchanged, 0),
            ]
        );
        let kinds = |index: usize| diffs[index].hunks[0].lines.iter().map(|line| line.kind).collect::<Vec<_>>();
        assert_eq!(kinds(0), [LineKind::Added]);
        assert_eq!(kinds(1), [LineKind::Removed]);
        assert_eq!(kinds(2), [LineKind::Removed, LineKind::Added]);
    }

    #[test]
    fn hunks_go_from_the_version_to_now_highlighted_for_the_file() {
        let diffs = version_diff(&files(&[("main.rs", "fn old() {}\n")]), &files(&[("main.rs", "fn new() {}\n")]));
        let hunk = &diffs[0].hunks[0];
        assert_eq!(hunk.replacement, "fn new() {}\n");
        assert!(hunk.lines[0].html.contains("old") && hunk.lines[1].html.contains("new"), "{hunk:?}");
        assert!(hunk.lines[1].html.contains("sy-storage"), "Rust highlighting: {}", hunk.lines[1].html);
        assert!(version_diff(&BTreeMap::new(), &BTreeMap::new()).is_empty());
    }

    #[test]
    fn serializes_as_the_contract_says() {
        let diffs = version_diff(&files(&[("a", "x\n")]), &files(&[]));
        let json = serde_json::to_value(&diffs[0]).unwrap();
        assert_eq!(json["status"], "removed");
        assert_eq!(json["hunks"][0]["oldCount"], 1);
    }
}
