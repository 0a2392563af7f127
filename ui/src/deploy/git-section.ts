import type { CommitInfo, DeployEvent, GitStatus, ProjectId, RefKind } from "../bindings";
import { h } from "../dom";
import { call, stream } from "../ipc";
import { showNotice } from "../notices";
import { relativeTime } from "../units";
import { actionButton, submitForm, textInput } from "../widgets";
import { changeLetter, changesSummary, shortId } from "./format";
import { GithubBlock, type NewRepo } from "./github-block";
import { pushText, transferPercent } from "./stages";
import { ProgressBar, reportFailure, section } from "./widgets";

/** Changed files listed under the summary; a fresh project can have thousands. */
const CHANGES_SHOWN = 200;

function commitItem(commit: CommitInfo, now: number): HTMLElement {
  const when = commit.time * 1000;
  return h(
    "li",
    { title: `${commit.id}\n${new Date(when).toLocaleString()}`, attributes: { "data-id": commit.id } },
    h("code", { className: "git-commit-id", text: shortId(commit.id) }),
    h("span", { className: "git-commit-summary", text: commit.summary }),
    h("span", { className: "git-commit-meta", text: `${commit.author} · ${relativeTime(when, now)}` }),
  );
}

/** The project's repository: its state, committing, branches and tags, pushing (to GitHub too), and the history. */
export class GitSection {
  readonly element: HTMLElement;
  private readonly status = h("div", { id: "git-status", className: "git-status" });
  private readonly initButton = actionButton("Initialise repository", () => void this.init(), { id: "git-init", kind: "primary" });
  private readonly message = textInput({ id: "git-commit-message", label: "Commit message", placeholder: "Commit message" });
  private readonly commitButton = actionButton("Commit", null, { id: "git-commit", kind: "primary", type: "submit" });
  private readonly refName = textInput({ id: "git-ref-name", label: "Branch or tag name", placeholder: "New branch or tag" });
  private readonly branchButton = actionButton("Create branch", () => void this.createRef("branch"), { id: "git-create-branch" });
  private readonly tagButton = actionButton("Create tag", () => void this.createRef("tag"), { id: "git-create-tag" });
  private readonly remote = textInput({ id: "git-remote", label: "Remote", placeholder: "Remote name or URL", value: "origin" });
  private readonly pushButton = actionButton("Push", () => void this.push(), { id: "git-push" });
  private readonly pushProgress = new ProgressBar("git-push-progress");
  private readonly history = h("ol", { className: "git-history", attributes: { "aria-label": "Commits" } });
  private readonly historyEmpty = h("p", { className: "muted git-history-empty", text: "No commits yet." });
  private readonly github: GithubBlock;
  private readonly repository: HTMLElement;
  private readonly historyPart: HTMLElement;
  /** The head the history was last loaded for (undefined: never loaded). */
  private historyHead: string | null | undefined = undefined;
  private busy = false;

  constructor(
    private readonly projectId: ProjectId,
    projectName: string,
  ) {
    this.github = new GithubBlock(projectName, (repo) => void this.createOnGithub(repo));
    const commitForm = submitForm("git-row", () => void this.commit(), this.message, this.commitButton);
    this.repository = h(
      "div",
      { className: "git-repository" },
      commitForm,
      h("div", { className: "git-row" }, this.refName, this.branchButton, this.tagButton),
      h("div", { className: "git-row" }, this.remote, this.pushButton),
    );
    this.historyPart = h("div", {}, h("h4", { className: "deploy-subheading", text: "History" }), this.history, this.historyEmpty);
    // Creating a GitHub repository needs none here first (it makes one), so that part always shows, with the push progress.
    this.element = section(
      "Source control",
      "deploy-git",
      this.status,
      this.initButton,
      this.repository,
      this.pushProgress.element,
      this.github.element,
      this.historyPart,
    );
    this.show(null);
  }

  /** Shows the repository's state (null: the project has none yet); reloads the history when the head moved. */
  show(git: GitStatus | null): void {
    this.initButton.hidden = git !== null;
    this.repository.hidden = git === null;
    this.historyPart.hidden = git === null;
    this.status.replaceChildren(...(git ? this.statusLines(git) : [h("p", { className: "muted", text: "This project has no git repository yet." })]));
    const head = git?.head?.id ?? null;
    if (git && head !== this.historyHead) void this.loadHistory(head);
  }

