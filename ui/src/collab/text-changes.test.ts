import { ChangeSet, EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { SHARED_LINE_SEPARATOR, toChangeSet, toTextChanges } from "./text-changes";

function sharedState(doc: string): EditorState {
  return EditorState.create({ doc, extensions: EditorState.lineSeparator.of(SHARED_LINE_SEPARATOR) });
}

describe("toTextChanges", () => {
  it("gives one change per range, in start-document coordinates, in order", () => {
    const state = sharedState("one two three");
    // Three cursors typing at once: positions all refer to the text before the transaction.
    const transaction = state.update({
      changes: [
        { from: 0, to: 3, insert: "1" },
        { from: 4, insert: "(2)" },
        { from: 8, to: 13, insert: "" },
      ],
    });
    expect(toTextChanges(transaction.changes)).toEqual([
      { from: 0, to: 3, insert: "1" },
      { from: 4, to: 4, insert: "(2)" },
      { from: 8, to: 13, insert: "" },
    ]);
    expect(transaction.state.doc.toString()).toBe("1 (2)two ");
  });

  it("counts UTF-16 code units, so an emoji is two positions", () => {
    const state = sharedState("a😀b");
    expect(state.doc.length).toBe(4);
    const deleteEmoji = state.update({ changes: { from: 1, to: 3 } });
    expect(toTextChanges(deleteEmoji.changes)).toEqual([{ from: 1, to: 3, insert: "" }]);
    const typeAfterEmoji = state.update({ changes: { from: 3, insert: "👍🏽" } });
    expect(toTextChanges(typeAfterEmoji.changes)).toEqual([{ from: 3, to: 3, insert: "👍🏽" }]);
    expect(typeAfterEmoji.state.doc.toString()).toBe("a😀👍🏽b");
  });

  it("keeps line breaks as typed, \\r included", () => {
    const state = sharedState("a\r\nb");
    // Rust counts the \r; so does a shared tab.
    expect(state.doc.length).toBe(4);
    const transaction = state.update({ changes: { from: 4, insert: "\r\nc\nd" } });
    expect(toTextChanges(transaction.changes)).toEqual([{ from: 4, to: 4, insert: "\r\nc\nd" }]);
    expect(transaction.state.doc.sliceString(0, undefined, SHARED_LINE_SEPARATOR)).toBe("a\r\nb\r\nc\nd");
  });

  it("gives nothing for a change set that changes nothing", () => {
    expect(toTextChanges(ChangeSet.empty(5))).toEqual([]);
  });
});

describe("toChangeSet", () => {
  it("reads Rust's changes back into the same change set", () => {
    const text = "héllo 😀 wörld\n";
    const changes = [
      { from: 1, to: 2, insert: "e" },
      { from: 6, to: 8, insert: "🙂🙂" },
      { from: 15, to: 15, insert: "!" },
    ];
    const set = toChangeSet(changes, text.length);
    expect(toTextChanges(set)).toEqual(changes);
    expect(set.apply(sharedState(text).doc).toString()).toBe("hello 🙂🙂 wörld\n!");
  });

  it("refuses changes that do not fit the text", () => {
    expect(() => toChangeSet([{ from: 3, to: 9, insert: "" }], 5)).toThrow(RangeError);
  });
});
