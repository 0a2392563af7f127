//! Inline comment threads, kept in the shared document's `comments` map so
//! every peer sees them: thread id → Y.Map {path, anchor, resolved, comments}.
//! The anchor is a sticky index (Yjs relative position) into the file's text,
//! so a thread moves with the edits around it. Comments are plain values in a
//! Y.Array: concurrent replies are two inserts and both survive; an edit
//! replaces one element.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use flashfusion_core::{Code, Error, Result};
use serde::Serialize;
use ts_rs::TS;
use yrs::branch::BranchPtr;
use yrs::updates::decoder::Decode;
use yrs::updates::encoder::Encode;
use yrs::{
    Any, Array, ArrayPrelim, ArrayRef, Assoc, GetString, In, IndexedSequence, Map, MapPrelim, MapRef, Out, ReadTxn,
    StickyIndex, Text, TextRef, TransactionMut, WriteTxn,
};

use crate::files::{file_text, line_at, offset_kind};

/// The root map of thread id → thread.
pub const COMMENTS: &str = "comments";

/// The longest comment body, in characters.
const MAX_BODY_CHARS: usize = 10_000;

const PATH: &str = "path";
const ANCHOR: &str = "anchor";
const RESOLVED: &str = "resolved";
const LIST: &str = "comments";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Comment {
    pub id: String,
    pub author_id: String,
    pub author: String,
    pub body: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created_at: i64,
    #[ts(type = "number | null")]
    pub edited_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommentThread {
    pub id: String,
    pub path: String,
    /// Where the thread is now, in the file's UTF-16 code units.
    pub index: u32,
    /// 1-based.
    pub line: u32,
    pub resolved: bool,
    pub comments: Vec<Comment>,
}

/// Who is commenting: the participant id (as text) and display name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub id: String,
    pub name: String,
}

/// Starts a thread at `index` of the file at `path`.
pub fn add_thread(
    txn: &mut TransactionMut,
    path: &str,
    index: u32,
    author: &Author,
    body: &str,
    now_ms: i64,
) -> Result<CommentThread> {
    let body = checked_body(body)?;
    let text =
        file_text(txn, path).ok_or_else(|| Error::new(Code::NotFound, format!("{path} is not in the session")))?;
    let length = text.len(txn);
    if index > length {
        return Err(Error::new(Code::InvalidInput, format!("position {index} is past the end of {path} ({length})")));
    }
    // At the very end there is no character to stick to: stick to the end.
    let anchor =
        text.sticky_index(txn, index, Assoc::After).unwrap_or_else(|| StickyIndex::from_type(txn, &text, Assoc::After));
    let id = new_id(txn);
    let prelim = MapPrelim::from([
        (PATH, In::Any(Any::from(path))),
        (ANCHOR, In::Any(Any::from(anchor.encode_v1()))),
        (RESOLVED, In::Any(Any::Bool(false))),
        (LIST, In::Array(ArrayPrelim::default())),
    ]);
    let thread = txn.get_or_insert_map(COMMENTS).insert(txn, id.as_str(), prelim);
    let list = comment_list(txn, &thread)?;
    let comment = push_comment(txn, &list, author, body, now_ms);
    let line = line_at(&text.get_string(txn), index, txn.doc().offset_kind());
    Ok(CommentThread { id, path: path.to_owned(), index, line, resolved: false, comments: vec![comment] })
}

/// Adds a comment at the end of a thread.
pub fn reply(txn: &mut TransactionMut, thread_id: &str, author: &Author, body: &str, now_ms: i64) -> Result<Comment> {
    let body = checked_body(body)?;
    let list = comment_list(txn, &thread_map(txn, thread_id)?)?;
    Ok(push_comment(txn, &list, author, body, now_ms))
}

