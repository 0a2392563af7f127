import { EditorState, type Transaction } from "@codemirror/state";
import { history, isolateHistory, redo, undo } from "@codemirror/commands";
import { describe, expect, it } from "vitest";
import { isDirtyAfterChange } from "./buffer-state";

describe("isDirtyAfterChange", () => {
  // Runs transactions through a real EditorState with history, tracking dirtiness as the app does.
  function buffer(text: string) {
    let state = EditorState.create({ doc: text, extensions: [history()] });
    const savedDoc = state.doc;
    let dirty = false;
    const dispatch = (transaction: Transaction) => {
      state = transaction.state;
      if (!transaction.docChanged) return;
      const isHistoryStep = transaction.isUserEvent("undo") || transaction.isUserEvent("redo");
      dirty = isDirtyAfterChange(state.doc, savedDoc, isHistoryStep);
    };
    return {
      // Each typed piece is its own undo step.
      type: (insert: string) =>
        dispatch(state.update({ changes: { from: state.doc.length, insert }, userEvent: "input.type", annotations: isolateHistory.of("full") })),
      undo: () => undo({ state, dispatch }),
      redo: () => redo({ state, dispatch }),
      get dirty() {
        return dirty;
      },
    };
  }

  it("becomes dirty on an edit and clean again when undo returns to the saved text", () => {
    const tab = buffer("fn main() {}\n".repeat(1000));
    expect(tab.dirty).toBe(false);
    tab.type("x");
    expect(tab.dirty).toBe(true);
    tab.undo();
    expect(tab.dirty).toBe(false);
    tab.redo();
    expect(tab.dirty).toBe(true);
  });

  it("stays dirty when undo lands on a text that is not the saved one", () => {
    const tab = buffer("a");
    tab.type("b");
    tab.type("c");
    tab.undo();
    expect(tab.dirty).toBe(true);
    tab.undo();
    expect(tab.dirty).toBe(false);
  });
});
