import { type Extension, type Range, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, EditorView, WidgetType } from "@codemirror/view";
import type { Peer } from "../bindings";
import { h } from "../dom";
import { isCursorVisible, safeColor, selectionColor } from "./presence";

/** A peer's caret and selection in one file, in the editor's offsets. */
export interface RemoteCursor {
  clientId: number;
  name: string;
  /** CSS, already checked (see safeColor). */
  color: string;
  anchor: number;
  head: number;
}

/** Replaces the remote cursors drawn in a tab's state. */
export const setRemoteCursors = StateEffect.define<readonly RemoteCursor[]>();

/**
 * The cursors to draw in `path`: peers there who were active in the last 30 s,
 * positions clamped to the text (Rust resolved them in its own text, which
 * may still lack our latest edits).
 */
export function cursorsIn(path: string, peers: readonly Peer[], length: number): RemoteCursor[] {
  const clamp = (position: number) => Math.max(0, Math.min(position, length));
  return peers
    .filter((peer) => peer.path === path && isCursorVisible(peer))
    .map((peer) => ({
      clientId: peer.clientId,
      name: peer.name,
      color: safeColor(peer.color),
      head: clamp(peer.head!),
      anchor: clamp(peer.anchor ?? peer.head!),
    }));
}

class CaretWidget extends WidgetType {
  constructor(
    readonly name: string,
    readonly color: string,
  ) {
    super();
  }

  override eq(other: CaretWidget): boolean {
    return other.name === this.name && other.color === this.color;
  }

  toDOM(): HTMLElement {
    // The word joiner gives the caret a line's height without taking any width.
    const caret = h("span", { className: "cm-remote-cursor", attributes: { "aria-hidden": "true" } }, "\u2060", h("span", { className: "cm-remote-cursor-label", text: this.name }));
    caret.style.setProperty("--peer-color", this.color);
    return caret;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

function decorationsFor(cursors: readonly RemoteCursor[]): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const cursor of cursors) {
    const from = Math.min(cursor.anchor, cursor.head);
    const to = Math.max(cursor.anchor, cursor.head);
    if (from < to) {
      const mark = Decoration.mark({
        class: "cm-remote-selection",
        attributes: { style: `--peer-selection: ${selectionColor(cursor.color)}`, "data-client": String(cursor.clientId) },
      });
      ranges.push(mark.range(from, to));
    }
    ranges.push(Decoration.widget({ widget: new CaretWidget(cursor.name, cursor.color), side: 1 }).range(cursor.head));
  }
  return Decoration.set(ranges, true);
}

/** The decorations; they follow edits between two presence updates. */
export const remoteCursorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let next = transaction.docChanged ? decorations.map(transaction.changes) : decorations;
    for (const effect of transaction.effects) if (effect.is(setRemoteCursors)) next = decorationsFor(effect.value);
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function remoteCursors(): Extension {
  return remoteCursorField;
}
