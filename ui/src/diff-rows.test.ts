import { describe, expect, it } from "vitest";
import type { DiffLine, LineKind } from "./bindings";
import { hunkHeader, sideBySideRows } from "./diff-rows";

function line(kind: LineKind, oldLine: number | null, newLine: number | null): DiffLine {
  return { kind, oldLine, newLine, html: `${kind} ${oldLine ?? "-"}/${newLine ?? "-"}` };
}

const labels = (rows: ReturnType<typeof sideBySideRows>) => rows.map((row) => [row.left?.html ?? null, row.right?.html ?? null]);

describe("sideBySideRows", () => {
  it("puts context on both sides and pairs removed with added lines in order", () => {
    const rows = sideBySideRows([
      line("context", 1, 1),
      line("removed", 2, null),
      line("removed", 3, null),
      line("added", null, 2),
      line("context", 4, 3),
    ]);
    expect(labels(rows)).toEqual([
      ["context 1/1", "context 1/1"],
      ["removed 2/-", "added -/2"],
      ["removed 3/-", null],
      ["context 4/3", "context 4/3"],
    ]);
  });

  it("leaves the left side blank for pure additions and starts a new pairing after context", () => {
    const rows = sideBySideRows([line("added", null, 1), line("added", null, 2), line("context", 1, 3), line("removed", 2, null)]);
    expect(labels(rows)).toEqual([
      [null, "added -/1"],
      [null, "added -/2"],
      ["context 1/3", "context 1/3"],
      ["removed 2/-", null],
    ]);
  });

  it("handles an empty hunk", () => {
    expect(sideBySideRows([])).toEqual([]);
  });
});

describe("hunkHeader", () => {
  it("names where the hunk starts and how many lines each side spans", () => {
    expect(hunkHeader([line("context", 9, 9), line("removed", 10, null), line("added", null, 10), line("added", null, 11)])).toBe("@@ -9,2 +9,3 @@");
    expect(hunkHeader([line("added", null, 1)])).toBe("@@ -0,0 +1,1 @@");
  });
});
