import type { PromptTemplate } from "./bindings";
import { showContextMenu, type MenuEntry } from "./context-menu";
import { h } from "./dom";
import { icon } from "./icons";
import { call, errorMessage } from "./ipc";
import { askForText } from "./modal";
import { showError, showNotice } from "./notices";

const TITLE_FROM_PROMPT_LENGTH = 40;

export interface TemplateTarget {
  /** The text in the chat input. */
  text(): string;
  /** Replaces the chat input with a template's prompt. */
  fill(text: string): void;
}

/** Ids of the person's own templates; built-in ones have fixed ids from Rust. */
function newTemplateId(): string {
  return `user-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Prompt templates: pick one to fill the input, save the input as one, delete your own. */
export class TemplatePicker {
  readonly element: HTMLElement;
  private readonly select = h("select", { className: "chat-select", testId: "template-picker", attributes: { "aria-label": "Prompt templates" } });
  private templates: PromptTemplate[] = [];

  constructor(private readonly target: TemplateTarget) {
    const menuButton = h(
      "button",
      { className: "icon-button", title: "Manage templates", attributes: { type: "button", "aria-label": "Manage templates" } },
      icon("more"),
    );
    menuButton.addEventListener("click", () => {
      const bounds = menuButton.getBoundingClientRect();
      showContextMenu(bounds.left, bounds.bottom, this.menu());
    });
    this.select.addEventListener("change", () => {
      const template = this.templates.find((candidate) => candidate.id === this.select.value);
      this.select.value = "";
      if (template) this.target.fill(template.prompt);
    });
    this.element = h("span", { className: "template-picker" }, this.select, menuButton);
    this.render();
  }

  async load(): Promise<void> {
    try {
      this.show(await call("list_prompt_templates"));
    } catch (error) {
      showError(`Cannot load the prompt templates: ${errorMessage(error)}`);
    }
  }

  private show(templates: PromptTemplate[]): void {
    this.templates = templates;
    this.render();
  }

  private render(): void {
    const option = (template: PromptTemplate) => h("option", { text: template.title, attributes: { value: template.id } });
    const group = (label: string, templates: PromptTemplate[]) =>
      templates.length > 0 ? h("optgroup", { attributes: { label } }, ...templates.map(option)) : null;
    this.select.replaceChildren(
      ...[
        h("option", { text: "Templates…", attributes: { value: "" } }),
        group("Built in", this.templates.filter((template) => template.builtIn)),
        group("Yours", this.templates.filter((template) => !template.builtIn)),
      ].filter((node) => node !== null),
    );
    this.select.value = "";
  }

  private menu(): MenuEntry[] {
    const own = this.templates.filter((template) => !template.builtIn);
    const entries: MenuEntry[] = [{ label: "Save input as template…", run: () => void this.saveInput() }];
    if (own.length > 0) entries.push(null);
    for (const template of own) {
      entries.push({ label: `Delete “${template.title}”`, danger: true, run: () => void this.delete(template) });
    }
    return entries;
  }

  private async saveInput(): Promise<void> {
    const prompt = this.target.text().trim();
    if (prompt === "") {
      showNotice("Write the prompt in the chat input first, then save it as a template.");
      return;
    }
    const firstLine = prompt.split("\n")[0]!.slice(0, TITLE_FROM_PROMPT_LENGTH);
    const title = await askForText({ title: "Save as template", label: "Title", value: firstLine, confirmLabel: "Save" });
    if (title === null) return;
    try {
      this.show(await call("save_prompt_template", { id: newTemplateId(), title, prompt, builtIn: false }));
    } catch (error) {
      showError(`Could not save the template: ${errorMessage(error)}`);
    }
  }

  private async delete(template: PromptTemplate): Promise<void> {
    try {
      this.show(await call("delete_prompt_template", { id: template.id }));
    } catch (error) {
      showError(`Could not delete the template: ${errorMessage(error)}`);
    }
  }
}
