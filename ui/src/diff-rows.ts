import type { DiffLine } from "./bindings";

/** One row of the side-by-side diff: the old line on the left, the new one on the right. */
export interface SideBySideRow {
  left: DiffLine | null;
  right: DiffLine | null;
}

/**
 * Pairs a hunk's lines for the side-by-side view. Context lines sit on both
 * sides; within each run of changes, the n-th removed line faces the n-th
 * added line, and the longer side faces blank cells.
 */
export function sideBySideRows(lines: readonly DiffLine[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let removed: DiffLine[] = [];
  let added: DiffLine[] = [];
  const flushChanges = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index++) {
      rows.push({ left: removed[index] ?? null, right: added[index] ?? null });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    if (line.kind === "removed") removed.push(line);
    else if (line.kind === "added") added.push(line);
    else {
      flushChanges();
      rows.push({ left: line, right: line });
    }
  }
  flushChanges();
  return rows;
}

/** "@@ -12,3 +12,4 @@" for a hunk, from the line numbers its lines carry. */
export function hunkHeader(lines: readonly DiffLine[]): string {
  const span = (numbers: number[]) => {
    if (numbers.length === 0) return "0,0";
    return `${numbers[0]},${numbers.length}`;
  };
  const oldLines = lines.flatMap((line) => (line.oldLine === null ? [] : [line.oldLine]));
  const newLines = lines.flatMap((line) => (line.newLine === null ? [] : [line.newLine]));
  return `@@ -${span(oldLines)} +${span(newLines)} @@`;
}
