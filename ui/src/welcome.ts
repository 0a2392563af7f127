import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { ProjectInfo, RecentProject, TemplateInfo } from "./bindings";
import { parseInviteLink } from "./collab/invite-link";
import { h } from "./dom";
import { icon } from "./icons";
import { call, errorMessage } from "./ipc";
import { shortcutLabel } from "./keys";
import { LEARN_SHORTCUT } from "./learn/model";
import { MARKET_SHORTCUT } from "./market/format";
import { destinationHint } from "./paths";

export interface WelcomeHost {
  /** Shows the workbench for a project that create_project/open_project returned. */
  showProject(project: ProjectInfo): Promise<void>;
  /** Shows the Learn view (courses, labs, XP) over the welcome screen. */
  openLearn(): void;
  /** Shows the template marketplace over the welcome screen. */
  openMarket(): void;
  /** Asks for a name and joins the shared session of an invite link. */
  joinSession(link: string): void;
}

function errorLine(): HTMLElement {
  return h("div", { className: "form-error", attributes: { role: "alert" } });
}

/** A button in the header that opens a full-window view (Learn, the marketplace). */
function viewButton(testId: string, symbol: string, label: string, description: string, shortcut: string, open: () => void): HTMLButtonElement {
  return h(
    "button",
    { className: "button welcome-view", testId, title: `${description} (${shortcutLabel(shortcut)})`, attributes: { type: "button" }, on: { click: open } },
    h("span", { className: "welcome-view-icon", text: symbol, attributes: { "aria-hidden": "true" } }),
    h("span", { text: label }),
    h("kbd", { text: shortcutLabel(shortcut) }),
  );
}

/** The start screen: recent projects, a new project from a template, or an existing folder. */
export class Welcome {
  readonly element: HTMLElement;
  private readonly recentList = h("div", { className: "recent-list" });
  private readonly recentError = errorLine();
  private readonly templateList = h("div", { className: "template-list", attributes: { role: "radiogroup", "aria-label": "Template" } });
  private readonly nameInput = h("input", {
    className: "text-input",
    testId: "new-project-name",
    attributes: { type: "text", spellcheck: "false", placeholder: "my-app", "aria-label": "Project name" },
  });
  private readonly directoryInput = h("input", {
    className: "text-input",
    testId: "new-project-dir",
    attributes: { type: "text", spellcheck: "false", "aria-label": "Parent folder" },
  });
  private readonly createError = errorLine();
  private readonly createButton = h("button", {
    className: "button primary",
    testId: "create-project",
    text: "Create project",
    attributes: { type: "submit" },
  });
  private readonly destinationHint = h("div", { className: "field-hint" });
  private readonly openPathInput = h("input", {
    className: "text-input",
    testId: "open-folder-path",
    attributes: { type: "text", spellcheck: "false", placeholder: "/path/to/project", "aria-label": "Folder path" },
  });
  private readonly openError = errorLine();
  private readonly joinInput = h("input", {
    className: "text-input",
    testId: "welcome-join-link",
    attributes: { type: "text", spellcheck: "false", placeholder: "flashfusion://join?…", "aria-label": "Invite link" },
  });
  private readonly joinError = errorLine();
  private templates: TemplateInfo[] = [];
  private selectedTemplate: string | null = null;
  private busy = false;

