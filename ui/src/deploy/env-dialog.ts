import type { EnvVarView, TargetView } from "../bindings";
import { h } from "../dom";
import { icon } from "../icons";
import { call } from "../ipc";
import { showDialog } from "../modal";
import { showNotice } from "../notices";
import { actionButton, dialogButtons, submitForm, textInput } from "../widgets";
import { type EnvRow, changesText, emptyRow, envChanges, envProblem, rowsFromVars, toEnvVars } from "./env";
import { failureText } from "./widgets";

/** The environment variables of a target: names and values (a secret's value is never shown again), and importing the project's .env. */
export async function editEnvVars(target: TargetView, name: string): Promise<void> {
  const editor = new EnvEditor(target.id);
  await showDialog({
    title: `Environment variables · ${name}`,
    className: "modal-wide deploy-env-dialog",
    cancelAction: "close",
    content: (close) => editor.content(target.label, close),
  });
}

class EnvEditor {
  private saved: EnvVarView[] = [];
  private rows: EnvRow[] = [];
  private readonly body = h("tbody");
  private readonly empty = h("p", { className: "muted env-empty", text: "No variables yet." });
  private readonly changes = h("span", { className: "env-changes muted", attributes: { role: "status" } });
  private readonly error = h("div", { id: "env-error", className: "form-error", attributes: { role: "alert" } });
  private readonly buttons = [
    actionButton("Add variable", () => this.add(), { id: "env-add" }),
    actionButton("Import from .env", () => void this.importFile(), { id: "env-import" }),
    actionButton("Save", null, { id: "env-save", kind: "primary", type: "submit", size: "full" }),
  ];

  constructor(private readonly targetId: string) {
    void this.run(() => call("env_vars", { targetId }));
  }

  content(platformLabel: string, close: (action: string) => void): Node[] {
    const [add, importFile, save] = this.buttons;
    const head = h("tr", {}, ...["Name", "Value", "Secret", ""].map((title) => h("th", { text: title })));
    return [
      h("p", {
        className: "modal-message",
        text: `Sent to ${platformLabel} before each deploy. Values are kept in the system keyring; a secret's value is never shown again.`,
      }),
      submitForm(
        "modal-form deploy-form",
        () => void this.save(close),
        h("table", { id: "env-table", className: "env-table" }, h("thead", {}, head), this.body),
        this.empty,
        h("div", { className: "env-tools" }, add, importFile, h("span", { className: "spacer" }), this.changes),
        this.error,
        dialogButtons(close, "Close", save),
      ),
    ];
  }

  /** Runs a command that answers with the saved variables, which the table then shows. */
  private async run(command: () => Promise<EnvVarView[]>): Promise<boolean> {
    this.setBusy(true);
    this.error.textContent = "";
    try {
      this.saved = await command();
      this.rows = rowsFromVars(this.saved);
      this.renderRows();
      return true;
    } catch (error) {
      this.error.textContent = failureText(error);
      return false;
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    for (const button of this.buttons) button.disabled = busy;
  }

  private async save(close: (action: string) => void): Promise<void> {
    const problem = envProblem(this.rows);
    if (problem) {
      this.error.textContent = problem;
      return;
    }
    if (await this.run(() => call("save_env_vars", { targetId: this.targetId, vars: toEnvVars(this.rows) }))) {
      showNotice("Environment variables saved");
      close("saved");
    }
  }

  private async importFile(): Promise<void> {
    if (changesText(envChanges(this.saved, this.rows)) !== "") {
      this.error.textContent = "Save or close without saving before importing: the import saves the variables at once.";
      return;
    }
    if (await this.run(() => call("import_env_file", { targetId: this.targetId }))) showNotice("Imported and saved the project's .env");
  }

  private add(): void {
    this.rows.push(emptyRow());
    this.renderRows();
    this.body.querySelector<HTMLInputElement>("tr:last-child .env-name")?.focus();
  }

  private renderRows(): void {
    this.body.replaceChildren(...this.rows.map((row) => this.rowElement(row)));
    this.empty.hidden = this.rows.length > 0;
    this.showChanges();
  }

  private showChanges(): void {
    const text = changesText(envChanges(this.saved, this.rows));
    this.changes.textContent = text === "" ? "No unsaved changes" : `Unsaved: ${text}`;
  }

  private rowElement(row: EnvRow): HTMLElement {
    const name = textInput({ className: "env-name", label: "Name", value: row.name });
    name.addEventListener("input", () => {
      row.name = name.value;
      this.showChanges();
    });
    const value = textInput({
      className: "env-value",
      type: row.secret ? "password" : "text",
      label: "Value",
      placeholder: row.storedAs !== null ? "Replace (empty keeps it)" : "",
      value: row.value,
    });
    value.addEventListener("input", () => {
      row.value = value.value;
      this.showChanges();
    });
    const secret = h("input", { className: "env-secret", attributes: { type: "checkbox", "aria-label": "Secret" } });
    secret.checked = row.secret;
    secret.addEventListener("change", () => {
      row.secret = secret.checked;
      value.type = row.secret ? "password" : "text";
      this.showChanges();
    });
    const remove = h(
      "button",
      { className: "icon-button env-remove", title: "Remove", attributes: { type: "button", "aria-label": "Remove" }, on: { click: () => this.remove(row) } },
      icon("close"),
    );
    const hidden = row.storedAs !== null ? h("span", { className: "env-hidden", text: "••••••••", title: "Secret: its value is not shown" }) : null;
    return h(
      "tr",
      { className: "env-row", attributes: { "data-name": row.name } },
      h("td", {}, name),
      h("td", { className: "env-value-cell" }, hidden, value),
      h("td", { className: "env-secret-cell" }, secret),
      h("td", {}, remove),
    );
  }

  private remove(row: EnvRow): void {
    this.rows = this.rows.filter((candidate) => candidate !== row);
    this.renderRows();
  }
}
