import { completeAnyWord, type Completion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";

// completeAnyWord scans the whole document: ~0.7 s the first time and tens of
// milliseconds per keystroke after that on a 5 MB file, which makes typing
// stutter. Past this size only the text around the cursor is scanned.
const WHOLE_DOCUMENT_LIMIT = 250_000;
const WINDOW = 60_000;
const MAX_OPTIONS = 2000;
const WORD_BEFORE = /[\p{L}\p{N}_]+$/u;
const WORDS = /[\p{L}\p{N}_]+/gu;

/** Word completion from the document's own words, bounded in cost for large files. */
export function completeWords(context: CompletionContext): CompletionResult | null | Promise<CompletionResult | null> {
  if (context.state.doc.length <= WHOLE_DOCUMENT_LIMIT) return completeAnyWord(context);
  const word = context.matchBefore(WORD_BEFORE);
  if (!word && !context.explicit) return null;
  const from = word ? word.from : context.pos;
  const windowStart = Math.max(0, context.pos - WINDOW);
  const text = context.state.sliceDoc(windowStart, Math.min(context.state.doc.length, context.pos + WINDOW));
  return { from, options: wordsIn(text, from - windowStart), validFor: /^[\p{L}\p{N}_]*$/u };
}

/** Distinct words of `text`, skipping the word being typed (the one starting at wordStart). */
export function wordsIn(text: string, wordStart: number): Completion[] {
  const seen = new Set<string>();
  const options: Completion[] = [];
  for (const match of text.matchAll(WORDS)) {
    if (match.index === wordStart) continue;
    if (match[0].length < 2 || seen.has(match[0])) continue;
    seen.add(match[0]);
    options.push({ label: match[0], type: "text" });
    if (options.length >= MAX_OPTIONS) break;
  }
  return options;
}