/// Changes a comment's body; only its author may.
pub fn edit_comment(
    txn: &mut TransactionMut,
    thread_id: &str,
    comment_id: &str,
    author: &Author,
    body: &str,
    now_ms: i64,
) -> Result<()> {
    let body = checked_body(body)?;
    let list = comment_list(txn, &thread_map(txn, thread_id)?)?;
    let (positions, comment) = find_comment(txn, &list, comment_id)?;
    if comment.author_id != author.id {
        return Err(forbidden("only its author can edit a comment"));
    }
    let edited = Comment { body, edited_at: Some(now_ms), ..comment };
    remove_all(txn, &list, &positions);
    list.insert(txn, positions[0], comment_value(&edited));
    Ok(())
}

/// Deletes a comment (its author or the room's owner may); deleting the
/// first comment of a thread deletes the whole thread.
pub fn delete_comment(
    txn: &mut TransactionMut,
    thread_id: &str,
    comment_id: &str,
    author: &Author,
    is_owner: bool,
) -> Result<()> {
    let thread = thread_map(txn, thread_id)?;
    let list = comment_list(txn, &thread)?;
    let (positions, comment) = find_comment(txn, &list, comment_id)?;
    if comment.author_id != author.id && !is_owner {
        return Err(forbidden("only its author or the owner can delete a comment"));
    }
    let first = read_comments(txn, &list).first().is_some_and(|first| first.id == comment.id);
    if first {
        txn.get_or_insert_map(COMMENTS).remove(txn, thread_id);
    } else {
        remove_all(txn, &list, &positions);
    }
    Ok(())
}

pub fn set_resolved(txn: &mut TransactionMut, thread_id: &str, resolved: bool) -> Result<()> {
    thread_map(txn, thread_id)?.insert(txn, RESOLVED, Any::Bool(resolved));
    Ok(())
}

/// Moves the threads on the file `from` to the file `to`, at the same
/// positions; `to` is already in the document, `from` still is. A rename
/// makes a new text, and anchors in the old one would be lost with it.
pub fn move_threads(txn: &mut TransactionMut, from: &str, to: &str) {
    let (Some(old), Some(new)) = (file_text(txn, from), file_text(txn, to)) else { return };
    let map = txn.get_or_insert_map(COMMENTS);
    let moving: Vec<(MapRef, u32)> = map
        .iter(txn)
        .filter_map(|(_, value)| match value {
            Out::YMap(thread) => Some(thread),
            _ => None,
        })
        .filter(|thread| matches!(thread.get(txn, PATH), Some(Out::Any(Any::String(path))) if &*path == from))
        .map(|thread| {
            let index = anchor_index(txn, &thread, &old);
            (thread, index)
        })
        .collect();
    for (thread, index) in moving {
        let anchor = new
            .sticky_index(txn, index.min(new.len(txn)), Assoc::After)
            .unwrap_or_else(|| StickyIndex::from_type(txn, &new, Assoc::After));
        thread.insert(txn, PATH, Any::from(to));
        thread.insert(txn, ANCHOR, Any::from(anchor.encode_v1()));
    }
}

/// Every thread whose file still exists, placed where its anchor is now,
/// sorted by path and position. A thread whose text was deleted sits where
/// that text was.
pub fn threads<T: ReadTxn>(txn: &T) -> Vec<CommentThread> {
    let Some(map) = txn.get_map(COMMENTS) else {
        return Vec::new();
    };
    let mut threads: Vec<CommentThread> = map
        .iter(txn)
        .filter_map(|(id, value)| match value {
            Out::YMap(thread) => read_thread(txn, id, &thread),
            _ => None,
        })
        .collect();
    threads.sort_by(|a, b| (&a.path, a.index, &a.id).cmp(&(&b.path, b.index, &b.id)));
    threads
}

fn read_thread<T: ReadTxn>(txn: &T, id: &str, thread: &MapRef) -> Option<CommentThread> {
    let path = match thread.get(txn, PATH)? {
        Out::Any(Any::String(path)) => path.to_string(),
        _ => return None,
    };
    let text = file_text(txn, &path)?;
    let Out::YArray(list) = thread.get(txn, LIST)? else {
        return None;
    };
    let comments = read_comments(txn, &list);
    if comments.is_empty() {
        return None;
    }
    let content = text.get_string(txn);
    let index = anchor_index(txn, thread, &text);
    Some(CommentThread {
        id: id.to_owned(),
        line: line_at(&content, index, offset_kind(txn, &text, &content)),
        path,
        index,
        resolved: matches!(thread.get(txn, RESOLVED), Some(Out::Any(Any::Bool(true)))),
        comments,
    })
}