  constructor(private readonly host: WelcomeHost) {
    const createForm = h(
      "form",
      { className: "welcome-card", on: { submit: (event) => this.onCreate(event) } },
      h("h2", { text: "New project" }),
      h("div", { className: "field-label", text: "Template" }),
      this.templateList,
      h("label", { className: "field" }, h("span", { className: "field-label", text: "Name" }), this.nameInput),
      h(
        "label",
        { className: "field" },
        h("span", { className: "field-label", text: "Location" }),
        h(
          "span",
          { className: "input-row" },
          this.directoryInput,
          h("button", { className: "button secondary", text: "Browse…", attributes: { type: "button" }, on: { click: () => void this.browseParent() } }),
        ),
      ),
      this.destinationHint,
      this.createError,
      h("div", { className: "form-actions" }, this.createButton),
    );
    const openForm = h(
      "form",
      { className: "welcome-card", on: { submit: (event) => this.onOpenPath(event) } },
      h(
        "div",
        { className: "card-header" },
        h("h2", { text: "Open folder" }),
        h("button", { className: "button secondary", text: "Open folder…", attributes: { type: "button" }, on: { click: () => void this.browseFolder() } }),
      ),
      h(
        "span",
        { className: "input-row" },
        this.openPathInput,
        h("button", { className: "button primary", testId: "open-folder", text: "Open", attributes: { type: "submit" } }),
      ),
      this.openError,
    );
    const joinForm = h(
      "form",
      { className: "welcome-card", on: { submit: (event) => this.onJoin(event) } },
      h("h2", { text: "Join session" }),
      h(
        "span",
        { className: "input-row" },
        this.joinInput,
        h("button", { className: "button primary", testId: "welcome-join", text: "Join…", attributes: { type: "submit" } }),
      ),
      this.joinError,
    );
    this.element = h(
      "div",
      { className: "welcome", testId: "welcome" },
      h(
        "div",
        { className: "welcome-inner" },
        h(
          "header",
          { className: "welcome-header" },
          icon("bolt", "icon welcome-logo"),
          h("div", {}, h("h1", { text: "FlashFusion" }), h("p", { className: "welcome-tagline", text: "Create, open and edit projects." })),
          h(
            "div",
            { className: "welcome-views" },
            viewButton("open-market", "🛍️", "Marketplace", "Templates from the community", MARKET_SHORTCUT, () => this.host.openMarket()),
            viewButton("open-learn", "🎓", "Learn", "Courses, labs and daily challenges", LEARN_SHORTCUT, () => this.host.openLearn()),
          ),
        ),
        h(
          "div",
          { className: "welcome-columns" },
          h("div", { className: "welcome-column" }, createForm, openForm, joinForm),
          h("section", { className: "welcome-card welcome-recent" }, h("h2", { text: "Recent" }), this.recentError, this.recentList),
        ),
      ),
    );
    this.nameInput.addEventListener("input", () => this.updateDestinationHint());
    this.directoryInput.addEventListener("input", () => this.updateDestinationHint());
    this.templateList.addEventListener("keydown", (event) => this.onTemplateKey(event));
  }

  /** Fills in recent projects, templates and the default location. */
  async load(): Promise<void> {
    const [recent, templates, directory] = await Promise.allSettled([call("list_recent"), call("list_templates"), call("default_projects_dir")]);
    if (recent.status === "fulfilled") this.renderRecent(recent.value);
    else this.recentError.textContent = errorMessage(recent.reason);
    if (templates.status === "fulfilled") {
      this.templates = templates.value;
      this.selectedTemplate = this.templates[0]?.id ?? null;
      this.renderTemplates();
    } else {
      this.createError.textContent = errorMessage(templates.reason);
    }
    if (directory.status === "fulfilled") this.directoryInput.value = directory.value;
    else this.createError.textContent = errorMessage(directory.reason);
    this.updateDestinationHint();
    this.nameInput.focus();
  }

  private renderRecent(projects: RecentProject[]): void {
    if (projects.length === 0) {
      this.recentList.replaceChildren(h("p", { className: "muted", text: "Projects you open will appear here." }));
      return;
    }
    const items = projects.map((project) =>
      h(
        "button",
        {
          className: `recent-item${project.exists ? "" : " missing"}`,
          testId: "recent-item",
          title: project.exists ? project.root : `${project.root} (missing)`,
          attributes: { type: "button", "data-root": project.root },
          on: { click: () => void this.openRoot(project.root, this.recentError) },
        },
        h("span", { className: "recent-name" }, h("span", { text: project.name }), project.exists ? null : h("span", { className: "badge", text: "missing" })),
        h("span", { className: "recent-path", text: project.root }),
      ),
    );
    this.recentList.replaceChildren(...items);
  }

  private renderTemplates(): void {
    if (this.templates.length === 0) {
      this.templateList.replaceChildren(h("p", { className: "muted", text: "No templates available." }));
      return;
    }
    const options = this.templates.map((template) => {
      const selected = template.id === this.selectedTemplate;
      return h(
        "button",
        {
          className: `template-option${selected ? " selected" : ""}`,
          testId: "template-option",
          attributes: {
            type: "button",
            role: "radio",
            "aria-checked": String(selected),
            "data-template": template.id,
            // One tab stop for the group; arrows move inside it.
            tabindex: selected ? "0" : "-1",
          },
          on: { click: () => this.selectTemplate(template.id) },
        },
        h("span", { className: "template-name" }, h("span", { text: template.name }), h("span", { className: "badge", text: template.language })),
        h("span", { className: "template-description", text: template.description }),
      );
    });
    this.templateList.replaceChildren(...options);
  }

