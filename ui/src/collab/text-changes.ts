import { ChangeSet } from "@codemirror/state";
import type { TextChange } from "../bindings";

/**
 * The line separator of shared tabs. Rust counts every UTF-16 unit, `\r`
 * included, while CodeMirror counts a line break as one position whatever
 * it is made of; splitting lines on `\n` alone keeps a `\r` as an ordinary
 * character, so offsets mean the same on both sides.
 */
export const SHARED_LINE_SEPARATOR = "\n";

/** A change set as the contract's changes: ranges in the document before it, in order. */
export function toTextChanges(changes: ChangeSet): TextChange[] {
  const result: TextChange[] = [];
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    result.push({ from: fromA, to: toA, insert: inserted.sliceString(0, inserted.length, SHARED_LINE_SEPARATOR) });
  });
  return result;
}

/** Changes from Rust as a change set for a document of `length`; throws a RangeError when they do not fit it. */
export function toChangeSet(changes: readonly TextChange[], length: number): ChangeSet {
  return ChangeSet.of(
    changes.map((change) => ({ from: change.from, to: change.to, insert: change.insert })),
    length,
    SHARED_LINE_SEPARATOR,
  );
}
