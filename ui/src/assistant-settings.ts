import { baseUrlForKind, presetForUrl, providerPresets } from "./assistant-presets";
import type { AssistantSettings, AssistantStatus, ProviderKind } from "./bindings";
import { failureHint } from "./chat-format";
import { field, h } from "./dom";
import { call, errorMessage, isIpcError } from "./ipc";
import { showDialog } from "./modal";
import { formatPrices, parsePrices } from "./price-table";

const MODELS_SHOWN = 5;

function textInput(testId: string, label: string, type = "text"): HTMLInputElement {
  return h("input", { className: "text-input", testId, attributes: { type, spellcheck: "false", autocomplete: "off", "aria-label": label } });
}

function numberInput(label: string): HTMLInputElement {
  return h("input", { className: "text-input", attributes: { type: "number", min: "1", step: "1", "aria-label": label } });
}

/** The failure as a person should read it; a missing keyring is spelled out. */
function describeFailure(error: unknown): string {
  if (isIpcError(error, "keyring_unavailable")) {
    return `The system keyring is unavailable, so the key cannot be stored (${error.message}). Providers without a key, like a local Ollama, still work.`;
  }
  return errorMessage(error);
}

/** The assistant settings dialog: provider, model, API key (kept in the OS keyring), limits, and a connection test. */
class SettingsForm {
  private readonly preset = h("select", { className: "text-input", attributes: { "aria-label": "Preset" } });
  private readonly kind = h("select", { className: "text-input", testId: "assistant-kind", attributes: { "aria-label": "Provider kind" } });
  private readonly baseUrl = textInput("assistant-base-url", "Base URL");
  private readonly model = textInput("assistant-model", "Model");
  private readonly apiKey = textInput("assistant-api-key", "API key", "password");
  private readonly keyStatus = h("span", { className: "field-hint assistant-key-status", testId: "assistant-key-status" });
  private readonly removeKey = h("button", { className: "link-button", text: "Remove key", attributes: { type: "button" } });
  private readonly contextBudget = numberInput("Context budget");
  private readonly maxOutputTokens = numberInput("Max output tokens");
  private readonly timeoutSeconds = numberInput("Timeout");
  private readonly perMinute = numberInput("Messages per minute");
  private readonly perDay = numberInput("Messages per day");
  private readonly prices = h("textarea", {
    className: "text-input assistant-prices",
    testId: "assistant-prices",
    attributes: { rows: "4", spellcheck: "false", "aria-label": "Prices" },
  });
  private readonly error = h("div", { className: "form-error", attributes: { role: "alert" } });
  private readonly saved = h("div", { className: "field-hint assistant-saved", attributes: { role: "status" } });
  private readonly testResult = h("div", { className: "assistant-test-result", testId: "assistant-test-result", attributes: { role: "status" } });
  private readonly saveButton = h("button", { className: "button primary", testId: "assistant-save", text: "Save", attributes: { type: "submit" } });
  private readonly testButton = h("button", { className: "button secondary", testId: "assistant-test", text: "Test connection", attributes: { type: "button" } });
  /** The saved settings, once loaded: what the form starts from. */
  private settings: AssistantSettings | null = null;
  /** Fields the person changed before the saved settings arrived; loading leaves them alone. */
  private readonly edited = new Set<EventTarget>();
  private readonly loading: Promise<void>;

  constructor() {
    this.preset.append(
      ...providerPresets.map((preset) => h("option", { text: preset.label, attributes: { value: preset.id } })),
      h("option", { text: "Custom", attributes: { value: "custom" } }),
    );
    this.kind.append(
      h("option", { text: "OpenAI-compatible", attributes: { value: "openAi" } }),
      h("option", { text: "Anthropic", attributes: { value: "anthropic" } }),
    );
    this.preset.addEventListener("change", () => {
      const preset = providerPresets.find((candidate) => candidate.id === this.preset.value);
      if (!preset) return;
      this.kind.value = preset.kind;
      this.baseUrl.value = preset.baseUrl;
    });
    this.kind.addEventListener("change", () => {
      this.baseUrl.value = baseUrlForKind(this.baseUrl.value, this.kind.value as ProviderKind);
      this.matchPreset();
    });
    this.baseUrl.addEventListener("input", () => this.matchPreset());
    this.removeKey.hidden = true;
    this.removeKey.addEventListener("click", () => void this.run(() => call("set_api_key", { key: null })));
    this.testButton.addEventListener("click", () => void this.test());
    this.loading = this.load();
  }