/// Where the thread's anchor is in `text` now. An anchor that cannot be
/// resolved there (its update has not arrived yet, or the file was deleted
/// and created again) puts the thread at the start.
fn anchor_index<T: ReadTxn>(txn: &T, thread: &MapRef, text: &TextRef) -> u32 {
    let Some(Out::Any(Any::Buffer(bytes))) = thread.get(txn, ANCHOR) else {
        return 0;
    };
    let this_text = BranchPtr::from(AsRef::<yrs::branch::Branch>::as_ref(text));
    StickyIndex::decode_v1(&bytes)
        .ok()
        .and_then(|anchor| anchor.get_offset(txn))
        .filter(|offset| offset.branch == this_text)
        .map_or(0, |offset| offset.index.min(text.len(txn)))
}

/// The comments of a thread in order, each id once (two peers editing the
/// same comment at once leave two copies: the first one wins).
fn read_comments<T: ReadTxn>(txn: &T, list: &ArrayRef) -> Vec<Comment> {
    let mut seen = HashSet::new();
    list.iter(txn)
        .filter_map(|value| match value {
            Out::Any(Any::Map(fields)) => comment_from(&fields),
            _ => None,
        })
        .filter(|comment| seen.insert(comment.id.clone()))
        .collect()
}

/// The positions of every copy of the comment, and the first copy.
fn find_comment<T: ReadTxn>(txn: &T, list: &ArrayRef, comment_id: &str) -> Result<(Vec<u32>, Comment)> {
    let mut positions = Vec::new();
    let mut found = None;
    for (position, value) in (0..).zip(list.iter(txn)) {
        if let Out::Any(Any::Map(fields)) = value {
            if let Some(comment) = comment_from(&fields).filter(|comment| comment.id == comment_id) {
                positions.push(position);
                found.get_or_insert(comment);
            }
        }
    }
    found.map(|comment| (positions, comment)).ok_or_else(|| Error::new(Code::NotFound, "no such comment"))
}

/// Removes the elements at `positions` (ascending), last first so the
/// others keep their positions.
fn remove_all(txn: &mut TransactionMut, list: &ArrayRef, positions: &[u32]) {
    for &position in positions.iter().rev() {
        list.remove(txn, position);
    }
}

fn push_comment(txn: &mut TransactionMut, list: &ArrayRef, author: &Author, body: String, now_ms: i64) -> Comment {
    let comment = Comment {
        id: new_id(txn),
        author_id: author.id.clone(),
        author: author.name.clone(),
        body,
        created_at: now_ms,
        edited_at: None,
    };
    list.push_back(txn, comment_value(&comment));
    comment
}

fn thread_map<T: ReadTxn>(txn: &T, thread_id: &str) -> Result<MapRef> {
    match txn.get_map(COMMENTS).and_then(|map| map.get(txn, thread_id)) {
        Some(Out::YMap(thread)) => Ok(thread),
        _ => Err(Error::new(Code::NotFound, "no such comment thread")),
    }
}

fn comment_list<T: ReadTxn>(txn: &T, thread: &MapRef) -> Result<ArrayRef> {
    match thread.get(txn, LIST) {
        Some(Out::YArray(list)) => Ok(list),
        _ => Err(Error::internal("a comment thread without its comment list")),
    }
}

/// A new id, unique in the document: the id yrs gives the next item this
/// peer creates (client id and clock).
fn new_id(txn: &TransactionMut) -> String {
    let client = txn.doc().client_id();
    format!("{:x}-{:x}", client.get(), txn.state_vector().get(&client))
}

