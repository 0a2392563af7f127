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
