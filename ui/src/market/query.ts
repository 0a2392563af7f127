import type { FacetCount, Facets, SearchPage, SearchQuery } from "../bindings";

// The marketplace search as state: facets toggled on and off, the active
// filters as chips, and the query as URL parameters (how the view remembers
// the last search). Free of the DOM so it can be tested.

export type FacetName = keyof Facets;

/** A removable chip for an active filter, or for the search text (`facet` "q"). */
export interface Chip {
  facet: FacetName | "q";
  value: string;
}

export const SORTS = [
  { value: "relevance", label: "Relevance" },
  { value: "downloads", label: "Most downloaded" },
  { value: "rating", label: "Top rated" },
  { value: "newest", label: "Newest" },
] as const;

export const FACET_TITLES: Record<FacetName, string> = { category: "Category", price: "Price", tags: "Tags", licence: "Licence" };

const PRICES = ["free", "paid"];
const PRICE_LABELS: Record<string, string> = { free: "Free", paid: "Paid" };

export function emptyQuery(): SearchQuery {
  return { q: "", category: null, price: null, tags: [], licence: null, sort: null, page: null };
}

/** The values of a facet the query filters by (at most one, except tags). */
function activeValues(query: SearchQuery, facet: FacetName): string[] {
  if (facet === "tags") return query.tags;
  const value = query[facet];
  return value === null ? [] : [value];
}

export function isActive(query: SearchQuery, facet: FacetName, value: string): boolean {
  return activeValues(query, facet).includes(value);
}

/** Turns a facet value on (replacing the facet's other value; tags add up) or off; back to the first page. */
export function toggleFacet(query: SearchQuery, facet: FacetName, value: string): SearchQuery {
  const active = isActive(query, facet, value);
  if (facet === "tags") {
    const tags = active ? query.tags.filter((tag) => tag !== value) : [...query.tags, value];
    return { ...query, tags, page: null };
  }
  return { ...query, [facet]: active ? null : value, page: null };
}

export function withText(query: SearchQuery, q: string): SearchQuery {
  return { ...query, q: q.trim(), page: null };
}

export function withSort(query: SearchQuery, sort: string): SearchQuery {
  return { ...query, sort: sort === "relevance" ? null : sort, page: null };
}

export function withPage(query: SearchQuery, page: number): SearchQuery {
  return { ...query, page: page <= 1 ? null : page };
}

/** The active filters, search text first, in the sidebar's order. */
export function chips(query: SearchQuery): Chip[] {
  const list: Chip[] = [];
  if (query.q) list.push({ facet: "q", value: query.q });
  if (query.category) list.push({ facet: "category", value: query.category });
  if (query.price) list.push({ facet: "price", value: query.price });
  for (const tag of query.tags) list.push({ facet: "tags", value: tag });
  if (query.licence) list.push({ facet: "licence", value: query.licence });
  return list;
}

export function removeChip(query: SearchQuery, chip: Chip): SearchQuery {
  return chip.facet === "q" ? withText(query, "") : toggleFacet(query, chip.facet, chip.value);
}

/** A facet value as the sidebar and chips name it; `categoryName` turns a slug into its name. */
export function valueLabel(facet: FacetName, value: string, categoryName: (slug: string) => string): string {
  if (facet === "category") return categoryName(value);
  if (facet === "price") return PRICE_LABELS[value] ?? value;
  if (facet === "tags") return `#${value}`;
  return value;
}

export function chipLabel(chip: Chip, categoryName: (slug: string) => string): string {
  return chip.facet === "q" ? `“${chip.value}”` : valueLabel(chip.facet, chip.value, categoryName);
}

export interface FacetEntry extends FacetCount {
  active: boolean;
}

/**
 * A facet's values with their counts. An active value the server no longer
 * counts (no results with it) is kept, with 0, so it can still be turned off.
 */
export function facetEntries(query: SearchQuery, facet: FacetName, counts: readonly FacetCount[]): FacetEntry[] {
  const entries = counts.map((count) => ({ ...count, active: isActive(query, facet, count.value) }));
  for (const value of activeValues(query, facet)) {
    if (!entries.some((entry) => entry.value === value)) entries.push({ value, count: 0, active: true });
  }
  return entries;
}

export function toParams(query: SearchQuery): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.category) params.set("category", query.category);
  if (query.price) params.set("price", query.price);
  for (const tag of query.tags) params.append("tag", tag);
  if (query.licence) params.set("licence", query.licence);
  if (query.sort) params.set("sort", query.sort);
  if (query.page) params.set("page", String(query.page));
  return params.toString();
}

/** The query `toParams` wrote; anything unknown or malformed in it is left out. */
export function fromParams(text: string): SearchQuery {
  const params = new URLSearchParams(text);
  const price = params.get("price");
  const sort = params.get("sort");
  const page = Number(params.get("page"));
  return {
    q: params.get("q")?.trim() ?? "",
    category: params.get("category") || null,
    price: price && PRICES.includes(price) ? price : null,
    tags: [...new Set(params.getAll("tag").filter((tag) => tag !== ""))],
    licence: params.get("licence") || null,
    sort: SORTS.some((known) => known.value === sort) && sort !== "relevance" ? sort : null,
    page: Number.isInteger(page) && page > 1 ? page : null,
  };
}

export function pageCount(page: Pick<SearchPage, "total" | "perPage">): number {
  return Math.max(1, Math.ceil(page.total / Math.max(1, page.perPage)));
}

export function pageText(page: Pick<SearchPage, "page" | "total" | "perPage">): string {
  return `Page ${page.page} of ${pageCount(page)}`;
}

export function resultsText(total: number): string {
  return `${total.toLocaleString("en-US")} template${total === 1 ? "" : "s"}`;
}
