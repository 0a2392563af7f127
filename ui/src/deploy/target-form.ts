import type { Platform, ProjectId, TargetConfig, TargetView } from "../bindings";
import { field, h } from "../dom";
import { call } from "../ipc";
import { showDialog } from "../modal";
import { actionButton, dialogButtons, submitForm, textInput } from "../widgets";
import { type FieldText, PLATFORMS, configProblem, emptyConfig, normalizeConfig, platformInfo } from "./platforms";
import { failureText } from "./widgets";

/** A field whose label, placeholder and hint follow the chosen platform. */
class PlatformField {
  readonly input: HTMLInputElement;
  readonly element: HTMLLabelElement;
  private readonly label = h("span", { className: "field-label" });
  private readonly hint = h("span", { className: "field-hint" });

  constructor(id: string, type: "text" | "password" = "text") {
    this.input = textInput({ id, type });
    this.element = h("label", { className: "field" }, this.label, this.input, this.hint);
  }

  /** Null hides the field (the platform does not have it). */
  describe(text: FieldText | null, placeholder = text?.placeholder ?? ""): void {
    this.element.hidden = text === null;
    if (!text) return;
    this.label.textContent = text.label;
    this.hint.textContent = text.hint;
    this.input.placeholder = placeholder;
  }
}

export interface TargetFormContext {
  projectId: ProjectId;
  /** Platforms with a token in the keyring already. */
  connected: ReadonlySet<Platform>;
}

/** The add/edit target dialog: the platform's settings and its API token. Resolves with the saved target, or null. */
export async function editTarget(context: TargetFormContext, target: TargetView | null): Promise<TargetView | null> {
  const form = new TargetForm(context, target);
  const action = await showDialog({
    title: target ? `Edit the ${target.label} target` : "Add a deployment target",
    className: "modal-wide",
    cancelAction: "cancel",
    content: (close) => form.content(close),
  });
  return action === "saved" ? form.saved : null;
}

class TargetForm {
  saved: TargetView | null = null;
  private readonly platform = h("select", { id: "target-platform", className: "text-input", attributes: { "aria-label": "Platform" } });
  private readonly site = new PlatformField("target-site");
  private readonly account = new PlatformField("target-account");
  private readonly branch = new PlatformField("target-branch");
  private readonly token = new PlatformField("target-token", "password");
  private readonly apiBase = textInput({ id: "target-api-base", type: "url" });
  private readonly error = h("div", { id: "target-error", className: "form-error", attributes: { role: "alert" } });
  private readonly saveButton = actionButton("Save", null, { id: "target-save", kind: "primary", type: "submit", size: "full" });

  constructor(
    private readonly context: TargetFormContext,
    private readonly target: TargetView | null,
  ) {
    this.platform.append(...PLATFORMS.map((info) => h("option", { text: info.label, attributes: { value: info.platform } })));
    const config = target?.config ?? emptyConfig("netlify");
    this.platform.value = config.platform;
    this.site.input.value = config.site;
    this.account.input.value = config.account;
    this.branch.input.value = config.branch;
    this.apiBase.value = config.apiBase;
    this.platform.addEventListener("change", () => this.describe());
    this.describe();
  }

  content(close: (action: string) => void): Node[] {
    const form = submitForm(
      "modal-form deploy-form",
      () => void this.save(close),
      field("Platform", this.platform),
      this.site.element,
      this.account.element,
      this.branch.element,
      this.token.element,
      field("API base URL (advanced)", this.apiBase, "Leave empty for the platform's own API; set it for a self-hosted or test server."),
      this.error,
      dialogButtons(close, "Cancel", this.saveButton),
    );
    return [form];
  }

  private get chosen(): Platform {
    return this.platform.value as Platform;
  }

  private describe(): void {
    const info = platformInfo(this.chosen);
    this.site.describe(info.site);
    this.account.describe(info.account);
    this.branch.describe(info.branch);
    this.token.describe(info.token, this.context.connected.has(info.platform) ? "Saved in the keyring: type a new one to replace it" : "");
    this.apiBase.placeholder = info.defaultApi;
    this.error.textContent = "";
  }

  private read(): TargetConfig {
    return normalizeConfig({
      platform: this.chosen,
      site: this.site.input.value,
      account: this.account.input.value,
      branch: this.branch.input.value,
      apiBase: this.apiBase.value,
    });
  }

  private async save(close: (action: string) => void): Promise<void> {
    const config = this.read();
    const problem = configProblem(config);
    if (problem) {
      this.error.textContent = problem;
      return;
    }
    this.saveButton.disabled = true;
    this.error.textContent = "";
    try {
      // The token first: it belongs to the platform, so saving it twice does no harm if the target then fails.
      const token = this.token.input.value.trim();
      if (token !== "") await call("set_platform_token", { platform: config.platform, token });
      this.saved = await call("save_deploy_target", { projectId: this.context.projectId, id: this.target?.id ?? null, config });
      close("saved");
    } catch (error) {
      this.error.textContent = failureText(error);
    } finally {
      this.saveButton.disabled = false;
    }
  }
}
