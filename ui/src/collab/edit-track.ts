import type { ChangeSet } from "@codemirror/state";
import type { TextChange } from "../bindings";
import { toChangeSet, toTextChanges } from "./text-changes";

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

/** What to send for an edit: its changes as they stand, and how many remote change sets they were made after. */
export interface Outgoing {
  changes: TextChange[];
  seen: number;
}

export interface RemoteChanges {
  /** The remote changes as they apply to the editor's text. */
  changes: ChangeSet;
  /**
   * Whether Rust made them before or after one of our edits cannot be told
   * (see EditTrack): the editor and Rust may now differ.
   */
  uncertain: boolean;
}

/**
 * The editor's text of a shared file is Rust's text plus the local edits
 * still on their way (sent one call at a time, in order). Remote changes are
 * made against Rust's text; here they are rebased over those edits (and the
 * edits over them) with CodeMirror's ChangeSet.map: remote insertions go
 * first where both insert at one place, as they reached the document first.
 *
 * Two ways to know which of our edits Rust's text had:
 * - today's contract: an edit counts as applied once its call returned.
 *   Rust applies an edit at its offsets as they are, so a remote change made
 *   while one of our edits was on its way may land differently on the two
 *   sides; every remote change after an edit was sent is `uncertain` until
 *   the editor was compared with Rust again (`synced`).
 * - `versioned` (the proposed protocol): each edit carries `seen`, the number
 *   of remote change sets of the file it was made after; Rust applies it only
 *   if it emitted no other since, and otherwise refuses it. Remote changes
 *   that arrive while an edit is on its way are held until its call tells
 *   whether it was applied; a refused edit is rebased and sent again. No
 *   transformation happens in Rust, and the two sides always agree.
 */
export class EditTrack {
  private pending: PendingEdit[] = [];
  private made = 0;
  /** Remote change sets applied so far. */
  private received = 0;
  /** An edit was sent since the editor was last known to match Rust. */
  private sentSinceSync = false;
  /** Versioned: remote change sets that came while an edit was on its way. */
  private held: TextChange[][] = [];
  /** Versioned: a refused edit waits until this many remote change sets arrived. */
  private waitFor = 0;

  constructor(private readonly versioned = false) {}

  /** Edits not known to be in Rust's text. */
  get busy(): boolean {
    return this.pending.length > 0;
  }

  /** The next edit to send, when one waits and none is on its way. */
  next(): PendingEdit | null {
    const first = this.pending.find((edit) => !edit.inFlight);
    if (!first || this.pending.some((edit) => edit.inFlight)) return null;
    if (this.versioned && this.received < this.waitFor) return null;
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
    this.sentSinceSync = true;
    return { changes: toTextChanges(edit.changes), seen: this.received };
  }

  /**
   * Its call returned. `applied` false (versioned only): Rust refused it
   * because `seq` remote change sets had been made by then; it is sent again
   * once they arrived. Returns the remote changes held meanwhile, rebased, to
   * apply to an editor whose text is `documentLength` long.
   */
  settled(edit: PendingEdit, documentLength: number, outcome: { applied: boolean; seq?: number } = { applied: true }): RemoteChanges | null {
    edit.inFlight = false;
    if (outcome.applied) this.forget(edit);
    else this.waitFor = Math.max(this.waitFor, outcome.seq ?? this.received + 1);
    const held = this.held;
    this.held = [];
    let combined: ChangeSet | null = null;
    let length = documentLength;
    for (const changes of held) {
      const rebased = this.rebase(changes, length);
      combined = combined ? combined.compose(rebased) : rebased;
      length = rebased.newLength;
    }
    return combined ? { changes: combined, uncertain: false } : null;
  }

  /** Its call failed: Rust did not apply it (the editor now differs from Rust). */
  failed(edit: PendingEdit, documentLength: number): RemoteChanges | null {
    return this.settled(edit, documentLength, { applied: true });
  }

  /** The editor was compared with Rust's text (and made equal) with no edit pending. */
  synced(): void {
    this.sentSinceSync = false;
  }

  /**
   * Remote `changes` against Rust's text, for an editor whose text is
   * `documentLength` long; null while they are held (versioned, an edit on
   * its way). Throws a RangeError when they do not fit.
   */
  remote(changes: readonly TextChange[], documentLength: number): RemoteChanges | null {
    if (this.versioned && this.pending.some((edit) => edit.inFlight)) {
      this.held.push([...changes]);
      return null;
    }
    const uncertain = !this.versioned && this.sentSinceSync;
    return { changes: this.rebase(changes, documentLength), uncertain };
  }

  private rebase(changes: readonly TextChange[], documentLength: number): ChangeSet {
    const baseLength = this.pending[0]?.changes.length ?? documentLength;
    let remote = toChangeSet(changes, baseLength);
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
