import { ChangeSet, Text } from "@codemirror/state";
import type { TextChange } from "../bindings";
import { minimalReplacement } from "../minimal-change";
import { SHARED_LINE_SEPARATOR, toChangeSet, toTextChanges } from "./text-changes";

function textOf(text: string): Text {
  return Text.of(text.split(SHARED_LINE_SEPARATOR));
}

function stringOf(text: Text): string {
  return text.sliceString(0, text.length, SHARED_LINE_SEPARATOR);
}

/** The smallest change set turning `before` into `after`. */
function changesBetween(before: string, after: string): ChangeSet {
  return ChangeSet.of([minimalReplacement(before, after)], before.length, SHARED_LINE_SEPARATOR);
}

/** One local edit of a shared file that Rust may not have applied yet. */
export interface PendingEdit {
  /** 1-based, in the order the edits were made to the file. */
  readonly number: number;
  /**
   * Against Rust's text followed by the pending edits before this one;
   * rebased whenever remote changes arrive first.
   */
  changes: ChangeSet;
  /** Its collab_edit call is under way. */
  inFlight: boolean;
}

/** What to send for an edit: its changes as they stand, and the file's `seq` they were made after. */
export interface Outgoing {
  changes: TextChange[];
  seen: number;
}

/**
 * The editor's text of a shared file is Rust's text plus the local edits
 * still on their way (sent one call at a time, in order). Remote changes are
 * made against Rust's text; here they are rebased over those edits (and the
 * edits over them) with CodeMirror's ChangeSet.map: remote insertions go
 * first where both insert at one place, as they reached the document first.
 *
 * Rust counts the changes to each file the window did not make (`seq`; each
 * `text` event carries the count after it). An edit carries `seen`, the
 * count it was made after; Rust applies it only if the count is still that,
 * and otherwise refuses it with the count it has. Remote changes that arrive
 * while an edit is on its way are held until its call tells whether it was
 * applied (they came after it) or not (they came first: the edit is rebased
 * over them and sent again once all of them arrived). No transformation
 * happens in Rust, so the two sides always agree.
 */
export class EditTrack {
  private pending: PendingEdit[] = [];
  private made = 0;
  /** The file's seq of the last remote change applied. */
  private received: number;
  /** Remote change sets that came while an edit was on its way. */
  private held: TextChange[][] = [];
  /** A refused edit waits until the remote changes up to this seq arrived. */
  private waitFor = 0;
  /**
   * Rust's text as the window knows it (at `received`, without the pending
   * edits); null when unknown (not given, or changes that did not fit it).
   */
  private base: Text | null;

  /** `seq` and `text`: the count and text the editor starts from. */
  constructor(seq = 0, text?: string) {
    this.received = seq;
    this.base = text === undefined ? null : textOf(text);
  }

  /** Edits not known to be in Rust's text. */
  get busy(): boolean {
    return this.pending.length > 0;
  }

  /** The seq of the last remote change the window has, held ones included. */
  get seq(): number {
    return this.received + this.held.length;
  }

  /** A refused edit waits for remote changes not arrived yet. */
  get waiting(): boolean {
    return this.busy && this.received < this.waitFor;
  }

  /** The next edit to send, when one waits and none is on its way. */
  next(): PendingEdit | null {
    const first = this.pending.find((edit) => !edit.inFlight);
    if (!first || this.pending.some((edit) => edit.inFlight)) return null;
    if (this.received < this.waitFor) return null;
    return first;
  }

  /** A local edit, against the editor's text before it. */
  add(changes: ChangeSet): PendingEdit {
    const edit: PendingEdit = { number: ++this.made, changes, inFlight: false };
    this.pending.push(edit);
    return edit;
  }

  /** The edit is being sent now. */
  send(edit: PendingEdit): Outgoing {
    edit.inFlight = true;
    return { changes: toTextChanges(edit.changes), seen: this.received };
  }

