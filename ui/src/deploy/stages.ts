import type { PushProgress, Stage } from "../bindings";
import { formatBytes } from "../units";

// A deployment's steps and its transfer progress as the panel shows them,
// kept free of the DOM so they can be tested.

/** The order Rust reports stages in. */
export const STAGES: readonly Stage[] = ["build", "commit", "upload", "deploy", "done"];

const stageLabels: Record<Stage, string> = { build: "Build", commit: "Commit", upload: "Upload", deploy: "Deploy", done: "Done" };

export type StepState = "pending" | "active" | "done" | "skipped" | "failed";

/** How the command ended, or that it has not yet. */
export type RunOutcome = "running" | "ready" | "failed";

export interface Step {
  stage: Stage;
  label: string;
  state: StepState;
}

/**
 * Every stage's state from the stages reported so far. A stage passed over
 * (a platform that builds the project itself reports no "build", a rollback
 * hardly any) shows as skipped; a failure is pinned on the furthest stage
 * reached before "done".
 */
export function stageSteps(reached: readonly Stage[], outcome: RunOutcome): Step[] {
  const indexes = reached.map((stage) => STAGES.indexOf(stage));
  const furthest = Math.max(-1, ...indexes);
  const failedAt = Math.max(0, ...indexes.filter((index) => index < STAGES.length - 1));
  return STAGES.map((stage, index) => {
    const passed = reached.includes(stage) ? "done" : "skipped";
    let state: StepState = passed;
    if (outcome === "failed") {
      if (index === failedAt) state = "failed";
      else if (index > failedAt) state = "pending";
    } else if (outcome === "ready") {
      if (stage === "done") state = "done";
    } else if (index === furthest) {
      state = "active";
    } else if (index > furthest) {
      state = "pending";
    }
    return { stage, label: stageLabels[stage], state };
  });
}

/** 0–100 for a progress bar; nothing to transfer counts as finished. */
export function transferPercent(done: number, total: number): number {
  if (total <= 0) return 100;
  return Math.round((Math.min(Math.max(done, 0), total) / total) * 100);
}

export function uploadText(done: number, total: number): string {
  return `Uploaded ${done} of ${total} file${total === 1 ? "" : "s"}`;
}

/** "Packing objects: 3 of 10", "Sending objects: 5 of 10 (1.2 MB)". */
export function pushText(progress: PushProgress): string {
  const counts = `${progress.done} of ${progress.total}`;
  return progress.stage === "sending" ? `Sending objects: ${counts} (${formatBytes(progress.bytes)})` : `Packing objects: ${counts}`;
}
