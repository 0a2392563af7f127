import { describe, expect, it } from "vitest";
import type { SearchQuery } from "../bindings";
import {
  chipLabel,
  chips,
  emptyQuery,
  facetEntries,
  fromParams,
  isActive,
  pageCount,
  pageText,
  removeChip,
  resultsText,
  toParams,
  toggleFacet,
  valueLabel,
  withPage,
  withSort,
  withText,
} from "./query";

const names: Record<string, string> = { "web-app": "Web app" };
const categoryName = (slug: string) => names[slug] ?? slug;

function query(overrides: Partial<SearchQuery> = {}): SearchQuery {
  return { ...emptyQuery(), ...overrides };
}

describe("toggleFacet", () => {
  it("turns a single-valued facet on, replaces its value, and turns it off", () => {
    const web = toggleFacet(query(), "category", "web-app");
    expect(web.category).toBe("web-app");
    expect(toggleFacet(web, "category", "cli").category).toBe("cli");
    expect(toggleFacet(web, "category", "web-app").category).toBeNull();
  });

  it("adds and removes tags one by one", () => {
    const both = toggleFacet(toggleFacet(query(), "tags", "react"), "tags", "stripe");
    expect(both.tags).toEqual(["react", "stripe"]);
    expect(toggleFacet(both, "tags", "react").tags).toEqual(["stripe"]);
    expect(isActive(both, "tags", "stripe")).toBe(true);
    expect(isActive(both, "price", "free")).toBe(false);
  });

  it("goes back to the first page, as do new text and sort", () => {
    const onPage3 = query({ page: 3 });
    expect(toggleFacet(onPage3, "price", "free").page).toBeNull();
    expect(withText(onPage3, "  todo ").page).toBeNull();
    expect(withText(onPage3, "  todo ").q).toBe("todo");
    expect(withSort(onPage3, "rating")).toMatchObject({ sort: "rating", page: null });
  });

  it("leaves the query it was given alone", () => {
    const original = query({ tags: ["react"] });
    toggleFacet(original, "tags", "vue");
    expect(original.tags).toEqual(["react"]);
  });
});

describe("sort and page", () => {
  it("stores relevance, the default, as no sort", () => {
    expect(withSort(query({ sort: "rating" }), "relevance").sort).toBeNull();
  });

  it("stores the first page as no page", () => {
    expect(withPage(query(), 1).page).toBeNull();
    expect(withPage(query(), 4).page).toBe(4);
  });

  it("counts pages, at least one", () => {
    expect(pageCount({ total: 0, perPage: 24 })).toBe(1);
    expect(pageCount({ total: 24, perPage: 24 })).toBe(1);
    expect(pageCount({ total: 25, perPage: 24 })).toBe(2);
    expect(pageText({ page: 2, total: 100, perPage: 24 })).toBe("Page 2 of 5");
  });

  it("counts results", () => {
    expect(resultsText(1)).toBe("1 template");
    expect(resultsText(1234)).toBe("1,234 templates");
  });
});

describe("chips", () => {
  const active = query({ q: "saas", category: "web-app", price: "free", tags: ["react", "stripe"], licence: "MIT" });

  it("lists the search text and every active filter", () => {
    expect(chips(active)).toEqual([
      { facet: "q", value: "saas" },
      { facet: "category", value: "web-app" },
      { facet: "price", value: "free" },
      { facet: "tags", value: "react" },
      { facet: "tags", value: "stripe" },
      { facet: "licence", value: "MIT" },
    ]);
    expect(chips(query())).toEqual([]);
  });

  it("names them", () => {
    expect(chips(active).map((chip) => chipLabel(chip, categoryName))).toEqual(["“saas”", "Web app", "Free", "#react", "#stripe", "MIT"]);
    expect(valueLabel("category", "game", categoryName)).toBe("game");
  });

  it("removes the filter a chip stands for", () => {
    expect(removeChip(active, { facet: "q", value: "saas" }).q).toBe("");
    expect(removeChip(active, { facet: "tags", value: "react" }).tags).toEqual(["stripe"]);
    expect(removeChip(active, { facet: "licence", value: "MIT" }).licence).toBeNull();
  });
});

describe("facetEntries", () => {
  it("marks the active value", () => {
    const entries = facetEntries(query({ price: "free" }), "price", [
      { value: "free", count: 4 },
      { value: "paid", count: 2 },
    ]);
    expect(entries).toEqual([
      { value: "free", count: 4, active: true },
      { value: "paid", count: 2, active: false },
    ]);
  });

  it("keeps active values the server no longer counts, so they can be turned off", () => {
    const entries = facetEntries(query({ tags: ["react", "rare"] }), "tags", [{ value: "react", count: 3 }]);
    expect(entries).toEqual([
      { value: "react", count: 3, active: true },
      { value: "rare", count: 0, active: true },
    ]);
  });
});

describe("params", () => {
  it("round-trips a query", () => {
    const full = query({ q: "todo app", category: "cli", price: "paid", tags: ["go", "tui"], licence: "MIT", sort: "newest", page: 3 });
    expect(toParams(full)).toBe("q=todo+app&category=cli&price=paid&tag=go&tag=tui&licence=MIT&sort=newest&page=3");
    expect(fromParams(toParams(full))).toEqual(full);
    expect(toParams(query())).toBe("");
    expect(fromParams("")).toEqual(query());
  });

  it("leaves out what it does not know", () => {
    expect(fromParams("price=cheap&sort=random&page=-2&tag=&tag=a&tag=a")).toEqual(query({ tags: ["a"] }));
    expect(fromParams("page=2.5&sort=relevance")).toEqual(query());
  });
});
