import { describe, expect, it } from "vitest";
import { TabList } from "./tab-list";

function listOf(...paths: string[]) {
  const list = new TabList<{ path: string }>();
  for (const path of paths) list.add({ path });
  return list;
}

const paths = (list: TabList<{ path: string }>) => list.all.map((tab) => tab.path);

describe("TabList", () => {
  it("opens new tabs after the active one and activates them", () => {
    const list = listOf("a", "b");
    list.activate("a");
    list.add({ path: "c" });
    expect(paths(list)).toEqual(["a", "c", "b"]);
    expect(list.active?.path).toBe("c");
  });

  it("activates the right neighbour when the active tab closes, else the left one", () => {
    const list = listOf("a", "b", "c");
    list.activate("b");
    list.remove("b");
    expect(list.active?.path).toBe("c");
    list.remove("c");
    expect(list.active?.path).toBe("a");
    list.remove("a");
    expect(list.active).toBeUndefined();
  });

  it("keeps the active tab when another one closes", () => {
    const list = listOf("a", "b", "c");
    list.activate("c");
    list.remove("a");
    expect(list.active?.path).toBe("c");
  });

  it("finds neighbours in both directions with wrap-around, without changing focus", () => {
    const list = listOf("a", "b", "c");
    expect(list.neighbour(1)?.path).toBe("a");
    expect(list.neighbour(-1)?.path).toBe("b");
    list.activate("a");
    expect(list.neighbour(-1)?.path).toBe("c");
    expect(list.active?.path).toBe("a");
    expect(new TabList().neighbour(1)).toBeUndefined();
  });

  it("follows renames of files and folders", () => {
    const list = listOf("src/a.ts", "src/lib/b.ts", "srcx.ts");
    const moved = list.renamePath("src", "app");
    expect(paths(list)).toEqual(["app/a.ts", "app/lib/b.ts", "srcx.ts"]);
    expect(moved).toHaveLength(2);
    expect(list.under("app/lib").map((tab) => tab.path)).toEqual(["app/lib/b.ts"]);
  });

  it("orders tabs by when they were last active", () => {
    const list = listOf("a", "b", "c");
    list.activate("a");
    list.activate("b");
    expect(list.recentlyUsed.map((tab) => tab.path)).toEqual(["b", "a", "c"]);
    // Closing the active tab makes its neighbour the most recent.
    list.remove("b");
    expect(list.active?.path).toBe("c");
    expect(list.recentlyUsed.map((tab) => tab.path)).toEqual(["c", "a"]);
  });
});
