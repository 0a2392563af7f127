import { describe, expect, it } from "vitest";
import type { TreeEntry } from "./bindings";
import { buildTree, TreeModel } from "./tree-model";

function entry(path: string, kind: "file" | "dir", ignored = false): TreeEntry {
  const segments = path.split("/");
  return { path, name: segments[segments.length - 1]!, kind, depth: segments.length - 1, ignored };
}

const listing: TreeEntry[] = [
  entry("node_modules", "dir", true),
  entry("src", "dir"),
  entry("src/lib", "dir"),
  entry("src/lib/util.ts", "file"),
  entry("src/main.ts", "file"),
  entry("README.md", "file"),
];

const visible = (model: TreeModel) => model.visibleRows().map((row) => `${"  ".repeat(row.level)}${row.entry.name}`);

describe("buildTree", () => {
  it("nests a flat pre-order listing by depth", () => {
    const roots = buildTree(listing);
    expect(roots.map((node) => node.entry.name)).toEqual(["node_modules", "src", "README.md"]);
    const src = roots[1]!;
    expect(src.children.map((node) => node.entry.name)).toEqual(["lib", "main.ts"]);
    expect(src.children[0]!.children.map((node) => node.entry.path)).toEqual(["src/lib/util.ts"]);
  });

  it("nests a listing whose depths do not start at zero (list_dir results)", () => {
    const roots = buildTree([entry("a/b/c", "dir"), entry("a/b/c/d.ts", "file"), entry("a/b/e.ts", "file")]);
    expect(roots.map((node) => node.entry.path)).toEqual(["a/b/c", "a/b/e.ts"]);
    expect(roots[0]!.children.map((node) => node.entry.path)).toEqual(["a/b/c/d.ts"]);
  });
});

describe("TreeModel", () => {
  it("shows only the top level until folders are expanded", () => {
    const model = new TreeModel();
    model.setEntries(listing);
    expect(visible(model)).toEqual(["node_modules", "src", "README.md"]);
    model.setExpanded("src", true);
    expect(visible(model)).toEqual(["node_modules", "src", "  lib", "  main.ts", "README.md"]);
    model.setExpanded("src/lib", true);
    model.setExpanded("src", false);
    expect(visible(model)).toEqual(["node_modules", "src", "README.md"]);
    // The inner folder remembers it was open.
    model.setExpanded("src", true);
    expect(visible(model)).toContain("    util.ts");
  });

  it("keeps expansion across a reload of the listing", () => {
    const model = new TreeModel(["src"]);
    model.setEntries(listing);
    model.setEntries([...listing.slice(0, 5), entry("src/new.ts", "file"), ...listing.slice(5)]);
    expect(visible(model)).toContain("  new.ts");
  });

  it("loads ignored folders on demand", () => {
    const model = new TreeModel();
    model.setEntries(listing);
    expect(model.needsLoad("node_modules")).toBe(true);
    expect(model.needsLoad("src")).toBe(false);
    model.setExpanded("node_modules", true);
    expect(model.expandedNeedingLoad()).toEqual(["node_modules"]);
    model.setChildren("node_modules", [entry("node_modules/left-pad", "dir", true), entry("node_modules/.bin", "dir")]);
    expect(model.needsLoad("node_modules")).toBe(false);
    expect(visible(model).slice(0, 3)).toEqual(["node_modules", "  left-pad", "  .bin"]);
    // Folders found inside an ignored folder are fetched on demand too.
    expect(model.needsLoad("node_modules/.bin")).toBe(true);
    // A reload drops fetched contents; the folder is still open and must be fetched again.
    model.setEntries(listing);
    expect(model.expandedNeedingLoad()).toEqual(["node_modules"]);
  });

  it("lists files for quick open without the contents of ignored folders", () => {
    const model = new TreeModel();
    model.setEntries(listing);
    model.setChildren("node_modules", [entry("node_modules/x.js", "file")]);
    expect(model.filePaths()).toEqual(["src/lib/util.ts", "src/main.ts", "README.md"]);
  });

  it("moves expansion state with a renamed folder and forgets deleted ones", () => {
    const model = new TreeModel(["src", "src/lib", "srcx"]);
    model.renamePath("src", "app");
    expect(model.expandedPaths().sort()).toEqual(["app", "app/lib", "srcx"]);
    model.forgetPath("app");
    expect(model.expandedPaths()).toEqual(["srcx"]);
  });

  it("reveals a path by opening its ancestors", () => {
    const model = new TreeModel();
    model.setEntries(listing);
    model.revealPath("src/lib/util.ts");
    expect(model.isExpanded("src")).toBe(true);
    expect(model.isExpanded("src/lib")).toBe(true);
    expect(visible(model)).toContain("    util.ts");
  });
});
