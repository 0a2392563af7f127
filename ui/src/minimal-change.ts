export interface Replacement {
  from: number;
  to: number;
  insert: string;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * The single smallest replacement turning `before` into `after` (common
 * prefix and suffix kept), so cursors, folds and undo history outside the
 * changed region stay as they were. A character outside the Basic
 * Multilingual Plane (two UTF-16 units) is never split between the kept and
 * the replaced part.
 */
export function minimalReplacement(before: string, after: string): Replacement {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && prefix < before.length && isLowSurrogate(before.charCodeAt(prefix))) prefix--;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  if (suffix > 0 && suffix < before.length - prefix && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  return { from: prefix, to: before.length - suffix, insert: after.slice(prefix, after.length - suffix) };
}
