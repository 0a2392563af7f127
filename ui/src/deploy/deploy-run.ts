import type { DeployEvent, DeploymentRecord, Stage } from "../bindings";
import { h } from "../dom";
import { icon } from "../icons";
import { LogView } from "./log-view";
import { type RunOutcome, pushText, stageSteps, transferPercent, uploadText } from "./stages";
import { ProgressBar, failureView, siteLink } from "./widgets";

/** One deployment or rollback as it happens: its stages, the transfer, the live log and how it ended. */
export class DeployRun {
  readonly element: HTMLElement;
  private readonly steps = h("ol", { className: "deploy-stages", attributes: { "aria-label": "Stages" } });
  private readonly progress = new ProgressBar("deploy-progress");
  private readonly log = new LogView();
  private readonly result = h("div", { className: "deploy-result" });
  private readonly closeButton: HTMLButtonElement;
  private readonly reached: Stage[] = [];
  private outcome: RunOutcome = "running";

  constructor(targetId: string, title: string, dismiss: () => void) {
    this.closeButton = h(
      "button",
      { className: "icon-button deploy-run-close", title: "Dismiss", attributes: { type: "button", "aria-label": "Dismiss" }, on: { click: dismiss } },
      icon("close"),
    );
    this.closeButton.hidden = true;
    this.element = h(
      "section",
      { id: "deploy-run", className: "deploy-run", attributes: { "aria-label": title, "data-target": targetId, "data-state": "running" } },
      h("header", { className: "deploy-run-header" }, h("h3", { className: "deploy-run-title", text: title }), this.closeButton),
      this.steps,
      this.progress.element,
      this.log.element,
      this.result,
    );
    this.renderSteps();
  }

  handle(event: DeployEvent): void {
    switch (event.kind) {
      case "stage":
        if (!this.reached.includes(event.stage)) this.reached.push(event.stage);
        this.renderSteps();
        break;
      case "line":
        this.log.append(event.line);
        break;
      case "upload":
        this.progress.show(transferPercent(event.done, event.total), uploadText(event.done, event.total));
        break;
      case "push":
        this.progress.show(transferPercent(event.progress.done, event.progress.total), pushText(event.progress));
        break;
    }
  }

  succeed(record: DeploymentRecord): void {
    this.finish("ready");
    this.result.replaceChildren(
      record.url ? h("div", { className: "deploy-live" }, "Live at ", siteLink(record.url)) : h("div", { className: "deploy-live", text: "Deployed." }),
    );
  }

  fail(error: unknown): void {
    this.finish("failed");
    this.result.replaceChildren(failureView(error));
  }

  /** Back on screen after another run was shown. */
  reveal(): void {
    this.log.reveal();
  }

  dispose(): void {
    this.log.dispose();
  }

  private finish(outcome: RunOutcome): void {
    this.outcome = outcome;
    this.element.dataset.state = outcome;
    this.closeButton.hidden = false;
    this.renderSteps();
  }

  private renderSteps(): void {
    this.steps.replaceChildren(
      ...stageSteps(this.reached, this.outcome).map((step) =>
        h("li", { className: `deploy-stage ${step.state}`, text: step.label, attributes: { "data-stage": step.stage, "data-state": step.state } }),
      ),
    );
  }
}
