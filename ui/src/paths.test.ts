import { describe, expect, it } from "vitest";
import { baseName, destinationHint, isSameOrInside, joinPath, parentPath, remapPath, resolveUserPath } from "./paths";

describe("paths", () => {
  it("splits and joins project-relative paths", () => {
    expect(joinPath("", "a.ts")).toBe("a.ts");
    expect(joinPath("src", "a.ts")).toBe("src/a.ts");
    expect(parentPath("src/lib/a.ts")).toBe("src/lib");
    expect(parentPath("a.ts")).toBe("");
    expect(baseName("src/lib/a.ts")).toBe("a.ts");
  });

  it("knows containment without confusing name prefixes", () => {
    expect(isSameOrInside("src/a.ts", "src")).toBe(true);
    expect(isSameOrInside("src", "src")).toBe(true);
    expect(isSameOrInside("srcx/a.ts", "src")).toBe(false);
  });

  it("remaps paths under a renamed folder", () => {
    expect(remapPath("src/lib/a.ts", "src/lib", "src/core")).toBe("src/core/a.ts");
    expect(remapPath("src/lib", "src/lib", "lib")).toBe("lib");
    expect(remapPath("src/library.ts", "src/lib", "x")).toBeNull();
  });

  it("resolves typed paths relative to a folder", () => {
    expect(resolveUserPath("src", "a.ts")).toBe("src/a.ts");
    expect(resolveUserPath("src", "util/b.ts")).toBe("src/util/b.ts");
    expect(resolveUserPath("src/lib", "../a.ts")).toBe("src/a.ts");
    expect(resolveUserPath("src", "/top.ts")).toBe("top.ts");
    expect(resolveUserPath("", "  ")).toBeNull();
    expect(resolveUserPath("src", "../../escape.ts")).toBeNull();
  });
});

describe("destinationHint", () => {
  it("names the folder a new project gets", () => {
    expect(destinationHint("/home/me/projects/", " app ")).toBe("Creates /home/me/projects/app");
    expect(destinationHint("C:\\Users\\me\\", "app")).toBe("Creates C:\\Users\\me/app");
  });

  it("says nothing until both parts are given", () => {
    expect(destinationHint("/home/me", "  ")).toBe("");
    expect(destinationHint("", "app")).toBe("");
  });
});
