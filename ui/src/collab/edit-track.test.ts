import { ChangeSet, EditorSelection, EditorState, Transaction } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import type { TextChange } from "../bindings";
import { EditTrack, type PendingEdit } from "./edit-track";
import { SHARED_LINE_SEPARATOR, toChangeSet } from "./text-changes";

function changeSet(length: number, ...changes: TextChange[]): ChangeSet {
  return toChangeSet(changes, length);
}

function apply(text: string, changes: ChangeSet): string {
  return changes.apply(EditorState.create({ doc: text, extensions: EditorState.lineSeparator.of(SHARED_LINE_SEPARATOR) }).doc).sliceString(0, undefined, SHARED_LINE_SEPARATOR);
}

describe("EditTrack", () => {
  it("applies remote changes as they are when no edit is pending", () => {
    const track = new EditTrack();
    expect(apply("hello", track.remote([{ from: 0, to: 0, insert: ">" }], 5)!)).toBe(">hello");
  });

  it("rebases remote changes over edits not sent yet, and the edits over them", () => {
    const track = new EditTrack();
    // Rust and the editor both have "hello world"; we type "!" at the end (not sent yet).
    const edit = track.add(changeSet(11, { from: 11, to: 11, insert: "!" }));
    // Meanwhile a peer replaced "hello" with "HI" in Rust's text.
    const remote = track.remote([{ from: 0, to: 5, insert: "HI" }], 12)!;
    expect(apply("hello world!", remote)).toBe("HI world!");
    // What we send now fits Rust's text, which has the peer's change.
    const outgoing = track.send(edit);
    expect(outgoing).toEqual({ changes: [{ from: 8, to: 8, insert: "!" }], seen: 1 });
    expect(apply("HI world", toChangeSet(outgoing.changes, 8))).toBe("HI world!");
  });

  it("puts remote insertions first where both sides insert at the same place", () => {
    const track = new EditTrack();
    track.add(changeSet(3, { from: 1, to: 1, insert: "L" }));
    expect(apply("aLbc", track.remote([{ from: 1, to: 1, insert: "R" }], 4)!)).toBe("aRLbc");
  });

  it("handles several pending edits and several ranges", () => {
    const track = new EditTrack();
    let editor = "0123456789";
    const edits: PendingEdit[] = [];
    const local = (...changes: TextChange[]) => {
      const set = changeSet(editor.length, ...changes);
      edits.push(track.add(set));
      editor = apply(editor, set);
    };
    local({ from: 2, to: 2, insert: "a" }, { from: 8, to: 9, insert: "" });
    local({ from: 0, to: 1, insert: "😀" });
    expect(editor).toBe("😀1a2345679");
    const remote: TextChange[] = [
      { from: 1, to: 3, insert: "" },
      { from: 9, to: 9, insert: "Z" },
    ];
    let rust = apply("0123456789", changeSet(10, ...remote));
    editor = apply(editor, track.remote(remote, editor.length)!);
    expect(editor).toBe("😀a34567Z9");
    // Sending the rebased edits to Rust in order gives the editor's text.
    for (const edit of edits) rust = apply(rust, toChangeSet(track.send(edit).changes, rust.length));
    expect(rust).toBe(editor);
  });

  it("sends one edit at a time, in order", () => {
    const track = new EditTrack();
    const first = track.add(changeSet(1, { from: 1, to: 1, insert: "b" }));
    const second = track.add(changeSet(2, { from: 2, to: 2, insert: "c" }));
    expect(track.next()).toBe(first);
    track.send(first);
    expect(track.next()).toBeNull();
    track.settled(first, 3);
    expect(track.next()).toBe(second);
  });

  it("holds remote changes while an edit is on its way, then applies them as its outcome says", () => {
    // Applied: the held change was made after our edit, against a text that has it.
    const applied = new EditTrack();
    const typed = applied.add(changeSet(3, { from: 3, to: 3, insert: "d" }));
    expect(applied.send(typed).seen).toBe(0);
    expect(applied.remote([{ from: 4, to: 4, insert: "!" }], 4)).toBeNull();
    expect(apply("abcd", applied.settled(typed, 4, { applied: true, seq: 0 })!)).toBe("abcd!");

    // Refused: the held change was made first; our edit is rebased over it and sent again.
    const refused = new EditTrack();
    const edit = refused.add(changeSet(3, { from: 0, to: 0, insert: ">" }));
    refused.send(edit);
    expect(refused.remote([{ from: 3, to: 3, insert: "!" }], 4)).toBeNull();
    expect(apply(">abc", refused.settled(edit, 4, { applied: false, seq: 1 })!)).toBe(">abc!");
    expect(refused.next()).toBe(edit);
    expect(refused.send(edit)).toEqual({ changes: [{ from: 0, to: 0, insert: ">" }], seen: 1 });
  });

  it("a refused edit waits for the remote changes Rust had made", () => {
    const track = new EditTrack();
    const edit = track.add(changeSet(3, { from: 0, to: 0, insert: ">" }));
    track.send(edit);
    // Rust had made two changes the window has not seen yet.
    expect(track.settled(edit, 4, { applied: false, seq: 2 })).toBeNull();
    expect(track.next()).toBeNull();
    track.remote([{ from: 3, to: 3, insert: "!" }], 4);
    expect(track.next()).toBeNull();
    track.remote([{ from: 0, to: 0, insert: "<" }], 5);
    expect(track.next()).toBe(edit);
    expect(track.send(edit)).toEqual({ changes: [{ from: 1, to: 1, insert: ">" }], seen: 2 });
  });

  it("counts from the seq the text was read at, held changes included", () => {
    const track = new EditTrack(7);
    const edit = track.add(changeSet(3, { from: 3, to: 3, insert: "d" }));
    expect(track.send(edit).seen).toBe(7);
    track.remote([{ from: 0, to: 0, insert: "<" }], 4);
    expect(track.seq).toBe(8);
    // Refused: Rust had two changes after 7; one arrived, one is on its way.
    track.settled(edit, 5, { applied: false, seq: 9 });
    expect(track.waiting).toBe(true);
    track.remote([{ from: 0, to: 0, insert: "<" }], 5);
    expect(track.waiting).toBe(false);
    expect(track.send(track.next()!)).toEqual({ changes: [{ from: 5, to: 5, insert: "d" }], seen: 9 });
  });

  it("drops pending edits and held changes when the whole text is replaced", () => {
    const track = new EditTrack(2);
    const sent = track.add(changeSet(3, { from: 0, to: 0, insert: ">" }));
    track.add(changeSet(4, { from: 4, to: 4, insert: "!" }));
    track.send(sent);
    track.remote([{ from: 0, to: 0, insert: "x" }], 5);
    track.reset(6);
    expect(track.busy).toBe(false);
    expect(track.seq).toBe(6);
    // The call still on its way returns: nothing is left to apply or send.
    expect(track.settled(sent, 3, { applied: false, seq: 6 })).toBeNull();
    expect(track.next()).toBeNull();
    expect(track.send(track.add(changeSet(3, { from: 0, to: 0, insert: "a" }))).seen).toBe(6);
  });

  it("applying remote changes keeps the local selection on the same text", () => {
    let state = EditorState.create({
      doc: "let value = 1;",
      selection: EditorSelection.range(4, 9),
      extensions: EditorState.lineSeparator.of(SHARED_LINE_SEPARATOR),
    });
    const track = new EditTrack();
    const changes = track.remote(
      [
        { from: 0, to: 3, insert: "const" },
        { from: 13, to: 13, insert: " + 2" },
      ],
      state.doc.length,
    )!;
    state = state.update({ changes, annotations: Transaction.addToHistory.of(false) }).state;
    expect(state.doc.toString()).toBe("const value = 1 + 2;");
    expect(state.sliceDoc(state.selection.main.from, state.selection.main.to)).toBe("value");
    expect(state.selection.main.anchor).toBe(6);
  });

  it("resync merges: Rust's changes the editor lacks come in, pending edits become one edit against Rust's text", () => {
    const track = new EditTrack(0, "hello world");
    track.add(changeSet(11, { from: 11, to: 11, insert: "!" }));
    const editor = EditorState.create({ doc: "hello world!", extensions: EditorState.lineSeparator.of(SHARED_LINE_SEPARATOR) }).doc;
    // Rust replaced "hello" with "HI" (changes the window never received).
    const toEditor = track.resync("HI world", 3, editor);
    expect(apply("hello world!", toEditor)).toBe("HI world!");
    expect(track.seq).toBe(3);
    const edit = track.next()!;
    expect(track.send(edit)).toEqual({ changes: [{ from: 8, to: 8, insert: "!" }], seen: 3 });
  });

  it("resync without a known base takes Rust's text", () => {
    const track = new EditTrack(0);
    track.add(changeSet(3, { from: 3, to: 3, insert: "!" }));
    const editor = EditorState.create({ doc: "abc!" }).doc;
    expect(apply("abc!", track.resync("xyz", 2, editor))).toBe("xyz");
    expect(track.busy).toBe(false);
  });
});
