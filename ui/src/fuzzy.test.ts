import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyMatch } from "./fuzzy";

const rank = (query: string, items: string[]) => fuzzyFilter(items, query, (item) => item).map((ranked) => ranked.item);

describe("fuzzyMatch", () => {
  it("requires every query character in order, ignoring case", () => {
    expect(fuzzyMatch("mts", "src/Main.ts")).not.toBeNull();
    expect(fuzzyMatch("scm", "src/main.ts")).not.toBeNull();
    expect(fuzzyMatch("zz", "src/main.ts")).toBeNull();
    expect(fuzzyMatch("tsm", "main.ts")).toBeNull();
  });

  it("reports the positions of the best alignment, not the first occurrence", () => {
    // A greedy scan would take the 'm' of "some"; the aligned match takes "main".
    expect(fuzzyMatch("main", "some/main.rs")!.positions).toEqual([5, 6, 7, 8]);
    expect(fuzzyMatch("fb", "foo_bar")!.positions).toEqual([0, 4]);
  });

  it("gives an empty query an empty match", () => {
    expect(fuzzyMatch("", "anything")).toEqual({ score: 0, positions: [] });
  });

  it("still matches very long targets", () => {
    const long = `${"x/".repeat(400)}needle.ts`;
    const match = fuzzyMatch("needle", long);
    expect(match).not.toBeNull();
    expect(match!.positions).toHaveLength(6);
  });
});

describe("fuzzyFilter ranking", () => {
  it("ranks consecutive matches above scattered ones", () => {
    expect(rank("main", ["src/my_awesome_indexer.rs", "src/main.rs"])).toEqual(["src/main.rs", "src/my_awesome_indexer.rs"]);
  });

  it("ranks word-start matches above mid-word ones", () => {
    expect(rank("fb", ["src/fabric.ts", "src/foo_bar.ts"])[0]).toBe("src/foo_bar.ts");
    expect(rank("ab", ["lib/crab.rs", "lib/AppBar.tsx"])[0]).toBe("lib/AppBar.tsx");
  });

  it("prefers matches in the file name over matches spread across folders", () => {
    expect(rank("app", ["a/p/p/index.ts", "src/app.ts"])[0]).toBe("src/app.ts");
  });

  it("ranks shorter paths higher when the match is equally good", () => {
    expect(rank("app", ["src/deep/nested/app.ts", "src/app.ts"])).toEqual(["src/app.ts", "src/deep/nested/app.ts"]);
  });

  it("drops non-matching items and keeps input order for an empty query", () => {
    expect(rank("xyz", ["a.ts", "b.ts"])).toEqual([]);
    expect(rank("", ["b.ts", "a.ts"])).toEqual(["b.ts", "a.ts"]);
  });

  it("honours the limit", () => {
    expect(fuzzyFilter(["a1", "a2", "a3"], "a", (item) => item, 2)).toHaveLength(2);
  });
});