  private selectTemplate(id: string): void {
    this.selectedTemplate = id;
    this.renderTemplates();
    this.templateList.querySelector<HTMLElement>(".template-option.selected")?.focus();
  }

  private onTemplateKey(event: KeyboardEvent): void {
    const step = event.key === "ArrowDown" || event.key === "ArrowRight" ? 1 : event.key === "ArrowUp" || event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0 || this.templates.length === 0) return;
    event.preventDefault();
    const index = this.templates.findIndex((template) => template.id === this.selectedTemplate);
    const next = this.templates[(index + step + this.templates.length) % this.templates.length]!;
    this.selectTemplate(next.id);
  }

  private updateDestinationHint(): void {
    this.destinationHint.textContent = destinationHint(this.directoryInput.value, this.nameInput.value);
  }

  private async onCreate(event: Event): Promise<void> {
    event.preventDefault();
    this.createError.textContent = "";
    const name = this.nameInput.value.trim();
    const parentDir = this.directoryInput.value.trim();
    if (!this.selectedTemplate) return this.fail(this.createError, "Pick a template.");
    if (!name) {
      this.nameInput.focus();
      return this.fail(this.createError, "Enter a project name.");
    }
    if (!parentDir) return this.fail(this.createError, "Choose where to create the project.");
    await this.whileBusy(this.createError, async () => {
      const project = await call("create_project", { template: this.selectedTemplate!, name, parentDir });
      await this.host.showProject(project);
    });
  }

  private async onOpenPath(event: Event): Promise<void> {
    event.preventDefault();
    const root = this.openPathInput.value.trim();
    if (!root) {
      this.openPathInput.focus();
      return this.fail(this.openError, "Enter the path of a folder.");
    }
    await this.openRoot(root, this.openError);
  }

  /** A pasted invite link: checked here, then the join dialog asks for a name. */
  private onJoin(event: Event): void {
    event.preventDefault();
    this.joinError.textContent = "";
    const parsed = parseInviteLink(this.joinInput.value);
    if (!parsed.ok) {
      this.joinInput.focus();
      return this.fail(this.joinError, this.joinInput.value.trim() === "" ? "Paste an invite link." : parsed.error);
    }
    this.host.joinSession(parsed.link);
  }

  private async openRoot(root: string, errorTarget: HTMLElement): Promise<void> {
    errorTarget.textContent = "";
    await this.whileBusy(errorTarget, async () => {
      const project = await call("open_project", { root });
      await this.host.showProject(project);
    });
  }

  private async browseParent(): Promise<void> {
    const chosen = await this.pickFolder(this.createError, this.directoryInput.value.trim() || undefined);
    if (chosen === null) return;
    this.directoryInput.value = chosen;
    this.updateDestinationHint();
  }

  private async browseFolder(): Promise<void> {
    const chosen = await this.pickFolder(this.openError);
    if (chosen === null) return;
    this.openPathInput.value = chosen;
    await this.openRoot(chosen, this.openError);
  }

  private async pickFolder(errorTarget: HTMLElement, defaultPath?: string): Promise<string | null> {
    errorTarget.textContent = "";
    try {
      const chosen = await openDialog({ directory: true, defaultPath });
      return typeof chosen === "string" ? chosen : null;
    } catch (error) {
      this.fail(errorTarget, `Cannot show the folder picker: ${errorMessage(error)}`);
      return null;
    }
  }

  /** Runs one project action at a time, reporting its failure next to the form that started it. */
  private async whileBusy(errorTarget: HTMLElement, action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.element.classList.add("busy");
    try {
      await action();
    } catch (error) {
      this.fail(errorTarget, errorMessage(error));
    } finally {
      this.busy = false;
      this.element.classList.remove("busy");
    }
  }

  private fail(target: HTMLElement, message: string): void {
    target.textContent = message;
  }
}
