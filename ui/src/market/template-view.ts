import type { Template, TemplatePage, Version } from "../bindings";
import { handleMarkdownClick } from "../code-blocks";
import { h, safeHtml } from "../dom";
import { icon } from "../icons";
import { call } from "../ipc";
import { actionButton, selectInput } from "../widgets";
import type { MarketContext } from "./context";
import { FileBrowser } from "./file-browser";
import { downloadsText, priceText, versionLabel, versionSizeText } from "./format";
import { ReviewsSection } from "./reviews";
import { useTemplate } from "./use-dialog";
import { ratingView, reportFailure, tagList, withSignIn } from "./widgets";

function fact(label: string, value: Node | string): HTMLElement {
  return h("div", { className: "market-fact" }, h("dt", { text: label }), h("dd", {}, value));
}

function section(title: string, ...children: HTMLElement[]): HTMLElement {
  return h("section", { className: "market-section", attributes: { "aria-label": title } }, h("h3", { className: "market-section-title", text: title }), ...children);
}

/** One template: what it is, its README, files and reviews, following its creator, and using it as a new project. */
export class TemplateView {
  readonly element: HTMLElement;
  private readonly template: Template;
  private readonly rating = h("dd", {});
  private readonly followButton: HTMLButtonElement;
  private readonly followers = h("span", { className: "market-followers muted" });
  private readonly versionSelect: HTMLSelectElement;
  private readonly versionInfo = h("p", { className: "market-version-info muted" });
  private readonly useButton: HTMLButtonElement;
  private readonly files: FileBrowser;
  private readonly reviews: ReviewsSection;
  private following: boolean;

  constructor(
    private readonly context: MarketContext,
    page: TemplatePage,
    back: () => void,
  ) {
    const template = page.template;
    this.template = template;
    this.following = template.following;
    this.followButton = context.onlineOnly(actionButton("", () => void this.toggleFollow(), { id: "market-follow" }));
    this.versionSelect = selectInput(
      template.versions.map((version) => ({ value: version.version, label: versionLabel(version, Date.now()) })),
      { id: "market-version", label: "Version" },
    );
    this.versionSelect.disabled = template.versions.length === 0;
    this.versionSelect.addEventListener("change", () => this.showVersion());
    this.useButton = context.onlineOnly(actionButton("Use template", () => void this.use(), { id: "market-use", kind: "primary", size: "full" }));
    this.files = new FileBrowser(template.id);
    this.reviews = new ReviewsSection(context, template.id, { ratingChanged: (rating, count) => this.showRating(rating, count) });
    const readme = template.readme.trim()
      ? safeHtml("markdown market-readme", page.readmeHtml)
      : h("p", { className: "muted", text: "This template has no README." });
    readme.addEventListener("click", (event) => handleMarkdownClick(event, readme));
    this.element = h(
      "article",
      { className: "market-template", attributes: { "data-id": String(template.id) } },
      h(
        "button",
        { id: "market-back", className: "button small market-back", attributes: { type: "button" }, on: { click: back } },
        icon("chevron", "icon market-back-icon"),
        h("span", { text: "All templates" }),
      ),
      this.header(),
      section("README", readme),
      section("Files", this.versionInfo, this.files.element),
      this.reviews.element,
    );
    this.showFollowing();
    this.showRating(template.rating, template.ratingCount);
    this.showVersion();
  }

  /** Loads what the page shows below the fold (the reviews). */
  async load(): Promise<void> {
    await this.reviews.load();
  }

  private header(): HTMLElement {
    const template = this.template;
    const categoryName = this.context.categoryName(template.category);
    return h(
      "header",
      { className: "market-template-header" },
      h(
        "div",
        { className: "market-template-heading" },
        h("h2", { className: "market-template-title", text: template.title }),
        template.featured ? h("span", { className: "market-featured", text: "Featured" }) : null,
      ),
      h("p", { className: "market-template-description", text: template.description }),
      h(
        "div",
        { className: "market-byline" },
        h("span", {}, "by ", h("strong", { className: "market-creator", text: template.creator.name })),
        this.followButton,
        this.followers,
      ),
      h(
        "dl",
        { className: "market-facts" },
        h("div", { className: "market-fact" }, h("dt", { text: "Rating" }), this.rating),
        fact("Downloads", downloadsText(template.downloads)),
        fact("Licence", template.licence),
        fact("Price", priceText(template.priceCents)),
        fact("Category", categoryName),
      ),
      template.tags.length > 0 ? tagList(template.tags) : null,
      h(
        "div",
        { className: "market-use-row" },
        h("label", { className: "field market-version-field" }, h("span", { className: "field-label", text: "Version" }), this.versionSelect),
        this.useButton,
      ),
    );
  }

  private showRating(rating: number | null, count: number): void {
    this.rating.replaceChildren(ratingView(rating, count));
  }

  private showFollowing(): void {
    this.followButton.textContent = this.following ? "Unfollow" : "Follow";
    this.followButton.setAttribute("aria-pressed", String(this.following));
  }

  private selectedVersion(): Version | null {
    return this.template.versions.find((version) => version.version === this.versionSelect.value) ?? null;
  }

  private showVersion(): void {
    const version = this.selectedVersion();
    this.versionInfo.textContent = version ? [versionSizeText(version), version.notes.trim()].filter(Boolean).join(" · ") : "";
    this.useButton.hidden = version === null;
    this.files.show(version);
  }

  private async toggleFollow(): Promise<void> {
    await this.context.busy(this.followButton, async () => {
      try {
        const creator = await withSignIn(this.context, () => call("market_follow", { creatorId: this.template.creator.id, follow: !this.following }));
        this.following = creator.following;
        this.followers.textContent = `${creator.followers} follower${creator.followers === 1 ? "" : "s"}`;
        this.showFollowing();
      } catch (error) {
        reportFailure(this.following ? "Cannot unfollow" : "Cannot follow", error);
      }
    });
  }

  private async use(): Promise<void> {
    const version = this.selectedVersion();
    if (!version) return;
    const project = await useTemplate(this.template, version.version);
    if (project) this.context.openProject(project);
  }
}
