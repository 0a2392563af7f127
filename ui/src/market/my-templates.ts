import type { TemplateSummary } from "../bindings";
import { h } from "../dom";
import { call } from "../ipc";
import { actionButton } from "../widgets";
import type { MarketContext } from "./context";
import { downloadsText, statusLabel } from "./format";
import { failureView, ratingView } from "./widgets";

/** The signed-in creator's templates, with their review status; choosing one publishes a new version of it. */
export class MyTemplates {
  readonly element: HTMLElement;
  private readonly list = h("div", { className: "my-templates" });

  constructor(
    private readonly context: MarketContext,
    private readonly choose: (template: TemplateSummary) => void,
  ) {
    this.element = h(
      "aside",
      { className: "market-mine", attributes: { "aria-label": "My templates" } },
      h("h3", { className: "market-section-title", text: "My templates" }),
      this.list,
    );
  }

  async load(): Promise<void> {
    if (this.context.account() === null) {
      this.list.replaceChildren(
        h("p", { className: "muted", text: "Sign in to see the templates you published." }),
        actionButton("Sign in", () => void this.context.signIn()),
      );
      return;
    }
    let templates: TemplateSummary[];
    try {
      templates = await call("market_my_templates");
    } catch (error) {
      this.list.replaceChildren(failureView(error));
      return;
    }
    this.list.replaceChildren(
      ...(templates.length === 0 ? [h("p", { className: "muted", text: "Nothing published yet." })] : templates.map((template) => this.item(template))),
    );
  }

  /** Marks the template a publish adds a version to (none for null). */
  mark(templateId: number | null): void {
    for (const item of this.list.querySelectorAll(".my-template")) item.setAttribute("aria-pressed", String(item.getAttribute("data-id") === String(templateId)));
  }

  private item(template: TemplateSummary): HTMLElement {
    return h(
      "button",
      {
        className: "my-template",
        title: "Publish a new version of this template",
        attributes: { type: "button", "data-id": String(template.id), "data-status": template.status, "aria-pressed": "false" },
        on: { click: () => this.choose(template) },
      },
      h(
        "span",
        { className: "my-template-head" },
        h("span", { className: "my-template-title", text: template.title }),
        h("span", { className: `market-status status-${template.status}`, text: statusLabel(template.status) }),
      ),
      h(
        "span",
        { className: "my-template-meta" },
        h("span", { text: template.latestVersion ? `v${template.latestVersion}` : "No version yet" }),
        h("span", { text: downloadsText(template.downloads) }),
        ratingView(template.rating, template.ratingCount),
      ),
    );
  }
}