  /**
   * Its call returned. Not `applied`: Rust refused it because its seq was
   * `seq` by then; it is sent again once those changes arrived. Returns the
   * remote changes held meanwhile, rebased, to apply to an editor whose text
   * is `documentLength` long.
   */
  settled(edit: PendingEdit, documentLength: number, outcome: { applied: boolean; seq: number } = { applied: true, seq: 0 }): ChangeSet | null {
    edit.inFlight = false;
    if (outcome.applied) {
      this.base = this.base?.length === edit.changes.length ? edit.changes.apply(this.base) : null;
      this.forget(edit);
    }
    else this.waitFor = Math.max(this.waitFor, outcome.seq);
    const held = this.held;
    this.held = [];
    let combined: ChangeSet | null = null;
    let length = documentLength;
    for (const changes of held) {
      const rebased = this.rebase(changes, length);
      combined = combined ? combined.compose(rebased) : rebased;
      length = rebased.newLength;
    }
    return combined;
  }

  /** Its call failed: Rust did not apply it; it stays pending (the next `resync` sends it again). */
  failed(edit: PendingEdit, documentLength: number): ChangeSet | null {
    return this.settled(edit, documentLength, { applied: false, seq: this.received });
  }

  /**
   * Remote `changes` against Rust's text, for an editor whose text is
   * `documentLength` long; null while they are held (an edit on its way).
   * Throws a RangeError when they do not fit.
   */
  remote(changes: readonly TextChange[], documentLength: number): ChangeSet | null {
    if (this.pending.some((edit) => edit.inFlight)) {
      this.held.push([...changes]);
      return null;
    }
    return this.rebase(changes, documentLength);
  }

  /** The editor was given Rust's whole `text` at `seq`: every pending edit and held change is dropped. */
  reset(seq: number, text?: string): void {
    this.pending = [];
    this.held = [];
    this.received = seq;
    this.waitFor = 0;
    this.base = text === undefined ? null : textOf(text);
  }

  /**
   * Rust's text is `text` at `seq` (read again, e.g. after a failure or a
   * rename) and the editor's is `editor`; no edit may be on its way. The
   * local edits (editor against the known base) and what Rust has beyond
   * that base are merged: the pending edits become one edit against `text`,
   * and the returned changes (for the editor) bring in what Rust has that
   * the editor lacks. Without a known base the editor simply takes `text`.
   */
  resync(text: string, seq: number, editor: Text): ChangeSet {
    const editorText = stringOf(editor);
    if (!this.base) {
      this.reset(seq, text);
      return changesBetween(editorText, text);
    }
    const base = stringOf(this.base);
    const ours = this.localChanges(this.base, editor) ?? changesBetween(base, editorText);
    const theirs = changesBetween(base, text);
    const toEditor = theirs.map(ours, true);
    const outgoing = ours.map(theirs);
    this.reset(seq, text);
    if (!outgoing.empty) this.add(outgoing);
    return toEditor;
  }

  /** The pending edits as one change set from `base` to `editor`; null when they do not lead there. */
  private localChanges(base: Text, editor: Text): ChangeSet | null {
    let combined = ChangeSet.empty(base.length);
    for (const edit of this.pending) {
      if (edit.changes.length !== combined.newLength) return null;
      combined = combined.compose(edit.changes);
    }
    return combined.newLength === editor.length && combined.apply(base).eq(editor) ? combined : null;
  }

  private rebase(changes: readonly TextChange[], documentLength: number): ChangeSet {
    const baseLength = this.pending[0]?.changes.length ?? documentLength;
    let remote = toChangeSet(changes, baseLength);
    this.base = this.base?.length === baseLength ? remote.apply(this.base) : null;
    for (const edit of this.pending) {
      const rebased = edit.changes.map(remote);
      remote = remote.map(edit.changes, true);
      edit.changes = rebased;
    }
    this.received++;
    return remote;
  }

  private forget(edit: PendingEdit): void {
    this.pending = this.pending.filter((candidate) => candidate !== edit);
  }
}
