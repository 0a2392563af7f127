// Subsequence matching in the spirit of fzf/VS Code quick open: every query
// character must appear in order; the best alignment is found with dynamic
// programming so "consecutive" and "word start" placements win over the first
// occurrence a greedy scan would take.

export interface FuzzyMatch {
  score: number;
  /** Indices into the target of the matched characters, ascending. */
  positions: number[];
}

const MATCH = 16;
const CONSECUTIVE = 14;
const SEGMENT_START = 12; // first character of the target or after '/'
const WORD_START = 9; // after a separator or at a camelCase hump
const EXACT_CASE = 1;
const GAP_START = 4;
const GAP_EXTEND = 1;
// Per target character, so the shorter of two equally good paths ranks first.
const LENGTH_PENALTY = 0.2;
// Beyond this the quadratic table is not worth it; such targets are matched greedily.
const MAX_ALIGNED_LENGTH = 512;

const NONE = -Infinity;

function isSeparator(character: string): boolean {
  return character === "/" || character === "_" || character === "-" || character === "." || character === " ";
}

function boundaryBonus(target: string, index: number): number {
  if (index === 0) return SEGMENT_START;
  const previous = target[index - 1]!;
  if (previous === "/") return SEGMENT_START;
  if (isSeparator(previous)) return WORD_START;
  const current = target[index]!;
  const isHump = current !== current.toLowerCase() && previous === previous.toLowerCase() && previous !== previous.toUpperCase();
  return isHump ? WORD_START : 0;
}

export function fuzzyMatch(query: string, target: string): FuzzyMatch | null {
  if (query === "") return { score: 0, positions: [] };
  if (query.length > target.length) return null;
  const lowerQuery = query.toLowerCase();
  const lowerTarget = target.toLowerCase();
  if (!isSubsequence(lowerQuery, lowerTarget)) return null;
  if (target.length > MAX_ALIGNED_LENGTH) return greedyMatch(query, target, lowerQuery, lowerTarget);

  const queryLength = query.length;
  const targetLength = target.length;
  // score[i][j]: best score of query[0..i] with query[i] placed on target[j].
  // from[i][j]: where query[i-1] was placed in that best alignment.
  const score: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let i = 0; i < queryLength; i++) {
    const row = new Float64Array(targetLength).fill(NONE);
    const origin = new Int32Array(targetLength).fill(-1);
    const previousRow = i > 0 ? score[i - 1]! : null;
    // Best "previous row" score reachable with a gap, already charged for the gap so far.
    let gapBest = NONE;
    let gapBestIndex = -1;
    for (let j = i; j < targetLength; j++) {
      if (previousRow && j >= 2) {
        gapBest -= GAP_EXTEND;
        const candidate = previousRow[j - 2]! - GAP_START;
        if (candidate > gapBest) {
          gapBest = candidate;
          gapBestIndex = j - 2;
        }
      }
      if (lowerTarget[j] !== lowerQuery[i]) continue;
      const characterScore = MATCH + boundaryBonus(target, j) + (target[j] === query[i] ? EXACT_CASE : 0);
      if (!previousRow) {
        // A match that starts late costs like a gap, so "abc" beats "xxabc".
        row[j] = characterScore - (j > 0 ? GAP_START + j * GAP_EXTEND : 0) * 0.5;
        continue;
      }
      const adjacent = j >= 1 ? previousRow[j - 1]! : NONE;
      const viaAdjacent = adjacent === NONE ? NONE : adjacent + CONSECUTIVE;
      const viaGap = gapBest;
      if (viaAdjacent === NONE && viaGap === NONE) continue;
      if (viaAdjacent >= viaGap) {
        row[j] = viaAdjacent + characterScore;
        origin[j] = j - 1;
      } else {
        row[j] = viaGap + characterScore;
        origin[j] = gapBestIndex;
      }
    }
    score.push(row);
    from.push(origin);
  }

  const lastRow = score[queryLength - 1]!;
  let bestIndex = -1;
  let best = NONE;
  for (let j = 0; j < targetLength; j++) {
    if (lastRow[j]! > best) {
      best = lastRow[j]!;
      bestIndex = j;
    }
  }
  if (bestIndex < 0) return null;
  const positions = new Array<number>(queryLength);
  for (let i = queryLength - 1, j = bestIndex; i >= 0; i--) {
    positions[i] = j;
    j = from[i]![j]!;
  }
  return { score: best - targetLength * LENGTH_PENALTY, positions };
}

function isSubsequence(lowerQuery: string, lowerTarget: string): boolean {
  let position = 0;
  for (const character of lowerQuery) {
    position = lowerTarget.indexOf(character, position);
    if (position < 0) return false;
    position++;
  }
  return true;
}

function greedyMatch(query: string, target: string, lowerQuery: string, lowerTarget: string): FuzzyMatch {
  const positions: number[] = [];
  let score = 0;
  let position = 0;
  for (let i = 0; i < lowerQuery.length; i++) {
    const found = lowerTarget.indexOf(lowerQuery[i]!, position);
    const consecutive = positions.length > 0 && found === positions[positions.length - 1]! + 1;
    score += MATCH + boundaryBonus(target, found) + (consecutive ? CONSECUTIVE : 0) + (target[found] === query[i] ? EXACT_CASE : 0);
    positions.push(found);
    position = found + 1;
  }
  return { score: score - target.length * LENGTH_PENALTY, positions };
}

export interface Ranked<T> {
  item: T;
  match: FuzzyMatch;
}

/**
 * Items matching `query`, best first. Ties go to the shorter text, then to the
 * original order, so an empty query keeps the caller's order.
 */
export function fuzzyFilter<T>(items: readonly T[], query: string, textOf: (item: T) => string, limit = Infinity): Ranked<T>[] {
  const ranked: Array<Ranked<T> & { order: number; length: number }> = [];
  items.forEach((item, order) => {
    const text = textOf(item);
    const match = fuzzyMatch(query, text);
    if (match) ranked.push({ item, match, order, length: text.length });
  });
  if (query !== "") {
    ranked.sort((a, b) => b.match.score - a.match.score || a.length - b.length || a.order - b.order);
  }
  return ranked.slice(0, limit).map(({ item, match }) => ({ item, match }));
}