fn checked_body(body: &str) -> Result<String> {
    if body.trim().is_empty() {
        return Err(Error::new(Code::InvalidInput, "write something first: the comment is empty"));
    }
    let length = body.chars().count();
    if length > MAX_BODY_CHARS {
        return Err(Error::new(
            Code::InvalidInput,
            format!("a comment can be at most {MAX_BODY_CHARS} characters (this one has {length})"),
        ));
    }
    Ok(body.to_owned())
}

/// There is no permission code: refusals share the code of a refused
/// credential (as HTTP 403 does elsewhere).
fn forbidden(message: &str) -> Error {
    Error::new(Code::AuthFailed, message)
}

fn comment_value(comment: &Comment) -> Any {
    let edited_at = comment.edited_at.map_or(Any::Null, Any::from);
    Any::Map(Arc::new(HashMap::from([
        ("id".to_owned(), Any::from(comment.id.as_str())),
        ("authorId".to_owned(), Any::from(comment.author_id.as_str())),
        ("author".to_owned(), Any::from(comment.author.as_str())),
        ("body".to_owned(), Any::from(comment.body.as_str())),
        ("createdAt".to_owned(), Any::from(comment.created_at)),
        ("editedAt".to_owned(), edited_at),
    ])))
}

fn comment_from(fields: &HashMap<String, Any>) -> Option<Comment> {
    let text = |key: &str| match fields.get(key) {
        Some(Any::String(value)) => Some(value.to_string()),
        _ => None,
    };
    let time = |key: &str| fields.get(key).cloned().and_then(|value| i64::try_from(value).ok());
    Some(Comment {
        id: text("id")?,
        author_id: text("authorId")?,
        author: text("author")?,
        body: text("body")?,
        created_at: time("createdAt")?,
        edited_at: time("editedAt"),
    })
}

#[cfg(test)]
mod tests {
    use yrs::{Doc, Map, OffsetKind, TextPrelim, Transact, Update};

    use super::*;
    use crate::client::new_doc;
    use crate::files::{length, FILES};

    const SOURCE: &str = "fn main() {\n    let x = 1;\n    target();\n}\n";

    fn ada() -> Author {
        Author { id: "1".into(), name: "Ada".into() }
    }

    fn bob() -> Author {
        Author { id: "2".into(), name: "Bob".into() }
    }

    fn doc_with(path: &str, content: &str) -> Doc {
        let doc = new_doc();
        doc.get_or_insert_map(FILES).insert(&mut doc.transact_mut(), path, TextPrelim::new(content));
        doc
    }

    /// Sends each document's missing updates to the other.
    fn sync(a: &Doc, b: &Doc) {
        let to_b = a.transact().encode_diff_v1(&b.transact().state_vector());
        let to_a = b.transact().encode_diff_v1(&a.transact().state_vector());
        b.transact_mut().apply_update(Update::decode_v1(&to_b).unwrap()).unwrap();
        a.transact_mut().apply_update(Update::decode_v1(&to_a).unwrap()).unwrap();
    }

    fn text_of(doc: &Doc, path: &str) -> (TextRef, String) {
        let text = file_text(&doc.transact(), path).unwrap();
        let content = text.get_string(&doc.transact());
        (text, content)
    }

    /// The UTF-16 offset of the first `needle` in the file.
    fn offset_of(doc: &Doc, path: &str, needle: &str) -> u32 {
        let (_, content) = text_of(doc, path);
        length(&content[..content.find(needle).unwrap()], OffsetKind::Utf16)
    }

    fn start_thread(doc: &Doc, needle: &str) -> CommentThread {
        let index = offset_of(doc, "main.rs", needle);
        add_thread(&mut doc.transact_mut(), "main.rs", index, &ada(), "why?", 1_000).unwrap()
    }

    fn only_thread(doc: &Doc) -> CommentThread {
        let mut threads = threads(&doc.transact());
        assert_eq!(threads.len(), 1, "{threads:?}");
        threads.remove(0)
    }