  private statusLines(git: GitStatus): HTMLElement[] {
    const changes = git.changes.slice(0, CHANGES_SHOWN).map((change) =>
      h(
        "li",
        { title: change.path, attributes: { "data-kind": change.kind } },
        h("span", { className: `git-change-letter ${change.kind}`, text: changeLetter(change.kind) }),
        h("span", { className: "git-change-path", text: change.path }),
      ),
    );
    if (git.changes.length > CHANGES_SHOWN) changes.push(h("li", { className: "muted", text: `… and ${git.changes.length - CHANGES_SHOWN} more` }));
    const refs = [git.branches.length > 0 ? `Branches: ${git.branches.join(", ")}` : "", git.tags.length > 0 ? `Tags: ${git.tags.join(", ")}` : ""];
    return [
      h(
        "div",
        { className: "git-line" },
        h("span", { className: "git-branch-label", text: "On" }),
        h("span", { id: "git-branch", className: "git-branch", text: git.branch ?? "detached HEAD" }),
      ),
      h(
        "div",
        { id: "git-head", className: "git-line" },
        git.head ? h("code", { className: "git-commit-id", text: shortId(git.head.id) }) : null,
        h("span", { className: "git-commit-summary", text: git.head?.summary ?? "No commits yet" }),
      ),
      h(
        "details",
        { id: "git-changes", className: "git-changes", attributes: { "data-count": String(git.changes.length) } },
        h("summary", { text: changesSummary(git.changes) }),
        h("ul", { className: "git-changes-list" }, ...changes),
      ),
      h("div", { className: "git-refs muted", text: refs.filter(Boolean).join(" · ") }),
    ];
  }

  private async loadHistory(head: string | null): Promise<void> {
    this.historyHead = head;
    try {
      const commits = await call("git_history", { projectId: this.projectId });
      const now = Date.now();
      this.history.replaceChildren(...commits.map((commit) => commitItem(commit, now)));
      this.historyEmpty.hidden = commits.length > 0;
    } catch (error) {
      this.historyHead = undefined;
      reportFailure("Cannot read the commit history", error);
    }
  }

  /** Runs one git command at a time; its new status is shown, `done` gets it too. */
  private async act(failure: string, command: () => Promise<GitStatus>, done: (git: GitStatus) => void = () => undefined): Promise<boolean> {
    if (this.busy) return false;
    this.setBusy(true);
    try {
      const git = await command();
      this.show(git);
      done(git);
      return true;
    } catch (error) {
      reportFailure(failure, error);
      return false;
    } finally {
      this.setBusy(false);
    }
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    for (const button of [this.initButton, this.commitButton, this.branchButton, this.tagButton, this.pushButton]) button.disabled = busy;
    this.github.setBusy(busy);
  }

  private async init(): Promise<void> {
    await this.act("Cannot create the repository", () => call("git_init", { projectId: this.projectId }));
  }

  private async commit(): Promise<void> {
    const message = this.message.value.trim();
    if (message === "") {
      this.message.focus();
      return;
    }
    await this.act(
      "Cannot commit",
      () => call("git_commit", { projectId: this.projectId, message }),
      (git) => {
        this.message.value = "";
        showNotice(`Committed ${git.head ? shortId(git.head.id) : ""} “${message}”`, { testId: "git-committed" });
      },
    );
  }

  private async createRef(kind: RefKind): Promise<void> {
    const name = this.refName.value.trim();
    if (name === "") {
      this.refName.focus();
      return;
    }
    await this.act(`Cannot create the ${kind}`, () => call("git_create_ref", { projectId: this.projectId, kind, name }), () => {
      this.refName.value = "";
      showNotice(`Created the ${kind} ${name}`);
    });
  }

  private async push(): Promise<void> {
    const remote = this.remote.value.trim() || "origin";
    await this.pushWith(
      "Push failed",
      `Connecting to ${remote}…`,
      (onEvent) => stream("git_push", { projectId: this.projectId, remote }, onEvent),
      (git) => this.pushProgress.show(100, `Pushed ${git.branch ?? "HEAD"} to ${remote}`),
    );
  }

  private async createOnGithub(repo: NewRepo): Promise<void> {
    await this.pushWith(
      "Cannot create the GitHub repository",
      `Creating ${repo.name} on GitHub…`,
      (onEvent) => stream("github_create_repo", { projectId: this.projectId, ...repo }, onEvent),
      (git) => {
        this.pushProgress.show(100, `Pushed ${git.branch ?? "HEAD"} to GitHub`);
        showNotice("Pushed to GitHub", { testId: "github-pushed" });
      },
    );
  }

  /** A push (`start`) as a git command, the bar following its progress. */
  private async pushWith(
    failure: string,
    starting: string,
    start: (onEvent: (event: DeployEvent) => void) => Promise<GitStatus>,
    done: (git: GitStatus) => void,
  ): Promise<void> {
    if (this.busy) return;
    this.pushProgress.show(0, starting);
    const pushed = await this.act(failure, () => start((event) => this.showPush(event)), done);
    if (!pushed) this.pushProgress.hide();
  }

  private showPush(event: DeployEvent): void {
    if (event.kind === "push") this.pushProgress.show(transferPercent(event.progress.done, event.progress.total), pushText(event.progress));
  }
}
