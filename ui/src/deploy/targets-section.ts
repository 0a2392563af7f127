import type { BuildPlan, TargetView } from "../bindings";
import { h } from "../dom";
import { actionButton, linkButton } from "../widgets";
import { buildPlanText } from "./format";
import { connection, platformInfo } from "./platforms";
import { section } from "./widgets";

export interface TargetsHost {
  add(): void;
  edit(target: TargetView): void;
  remove(target: TargetView): void;
  deploy(target: TargetView): void;
  /** Brings a running deployment's log back on screen. */
  showRun(target: TargetView): void;
  envVars(target: TargetView): void;
  domain(target: TargetView): void;
}

/** Where the project deploys to, each target with its Deploy button and settings. */
export class TargetsSection {
  readonly element: HTMLElement;
  private readonly plan = h("p", { className: "deploy-build-plan muted", title: "How the project is built before it is uploaded" });
  private readonly list = h("ul", { className: "target-list" });
  private readonly empty = h("p", { className: "muted target-empty", text: "No targets yet: add one to deploy this project." });
  /** What the list shows, so an unchanged refresh leaves it (and focus in it) alone. */
  private shown = "";

  constructor(private readonly host: TargetsHost) {
    this.element = section(
      "Targets",
      "deploy-targets",
      this.plan,
      this.list,
      this.empty,
      actionButton("Add target", () => host.add(), { id: "target-add" }),
    );
  }

  render(targets: readonly TargetView[], running: ReadonlySet<string>, plan: BuildPlan): void {
    this.plan.textContent = `Build: ${buildPlanText(plan)}`;
    const key = JSON.stringify([targets, [...running]]);
    if (key === this.shown) return;
    this.shown = key;
    this.list.replaceChildren(...targets.map((target) => this.item(target, running.has(target.id))));
    this.empty.hidden = targets.length > 0;
  }

  private item(target: TargetView, running: boolean): HTMLElement {
    const info = platformInfo(target.config.platform);
    const state = connection(target);
    const deploy = actionButton(running ? "Deploying…" : "Deploy", () => this.host.deploy(target), { className: "target-deploy", kind: "primary" });
    deploy.disabled = running;
    return h(
      "li",
      { className: "target", attributes: { "data-id": target.id, "data-platform": target.config.platform, "data-running": String(running) } },
      h(
        "div",
        { className: "target-head" },
        h("span", { className: "target-label", text: target.label }),
        h("span", { className: `target-connection${state.connected ? " connected" : ""}`, text: state.text }),
      ),
      h("div", { className: "target-site", text: target.config.site, title: target.config.site }),
      h(
        "div",
        { className: "target-actions" },
        deploy,
        running && linkButton("Show progress", "target-show-run", () => this.host.showRun(target)),
        h("span", { className: "spacer" }),
        info.envVars && linkButton("Environment", "target-env", () => this.host.envVars(target)),
        info.domains && linkButton("Domain", "target-domain", () => this.host.domain(target)),
        linkButton("Edit", "target-edit", () => this.host.edit(target)),
        linkButton("Delete", "target-delete", () => this.host.remove(target)),
      ),
    );
  }
}