    fn bodies(thread: &CommentThread) -> Vec<&str> {
        thread.comments.iter().map(|comment| comment.body.as_str()).collect()
    }

    #[test]
    fn a_new_thread_is_where_it_was_put_with_its_first_comment() {
        let doc = doc_with("main.rs", SOURCE);
        let thread = start_thread(&doc, "target");
        assert_eq!((thread.path.as_str(), thread.index, thread.line), ("main.rs", 31, 3));
        assert_eq!(thread.comments[0].author, "Ada");
        assert_eq!(thread.comments[0].author_id, "1");
        assert_eq!((thread.comments[0].created_at, thread.comments[0].edited_at), (1_000, None));
        assert_eq!(only_thread(&doc), thread);
        let json = serde_json::to_value(&thread).unwrap();
        assert_eq!(json["comments"][0]["authorId"], "1");
        assert_eq!(json["comments"][0]["editedAt"], serde_json::Value::Null);
    }

    #[test]
    fn bad_threads_and_bodies_are_refused() {
        let doc = doc_with("main.rs", "ab");
        let mut txn = doc.transact_mut();
        let code = |result: Result<CommentThread>| result.unwrap_err().code;
        assert_eq!(code(add_thread(&mut txn, "nope.rs", 0, &ada(), "hi", 0)), Code::NotFound);
        assert_eq!(code(add_thread(&mut txn, "main.rs", 3, &ada(), "hi", 0)), Code::InvalidInput);
        assert_eq!(code(add_thread(&mut txn, "main.rs", 0, &ada(), " \n\t", 0)), Code::InvalidInput);
        let long = "é".repeat(MAX_BODY_CHARS + 1);
        let error = add_thread(&mut txn, "main.rs", 0, &ada(), &long, 0).unwrap_err();
        assert!(error.message.contains("at most 10000 characters"), "{}", error.message);
        add_thread(&mut txn, "main.rs", 0, &ada(), &"é".repeat(MAX_BODY_CHARS), 0).unwrap();
        assert_eq!(reply(&mut txn, "no-such-thread", &ada(), "hi", 0).unwrap_err().code, Code::NotFound);
        assert_eq!(set_resolved(&mut txn, "no-such-thread", true).unwrap_err().code, Code::NotFound);
    }

    #[test]
    fn anchors_move_with_remote_inserts_and_deletes_before_them() {
        let (a, b) = (doc_with("main.rs", SOURCE), new_doc());
        sync(&a, &b);
        start_thread(&a, "target");
        sync(&a, &b);
        assert_eq!(only_thread(&b).index, offset_of(&b, "main.rs", "target"));

        let (text, _) = text_of(&b, "main.rs");
        text.insert(&mut b.transact_mut(), 0, "// 日本語 👋🏽\n// two\n");
        sync(&a, &b);
        let moved = only_thread(&a);
        assert_eq!((moved.index, moved.line), (offset_of(&a, "main.rs", "target"), 5));

        let (text, content) = text_of(&a, "main.rs");
        let before_target = length(&content[..content.find("    let").unwrap()], OffsetKind::Utf16);
        text.remove_range(&mut a.transact_mut(), 0, before_target);
        sync(&a, &b);
        for doc in [&a, &b] {
            let thread = only_thread(doc);
            assert_eq!((thread.index, thread.line), (offset_of(doc, "main.rs", "target"), 2));
        }
        // Edits after the anchor leave it alone.
        let (text, _) = text_of(&b, "main.rs");
        let end = text.len(&b.transact());
        text.insert(&mut b.transact_mut(), end, "// the end\n");
        sync(&a, &b);
        assert_eq!(only_thread(&a).index, offset_of(&a, "main.rs", "target"));
    }

