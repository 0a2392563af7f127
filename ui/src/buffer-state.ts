import type { Text } from "@codemirror/state";

/**
 * Whether a buffer differs from the disk after a transaction changed it.
 *
 * A fresh edit always counts as a change: deciding that would need a
 * whole-document comparison per keystroke. Undo and redo may lead back to
 * the saved text, so only then is the document compared; Text.eq checks
 * length first and skips subtrees shared with the saved document, so this
 * is cheap in the common case.
 */
export function isDirtyAfterChange(doc: Text, savedDoc: Text, isUndoOrRedo: boolean): boolean {
  return isUndoOrRedo ? !doc.eq(savedDoc) : true;
}

export interface Replacement {
  from: number;
  to: number;
  insert: string;
}

/**
 * The single smallest replacement turning `before` into `after` (common
 * prefix and suffix kept), so cursors outside the changed region keep their place.
 */
export function minimalReplacement(before: string, after: string): Replacement {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  return { from: prefix, to: before.length - suffix, insert: after.slice(prefix, after.length - suffix) };
}
