import { describe, expect, it } from "vitest";
import { type FolderNode, buildFileTree, fileCount } from "./file-tree";

function outline(node: FolderNode, depth = 0): string[] {
  const pad = "  ".repeat(depth);
  return [
    ...node.folders.flatMap((child) => [`${pad}${child.name}/ (${child.path})`, ...outline(child, depth + 1)]),
    ...node.files.map((file) => `${pad}${file.path}`),
  ];
}

describe("buildFileTree", () => {
  it("nests files under their folders, folders first, sorted by name", () => {
    const tree = buildFileTree([
      { path: "src/main.ts", size: 10 },
      { path: "README.md", size: 5 },
      { path: "src/lib/util.ts", size: 3 },
      { path: "package.json", size: 2 },
      { path: "src/app.ts", size: 4 },
      { path: "assets/logo.svg", size: 7 },
    ]);
    expect(outline(tree)).toEqual([
      "assets/ (assets)",
      "  assets/logo.svg",
      "src/ (src)",
      "  lib/ (src/lib)",
      "    src/lib/util.ts",
      "  src/app.ts",
      "  src/main.ts",
      "README.md",
      "package.json",
    ]);
    expect(tree.files[0]).toEqual({ path: "README.md", size: 5 });
  });

  it("counts the files in a folder at any depth", () => {
    const tree = buildFileTree([{ path: "a/b/c.txt", size: 1 }, { path: "a/d.txt", size: 1 }, { path: "e.txt", size: 1 }]);
    expect(fileCount(tree)).toBe(3);
    expect(fileCount(tree.folders[0]!)).toBe(2);
  });

  it("keeps a repeated path once and ignores stray slashes", () => {
    const tree = buildFileTree([{ path: "/src//a.ts", size: 1 }, { path: "src/a.ts", size: 2 }, { path: "", size: 0 }]);
    expect(outline(tree)).toEqual(["src/ (src)", "  src/a.ts"]);
  });

  it("is an empty root for an empty manifest", () => {
    expect(buildFileTree([])).toEqual({ name: "", path: "", folders: [], files: [] });
  });
});
