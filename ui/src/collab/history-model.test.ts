import { describe, expect, it } from "vitest";
import type { DiffLine, FileDiff, Hunk, VersionInfo } from "../bindings";
import { canChangeHistory, changedFiles, diffSummary, exportFileName, lineCounts, sortVersions, versionTitle, withZipExtension } from "./history-model";

function version(id: number, createdAt: number, options: Partial<VersionInfo> = {}): VersionInfo {
  return { id, createdAt, message: "", author: "Ada", automatic: true, ...options };
}

function line(kind: DiffLine["kind"]): DiffLine {
  return { kind, oldLine: kind === "added" ? null : 1, newLine: kind === "removed" ? null : 1, html: "x" };
}

function hunk(...kinds: DiffLine["kind"][]): Hunk {
  return { oldStart: 0, oldCount: 0, newStart: 0, newCount: 0, replacement: "", lines: kinds.map(line) };
}

function file(path: string, status: FileDiff["status"], hunks: Hunk[] = []): FileDiff {
  return { path, status, hunks };
}

describe("the timeline", () => {
  it("lists the newest version first, the later id first at the same time", () => {
    const sorted = sortVersions([version(1, 100), version(3, 300), version(2, 300), version(4, 200)]);
    expect(sorted.map((v) => v.id)).toEqual([3, 2, 4, 1]);
  });

  it("names a version by its message, else by its kind", () => {
    expect(versionTitle(version(1, 0, { message: "  before refactor " }))).toBe("before refactor");
    expect(versionTitle(version(1, 0))).toBe("Automatic checkpoint");
    expect(versionTitle(version(1, 0, { automatic: false }))).toBe("Saved version");
  });

  it("lets editors and owners save and restore, not viewers", () => {
    expect(canChangeHistory("owner")).toBe(true);
    expect(canChangeHistory("editor")).toBe(true);
    expect(canChangeHistory("viewer")).toBe(false);
  });
});

describe("the diff against now", () => {
  const files = [
    file("src/z.ts", "modified", [hunk("context", "removed", "added", "added"), hunk("removed")]),
    file("README.md", "unchanged"),
    file("new.ts", "added", [hunk("added", "added")]),
    file("gone.ts", "removed", [hunk("removed", "removed", "removed")]),
  ];

  it("lists only the files that changed, by path", () => {
    expect(changedFiles(files).map((f) => [f.path, f.status])).toEqual([
      ["gone.ts", "removed"],
      ["new.ts", "added"],
      ["src/z.ts", "modified"],
    ]);
  });

  it("counts added and removed lines, context excluded", () => {
    expect(lineCounts(files[0]!)).toEqual({ added: 2, removed: 2 });
  });

  it("sums the changes up in a line", () => {
    expect(diffSummary(files)).toBe("3 files changed · +4 −5");
    expect(diffSummary([files[2]!])).toBe("1 file changed · +2 −0");
    expect(diffSummary([file("a", "unchanged")])).toBe("The files are the same as now.");
  });
});

describe("the export", () => {
  it("suggests a file name from the project and the day", () => {
    const day = new Date(2025, 2, 4, 15, 30).getTime();
    expect(exportFileName("My Café App", day)).toBe("my-cafe-app-session-2025-03-04.zip");
    expect(exportFileName("***", day)).toBe("project-session-2025-03-04.zip");
  });

  it("adds the .zip extension when it was left off", () => {
    expect(withZipExtension("/home/ada/session")).toBe("/home/ada/session.zip");
    expect(withZipExtension("/home/ada/session.ZIP")).toBe("/home/ada/session.ZIP");
  });
});
