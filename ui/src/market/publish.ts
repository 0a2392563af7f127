import type { ProjectInfo, TemplateSummary } from "../bindings";
import { field, h } from "../dom";
import { call } from "../ipc";
import { showNotice } from "../notices";
import { actionButton, choiceOptions, linkButton, selectInput, submitForm, textArea, textInput } from "../widgets";
import type { MarketContext } from "./context";
import { LICENCES, type PublishInput, dollarsText, findReadme, nextVersion, publishProblem, templateFields } from "./fields";
import { publishedText } from "./format";
import { MyTemplates } from "./my-templates";
import { PublishFiles } from "./publish-files";
import { failureView, withSignIn } from "./widgets";

/** Publish, without a project to publish. */
export function noProjectToPublish(): HTMLElement {
  return h(
    "div",
    { className: "market-publish market-empty" },
    h("p", { className: "market-empty-title", text: "Open a project to publish it" }),
    h("p", { className: "muted", text: "Publish turns the open project into a template others can use. Open one, then come back here." }),
  );
}

/** Publishing the open project as a template (or a new version of one), and the templates already published. */
export class PublishPanel {
  readonly element: HTMLElement;
  private readonly title: HTMLInputElement;
  private readonly description = textInput({ id: "publish-description", placeholder: "One sentence: what it is and who it is for" });
  private readonly category = selectInput([], { id: "publish-category" });
  private readonly tags = textInput({ id: "publish-tags", placeholder: "react, stripe, saas" });
  private readonly licence = selectInput(
    LICENCES.map((licence) => ({ value: licence, label: licence })),
    { id: "publish-licence" },
  );
  private readonly price = textInput({ id: "publish-price", value: "0" });
  private readonly version = textInput({ id: "publish-version", value: "1.0.0" });
  private readonly notes = textInput({ id: "publish-notes", placeholder: "What is new in this version" });
  private readonly readme = textArea({ id: "publish-readme", rows: 10, placeholder: "# My template\n\nWhat it does, how to run it…" });
  private readonly mode = h("p", { className: "market-publish-mode" });
  private readonly files: PublishFiles;
  private readonly mine: MyTemplates;
  private readonly problem = h("div", { className: "market-publish-problem" });
  private readonly submit: HTMLButtonElement;
  /** The template a publish adds a version to; null makes a new one. */
  private target: TemplateSummary | null = null;
  private loaded = false;

  constructor(
    private readonly context: MarketContext,
    private readonly project: ProjectInfo,
  ) {
    this.title = textInput({ id: "publish-title", value: project.name });
    this.submit = context.onlineOnly(actionButton("Publish", null, { id: "publish-submit", kind: "primary", type: "submit", size: "full" }));
    this.files = new PublishFiles(project.id);
    this.mine = new MyTemplates(context, (template) => this.choose(template));
    const form = submitForm(
      "market-publish-form",
      () => void this.publish(),
      h("h2", { className: "market-section-title", text: `Publish ${project.name}` }),
      this.mode,
      h(
        "div",
        { className: "form-grid" },
        wide(field("Title", this.title)),
        wide(field("Description", this.description)),
        field("Category", this.category),
        field("Licence", this.licence),
        field("Tags", this.tags, "Up to 10, comma-separated: a–z, 0–9 and -"),
        field("Price (US dollars)", this.price, "0 for free; paid from 1.00 to 1000.00"),
        field("Version", this.version, "MAJOR.MINOR.PATCH"),
        field("Release notes", this.notes),
        wide(field("README", this.readme)),
      ),
      this.files.element,
      this.problem,
      h("div", { className: "form-actions" }, this.submit),
    );
    this.element = h("div", { className: "market-publish" }, form, this.mine.element);
    this.showMode();
  }

  /** The tab was opened: the project's files the first time, the published templates every time. */
  show(): void {
    if (!this.loaded) {
      this.loaded = true;
      void this.loadProject();
      void this.context.categories().then((categories) => {
        const current = this.category.value;
        const choices = categories.map((category) => ({ value: category.slug, label: category.name }));
        this.category.replaceChildren(...choiceOptions([{ value: "", label: "Choose…" }, ...choices]));
        this.category.value = current;
      });
    }
    void this.loadMine();
  }

  /** Someone signed in or out: their templates with it. */
  accountChanged(): void {
    // Another account's templates are not this one's to add versions to.
    if (this.target) this.choose(null);
    if (this.loaded) void this.loadMine();
  }

  /** The project's files, and its README to start the template's from. */
  private async loadProject(): Promise<void> {
    const readme = findReadme(await this.files.load());
    if (!readme || this.readme.value !== "") return;
    try {
      const file = await call("read_file", { projectId: this.project.id, path: readme });
      if (this.readme.value === "") this.readme.value = file.text;
    } catch {
      // Without it the person writes the README here.
    }
  }

  private showMode(): void {
    const template = this.target;
    if (!template) {
      this.mode.replaceChildren("A new template. To publish a new version of one of yours instead, choose it under My templates.");
    } else {
      this.mode.replaceChildren(
        "A new version of ",
        h("strong", { text: template.title }),
        ". ",
        linkButton("Publish as a new template instead", "publish-as-new", () => this.choose(null)),
      );
    }
    this.mine.mark(template?.id ?? null);
    this.submit.textContent = template ? "Publish version" : "Publish";
  }

  /** Publishes a new version of `template` (its fields as they are), or a new template for null. */
  private choose(template: TemplateSummary | null): void {
    this.target = template;
    this.version.value = nextVersion(template?.latestVersion ?? null);
    if (template) {
      this.title.value = template.title;
      this.description.value = template.description;
      this.category.value = template.category;
      this.tags.value = template.tags.join(", ");
      this.licence.value = template.licence;
      this.price.value = dollarsText(template.priceCents);
    }
    this.showMode();
  }

  private async loadMine(): Promise<void> {
    await this.mine.load();
    this.mine.mark(this.target?.id ?? null);
  }

  private async publish(): Promise<void> {
    const input: PublishInput = {
      title: this.title.value,
      description: this.description.value,
      category: this.category.value,
      tags: this.tags.value,
      licence: this.licence.value,
      price: this.price.value,
      readme: this.readme.value,
      version: this.version.value.trim(),
      files: this.files.chosen(),
    };
    const problem = publishProblem(input);
    this.problem.replaceChildren(...(problem ? [h("div", { className: "form-error", attributes: { role: "alert" }, text: problem })] : []));
    if (problem) return;
    await this.context.busy(this.submit, async () => {
      try {
        const args = { projectId: this.project.id, templateId: this.target?.id ?? null, fields: templateFields(input), version: input.version, notes: this.notes.value.trim(), files: [...input.files] };
        const template = await withSignIn(this.context, () => call("market_publish", args));
        showNotice(publishedText(template.title, input.version, template.status), { testId: "publish-success" });
        this.notes.value = "";
        await this.loadMine();
        this.choose({ ...template, latestVersion: input.version });
      } catch (error) {
        this.problem.replaceChildren(failureView(error));
      }
    });
  }
}

function wide(element: HTMLElement): HTMLElement {
  element.classList.add("form-wide");
  return element;
}