    #[test]
    fn a_thread_on_deleted_text_stays_where_the_text_was() {
        let doc = doc_with("main.rs", SOURCE);
        start_thread(&doc, "target");
        let (text, content) = text_of(&doc, "main.rs");
        let line_start = offset_of(&doc, "main.rs", "    target");
        let line_length = length("    target();\n", OffsetKind::Utf16);
        text.remove_range(&mut doc.transact_mut(), line_start, line_length);
        let thread = only_thread(&doc);
        assert_eq!(text_of(&doc, "main.rs").1, content.replace("    target();\n", ""));
        assert_eq!((thread.index, thread.line), (line_start, 3));
        // Text typed there later does not drag it along.
        text.insert(&mut doc.transact_mut(), line_start, "    other();\n");
        assert_eq!(only_thread(&doc).index, line_start);
    }

    #[test]
    fn threads_at_the_end_stay_at_the_end_and_vanish_with_their_file() {
        let doc = doc_with("main.rs", "abc");
        let thread = add_thread(&mut doc.transact_mut(), "main.rs", 3, &ada(), "end", 0).unwrap();
        assert_eq!(thread.index, 3);
        let (text, _) = text_of(&doc, "main.rs");
        text.insert(&mut doc.transact_mut(), 3, "\nd");
        assert_eq!((only_thread(&doc).index, only_thread(&doc).line), (5, 2));
        doc.get_or_insert_map(FILES).remove(&mut doc.transact_mut(), "main.rs");
        assert!(threads(&doc.transact()).is_empty());
        // A new file at the same path is another text: the thread comes back at its start.
        doc.get_or_insert_map(FILES).insert(&mut doc.transact_mut(), "main.rs", TextPrelim::new("new"));
        assert_eq!((only_thread(&doc).index, only_thread(&doc).line), (0, 1));
    }

    #[test]
    fn concurrent_replies_both_survive() {
        let (a, b) = (doc_with("main.rs", SOURCE), new_doc());
        let id = start_thread(&a, "target").id;
        sync(&a, &b);
        reply(&mut a.transact_mut(), &id, &ada(), "from a", 2_000).unwrap();
        reply(&mut b.transact_mut(), &id, &bob(), "from b", 2_000).unwrap();
        set_resolved(&mut b.transact_mut(), &id, true).unwrap();
        sync(&a, &b);
        let (on_a, on_b) = (only_thread(&a), only_thread(&b));
        assert_eq!(on_a, on_b);
        let mut replies = bodies(&on_a)[1..].to_vec();
        replies.sort_unstable();
        assert_eq!(replies, ["from a", "from b"]);
        assert!(on_a.resolved);
        let ids: HashSet<&str> = on_a.comments.iter().map(|comment| comment.id.as_str()).collect();
        assert_eq!(ids.len(), 3, "comment ids are unique across peers: {ids:?}");
    }

    #[test]
    fn only_the_author_edits_and_an_edit_replaces_one_comment() {
        let (a, b) = (doc_with("main.rs", SOURCE), new_doc());
        let id = start_thread(&a, "target").id;
        let first = only_thread(&a).comments[0].id.clone();
        let second = reply(&mut a.transact_mut(), &id, &bob(), "because", 2_000).unwrap().id;
        sync(&a, &b);
        let refused = edit_comment(&mut a.transact_mut(), &id, &first, &bob(), "hijacked", 3_000).unwrap_err();
        assert_eq!(refused.code, Code::AuthFailed);
        let missing = edit_comment(&mut a.transact_mut(), &id, "no-such-comment", &ada(), "x", 3_000).unwrap_err();
        assert_eq!(missing.code, Code::NotFound);
        assert_eq!(
            edit_comment(&mut a.transact_mut(), &id, &first, &ada(), "", 3_000).unwrap_err().code,
            Code::InvalidInput
        );

        edit_comment(&mut a.transact_mut(), &id, &first, &ada(), "why, really?", 3_000).unwrap();
        // A concurrent reply on the other peer survives the edit.
        reply(&mut b.transact_mut(), &id, &bob(), "meanwhile", 3_000).unwrap();
        sync(&a, &b);
        let thread = only_thread(&b);
        assert_eq!(bodies(&thread), ["why, really?", "because", "meanwhile"]);
        assert_eq!((thread.comments[0].id.as_str(), thread.comments[0].edited_at), (first.as_str(), Some(3_000)));
        assert_eq!(thread.comments[1].id, second);
    }

