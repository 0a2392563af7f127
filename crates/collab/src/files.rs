//! The shared document's files: the `files` map of path → Y.Text, read as
//! plain strings and changed with the smallest edit, so that everything
//! anchored outside the change (comments, remote cursors) stays where it was.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use similar::{Algorithm, DiffTag, TextDiff};
use yrs::{
    Doc, GetString, Map, OffsetKind, Out, ReadTxn, Text, TextPrelim, TextRef, Transact, TransactionMut, WriteTxn,
};

/// The root map of path → Y.Text.
pub const FILES: &str = "files";

/// How long the diff may look for the smallest edit. Past it the edit is
/// still right, only coarser (a rewritten file is one replacement).
const DIFF_DEADLINE: Duration = Duration::from_millis(100);

/// Every file's text, by path.
pub fn read_files(doc: &Doc) -> BTreeMap<String, String> {
    let txn = doc.transact();
    let Some(map) = txn.get_map(FILES) else {
        return BTreeMap::new();
    };
    map.iter(&txn)
        .filter_map(|(path, value)| match value {
            Out::YText(text) => Some((path.to_owned(), text.get_string(&txn))),
            _ => None,
        })
        .collect()
}

/// The Y.Text of the file at `path`, if there is one.
pub fn file_text<T: ReadTxn>(txn: &T, path: &str) -> Option<TextRef> {
    match txn.get_map(FILES)?.get(txn, path)? {
        Out::YText(text) => Some(text),
        _ => None,
    }
}

/// Changes `text` to `new` by deleting and inserting only what differs,
/// character by character (never inside a character, so never between the
/// halves of a UTF-16 surrogate pair).
pub fn set_text(txn: &mut TransactionMut, text: &TextRef, new: &str) {
    let old = text.get_string(txn);
    if old == new {
        return;
    }
    let kind = txn.doc().offset_kind();
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_chars(old.as_str(), new);
    let (old_chars, new_chars) = (diff.old_slices(), diff.new_slices());
    // The offset in the text as edited so far: earlier changes are applied.
    let mut position = 0;
    for op in diff.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_length = old_chars[old_range].iter().map(|character| length(character, kind)).sum();
        if tag == DiffTag::Equal {
            position += old_length;
            continue;
        }
        if old_length > 0 {
            text.remove_range(txn, position, old_length);
        }
        let inserted = new_chars[new_range].concat();
        if !inserted.is_empty() {
            text.insert(txn, position, &inserted);
            position += length(&inserted, kind);
        }
    }
}

/// Makes the `files` map hold exactly `files` (a version being restored):
/// other paths are removed, new ones added, changed texts edited minimally.
pub fn replace_files(txn: &mut TransactionMut, files: &BTreeMap<String, String>) {
    let map = txn.get_or_insert_map(FILES);
    let gone: Vec<String> = map.keys(txn).filter(|path| !files.contains_key(*path)).map(str::to_owned).collect();
    for path in gone {
        map.remove(txn, &path);
    }
    for (path, content) in files {
        match map.get(txn, path) {
            Some(Out::YText(text)) => set_text(txn, &text, content),
            _ => {
                map.insert(txn, path.as_str(), TextPrelim::new(content.as_str()));
            }
        }
    }
}

