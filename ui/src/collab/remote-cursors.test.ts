import { EditorState } from "@codemirror/state";
import type { Decoration } from "@codemirror/view";
import { describe, expect, it } from "vitest";
import type { Peer } from "../bindings";
import { cursorsIn, remoteCursorField, setRemoteCursors } from "./remote-cursors";

function peer(overrides: Partial<Peer> = {}): Peer {
  return { clientId: 1, participantId: 7, name: "Ana", color: "#e5484d", path: "a.ts", anchor: 2, head: 5, typing: false, idleMs: 0, ...overrides };
}

function decorations(state: EditorState): { from: number; to: number; kind: string }[] {
  const found: { from: number; to: number; kind: string }[] = [];
  state.field(remoteCursorField).between(0, state.doc.length, (from, to, value: Decoration) => {
    found.push({ from, to, kind: from === to ? "caret" : String(value.spec.class) });
  });
  return found;
}

describe("cursorsIn", () => {
  it("keeps the peers in this file who were active lately, clamped to the text", () => {
    const peers = [
      peer(),
      peer({ clientId: 2, name: "Bo", path: "b.ts" }),
      peer({ clientId: 3, name: "Cy", idleMs: 31_000 }),
      peer({ clientId: 4, name: "Di", anchor: 80, head: 99 }),
      peer({ clientId: 5, name: "Ed", anchor: null, head: 1 }),
    ];
    expect(cursorsIn("a.ts", peers, 10)).toEqual([
      { clientId: 1, name: "Ana", color: "#e5484d", anchor: 2, head: 5 },
      { clientId: 4, name: "Di", color: "#e5484d", anchor: 10, head: 10 },
      { clientId: 5, name: "Ed", color: "#e5484d", anchor: 1, head: 1 },
    ]);
  });
});

describe("remoteCursorField", () => {
  it("draws a selection mark and a caret per peer", () => {
    let state = EditorState.create({ doc: "0123456789", extensions: remoteCursorField });
    state = state.update({ effects: setRemoteCursors.of(cursorsIn("a.ts", [peer(), peer({ clientId: 2, name: "Bo", anchor: 8, head: 8 })], 10)) }).state;
    expect(decorations(state)).toEqual([
      { from: 2, to: 5, kind: "cm-remote-selection" },
      { from: 5, to: 5, kind: "caret" },
      { from: 8, to: 8, kind: "caret" },
    ]);
  });

  it("moves them with edits until the next presence update, and replaces them then", () => {
    let state = EditorState.create({ doc: "0123456789", extensions: remoteCursorField });
    state = state.update({ effects: setRemoteCursors.of(cursorsIn("a.ts", [peer()], 10)) }).state;
    state = state.update({ changes: { from: 0, insert: "ab" } }).state;
    expect(decorations(state)).toEqual([
      { from: 4, to: 7, kind: "cm-remote-selection" },
      { from: 7, to: 7, kind: "caret" },
    ]);
    state = state.update({ effects: setRemoteCursors.of([]) }).state;
    expect(decorations(state)).toEqual([]);
  });
});