    #[test]
    fn concurrent_edits_of_one_comment_leave_one_copy() {
        let (a, b) = (doc_with("main.rs", SOURCE), new_doc());
        let id = start_thread(&a, "target").id;
        let first = only_thread(&a).comments[0].id.clone();
        sync(&a, &b);
        edit_comment(&mut a.transact_mut(), &id, &first, &ada(), "edit on a", 2_000).unwrap();
        edit_comment(&mut b.transact_mut(), &id, &first, &ada(), "edit on b", 2_000).unwrap();
        sync(&a, &b);
        assert_eq!(only_thread(&a).comments.len(), 1);
        assert_eq!(only_thread(&a), only_thread(&b));
        // The next edit replaces both copies.
        edit_comment(&mut a.transact_mut(), &id, &first, &ada(), "settled", 3_000).unwrap();
        let Some(Out::YArray(list)) = thread_map(&a.transact(), &id).unwrap().get(&a.transact(), LIST) else {
            panic!("no comment list");
        };
        assert_eq!(list.len(&a.transact()), 1);
        assert_eq!(bodies(&only_thread(&a)), ["settled"]);
    }

    #[test]
    fn authors_and_the_owner_delete_and_the_first_comment_takes_the_thread() {
        let doc = doc_with("main.rs", SOURCE);
        let id = start_thread(&doc, "target").id;
        let first = only_thread(&doc).comments[0].id.clone();
        let by_bob = reply(&mut doc.transact_mut(), &id, &bob(), "one", 0).unwrap().id;
        let again = reply(&mut doc.transact_mut(), &id, &bob(), "two", 0).unwrap().id;
        let carol = Author { id: "3".into(), name: "Carol".into() };

        let refused = delete_comment(&mut doc.transact_mut(), &id, &by_bob, &carol, false).unwrap_err();
        assert_eq!(refused.code, Code::AuthFailed);
        delete_comment(&mut doc.transact_mut(), &id, &by_bob, &bob(), false).unwrap();
        delete_comment(&mut doc.transact_mut(), &id, &again, &carol, true).unwrap();
        assert_eq!(bodies(&only_thread(&doc)), ["why?"]);
        let gone = delete_comment(&mut doc.transact_mut(), &id, &by_bob, &bob(), false).unwrap_err();
        assert_eq!(gone.code, Code::NotFound);

        assert_eq!(
            delete_comment(&mut doc.transact_mut(), &id, &first, &bob(), false).unwrap_err().code,
            Code::AuthFailed
        );
        delete_comment(&mut doc.transact_mut(), &id, &first, &ada(), false).unwrap();
        assert!(threads(&doc.transact()).is_empty());
        assert_eq!(reply(&mut doc.transact_mut(), &id, &ada(), "late", 0).unwrap_err().code, Code::NotFound);
    }

    #[test]
    fn threads_are_sorted_by_path_then_position_and_can_be_resolved() {
        let doc = doc_with("main.rs", SOURCE);
        doc.get_or_insert_map(FILES).insert(&mut doc.transact_mut(), "a.rs", TextPrelim::new("x"));
        let late = start_thread(&doc, "target");
        let early = start_thread(&doc, "let");
        let other = add_thread(&mut doc.transact_mut(), "a.rs", 1, &bob(), "here", 0).unwrap();
        set_resolved(&mut doc.transact_mut(), &late.id, true).unwrap();
        let listed = threads(&doc.transact());
        let order: Vec<(&str, bool)> = listed.iter().map(|thread| (thread.id.as_str(), thread.resolved)).collect();
        assert_eq!(order, [(other.id.as_str(), false), (early.id.as_str(), false), (late.id.as_str(), true)]);
        set_resolved(&mut doc.transact_mut(), &late.id, false).unwrap();
        assert!(threads(&doc.transact()).iter().all(|thread| !thread.resolved));
    }
}