  content(close: (action: string) => void): Node[] {
    const noteEdit = (event: Event) => {
      if (event.target) this.edited.add(event.target);
    };
    const form = h(
      "form",
      {
        className: "modal-form assistant-settings",
        on: {
          submit: (event) => {
            event.preventDefault();
            void this.save();
          },
          input: noteEdit,
          change: noteEdit,
        },
      },
      h(
        "div",
        { className: "form-grid" },
        field("Preset", this.preset),
        field("Provider", this.kind),
        h("div", { className: "form-wide" }, field("Base URL", this.baseUrl, "Up to and including the version, e.g. https://api.openai.com/v1")),
        field("Model", this.model),
        h(
          "label",
          { className: "field" },
          h("span", { className: "field-label", text: "API key" }),
          this.apiKey,
          h("span", { className: "assistant-key-line" }, this.keyStatus, this.removeKey),
        ),
        field("Context budget (tokens)", this.contextBudget),
        field("Max output tokens", this.maxOutputTokens),
        field("Timeout (seconds)", this.timeoutSeconds),
        field("Messages per minute", this.perMinute),
        field("Messages per day", this.perDay),
        h(
          "div",
          { className: "form-wide" },
          field("Prices", this.prices, "For cost estimates: one \"model = input / output\" line per model, in USD per million tokens"),
        ),
      ),
      this.error,
      this.saved,
      this.testResult,
      h(
        "div",
        { className: "modal-buttons" },
        this.testButton,
        h("span", { className: "spacer" }),
        h("button", { className: "button secondary", text: "Close", attributes: { type: "button", "data-action": "close" }, on: { click: () => close("close") } }),
        this.saveButton,
      ),
    );
    return [form];
  }

  // The dialog opens at once (a click is answered without a round trip);
  // the saved settings fill in a moment later.
  private async load(): Promise<void> {
    try {
      this.fill(await call("assistant_status"), { keepEdits: true });
    } catch (error) {
      this.error.textContent = `Cannot load the assistant settings: ${describeFailure(error)}`;
    }
  }

  private fill(status: AssistantStatus, { keepEdits = false } = {}): void {
    const { settings } = status;
    this.settings = settings;
    const set = (control: HTMLInputElement | HTMLSelectElement, value: string | number) => {
      if (!keepEdits || !this.edited.has(control)) control.value = String(value);
    };
    set(this.kind, settings.provider.kind);
    set(this.baseUrl, settings.provider.baseUrl);
    set(this.model, settings.provider.model);
    set(this.contextBudget, settings.contextBudget);
    set(this.maxOutputTokens, settings.provider.maxOutputTokens);
    set(this.timeoutSeconds, settings.provider.timeoutSeconds);
    set(this.perMinute, settings.messagesPerMinute);
    set(this.perDay, settings.messagesPerDay);
    if (!keepEdits || !this.edited.has(this.prices)) this.prices.value = formatPrices(settings.prices);
    this.matchPreset();
    this.showKeyStatus(status);
  }

  private showKeyStatus(status: AssistantStatus): void {
    this.removeKey.hidden = !status.hasApiKey;
    this.apiKey.placeholder = status.hasApiKey ? "Enter a new key to replace the saved one" : "Not needed for a local Ollama";
    if (status.keyringProblem) {
      this.keyStatus.textContent = `Keys cannot be stored: the system keyring is unavailable (${status.keyringProblem}).`;
      this.keyStatus.classList.add("problem");
    } else {
      // Keys are filed per base URL, so this describes the saved URL.
      this.keyStatus.textContent = status.hasApiKey ? "A key is saved in the system keyring." : "No key saved for this base URL.";
      this.keyStatus.classList.remove("problem");
    }
  }

