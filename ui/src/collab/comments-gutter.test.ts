import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import type { CommentThread } from "../bindings";
import { commentAnchors, threadsByLine, threadsEffect, threadsForPath } from "./comments-gutter";

const TEXT = "one\ntwo\nthree\nfour\n";

function thread(id: string, index: number, options: Partial<CommentThread> = {}): CommentThread {
  return { id, path: "a.ts", index, line: 0, resolved: false, comments: [], ...options };
}

function withThreads(threads: CommentThread[], text = TEXT): EditorState {
  const state = EditorState.create({ doc: text, extensions: [commentAnchors] });
  return state.update({ effects: threadsEffect(threads) }).state;
}

function lines(state: EditorState): Record<number, string[]> {
  return Object.fromEntries(threadsByLine(state));
}

describe("comment anchors", () => {
  it("marks the lines of unresolved threads, several on a line in document order", () => {
    const state = withThreads([thread("b", 10), thread("a", 8), thread("done", 4, { resolved: true }), thread("c", 14)]);
    // "three" starts at 8; index 10 is inside it.
    expect(lines(state)).toEqual({ 3: ["a", "b"], 4: ["c"] });
  });

  it("moves a marker down when lines are added above it", () => {
    let state = withThreads([thread("t", 8)]);
    state = state.update({ changes: { from: 0, insert: "zero\nhalf\n" } }).state;
    expect(lines(state)).toEqual({ 5: ["t"] });
    expect(state.doc.line(5).text).toBe("three");
  });

  it("stays on its line when text is typed at the line's start or inside it", () => {
    let state = withThreads([thread("t", 8)]);
    state = state.update({ changes: { from: 8, insert: "  " } }).state;
    state = state.update({ changes: { from: 12, insert: "XY" } }).state;
    expect(lines(state)).toEqual({ 3: ["t"] });
  });

  it("follows its code when whole lines are pasted at the start of the commented line", () => {
    let state = withThreads([thread("t", 8)]);
    state = state.update({ changes: { from: 8, insert: "pasted\nlines\n" } }).state;
    expect(lines(state)).toEqual({ 5: ["t"] });
  });

  it("moves up when lines above are deleted and lands where its line was when that line is deleted", () => {
    let state = withThreads([thread("t", 8), thread("u", 14)]);
    state = state.update({ changes: { from: 0, to: 4 } }).state; // "one\n"
    expect(lines(state)).toEqual({ 2: ["t"], 3: ["u"] });
    state = state.update({ changes: { from: 4, to: 10 } }).state; // "three\n"
    expect(lines(state)).toEqual({ 2: ["t", "u"] });
  });

  it("counts UTF-16 code units, as the contract does", () => {
    // "😀" is two UTF-16 units: line 2 starts at index 3.
    const state = withThreads([thread("t", 3)], "😀\nsecond");
    expect(lines(state)).toEqual({ 2: ["t"] });
  });

  it("keeps an index past the end (an edit not yet in the shared doc) inside the document", () => {
    const state = withThreads([thread("t", 500)]);
    expect(lines(state)).toEqual({ 5: ["t"] });
  });

  it("takes a new update as it is, without mapping it through earlier edits", () => {
    let state = withThreads([thread("t", 8)]);
    state = state.update({ changes: { from: 0, insert: "new\n" } }).state;
    state = state.update({ effects: threadsEffect([thread("t", 12), thread("n", 0)]) }).state;
    expect(lines(state)).toEqual({ 1: ["n"], 4: ["t"] });
  });

  it("reads an update that comes with an edit against the document after the edit", () => {
    let state = withThreads([]);
    state = state.update({ changes: { from: 0, insert: "new\n" }, effects: threadsEffect([thread("t", 4)]) }).state;
    expect(lines(state)).toEqual({ 2: ["t"] });
  });

  it("records whether a line can get a new comment", () => {
    const state = EditorState.create({ doc: TEXT, extensions: [commentAnchors] });
    expect(state.field(commentAnchors).canAdd).toBe(false);
    expect(state.update({ effects: threadsEffect([], true) }).state.field(commentAnchors).canAdd).toBe(true);
    expect(state.update({ effects: threadsEffect([], false) }).state.field(commentAnchors).canAdd).toBe(false);
  });

  it("gives each file only its own threads", () => {
    const threads = [thread("a", 0, { path: "a.ts" }), thread("b", 0, { path: "b.ts" }), thread("c", 3, { path: "a.ts" })];
    expect(threadsForPath(threads, "a.ts").map((t) => t.id)).toEqual(["a", "c"]);
  });
});