/// The length of `text` in the document's offset unit.
pub(crate) fn length(text: &str, kind: OffsetKind) -> u32 {
    let units = match kind {
        OffsetKind::Bytes => text.len(),
        OffsetKind::Utf16 => text.encode_utf16().count(),
    };
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The offset unit of `text`'s document, told from the text's length: a
/// read-only transaction does not show the document's options. It is exact:
/// any non-ASCII character is longer in bytes than in UTF-16 code units, and
/// ASCII text measures the same in both.
pub(crate) fn offset_kind<T: ReadTxn>(txn: &T, text: &TextRef, content: &str) -> OffsetKind {
    if text.len(txn) == length(content, OffsetKind::Bytes) {
        OffsetKind::Bytes
    } else {
        OffsetKind::Utf16
    }
}

/// The 1-based line that offset `index` (in `kind` units) of `text` is on.
pub(crate) fn line_at(text: &str, index: u32, kind: OffsetKind) -> u32 {
    let mut offset = 0;
    let mut line = 1;
    for character in text.chars() {
        if offset >= index {
            break;
        }
        offset += length(character.encode_utf8(&mut [0; 4]), kind);
        if character == '\n' {
            line += 1;
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use yrs::updates::decoder::Decode;
    use yrs::{Assoc, IndexedSequence, StateVector, Update};

    use super::*;
    use crate::client::new_doc;

    fn doc_with(path: &str, content: &str) -> (Doc, TextRef) {
        let doc = new_doc();
        let map = doc.get_or_insert_map(FILES);
        let text = map.insert(&mut doc.transact_mut(), path, TextPrelim::new(content));
        (doc, text)
    }

    fn set(doc: &Doc, text: &TextRef, new: &str) {
        set_text(&mut doc.transact_mut(), text, new);
        assert_eq!(text.get_string(&doc.transact()), new);
    }

    /// The offset of the first `needle` in `text`, in UTF-16 code units.
    fn utf16_offset(text: &str, needle: &str) -> u32 {
        length(&text[..text.find(needle).unwrap()], OffsetKind::Utf16)
    }

    fn resolve(doc: &Doc, index: &yrs::StickyIndex) -> u32 {
        index.get_offset(&doc.transact()).unwrap().index
    }

    #[test]
    fn reads_every_file_and_nothing_from_an_empty_doc() {
        assert!(read_files(&new_doc()).is_empty());
        let (doc, _) = doc_with("src/main.rs", "fn main() {}\n");
        doc.get_or_insert_map(FILES).insert(&mut doc.transact_mut(), "README.md", TextPrelim::new("# hi"));
        let files = read_files(&doc);
        assert_eq!(files.keys().collect::<Vec<_>>(), ["README.md", "src/main.rs"]);
        assert_eq!(files["src/main.rs"], "fn main() {}\n");
        assert_eq!(file_text(&doc.transact(), "README.md").unwrap().get_string(&doc.transact()), "# hi");
        assert!(file_text(&doc.transact(), "nope").is_none());
    }

    #[test]
    fn edits_only_what_changed_with_non_ascii_text() {
        let before = "// 你好 👋🏽 wörld\nlet crab = \"🦀\";\nfn main() {}\n";
        let (doc, text) = doc_with("a.rs", before);
        let pinned = text.sticky_index(&doc.transact(), utf16_offset(before, "fn main"), Assoc::After).unwrap();
        for after in [
            "// 你好呀 👋🏽 world\nlet crab = \"🦀🦀\";\nfn main() {}\n",
            "// 👋 wörld\nlet crab = \"🐙\";\nfn main() {}\n",
            "let crab = \"\";\nfn main() {}\n",
            "🙂\nfn main() {}\n",
        ] {
            set(&doc, &text, after);
            assert_eq!(resolve(&doc, &pinned), utf16_offset(after, "fn main"), "{after:?}");
        }
    }

    #[test]
    fn the_change_is_as_small_as_the_difference() {
        let before = "one two three\n".repeat(200);
        let (doc, text) = doc_with("a.txt", &before);
        let state = doc.transact().state_vector();
        let after = before.replacen("two", "2️⃣", 1);
        set(&doc, &text, &after);
        let update = doc.transact().encode_diff_v1(&state);
        assert!(update.len() < 64, "the update is {} bytes for a one-word change", update.len());
    }

    #[test]
    fn byte_offset_documents_are_edited_right_too() {
        let doc = Doc::new();
        assert_eq!(doc.offset_kind(), OffsetKind::Bytes);
        let text = doc.get_or_insert_map(FILES).insert(&mut doc.transact_mut(), "x", TextPrelim::new("héllo 🌍 wörld"));
        set(&doc, &text, "hello 🌏 wörld!");
        set(&doc, &text, "");
        set(&doc, &text, "ünïcödé");
    }

    #[test]
    fn a_remote_cursor_survives_a_restore_of_another_part() {
        let version = BTreeMap::from([
            ("a.rs".to_owned(), "fn a() {}\n// 日本語\nfn b() {}\n".to_owned()),
            ("new.rs".to_owned(), "// restored\n".to_owned()),
        ]);
        let (doc, text) = doc_with("a.rs", "fn a() { changed(); }\n// 日本語\nfn b() {}\n");
        doc.get_or_insert_map(FILES).insert(&mut doc.transact_mut(), "gone.rs", TextPrelim::new(""));

        // A peer's cursor in front of `b`, made in the peer's copy.
        let peer = new_doc();
        let state = doc.transact().encode_diff_v1(&StateVector::default());
        peer.transact_mut().apply_update(Update::decode_v1(&state).unwrap()).unwrap();
        let peer_text = file_text(&peer.transact(), "a.rs").unwrap();
        let current = peer_text.get_string(&peer.transact());
        let cursor = peer_text.sticky_index(&peer.transact(), utf16_offset(&current, "b()"), Assoc::After).unwrap();

        replace_files(&mut doc.transact_mut(), &version);
        assert_eq!(read_files(&doc), version);
        let restore = doc.transact().encode_diff_v1(&peer.transact().state_vector());
        peer.transact_mut().apply_update(Update::decode_v1(&restore).unwrap()).unwrap();
        assert_eq!(read_files(&peer), version);
        assert_eq!(resolve(&peer, &cursor), utf16_offset(&version["a.rs"], "b()"));
        assert_eq!(text.get_string(&doc.transact()), version["a.rs"]);
    }

    #[test]
    fn lines_count_newlines_before_the_offset() {
        let text = "a👋\nb\n\nc";
        let kind = OffsetKind::Utf16;
        assert_eq!(line_at(text, 0, kind), 1);
        assert_eq!(line_at(text, 3, kind), 1);
        assert_eq!(line_at(text, 4, kind), 2);
        assert_eq!(line_at(text, 6, kind), 3);
        assert_eq!(line_at(text, 7, kind), 4);
        assert_eq!(line_at(text, 99, kind), 4);
        assert_eq!(line_at(text, 6, OffsetKind::Bytes), 2);
    }
}
