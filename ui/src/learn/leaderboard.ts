import type { LeaderboardSettings, LeaderboardView } from "../bindings";
import { field, h } from "../dom";
import { call, errorMessage, isIpcError } from "../ipc";
import { showModal } from "../modal";
import { joinFormProblem, queuedText, serverLabel, xpText } from "./model";

const OPT_IN_NOTE =
  "Compare weekly XP with others on a FlashFusion server. This is opt-in: until you join, your progress stays on this computer. " +
  "Once joined, your display name and the XP you earn are sent to that server.";

function input(type: string, testId: string, attributes: Record<string, string> = {}): HTMLInputElement {
  return h("input", { className: "text-input", testId, attributes: { type, spellcheck: "false", ...attributes } });
}

/**
 * The weekly leaderboard. Opt-in: nothing is sent to any server until the
 * person joins one here, and leaving stops sending at once.
 */
export class LeaderboardPanel {
  readonly element = h("section", { className: "learn-card learn-leaderboard", testId: "learn-leaderboard", attributes: { "aria-label": "Weekly leaderboard" } });
  private view: LeaderboardView | null = null;
  private busy = false;
  private problem = "";
  /** The server no longer accepts the saved sign-in: offer to sign in again (or leave). */
  private signInAgain = false;
  private readonly serverInput = input("url", "leaderboard-server", { placeholder: "https://leaderboard.example.com" });
  private readonly emailInput = input("email", "leaderboard-email", { autocomplete: "email" });
  private readonly passwordInput = input("password", "leaderboard-password", { autocomplete: "current-password" });
  private readonly nameInput = input("text", "leaderboard-name", { maxlength: "40" });
  private readonly createInput = h("input", { testId: "leaderboard-create", attributes: { type: "checkbox" } });

  constructor() {
    this.render();
  }

  /** Reads the board (and sends queued awards when opted in). */
  async load(): Promise<void> {
    await this.act(() => call("leaderboard"), true);
  }

