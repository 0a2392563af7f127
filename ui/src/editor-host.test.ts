import { undo, undoSelection } from "@codemirror/commands";
import { EditorState, type Transaction } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { stateExtensions } from "./editor-host";

function edited(withHistory: boolean): EditorState {
  const state = EditorState.create({ doc: "abc", extensions: stateExtensions([], [], withHistory, []) });
  return state.update({ changes: { from: 3, insert: "d" }, selection: { anchor: 4 }, userEvent: "input.type" }).state;
}

function runs(command: typeof undo, state: EditorState): boolean {
  let dispatched: Transaction | null = null;
  const ran = command({ state, dispatch: (transaction: Transaction) => (dispatched = transaction) });
  return ran && dispatched !== null;
}

describe("stateExtensions", () => {
  it("gives tabs of their own CodeMirror's undo history", () => {
    expect(runs(undo, edited(true))).toBe(true);
    expect(runs(undoSelection, edited(true))).toBe(true);
  });

  it("leaves it out of shared tabs: neither undo nor Mod-u's undoSelection does anything there", () => {
    expect(runs(undo, edited(false))).toBe(false);
    expect(runs(undoSelection, edited(false))).toBe(false);
  });
});
