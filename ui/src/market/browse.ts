import type { SearchPage, SearchQuery, TemplateSummary } from "../bindings";
import { h } from "../dom";
import { call } from "../ipc";
import { actionButton, linkButton, selectInput, textInput } from "../widgets";
import type { MarketContext } from "./context";
import { compactCount, priceText } from "./format";
import {
  type Chip,
  FACET_TITLES,
  type FacetName,
  SORTS,
  chipLabel,
  chips,
  emptyQuery,
  facetEntries,
  fromParams,
  pageCount,
  pageText,
  removeChip,
  resultsText,
  toParams,
  toggleFacet,
  withPage,
  withSort,
  valueLabel,
  withText,
} from "./query";
import { failureView, stars, tagList } from "./widgets";

const SEARCH_DELAY_MS = 250;
/** The last search, so the marketplace opens where it was left (for as long as the app runs). */
const QUERY_KEY = "flashfusion.marketQuery";
const LAYOUT_KEY = "flashfusion.marketLayout";
const FACETS: FacetName[] = ["category", "price", "tags", "licence"];

type Layout = "grid" | "list";

/** Search, sort and filter the catalogue; a card opens its template. */
export class Browse {
  readonly element: HTMLElement;
  private readonly search = textInput({ id: "market-search", type: "search", label: "Search templates", placeholder: "Search templates" });
  private readonly sort = selectInput(SORTS, { id: "market-sort", label: "Sort by" });
  private readonly layoutButtons: Record<Layout, HTMLButtonElement>;
  private readonly count = h("span", { className: "market-count", attributes: { role: "status" } });
  private readonly chipRow = h("div", { className: "market-chips", attributes: { "aria-label": "Active filters" } });
  private readonly facets = h("aside", { className: "market-facets", attributes: { "aria-label": "Filters" } });
  private readonly results = h("div", { className: "market-results" });
  private readonly state = h("div", { className: "market-state" });
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private readonly pageLabel = h("span", { className: "market-page" });
  private readonly pager: HTMLElement;
  private query: SearchQuery = fromParams(sessionStorage.getItem(QUERY_KEY) ?? "");
  private page: SearchPage | null = null;
  /** Bumped by every search, so a slow answer cannot replace a newer one. */
  private generation = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly context: MarketContext) {
    const layoutButton = (layout: Layout, label: string) =>
      h("button", {
        id: `market-layout-${layout}`,
        className: "market-layout-button",
        text: label,
        attributes: { type: "button", "aria-pressed": "false" },
        on: { click: () => this.setLayout(layout) },
      });
    this.layoutButtons = { grid: layoutButton("grid", "Grid"), list: layoutButton("list", "List") };
    this.prev = actionButton("Previous", () => this.goToPage(-1), { id: "market-prev" });
    this.next = actionButton("Next", () => this.goToPage(1), { id: "market-next" });
    this.pager = h("nav", { className: "market-pager", attributes: { "aria-label": "Pages" } }, this.prev, this.pageLabel, this.next);
    this.search.value = this.query.q;
    this.sort.value = this.query.sort ?? "relevance";
    this.search.addEventListener("input", () => this.searchSoon());
    this.search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.searchNow();
    });
    this.sort.addEventListener("change", () => this.run(withSort(this.query, this.sort.value)));
    this.element = h(
      "div",
      { className: "market-browse" },
      this.facets,
      h(
        "section",
        { className: "market-main", attributes: { "aria-label": "Templates" } },
        h(
          "div",
          { className: "market-toolbar" },
          this.search,
          h("label", { className: "market-sort" }, h("span", { className: "field-label", text: "Sort" }), this.sort),
          h("span", { className: "market-layout", attributes: { role: "group", "aria-label": "Layout" } }, this.layoutButtons.grid, this.layoutButtons.list),
        ),
        h("div", { className: "market-summary" }, this.count, this.chipRow),
        this.state,
        this.results,
        this.pager,
      ),
    );
    this.setLayout(localStorage.getItem(LAYOUT_KEY) === "list" ? "list" : "grid");
    this.pager.hidden = true;
  }

  focus(): void {
    this.search.focus();
  }

  /** Searches again with the current query (first load, another server, back online). */
  reload(): Promise<void> {
    return this.run(this.query);
  }

  /** The categories' names arrived: the sidebar, chips and cards use them. */
  relabel(): void {
    if (this.page) this.render(this.page);
  }

  dispose(): void {
    clearTimeout(this.searchTimer);
    this.generation++;
  }

  private searchSoon(): void {
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.searchNow(), SEARCH_DELAY_MS);
  }

  private searchNow(): void {
    clearTimeout(this.searchTimer);
    if (this.search.value.trim() !== this.query.q) void this.run(withText(this.query, this.search.value));
  }

  private goToPage(step: number): void {
    if (this.page) void this.run(withPage(this.query, this.page.page + step));
  }

  private async run(query: SearchQuery): Promise<void> {
    const generation = ++this.generation;
    this.query = query;
    sessionStorage.setItem(QUERY_KEY, toParams(query));
    this.element.setAttribute("aria-busy", "true");
    this.element.classList.add("loading");
    if (!this.page) this.showState(h("p", { className: "market-loading", text: "Loading templates…" }));
    try {
      const page = this.context.fromCache(await call("market_search", query));
      if (generation !== this.generation) return;
      this.page = page;
      this.render(page);
    } catch (error) {
      if (generation !== this.generation) return;
      this.page = null;
      this.results.replaceChildren();
      this.pager.hidden = true;
      this.count.textContent = "";
      this.showState(failureView(error));
    } finally {
      if (generation === this.generation) {
        this.element.removeAttribute("aria-busy");
        this.element.classList.remove("loading");
      }
    }
  }

  private render(page: SearchPage): void {
    this.renderFilters(page);
    this.count.textContent = resultsText(page.total);
    this.results.replaceChildren(...page.items.map((template) => this.card(template)));
    this.showState(page.items.length === 0 ? this.emptyState() : null);
    const pages = pageCount(page);
    this.pager.hidden = pages <= 1;
    this.pageLabel.textContent = pageText(page);
    this.prev.disabled = page.page <= 1;
    this.next.disabled = page.page >= pages;
  }

  private renderFilters(page: SearchPage): void {
    const name = (slug: string) => this.context.categoryName(slug);
    const active = chips(this.query);
    this.chipRow.replaceChildren(...active.map((chip) => this.chip(chip, chipLabel(chip, name))));
    if (active.length > 1) this.chipRow.append(linkButton("Clear all", "market-clear", () => this.clearFilters()));
    this.facets.replaceChildren(
      ...FACETS.map((facet) => {
        const entries = facetEntries(this.query, facet, page.facets[facet]);
        if (entries.length === 0) return null;
        const buttons = entries.map((entry) =>
          h(
            "button",
            {
              className: `market-facet${entry.active ? " active" : ""}`,
              attributes: { type: "button", "data-facet": facet, "data-value": entry.value, "aria-pressed": String(entry.active) },
              on: { click: () => void this.run(toggleFacet(this.query, facet, entry.value)) },
            },
            h("span", { className: "market-facet-label", text: valueLabel(facet, entry.value, name) }),
            h("span", { className: "market-facet-count", text: compactCount(entry.count) }),
          ),
        );
        return h("section", { className: "market-facet-group", attributes: { "aria-label": FACET_TITLES[facet] } }, h("h3", { text: FACET_TITLES[facet] }), ...buttons);
      }).filter((group) => group !== null),
    );
  }

  private chip(chip: Chip, label: string): HTMLElement {
    return h(
      "button",
      {
        className: "market-chip",
        title: `Remove ${label}`,
        attributes: { type: "button", "data-facet": chip.facet, "data-value": chip.value, "aria-label": `Remove filter ${label}` },
        on: {
          click: () => {
            if (chip.facet === "q") this.search.value = "";
            void this.run(removeChip(this.query, chip));
          },
        },
      },
      h("span", { text: label }),
      h("span", { className: "market-chip-x", text: "×", attributes: { "aria-hidden": "true" } }),
    );
  }

  private clearFilters(): void {
    this.search.value = "";
    void this.run({ ...emptyQuery(), sort: this.query.sort });
  }

  private emptyState(): HTMLElement {
    const filtered = chips(this.query).length > 0;
    return h(
      "div",
      { className: "market-empty" },
      h("p", { className: "market-empty-title", text: filtered ? "No templates match" : "No templates yet" }),
      filtered
        ? h("p", { className: "muted" }, "Try other words or fewer filters. ", linkButton("Clear all filters", "market-clear", () => this.clearFilters()))
        : h("p", { className: "muted", text: "Templates appear here once creators publish them and a moderator approves them." }),
    );
  }

  private showState(content: HTMLElement | null): void {
    this.state.replaceChildren(...(content ? [content] : []));
    this.state.hidden = content === null;
  }

  private card(template: TemplateSummary): HTMLElement {
    return h(
      "button",
      {
        className: `market-card${template.featured ? " featured" : ""}`,
        attributes: { type: "button", "data-id": String(template.id) },
        on: { click: () => this.context.openTemplate(template.id) },
      },
      h(
        "span",
        { className: "market-card-head" },
        h("span", { className: "market-card-title", text: template.title }),
        template.featured ? h("span", { className: "market-featured", text: "Featured" }) : null,
        h("span", { className: `market-price${template.priceCents > 0 ? " paid" : ""}`, text: priceText(template.priceCents) }),
      ),
      h("span", { className: "market-card-creator", text: `by ${template.creator.name}` }),
      h("span", { className: "market-card-description", text: template.description }),
      h(
        "span",
        { className: "market-card-meta" },
        h("span", { className: "market-card-category", text: this.context.categoryName(template.category) }),
        h("span", { className: "market-card-rating" }, stars(template.rating), h("span", { text: `(${template.ratingCount})` })),
        h("span", { className: "market-card-downloads", title: `${template.downloads} downloads`, text: `⤓ ${compactCount(template.downloads)}` }),
      ),
      template.tags.length > 0 ? tagList(template.tags) : null,
    );
  }

  private setLayout(layout: Layout): void {
    localStorage.setItem(LAYOUT_KEY, layout);
    this.results.classList.toggle("list", layout === "list");
    for (const [name, button] of Object.entries(this.layoutButtons)) button.setAttribute("aria-pressed", String(name === layout));
  }
}
