import type { DeployEvent, DeployOverview, DeploymentRecord, ProjectId, TargetView } from "../bindings";
import { h } from "../dom";
import { icon, type IconName } from "../icons";
import { call, errorMessage, stream } from "../ipc";
import { showModal } from "../modal";
import { showNotice } from "../notices";
import { DeployRun } from "./deploy-run";
import { addDomain } from "./domain-dialog";
import { editEnvVars } from "./env-dialog";
import { shortId } from "./format";
import { GitSection } from "./git-section";
import { HistorySection } from "./history-section";
import { targetName } from "./platforms";
import { editTarget } from "./target-form";
import { TargetsSection } from "./targets-section";
import { reportFailure } from "./widgets";

export interface DeployPanelHost {
  readonly projectId: ProjectId;
  /** The project folder's name (a new GitHub repository's suggested name). */
  readonly projectName: string;
  /** The panel's close button was pressed. */
  hide(): void;
}

/** Files changing in bursts (a build writing its output) refresh the panel once they settle. */
const REFRESH_DELAY_MS = 600;

type Start = (onEvent: (event: DeployEvent) => void) => Promise<DeploymentRecord>;

/** Deploying the open project: its repository, targets, the deployment under way, and the history. */
export class DeployPanel {
  readonly element: HTMLElement;
  private readonly git: GitSection;
  private readonly targets: TargetsSection;
  private readonly history: HistorySection;
  private readonly runSlot = h("div", { className: "deploy-run-slot" });
  private readonly problem = h("div", { className: "form-error deploy-problem", attributes: { role: "alert" } });
  private overview: DeployOverview | null = null;
  /** Deployments and rollbacks under way, by target (one at a time per target, as in Rust). */
  private readonly runs = new Map<string, DeployRun>();
  /** Which overview request may still fill the panel (a newer one wins). */
  private generation = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly host: DeployPanelHost) {
    this.git = new GitSection(host.projectId, host.projectName);
    this.targets = new TargetsSection({
      add: () => void this.editTarget(null),
      edit: (target) => void this.editTarget(target),
      remove: (target) => void this.deleteTarget(target),
      deploy: (target) => void this.deploy(target),
      showRun: (target) => {
        const run = this.runs.get(target.id);
        if (run) this.showRun(run);
      },
      envVars: (target) => void editEnvVars(target, targetName(target)),
      domain: (target) => void addDomain(target, targetName(target)),
    });
    this.history = new HistorySection({ targetName: (id) => this.nameOf(id), rollback: (record) => void this.rollback(record) });
    const headerButton = (iconName: IconName, title: string, id: string, run: () => void) =>
      h("button", { id, className: "icon-button", title, attributes: { type: "button", "aria-label": title }, on: { click: run } }, icon(iconName));
    this.element = h(
      "aside",
      { id: "deploy-panel", className: "deploy-panel side-panel", attributes: { "aria-label": "Deploy", tabindex: "-1" } },
      h(
        "header",
        { className: "deploy-header" },
        h("h2", { className: "deploy-title", text: "Deploy" }),
        headerButton("refresh", "Refresh", "deploy-refresh", () => void this.refresh()),
        headerButton("close", "Hide the deploy panel", "deploy-close", () => host.hide()),
      ),
      h("div", { className: "deploy-body" }, this.problem, this.git.element, this.targets.element, this.runSlot, this.history.element),
    );
  }

  /** The panel became visible: brings it up to date and takes focus. */
  show(): void {
    void this.refresh();
    this.element.focus({ preventScroll: true });
  }

  /** Project files changed on disk (the repository's state with them). */
  filesChanged(): void {
    if (this.element.hidden || this.disposed) return;
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  dispose(): void {
    // Deployments under way go on in Rust and are recorded there; only the view stops.
    this.disposed = true;
    clearTimeout(this.refreshTimer);
    for (const run of this.runs.values()) run.dispose();
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    try {
      const overview = await call("deploy_overview", { projectId: this.host.projectId });
      if (generation !== this.generation || this.disposed) return;
      this.overview = overview;
      this.problem.textContent = "";
      this.git.show(overview.git);
      this.renderLists();
    } catch (error) {
      if (generation === this.generation) this.problem.textContent = `Cannot load the deployment settings: ${errorMessage(error)}`;
    }
  }

  private renderLists(): void {
    if (!this.overview) return;
    const running = new Set(this.runs.keys());
    this.targets.render(this.overview.targets, running, this.overview.build);
    this.history.render(this.overview.deployments, running);
  }

  private async editTarget(target: TargetView | null): Promise<void> {
    const connected = new Set(this.overview?.targets.filter((candidate) => candidate.hasToken).map((candidate) => candidate.config.platform));
    const saved = await editTarget({ projectId: this.host.projectId, connected }, target);
    if (!saved || this.disposed) return;
    showNotice(`${target ? "Saved" : "Added"} the ${saved.label} target`);
    await this.refresh();
  }

  private async deleteTarget(target: TargetView): Promise<void> {
    const action = await showModal({
      title: `Delete the ${targetName(target)} target?`,
      message: "Its deployment history and environment variables are deleted with it. Nothing changes on the platform itself.",
      buttons: [
        { action: "delete", label: "Delete", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "delete") return;
    try {
      await call("delete_deploy_target", { targetId: target.id });
    } catch (error) {
      reportFailure("Cannot delete the target", error);
    }
    await this.refresh();
  }

  private async deploy(target: TargetView): Promise<void> {
    const name = targetName(target);
    await this.run(target.id, `Deploying to ${name}`, name, (onEvent) => stream("start_deploy", { targetId: target.id }, onEvent));
  }

  private nameOf(targetId: string): string {
    const target = this.overview?.targets.find((candidate) => candidate.id === targetId);
    return target ? targetName(target) : "Deleted target";
  }

  private async rollback(record: DeploymentRecord): Promise<void> {
    const name = this.nameOf(record.targetId);
    const commit = record.commitId ? shortId(record.commitId) : null;
    const which = `the deployment${commit ? ` of ${commit}` : ""} from ${new Date(record.startedAt).toLocaleString()}`;
    const action = await showModal({
      title: "Roll back to this deployment?",
      message: `${name} will serve ${which} again. The rollback is recorded as a new deployment.`,
      buttons: [
        { action: "rollback", label: "Roll back", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "rollback" || this.disposed) return;
    await this.run(record.targetId, `Rolling back ${name}${commit ? ` to ${commit}` : ""}`, name, (onEvent) =>
      stream("rollback_deployment", { deploymentId: record.id }, onEvent),
    );
  }

  /** Runs a deployment or rollback on a target, showing it as it happens. */
  private async run(targetId: string, title: string, name: string, start: Start): Promise<void> {
    if (this.runs.has(targetId)) return;
    const run: DeployRun = new DeployRun(targetId, title, () => this.dismissRun(run));
    this.runs.set(targetId, run);
    this.showRun(run);
    this.renderLists();
    try {
      const record = await start((event) => run.handle(event));
      run.succeed(record);
      showNotice(record.url ? `${name} is live at ${record.url}` : `${name} is deployed`, { testId: "deploy-success" });
    } catch (error) {
      run.fail(error);
      // Its view may be hidden, or have given way to another run's.
      if (!run.element.isConnected || this.element.hidden) reportFailure(title, error);
    } finally {
      this.runs.delete(targetId);
    }
    if (this.disposed) return;
    this.renderLists();
    await this.refresh();
  }

  private showRun(run: DeployRun): void {
    this.runSlot.replaceChildren(run.element);
    run.element.scrollIntoView({ block: "nearest" });
    run.reveal();
  }

  private dismissRun(run: DeployRun): void {
    if (run.element.isConnected) this.runSlot.replaceChildren();
    run.dispose();
  }
}
