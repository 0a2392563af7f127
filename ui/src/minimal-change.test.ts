import { history, undo, undoDepth } from "@codemirror/commands";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { minimalReplacement } from "./minimal-change";

describe("minimalReplacement", () => {
  it("replaces only the differing middle", () => {
    expect(minimalReplacement("hello world", "hello brave world")).toEqual({ from: 6, to: 6, insert: "brave " });
    expect(minimalReplacement("abcdef", "abXYef")).toEqual({ from: 2, to: 4, insert: "XY" });
    expect(minimalReplacement("same", "same")).toEqual({ from: 4, to: 4, insert: "" });
    expect(minimalReplacement("", "new file\n")).toEqual({ from: 0, to: 0, insert: "new file\n" });
    expect(minimalReplacement("gone", "")).toEqual({ from: 0, to: 4, insert: "" });
  });

  it("does not let prefix and suffix overlap on repeated characters", () => {
    expect(minimalReplacement("aaa", "aaaa")).toEqual({ from: 3, to: 3, insert: "a" });
    expect(minimalReplacement("aaaa", "aa")).toEqual({ from: 2, to: 4, insert: "" });
  });

  it("never splits a character made of two UTF-16 units", () => {
    // 😀 and 😁 share their first unit; 😀 and 🈀 share their second.
    expect(minimalReplacement("a😀b", "a😁b")).toEqual({ from: 1, to: 3, insert: "😁" });
    expect(minimalReplacement("a😀b", "a🈀b")).toEqual({ from: 1, to: 3, insert: "🈀" });
  });

  it("keeps a cursor after the change at the same text when applied", () => {
    const before = "line one\nline two\nline three\n";
    const after = "line one\nline 2\nline three\n";
    const state = EditorState.create({ doc: before, selection: { anchor: before.indexOf("three") } });
    const next = state.update({ changes: minimalReplacement(before, after) }).state;
    expect(next.doc.toString()).toBe(after);
    expect(next.selection.main.head).toBe(after.indexOf("three"));
  });

  it("applies an assistant edit as a single undo step", () => {
    const before = ":root {\n  --accent: #5b5bd6;\n  --radius: 4px;\n}\n";
    const after = ":root {\n  --accent: #e5484d;\n  --radius: 6px;\n}\n";
    let state = EditorState.create({ doc: before, extensions: [history()] });
    state = state.update({ changes: minimalReplacement(before, after), userEvent: "input.assistant" }).state;
    expect(state.doc.toString()).toBe(after);
    expect(undoDepth(state)).toBe(1);
    undo({ state, dispatch: (transaction) => (state = transaction.state) });
    expect(state.doc.toString()).toBe(before);
  });
});
