import type { DeploymentRecord } from "../bindings";
import { h } from "../dom";
import { call, errorMessage } from "../ipc";
import { showDialog } from "../modal";
import { relativeTime } from "../units";
import { dialogButtons, linkButton } from "../widgets";
import { canRollBack, deployStateClass, deployStateLabel, deploymentFacts, liveDeployments } from "./format";
import { section, siteLink } from "./widgets";

export interface HistoryHost {
  targetName(targetId: string): string;
  rollback(record: DeploymentRecord): void;
}

interface ItemState {
  live: boolean;
  canRollBack: boolean;
  now: number;
}

/** Every deployment made, newest first: its state and log, and rolling back to it. */
export class HistorySection {
  readonly element: HTMLElement;
  private readonly list = h("ol", { className: "deployment-list" });
  private readonly empty = h("p", { className: "muted deployment-empty", text: "Nothing deployed yet." });
  /** What the list shows, so an unchanged refresh leaves it (and focus in it) alone. */
  private shown = "";

  constructor(private readonly host: HistoryHost) {
    this.element = section("History", "deploy-history", this.list, this.empty);
  }

  /** `running`: targets with a deployment under way (no rollback there until it ends). */
  render(records: readonly DeploymentRecord[], running: ReadonlySet<string>): void {
    const now = Date.now();
    // The minute is part of it so the relative times stay right.
    const key = JSON.stringify([records, [...running], Math.floor(now / 60_000)]);
    if (key === this.shown) return;
    this.shown = key;
    const byId = new Map(records.map((record) => [record.id, record]));
    const live = liveDeployments(records);
    this.list.replaceChildren(
      ...records.map((record) => {
        const state = { live: live.has(record.id), canRollBack: canRollBack(record, live, running), now };
        return this.item(record, state, (id) => byId.get(id));
      }),
    );
    this.empty.hidden = records.length > 0;
  }

  private item(record: DeploymentRecord, shown: ItemState, earlier: (id: string) => DeploymentRecord | undefined): HTMLElement {
    const { live, canRollBack, now } = shown;
    const facts = deploymentFacts(record, earlier);
    const showLog = () => void showDeploymentLog(record, this.host.targetName(record.targetId));
    return h(
      "li",
      { className: "deployment", attributes: { "data-id": record.id, "data-state": record.state, "data-target": record.targetId } },
      h(
        "button",
        { className: "deployment-main", title: "Show the log", attributes: { type: "button" }, on: { click: showLog } },
        h(
          "span",
          { className: "deployment-head" },
          h("span", { className: deployStateClass(record.state), text: deployStateLabel(record.state) }),
          live ? h("span", { className: "deployment-live", text: "Live" }) : null,
          h("span", { className: "deployment-target", text: this.host.targetName(record.targetId) }),
          h("span", { className: "deployment-time", text: relativeTime(record.startedAt, now), title: new Date(record.startedAt).toLocaleString() }),
        ),
        facts.length > 0 ? h("span", { className: "deployment-facts", text: facts.join(" · ") }) : null,
        record.error ? h("span", { className: "deployment-error", text: record.error }) : null,
      ),
      record.url || canRollBack
        ? h(
            "div",
            { className: "deployment-actions" },
            record.url ? siteLink(record.url) : null,
            canRollBack ? linkButton("Roll back to this", "rollback", () => this.host.rollback(record)) : null,
          )
        : null,
    );
  }
}

/** The log a deployment recorded, in a dialog. */
async function showDeploymentLog(record: DeploymentRecord, targetName: string): Promise<void> {
  const log = h("pre", { id: "deployment-log", className: "deploy-log", text: "Loading…", attributes: { tabindex: "0", "aria-label": "Deployment log" } });
  void call("deployment_log", { deploymentId: record.id }).then(
    (text) => {
      log.textContent = text || "(The log is empty.)";
      log.scrollTop = log.scrollHeight;
    },
    (error: unknown) => (log.textContent = `Cannot read the log: ${errorMessage(error)}`),
  );
  await showDialog({
    title: `${targetName} · ${new Date(record.startedAt).toLocaleString()}`,
    className: "modal-wide deploy-log-dialog",
    cancelAction: "close",
    content: (close) => [log, dialogButtons(close, "Close")],
  });
}
