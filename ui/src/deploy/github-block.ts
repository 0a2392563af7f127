import type { GithubRepoArgs } from "../bindings";
import { field, h } from "../dom";
import { call } from "../ipc";
import { actionButton, submitForm, textInput } from "../widgets";
import { repoNameFromFolder, repoNameProblem } from "./github";
import { apiBaseProblem } from "./platforms";
import { reportFailure } from "./widgets";

/** A checked request for a new repository, less the project it is for. */
export type NewRepo = Omit<GithubRepoArgs, "projectId">;

/**
 * Connecting a GitHub account (its token goes to the keyring) and creating
 * the project's repository there. Creating is a push, so the git section
 * runs it (`create`) with its own.
 */
export class GithubBlock {
  readonly element: HTMLElement;
  private readonly token = textInput({ id: "github-token", type: "password", label: "GitHub personal access token", placeholder: "Personal access token (repo scope)" });
  private readonly connectButton = actionButton("Connect", null, { id: "github-connect", type: "submit" });
  private readonly account = h("div", { id: "github-account", className: "github-account", attributes: { role: "status" } });
  private readonly repoName: HTMLInputElement;
  private readonly isPrivate = h("input", { id: "github-private", attributes: { type: "checkbox" } });
  private readonly createButton = actionButton("Create repository and push", null, { id: "github-create", kind: "primary", type: "submit" });
  private readonly apiBase = textInput({ id: "github-api-base", type: "url", placeholder: "https://api.github.com" });
  private readonly advanced = h(
    "details",
    { className: "github-advanced" },
    h("summary", { text: "Advanced" }),
    field("API base (GitHub Enterprise)", this.apiBase, "Leave empty for github.com."),
  );
  private readonly problem = h("div", { className: "form-error", attributes: { role: "alert" } });

  constructor(
    projectName: string,
    private readonly create: (repo: NewRepo) => void,
  ) {
    this.repoName = textInput({ id: "github-repo-name", label: "Repository name", placeholder: "Repository name", value: repoNameFromFolder(projectName) });
    this.isPrivate.checked = true;
    for (const input of [this.token, this.repoName, this.apiBase]) input.addEventListener("input", () => this.problem.replaceChildren());
    this.element = h(
      "div",
      { className: "github" },
      h("h4", { className: "deploy-subheading", text: "GitHub" }),
      submitForm("git-row", () => void this.connect(), this.token, this.connectButton),
      this.account,
      submitForm(
        "github-create",
        () => this.submitCreate(),
        h("div", { className: "git-row" }, this.repoName, h("label", { className: "github-private" }, this.isPrivate, "Private")),
        this.createButton,
      ),
      this.advanced,
      this.problem,
    );
  }

  /** Creating waits while the git section runs a command. */
  setBusy(busy: boolean): void {
    this.createButton.disabled = busy;
  }

  /** The API base, or null (its problem shown) when it is unusable. */
  private readApiBase(): string | null {
    const problem = apiBaseProblem(this.apiBase.value);
    if (!problem) return this.apiBase.value.trim();
    this.problem.textContent = problem;
    this.advanced.open = true;
    this.apiBase.focus();
    return null;
  }

  private async connect(): Promise<void> {
    const token = this.token.value.trim();
    if (token === "") {
      this.token.focus();
      return;
    }
    const apiBase = this.readApiBase();
    if (apiBase === null) return;
    this.connectButton.disabled = true;
    try {
      const account = await call("github_connect", { token, apiBase });
      this.token.value = "";
      this.account.textContent = `Connected as ${account.login}`;
    } catch (error) {
      reportFailure("Cannot connect to GitHub", error);
    } finally {
      this.connectButton.disabled = false;
    }
  }

  private submitCreate(): void {
    const problem = repoNameProblem(this.repoName.value);
    if (problem) {
      this.problem.textContent = problem;
      this.repoName.focus();
      return;
    }
    const apiBase = this.readApiBase();
    if (apiBase === null) return;
    this.create({ name: this.repoName.value.trim(), private: this.isPrivate.checked, apiBase });
  }
}
