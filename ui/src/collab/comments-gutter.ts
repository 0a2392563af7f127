// Comment markers beside the code of a shared project.
//
// Part of every shared tab's extensions (shared-documents.ts), which gives
// each tab its file's threads on every `comments` event and when the role
// changes. Every EditorState keeps its own markers and maps them through its
// edits, so switching tabs needs no extra call.
//
// Positions are UTF-16 offsets, as in CodeMirror and the contract. A marker follows the
// character after it (a yrs sticky index with assoc ≥ 0 does the same), so text typed
// or pasted at the start of a commented line pushes the marker down with that line.

import { RangeSet, StateEffect, StateField, type EditorState, type Extension } from "@codemirror/state";
import { type BlockInfo, type EditorView, gutter, GutterMarker, lineNumbers } from "@codemirror/view";
import type { CommentThread } from "../bindings";
import { icon } from "../icons";

/** Where a thread is in this editor state: its index, mapped through edits made since it arrived. */
export interface AnchoredThread {
  id: string;
  pos: number;
  resolved: boolean;
}

export interface CommentAnchors {
  threads: readonly AnchoredThread[];
  /** Whether clicking a line without a thread offers to add a comment (in a session, not as a viewer). */
  canAdd: boolean;
}

interface ThreadsUpdate {
  threads: readonly CommentThread[];
  canAdd: boolean;
}

const setThreadsEffect = StateEffect.define<ThreadsUpdate>();

const EMPTY: CommentAnchors = { threads: [], canAdd: false };

/** The threads of the file this state shows; replaced by each update, mapped through edits in between. */
export const commentAnchors = StateField.define<CommentAnchors>({
  create: () => EMPTY,
  update(value, transaction) {
    let next = value;
    if (transaction.docChanged && value.threads.length > 0) {
      next = { ...value, threads: value.threads.map((thread) => ({ ...thread, pos: transaction.changes.mapPos(thread.pos, 1) })) };
    }
    for (const effect of transaction.effects) {
      if (!effect.is(setThreadsEffect)) continue;
      // Indexes come from the shared doc; a local edit not yet applied there can put one past the end.
      const length = transaction.state.doc.length;
      next = {
        canAdd: effect.value.canAdd,
        threads: effect.value.threads.map((thread) => ({ id: thread.id, pos: Math.max(0, Math.min(thread.index, length)), resolved: thread.resolved })),
      };
    }
    return next;
  },
});

/** The effect that gives a tab's state its file's threads. */
export function threadsEffect(threads: readonly CommentThread[], canAdd = true): StateEffect<ThreadsUpdate> {
  return setThreadsEffect.of({ threads, canAdd });
}

/** The threads of one file, out of all the project's. */
export function threadsForPath(threads: readonly CommentThread[], path: string): CommentThread[] {
  return threads.filter((thread) => thread.path === path);
}

/** Unresolved thread ids by 1-based line number, in document order (what the gutter marks). */
export function threadsByLine(state: EditorState): Map<number, string[]> {
  const anchors = state.field(commentAnchors, false) ?? EMPTY;
  const byLine = new Map<number, string[]>();
  const open = anchors.threads.filter((thread) => !thread.resolved).sort((a, b) => a.pos - b.pos);
  for (const thread of open) {
    const line = state.doc.lineAt(thread.pos).number;
    const ids = byLine.get(line);
    if (ids) ids.push(thread.id);
    else byLine.set(line, [thread.id]);
  }
  return byLine;
}

class ThreadMarker extends GutterMarker {
  constructor(readonly ids: readonly string[]) {
    super();
  }

  override eq(other: GutterMarker): boolean {
    return other instanceof ThreadMarker && other.ids.join("\n") === this.ids.join("\n");
  }

  override toDOM(): Node {
    const count = this.ids.length;
    const label = count === 1 ? "Open the comment thread" : `Open the first of ${count} comment threads`;
    const marker = document.createElement("span");
    marker.className = "cm-comment-marker";
    marker.dataset.testid = "comment-marker";
    marker.dataset.threadId = this.ids[0]!;
    marker.title = label;
    marker.setAttribute("aria-label", label);
    marker.append(icon("chat"));
    if (count > 1) {
      const badge = document.createElement("span");
      badge.className = "cm-comment-count";
      badge.textContent = String(count);
      marker.append(badge);
    }
    return marker;
  }
}

class AddMarker extends GutterMarker {
  override eq(other: GutterMarker): boolean {
    return other instanceof AddMarker;
  }

  override toDOM(): Node {
    const marker = document.createElement("span");
    marker.className = "cm-comment-add";
    marker.dataset.testid = "comment-add-marker";
    marker.title = "Add a comment on this line";
    marker.append(icon("plus"));
    return marker;
  }
}

const addMarker = new AddMarker();

// The gutter asks for its markers on every view update; they only change with the field.
const markerCache = new WeakMap<CommentAnchors, RangeSet<GutterMarker>>();

function threadMarkers(view: EditorView): RangeSet<GutterMarker> {
  const anchors = view.state.field(commentAnchors, false) ?? EMPTY;
  let markers = markerCache.get(anchors);
  if (!markers) {
    const ranges = [...threadsByLine(view.state)].map(([line, ids]) => new ThreadMarker(ids).range(view.state.doc.line(line).from));
    markers = RangeSet.of(ranges, true);
    markerCache.set(anchors, markers);
  }
  return markers;
}

export interface CommentGutterHandlers {
  /** A marker was clicked: show that thread. */
  open(threadId: string): void;
  /** A line without an open thread was clicked: start a comment there (`index` = the line's start). */
  add(target: { line: number; index: number }): void;
}

/** What a click on a line (comment gutter or line number) does: open its thread, or start a comment. */
function clickLine(view: EditorView, block: BlockInfo, event: Event, handlers: CommentGutterHandlers): boolean {
  if (event instanceof MouseEvent && event.button !== 0) return false;
  const anchors = view.state.field(commentAnchors, false);
  if (!anchors) return false;
  const line = view.state.doc.lineAt(block.from);
  const ids = threadsByLine(view.state).get(line.number);
  if (ids) {
    handlers.open(ids[0]!);
    return true;
  }
  if (!anchors.canAdd) return false;
  handlers.add({ line: line.number, index: line.from });
  return true;
}

/** The comment gutter, plus the same click behaviour on line numbers. */
export function commentsGutter(handlers: CommentGutterHandlers): Extension {
  const click = (view: EditorView, block: BlockInfo, event: Event) => clickLine(view, block, event, handlers);
  return [
    commentAnchors,
    gutter({
      class: "cm-comments-gutter",
      markers: threadMarkers,
      lineMarker: (view, _line, others) => (others.length === 0 && (view.state.field(commentAnchors, false) ?? EMPTY).canAdd ? addMarker : null),
      lineMarkerChange: (update) => update.startState.field(commentAnchors, false) !== update.state.field(commentAnchors, false),
      domEventHandlers: { click },
    }),
    // Merged into the editor's own line-number gutter (its handlers are combined, not replaced).
    lineNumbers({ domEventHandlers: { click } }),
  ];
}
