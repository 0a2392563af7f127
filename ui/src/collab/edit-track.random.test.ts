// Seeded randomized convergence tests: one window (EditTrack) and Rust, with
// peers editing Rust's text while the window's edits are queued and on their
// way. SEED=<n> replays one run; ITERATIONS=<n> runs more.
import { type ChangeSet, EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import type { TextChange } from "../bindings";
import { EditTrack, type PendingEdit } from "./edit-track";
import { SHARED_LINE_SEPARATOR, toChangeSet, toTextChanges } from "./text-changes";

// Vitest runs in Node; the UI's tsconfig has no Node types.
declare const process: { env: Record<string, string | undefined> };

const ITERATIONS = Number(process.env.ITERATIONS ?? 300);
const FIXED_SEED = process.env.SEED === undefined ? null : Number(process.env.SEED);

/** mulberry32: small, fast, good enough to pick edits. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function apply(text: string, changes: ChangeSet): string {
  const doc = EditorState.create({ doc: text, extensions: EditorState.lineSeparator.of(SHARED_LINE_SEPARATOR) }).doc;
  return changes.apply(doc).sliceString(0, undefined, SHARED_LINE_SEPARATOR);
}

const PIECES = ["a", "b", "xyz", "\n", "😀", "é", " ", "\r\n"];

/** One or two non-overlapping random changes to `text`. */
function randomChanges(next: () => number, text: string): TextChange[] {
  const pick = () => Math.floor(next() * (text.length + 1));
  const one = (from: number, limit: number): TextChange => {
    const to = Math.min(limit, from + Math.floor(next() * 4));
    const insert = next() < 0.7 ? PIECES[Math.floor(next() * PIECES.length)]! : "";
    return { from, to, insert: from === to && insert === "" ? "q" : insert };
  };
  const first = pick();
  if (next() < 0.7 || first >= text.length) return [one(first, text.length)];
  const second = first + 1 + Math.floor(next() * (text.length - first));
  const a = one(first, second - 1);
  return [a, one(Math.max(second, a.to), text.length)];
}

/** A `text` event (changes) or a `reset` event (the whole text), with the file's seq after it. */
type Event = { seq: number; changes: TextChange[] } | { seq: number; text: string };

interface Reply {
  applied: boolean;
  seq: number;
}

/**
 * Rust as the protocol has it: an edit carries how many of the file's remote
 * change sets it was made after, and is refused (with Rust's count) when
 * Rust has made others since.
 */
class Rust {
  private seq = 0;

  constructor(public text: string) {}

  peerEdit(changes: TextChange[]): Event {
    this.text = apply(this.text, toChangeSet(changes, this.text.length));
    return { seq: ++this.seq, changes };
  }

  /** A peer deleted the file and created it again. */
  replace(text: string): Event {
    this.text = text;
    return { seq: ++this.seq, text };
  }

  windowEdit(changes: TextChange[], seen: number): Reply {
    if (seen !== this.seq) return { applied: false, seq: this.seq };
    this.text = apply(this.text, toChangeSet(changes, this.text.length));
    return { applied: true, seq: this.seq };
  }
}

function run(seed: number): { window: string; rust: string } {
  const next = random(seed);
  const start = "fn main() {\n    hello();\n}\n";
  const rust = new Rust(start);
  const track = new EditTrack();
  let window = start;
  const toRust: { edit: PendingEdit; changes: TextChange[]; seen: number }[] = [];
  const replies: { edit: PendingEdit; reply: Reply }[] = [];
  const events: Event[] = [];
  const applyRemote = (remote: ChangeSet | null) => {
    if (remote) window = apply(window, remote);
  };

  const steps: Record<string, () => void> = {
    type() {
      const set = toChangeSet(randomChanges(next, window), window.length);
      track.add(set);
      window = apply(window, set);
    },
    send() {
      const edit = track.next();
      if (edit) toRust.push({ edit, ...track.send(edit) });
    },
    rustApplies() {
      const message = toRust.shift();
      if (message) replies.push({ edit: message.edit, reply: rust.windowEdit(message.changes, message.seen) });
    },
    peerTypes() {
      events.push(next() < 0.05 ? rust.replace(`recreated ${seed}\n`) : rust.peerEdit(randomChanges(next, rust.text)));
    },
    reply() {
      const message = replies.shift();
      if (message) applyRemote(track.settled(message.edit, window.length, message.reply));
    },
    event() {
      const event = events.shift();
      if (!event) return;
      expect(event.seq).toBe(track.seq + 1);
      if ("text" in event) {
        track.reset(event.seq);
        window = event.text;
      } else {
        applyRemote(track.remote(event.changes, window.length));
      }
    },
  };
  const names = Object.keys(steps);
  for (let step = 0; step < 60; step++) steps[names[Math.floor(next() * names.length)]!]!();
  // Everything still on its way arrives, in whatever order the channels allow.
  while (track.next() || toRust.length > 0 || replies.length > 0 || events.length > 0) {
    steps[["send", "rustApplies", "reply", "event"][Math.floor(next() * 4)]!]!();
  }
  return { window, rust: rust.text };
}

function seeds(): number[] {
  if (FIXED_SEED !== null) return [FIXED_SEED];
  return Array.from({ length: ITERATIONS }, (_, index) => 1 + index * 7919);
}

describe("EditTrack, randomized", () => {
  it("converges with Rust under versioned edits, through files replaced by peers", () => {
    for (const seed of seeds()) {
      const { window, rust } = run(seed);
      expect(window, `SEED=${seed}`).toBe(rust);
    }
  });

  it("round-trips every random change set through the contract's form", () => {
    const next = random(FIXED_SEED ?? 42);
    let text = "start\n";
    for (let step = 0; step < 200; step++) {
      const set = toChangeSet(randomChanges(next, text), text.length);
      expect(toChangeSet(toTextChanges(set), text.length).toJSON()).toEqual(set.toJSON());
      text = apply(text, set);
    }
  });
});
