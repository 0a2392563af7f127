import type { Cached, Category, MarketStatus, ProjectInfo } from "../bindings";
import { h } from "../dom";
import { icon } from "../icons";
import { call } from "../ipc";
import { Overlay, isShieldedKey } from "../overlay";
import { AccountArea } from "./account";
import { Browse } from "./browse";
import type { MarketContext } from "./context";
import { offlineText } from "./format";
import { PublishPanel, noProjectToPublish } from "./publish";
import { TemplateView } from "./template-view";
import { reportFailure } from "./widgets";

export interface MarketHost {
  /** The project open in the workbench; null over the welcome screen. */
  readonly project: ProjectInfo | null;
  /** A template became this project (the marketplace has closed): show it. */
  openProject(project: ProjectInfo): void;
  closed(): void;
}

type Tab = "browse" | "publish";

/**
 * The template marketplace: browse and search, a template's page, the
 * account, and publishing the open project. Like Learn, it lies over the
 * welcome screen or the workbench without touching it.
 */
export class MarketView implements MarketContext {
  readonly element: HTMLElement;
  readonly project: ProjectInfo | null;
  private readonly overlay: Overlay;
  private readonly closeButton: HTMLButtonElement;
  private readonly tabs: Record<Tab, HTMLButtonElement>;
  private readonly banner = h("div", { id: "market-offline", className: "market-offline", attributes: { role: "status" } });
  private readonly body = h("main", { className: "market-body" });
  private readonly accountArea: AccountArea;
  private readonly browse: Browse;
  private publish: PublishPanel | null = null;
  private publishElement: HTMLElement | null = null;
  private template: TemplateView | null = null;
  private tab: Tab = "browse";
  private categoryList: Promise<Category[]> | null = null;
  private readonly categoryNames = new Map<string, string>();
  private offline = false;
  /** Where the results were scrolled to when a template opened. */
  private browseScrollTop = 0;
  /** Bumped by every navigation, so a slow template cannot replace a newer screen. */
  private navigation = 0;
  private closed = false;

  private constructor(
    root: HTMLElement,
    private readonly host: MarketHost,
    status: MarketStatus,
  ) {
    this.project = host.project;
    this.closeButton = h(
      "button",
      { id: "market-close", className: "button market-close", title: "Close (Esc)", attributes: { type: "button" }, on: { click: () => this.close() } },
      icon("chevron", "icon market-back-icon"),
      h("span", { text: "Back" }),
    );
    const tab = (name: Tab, label: string) =>
      h("button", {
        id: `market-tab-${name}`,
        className: "market-tab",
        text: label,
        attributes: { type: "button", role: "tab", "aria-selected": "false" },
        on: { click: () => this.showTab(name) },
      });
    this.tabs = { browse: tab("browse", "Browse"), publish: tab("publish", "Publish") };
    this.accountArea = new AccountArea(status, (_, serverChanged) => this.accountChanged(serverChanged));
    this.browse = new Browse(this);
    this.banner.hidden = true;
    this.body.append(this.browse.element);
    this.element = h(
      "div",
      { id: "market-view", className: "market", attributes: { role: "dialog", "aria-modal": "true", "aria-label": "Marketplace" } },
      h(
        "header",
        { className: "market-header" },
        this.closeButton,
        h("div", { className: "market-title" }, icon("market", "icon market-logo"), h("h1", { text: "Marketplace" })),
        h("nav", { className: "market-tabs", attributes: { role: "tablist", "aria-label": "Marketplace" } }, this.tabs.browse, this.tabs.publish),
        this.accountArea.element,
      ),
      this.banner,
      this.body,
    );
    this.overlay = new Overlay(root, this.element, () => (this.template && this.tab === "browse" ? this.back() : this.close()));
    this.showTab("browse");
  }

  /** Shows the marketplace over `root` (which stays as it is, inert) and starts loading the catalogue. */
  static async open(root: HTMLElement, host: MarketHost): Promise<MarketView> {
    const view = new MarketView(root, host, await call("market_status"));
    view.overlay.show();
    view.browse.focus();
    void view.browse.reload();
    void view.categories().then(() => view.browse.relabel());
    return view;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.navigation++;
    this.browse.dispose();
    this.accountArea.dispose();
    this.overlay.hide();
    this.host.closed();
  }