  private matchPreset(): void {
    this.preset.value = presetForUrl(this.baseUrl.value, this.kind.value as ProviderKind)?.id ?? "custom";
  }

  /** The settings as typed over the saved ones, or why they cannot be used. */
  private read(saved: AssistantSettings): AssistantSettings | string {
    const numbers: [HTMLInputElement, string][] = [
      [this.contextBudget, "The context budget"],
      [this.maxOutputTokens, "Max output tokens"],
      [this.timeoutSeconds, "The timeout"],
      [this.perMinute, "Messages per minute"],
      [this.perDay, "Messages per day"],
    ];
    for (const [input, name] of numbers) {
      const value = Number(input.value);
      if (input.value.trim() === "" || !Number.isInteger(value) || value < 1) return `${name} must be a whole number of at least 1.`;
    }
    const prices = parsePrices(this.prices.value);
    if (typeof prices === "string") return prices;
    return {
      ...saved,
      provider: {
        kind: this.kind.value as ProviderKind,
        baseUrl: this.baseUrl.value.trim(),
        model: this.model.value.trim(),
        maxOutputTokens: Number(this.maxOutputTokens.value),
        timeoutSeconds: Number(this.timeoutSeconds.value),
      },
      contextBudget: Number(this.contextBudget.value),
      messagesPerMinute: Number(this.perMinute.value),
      messagesPerDay: Number(this.perDay.value),
      prices,
    };
  }

  /** Saves the settings, then the key if one was typed. Resolves true when both are stored. */
  private async save(): Promise<boolean> {
    await this.loading;
    // Without the saved settings (the error says why) there is nothing to save over.
    if (!this.settings) return false;
    const settings = this.read(this.settings);
    if (typeof settings === "string") {
      this.error.textContent = settings;
      return false;
    }
    // The key is filed under the saved base URL, so the settings go first.
    const saved = await this.run(() => call("update_assistant_settings", settings));
    if (!saved) return false;
    const key = this.apiKey.value.trim();
    if (key === "") {
      this.saved.textContent = "Saved.";
      return true;
    }
    const keySaved = await this.run(() => call("set_api_key", { key }));
    if (!keySaved) return false;
    this.apiKey.value = "";
    this.saved.textContent = "Saved. The key is in the system keyring.";
    return true;
  }

  private async test(): Promise<void> {
    this.testResult.textContent = "";
    if (!(await this.save())) return;
    this.setBusy(true);
    this.testResult.textContent = "Connecting…";
    this.testResult.classList.remove("error");
    try {
      const models = await call("test_connection");
      this.testResult.textContent = this.describeModels(models);
    } catch (error) {
      const code = isIpcError(error) ? error.code : null;
      this.testResult.textContent = `${failureHint(code).title}: ${describeFailure(error)}`;
      this.testResult.classList.add("error");
    } finally {
      this.setBusy(false);
    }
  }

  private describeModels(models: string[]): string {
    if (models.length === 0) return "Connected. The provider lists no models.";
    const shown = models.slice(0, MODELS_SHOWN).join(", ") + (models.length > MODELS_SHOWN ? ", …" : "");
    const count = `${models.length} model${models.length === 1 ? "" : "s"}`;
    const model = this.model.value.trim();
    return models.includes(model)
      ? `Connected: ${count}, “${model}” among them (${shown}).`
      : `Connected: ${count} (${shown}). “${model}” is not among them.`;
  }

  /** Runs a settings command and shows the status it returns; false (with the error shown) when it failed. */
  private async run(command: () => Promise<AssistantStatus>): Promise<boolean> {
    this.error.textContent = "";
    this.saved.textContent = "";
    this.setBusy(true);
    try {
      this.fill(await command());
      return true;
    } catch (error) {
      this.error.textContent = describeFailure(error);
      return false;
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    this.saveButton.disabled = busy;
    this.testButton.disabled = busy;
    this.removeKey.disabled = busy;
  }
}

/** Opens the assistant settings dialog. */
export async function openAssistantSettings(): Promise<void> {
  const form = new SettingsForm();
  await showDialog({ title: "AI assistant", className: "modal-wide", cancelAction: "close", content: (close) => form.content(close) });
}
