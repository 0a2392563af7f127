import type { ProjectId, PublishFile } from "../bindings";
import { h } from "../dom";
import { call } from "../ipc";
import { formatBytes } from "../units";
import { linkButton } from "../widgets";
import { selectionText } from "./format";
import { failureView } from "./widgets";

/** The project's files to publish: all that may be are ticked; the others (secrets…) are shown with the reason why not. */
export class PublishFiles {
  readonly element: HTMLElement;
  private readonly list = h("ul", { className: "publish-files" });
  private readonly summary = h("span", { className: "publish-files-summary muted" });
  private files: PublishFile[] = [];

  constructor(private readonly projectId: ProjectId) {
    this.list.addEventListener("change", () => this.showSelection());
    this.element = h(
      "fieldset",
      { className: "publish-files-field" },
      h(
        "legend",
        { className: "field-label" },
        "Files ",
        this.summary,
        linkButton("All", "publish-select-all", () => this.selectAll(true)),
        linkButton("None", "publish-select-none", () => this.selectAll(false)),
      ),
      this.list,
    );
  }

  /** Lists the project's files; their paths, for finding its README. */
  async load(): Promise<string[]> {
    this.list.replaceChildren(h("li", { className: "muted", text: "Listing the project's files…" }));
    try {
      this.files = await call("market_publish_candidates", { projectId: this.projectId });
    } catch (error) {
      this.list.replaceChildren(h("li", {}, failureView(error)));
      return [];
    }
    this.render();
    return this.files.map((file) => file.path);
  }

  chosen(): string[] {
    return this.boxes()
      .filter((box) => box.checked)
      .map((box) => box.value);
  }

  private render(): void {
    if (this.files.length === 0) {
      this.list.replaceChildren(h("li", { className: "muted", text: "The project has no files to publish." }));
      return;
    }
    this.list.replaceChildren(...this.files.map((file) => this.item(file)));
    this.showSelection();
  }

  private item(file: PublishFile): HTMLElement {
    const box = h("input", { attributes: { type: "checkbox", value: file.path } });
    box.checked = file.allowed;
    box.disabled = !file.allowed;
    return h(
      "li",
      { className: `publish-file${file.allowed ? "" : " refused"}`, attributes: { "data-path": file.path } },
      h(
        "label",
        { title: file.reason ?? file.path },
        box,
        h("span", { className: "publish-file-path", text: file.path }),
        h("span", { className: "publish-file-size muted", text: formatBytes(file.size) }),
        file.reason ? h("span", { className: "publish-file-reason", text: file.reason }) : null,
      ),
    );
  }

  /** The boxes that may be ticked. */
  private boxes(): HTMLInputElement[] {
    return [...this.list.querySelectorAll<HTMLInputElement>("input[type=checkbox]:not(:disabled)")];
  }

  private selectAll(checked: boolean): void {
    for (const box of this.boxes()) box.checked = checked;
    this.showSelection();
  }

  private showSelection(): void {
    const chosen = new Set(this.chosen());
    const allowed = this.files.filter((file) => file.allowed);
    this.summary.textContent = selectionText(
      allowed.filter((file) => chosen.has(file.path)),
      allowed.length,
    );
  }
}