  /** Called for every key press before anything else sees it: the screen underneath gets no shortcuts (see `isShieldedKey`). */
  shieldKey(event: KeyboardEvent): void {
    if (!this.closed && isShieldedKey(event)) event.stopImmediatePropagation();
  }

  account(): string | null {
    return this.accountArea.account;
  }

  signIn(): Promise<boolean> {
    return this.accountArea.signIn();
  }

  fromCache<T>(cached: Cached<T>): T {
    this.offline = cached.offline;
    this.banner.hidden = !cached.offline;
    this.banner.textContent = cached.offline ? offlineText(cached.fetchedAt) : "";
    for (const button of this.element.querySelectorAll<HTMLButtonElement>("button[data-online-only]:not([data-busy])")) button.disabled = cached.offline;
    return cached.value;
  }

  onlineOnly<B extends HTMLButtonElement>(button: B): B {
    button.dataset.onlineOnly = "";
    button.disabled = this.offline;
    return button;
  }

  async busy(button: HTMLButtonElement, action: () => Promise<void>): Promise<void> {
    button.disabled = true;
    button.dataset.busy = "";
    try {
      await action();
    } finally {
      delete button.dataset.busy;
      button.disabled = this.offline && button.dataset.onlineOnly !== undefined;
    }
  }

  categories(): Promise<Category[]> {
    this.categoryList ??= call("market_categories").then(
      (cached) => {
        const categories = this.fromCache(cached);
        for (const category of categories) this.categoryNames.set(category.slug, category.name);
        return categories;
      },
      (error: unknown) => {
        reportFailure("Cannot load the categories", error);
        return [];
      },
    );
    return this.categoryList;
  }

  categoryName(slug: string): string {
    return this.categoryNames.get(slug) ?? slug;
  }

  async openTemplate(templateId: number): Promise<void> {
    const navigation = ++this.navigation;
    this.body.setAttribute("aria-busy", "true");
    try {
      const page = this.fromCache(await call("market_template", { templateId }));
      if (navigation !== this.navigation || this.closed) return;
      if (!this.template) this.browseScrollTop = this.body.scrollTop;
      this.template?.element.remove();
      const view = new TemplateView(this, page, () => this.back());
      this.template = view;
      this.body.append(view.element);
      this.showTab("browse");
      this.body.scrollTop = 0;
      view.element.querySelector<HTMLElement>("#market-back")?.focus({ preventScroll: true });
      void view.load();
    } catch (error) {
      if (navigation === this.navigation) reportFailure("Cannot open the template", error);
    } finally {
      if (navigation === this.navigation) this.body.removeAttribute("aria-busy");
    }
  }

  openProject(project: ProjectInfo): void {
    this.close();
    this.host.openProject(project);
  }

  /** From a template's page back to the results, scrolled and focused where they were. */
  private back(): void {
    this.navigation++;
    const id = this.template?.element.dataset.id;
    this.template?.element.remove();
    this.template = null;
    this.showTab("browse");
    this.body.scrollTop = this.browseScrollTop;
    const card = id ? this.browse.element.querySelector<HTMLElement>(`.market-card[data-id="${id}"]`) : null;
    (card ?? this.tabs.browse).focus({ preventScroll: true });
  }

  private showTab(tab: Tab): void {
    this.tab = tab;
    for (const [name, button] of Object.entries(this.tabs)) button.setAttribute("aria-selected", String(name === tab));
    if (tab === "publish" && !this.publishElement) {
      this.publish = this.project ? new PublishPanel(this, this.project) : null;
      this.publishElement = this.publish?.element ?? noProjectToPublish();
      this.body.append(this.publishElement);
    }
    this.browse.element.hidden = tab !== "browse" || this.template !== null;
    if (this.template) this.template.element.hidden = tab !== "browse";
    if (this.publishElement) this.publishElement.hidden = tab !== "publish";
    if (tab === "publish") this.publish?.show();
  }

  private accountChanged(serverChanged: boolean): void {
    this.publish?.accountChanged();
    if (!serverChanged) return;
    // Another server is another catalogue.
    this.categoryList = null;
    this.categoryNames.clear();
    if (this.template) this.back();
    void this.browse.reload();
    void this.categories().then(() => this.browse.relabel());
  }
}
