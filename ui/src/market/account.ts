import type { MarketStatus } from "../bindings";
import { field, h } from "../dom";
import { icon } from "../icons";
import { call } from "../ipc";
import { showDialog } from "../modal";
import { showNotice } from "../notices";
import { actionButton, dialogButtons, linkButton, submitForm, textInput } from "../widgets";
import { failureText, reportFailure } from "./widgets";

/** The header's account corner: who is signed in, signing in and out, and the server's address. */
export class AccountArea {
  readonly element: HTMLElement;
  private readonly who = h("span", { id: "market-account", className: "market-account-name" });
  private readonly signInButton = actionButton("Sign in", () => void this.signIn(), { id: "market-sign-in", kind: "primary" });
  private readonly signOutButton = linkButton("Sign out", "market-sign-out", () => void this.signOut());
  private readonly settingsButton: HTMLButtonElement;
  private readonly popover: HTMLElement;
  private readonly serverInput = textInput({ id: "market-server", type: "url", label: "Marketplace server", placeholder: "https://market.example.com" });
  private readonly serverError = h("div", { className: "form-error", attributes: { role: "alert" } });
  private readonly onOutsideClick = (event: MouseEvent) => {
    if (!this.element.contains(event.target as Node)) this.closePopover();
  };

  /** `changed` hears every new status; `serverChanged` when the catalogue itself is another one. */
  constructor(
    private status: MarketStatus,
    private readonly changed: (status: MarketStatus, serverChanged: boolean) => void,
  ) {
    this.signOutButton.id = "market-sign-out";
    this.settingsButton = h(
      "button",
      {
        id: "market-settings",
        className: "icon-button",
        title: "Marketplace server",
        attributes: { type: "button", "aria-label": "Marketplace server", "aria-expanded": "false" },
        on: { click: () => (this.popover.hidden ? this.openPopover() : this.closePopover()) },
      },
      icon("settings"),
    );
    const saveButton = actionButton("Save", null, { id: "market-server-save", kind: "primary", type: "submit" });
    this.popover = h(
      "div",
      { className: "market-popover", attributes: { role: "dialog", "aria-label": "Marketplace server" } },
      submitForm(
        "market-server-form",
        () => void this.saveServer(saveButton),
        h("label", { className: "field" }, h("span", { className: "field-label", text: "Server" }), this.serverInput),
        h("p", { className: "field-hint market-popover-hint", text: "Changing it signs you out." }),
        this.serverError,
        h("div", { className: "form-actions" }, saveButton),
      ),
    );
    this.popover.hidden = true;
    this.popover.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      // The popover closes; the marketplace stays.
      event.stopPropagation();
      this.closePopover();
      this.settingsButton.focus();
    });
    this.element = h(
      "div",
      { className: "market-account" },
      this.who,
      this.signInButton,
      this.signOutButton,
      h("span", { className: "market-settings" }, this.settingsButton, this.popover),
    );
    this.render();
  }

  get account(): string | null {
    return this.status.account;
  }

  /** Shows the sign-in dialog; true once signed in. */
  async signIn(): Promise<boolean> {
    const status = await signInDialog(this.status.server);
    if (!status) return false;
    this.update(status, false);
    showNotice(`Signed in as ${status.account}`);
    return true;
  }

  dispose(): void {
    document.removeEventListener("mousedown", this.onOutsideClick);
  }

  private async signOut(): Promise<void> {
    try {
      this.update(await call("market_sign_out"), false);
    } catch (error) {
      reportFailure("Cannot sign out", error);
    }
  }

  private update(status: MarketStatus, serverChanged: boolean): void {
    this.status = status;
    this.render();
    this.changed(status, serverChanged);
  }

  private render(): void {
    const account = this.status.account;
    this.who.textContent = account ?? "";
    this.who.hidden = account === null;
    this.who.title = `Signed in to ${this.status.server}`;
    this.signInButton.hidden = account !== null;
    this.signOutButton.hidden = account === null;
  }

  private openPopover(): void {
    this.serverInput.value = this.status.server;
    this.serverError.textContent = "";
    this.popover.hidden = false;
    this.settingsButton.setAttribute("aria-expanded", "true");
    document.addEventListener("mousedown", this.onOutsideClick);
    this.serverInput.focus();
    this.serverInput.select();
  }

  private closePopover(): void {
    this.popover.hidden = true;
    this.settingsButton.setAttribute("aria-expanded", "false");
    document.removeEventListener("mousedown", this.onOutsideClick);
  }

  private async saveServer(button: HTMLButtonElement): Promise<void> {
    const server = this.serverInput.value.trim();
    if (server === this.status.server) return this.closePopover();
    button.disabled = true;
    this.serverError.textContent = "";
    try {
      const status = await call("market_set_server", { server });
      this.closePopover();
      this.update(status, true);
    } catch (error) {
      this.serverError.textContent = failureText(error);
    } finally {
      button.disabled = false;
    }
  }
}

/** Asks for email and password (and a name, to create the account); the new status once signed in. */
async function signInDialog(server: string): Promise<MarketStatus | null> {
  const email = textInput({ id: "signin-email", type: "email", placeholder: "you@example.com" });
  const password = textInput({ id: "signin-password", type: "password" });
  const name = textInput({ id: "signin-name", placeholder: "How others see you" });
  const create = h("input", { id: "signin-create", attributes: { type: "checkbox" } });
  const nameField = field("Name", name);
  const error = h("div", { className: "form-error", attributes: { role: "alert" } });
  const submit = actionButton("Sign in", null, { id: "signin-submit", kind: "primary", type: "submit", size: "full" });
  const showMode = () => {
    nameField.hidden = !create.checked;
    submit.textContent = create.checked ? "Create account" : "Sign in";
  };
  create.addEventListener("change", showMode);
  showMode();
  let status: MarketStatus | null = null;
  const send = async (close: (action: string) => void) => {
    const wanted = create.checked ? name.value.trim() : null;
    if (!email.value.trim() || !password.value || wanted === "") {
      error.textContent = wanted === "" ? "Enter your name, email and a password." : "Enter your email and password.";
      return;
    }
    submit.disabled = true;
    error.textContent = "";
    try {
      status = await call("market_sign_in", { email: email.value.trim(), password: password.value, name: wanted });
      close("signed-in");
    } catch (failure) {
      error.textContent = failureText(failure);
    } finally {
      submit.disabled = false;
    }
  };
  await showDialog({
    title: "Sign in to the marketplace",
    cancelAction: "cancel",
    content: (close) => [
      submitForm(
        "modal-form market-signin",
        () => void send(close),
        h("p", { className: "field-hint", text: server, title: server }),
        field("Email", email),
        field("Password", password),
        h("label", { className: "market-checkbox" }, create, h("span", { text: "Create an account" })),
        nameField,
        error,
        dialogButtons(close, "Cancel", submit),
      ),
    ],
  });
  return status;
}