  private async act(action: () => Promise<LeaderboardView>, syncing = false): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.problem = "";
    this.render();
    try {
      this.view = await action();
      this.signInAgain = false;
    } catch (error) {
      this.problem = errorMessage(error);
      if (syncing && isIpcError(error, "auth_failed")) this.signInAgain = true;
    } finally {
      this.busy = false;
    }
    this.render();
  }

  private render(): void {
    const view = this.view;
    const title = h(
      "div",
      { className: "learn-card-head" },
      h("h2", { text: "Weekly leaderboard" }),
      h("span", { className: "learn-chip", text: "Opt-in", title: "Nothing is shared unless you join a leaderboard" }),
    );
    const problem = this.problem ? [h("div", { className: "form-error", attributes: { role: "alert" } }, this.problem)] : [];
    this.element.classList.toggle("busy", this.busy);
    if (this.signInAgain) {
      this.element.replaceChildren(
        title,
        ...problem,
        ...this.joinContent(view?.settings ?? null, "Sign in again to keep sending your XP, or leave the leaderboard."),
        h("div", { className: "form-actions" }, this.leaveButton()),
      );
      return;
    }
    if (!view) {
      this.element.replaceChildren(
        title,
        ...problem,
        this.busy
          ? h("p", { className: "muted", text: "Loading…" })
          : h("button", { className: "button small", text: "Try again", attributes: { type: "button" }, on: { click: () => void this.load() } }),
      );
      return;
    }
    this.element.replaceChildren(title, ...(view.settings.optedIn ? this.boardContent(view) : this.joinContent(view.settings)), ...problem);
  }

  private joinContent(settings: LeaderboardSettings | null, note = OPT_IN_NOTE): HTMLElement[] {
    if (!this.serverInput.value && settings) this.serverInput.value = settings.serverUrl;
    if (!this.nameInput.value && settings) this.nameInput.value = settings.displayName;
    const form = h(
      "form",
      { className: "learn-join", on: { submit: (event) => this.onJoin(event) } },
      field("Server", this.serverInput),
      field("Email", this.emailInput),
      field("Password", this.passwordInput),
      field("Display name (shown on the board)", this.nameInput),
      h("label", { className: "learn-checkbox" }, this.createInput, h("span", { text: "Create a new account on this server" })),
      h(
        "div",
        { className: "form-actions" },
        h("button", {
          className: "button primary small",
          testId: "leaderboard-join",
          text: this.busy ? "Joining…" : "Join leaderboard",
          attributes: { type: "submit" },
        }),
      ),
    );
    for (const element of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>("input, button")) element.disabled = this.busy;
    return [h("p", { className: "learn-note" }, note), form];
  }

  private boardContent(view: LeaderboardView): HTMLElement[] {
    const me = view.settings.displayName;
    const rows = view.board.map((entry) =>
      h(
        "li",
        { className: `learn-board-row${entry.name === me ? " me" : ""}` },
        h("span", { className: "learn-board-rank", text: `${entry.rank}` }),
        h("span", { className: "learn-board-name", text: entry.name }),
        h("span", { className: "learn-board-xp", text: xpText(entry.xp) }),
      ),
    );
    const board =
      rows.length > 0
        ? h("ol", { className: "learn-board", attributes: { "aria-label": "This week's ranking" } }, ...rows)
        : h("p", { className: "muted", text: view.offline ? "The board could not be loaded." : "Nobody has earned XP this week yet." });
    const parts: (HTMLElement | null)[] = [
      h("p", { className: "learn-note" }, `Signed in as ${me} on ${serverLabel(view.settings.serverUrl)}.`),
      view.offline
        ? h("div", { className: "learn-offline", testId: "leaderboard-offline", attributes: { role: "status" } }, `Offline — awards are kept and sent later. ${view.offline}`)
        : null,
      board,
      h(
        "div",
        { className: "learn-board-status" },
        h("span", { testId: "leaderboard-queued", text: queuedText(view.queued) }),
        view.sent > 0 ? h("span", { text: `${view.sent} sent just now` }) : null,
      ),
      view.refused.length > 0
        ? h(
            "div",
            { className: "learn-refused" },
            h("div", { className: "field-label", text: "Not counted by the server:" }),
            h("ul", {}, ...view.refused.map((reason) => h("li", { text: reason }))),
          )
        : null,
      h(
        "div",
        { className: "form-actions" },
        this.leaveButton(),
        h("button", {
          className: "button small primary",
          testId: "leaderboard-sync",
          text: this.busy ? "Syncing…" : "Sync now",
          attributes: { type: "button" },
          on: { click: () => void this.load() },
        }),
      ),
    ];
    return parts.filter((element): element is HTMLElement => element !== null);
  }

  private leaveButton(): HTMLButtonElement {
    return h("button", {
      className: "button small",
      testId: "leaderboard-leave",
      text: "Leave",
      attributes: { type: "button" },
      on: { click: () => void this.onLeave() },
    });
  }

  private async onJoin(event: Event): Promise<void> {
    event.preventDefault();
    const form = {
      serverUrl: this.serverInput.value.trim(),
      email: this.emailInput.value.trim(),
      password: this.passwordInput.value,
      displayName: this.nameInput.value.trim(),
    };
    const problem = joinFormProblem(form);
    if (problem) {
      this.problem = problem;
      this.render();
      return;
    }
    await this.act(() => call("join_leaderboard", { ...form, createAccount: this.createInput.checked }));
    // The password is only needed to get a token; it is not kept in the form.
    if (this.view?.settings.optedIn) {
      this.passwordInput.value = "";
      this.render();
    }
  }

  private async onLeave(): Promise<void> {
    const choice = await showModal({
      title: "Leave the leaderboard?",
      message: "Nothing more will be sent. What the server already counted stays there. You can join again at any time.",
      buttons: [
        { action: "cancel", label: "Cancel" },
        { action: "leave", label: "Leave", kind: "danger" },
      ],
      cancelAction: "cancel",
    });
    if (choice === "leave") await this.act(() => call("leave_leaderboard"));
  }
}
