// `@path` in a chat message asks the assistant to read that project file
// (Rust splits the message on whitespace and takes words starting with "@").

/** The `@path` word the caret is in. */
export interface Mention {
  /** Index of the "@". */
  start: number;
  /** End of the word (the next whitespace or the end of the text). */
  end: number;
  /** What is typed between the "@" and the caret. */
  query: string;
}

/** The mention being typed at `caret`, or null when the caret is not in a word that starts with "@". */
export function mentionAt(text: string, caret: number): Mention | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  if (text[start] !== "@" || start === caret) return null;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { start, end, query: text.slice(start + 1, caret) };
}

/** Replaces the mention's word with `@path` and a space; returns the new text and where the caret goes. */
export function completeMention(text: string, mention: Mention, path: string): { text: string; caret: number } {
  const before = `${text.slice(0, mention.start)}@${path}`;
  const after = text.slice(mention.end);
  const separator = /^\s/.test(after) ? "" : " ";
  return { text: before + separator + after, caret: before.length + 1 };
}
