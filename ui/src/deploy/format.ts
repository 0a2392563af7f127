import type { BuildPlan, ChangeKind, DeployState, DeploymentRecord, ErrorCode, FileChange } from "../bindings";
import { formatBytes } from "../units";

// The deploy panel's wording, kept free of the DOM so it can be tested.

/** Git's usual abbreviation of a commit id. */
export function shortId(id: string): string {
  return id.slice(0, 7);
}

const stateLabels: Record<DeployState, string> = { running: "Running", ready: "Ready", failed: "Failed", interrupted: "Interrupted" };

export function deployStateLabel(state: DeployState): string {
  return stateLabels[state];
}

/** The badge's class; its colour comes from deploy.css. */
export function deployStateClass(state: DeployState): string {
  return `deploy-state state-${state}`;
}

const changeLetters: Record<ChangeKind, string> = { added: "A", modified: "M", deleted: "D", renamed: "R", untracked: "U" };

/** The one-letter mark git tools show beside a changed file. */
export function changeLetter(kind: ChangeKind): string {
  return changeLetters[kind];
}

/** "No changes", "3 changed files: 2 modified, 1 untracked". */
export function changesSummary(changes: readonly FileChange[]): string {
  if (changes.length === 0) return "No changes";
  const counts = new Map<ChangeKind, number>();
  for (const change of changes) counts.set(change.kind, (counts.get(change.kind) ?? 0) + 1);
  const kinds = (Object.keys(changeLetters) as ChangeKind[]).filter((kind) => counts.has(kind)).map((kind) => `${counts.get(kind)} ${kind}`);
  return `${changes.length} changed file${changes.length === 1 ? "" : "s"}: ${kinds.join(", ")}`;
}

/** "Vite · npm run build → dist/", "Static site · served as is from public/". */
export function buildPlanText(plan: BuildPlan): string {
  const output = plan.output === "." ? "the project folder" : `${plan.output}/`;
  if (!plan.command) return `${plan.framework} · served as is from ${output}`;
  return `${plan.framework} · ${plan.command.join(" ")} → ${output}`;
}

/**
 * The small print of a deployment in the history: its commit, what was
 * uploaded, and which earlier deployment it rolled back to.
 */
export function deploymentFacts(record: DeploymentRecord, earlier: (id: string) => DeploymentRecord | undefined): string[] {
  const facts: string[] = [];
  if (record.commitId) facts.push(shortId(record.commitId));
  if (record.uploadedFiles > 0) {
    facts.push(`${record.uploadedFiles} file${record.uploadedFiles === 1 ? "" : "s"} uploaded (${formatBytes(record.uploadedBytes)})`);
  }
  if (record.rollbackOf) {
    const commit = earlier(record.rollbackOf)?.commitId;
    facts.push(commit ? `Rollback of ${shortId(commit)}` : "Rollback of an earlier deployment");
  }
  return facts;
}

const failureHints: Partial<Record<ErrorCode, string>> = {
  auth_failed: "The platform refused the token. Edit the target to add or replace its API token.",
  keyring_unavailable: "The system keyring is unavailable, so tokens and secret values cannot be read or stored.",
  build_failed: "The build failed: the log shows why.",
  rejected: "The remote refused the push (it has commits you do not, or the branch is protected). Nothing changed locally.",
  offline: "The server could not be reached. Check the network connection, or the target's API base URL.",
  rate_limited: "The platform is limiting requests. Wait a minute, then try again.",
  timeout: "The platform did not answer in time. Try again in a moment.",
  conflict: "A deployment to this target is already running.",
  not_found: "It may have been deleted meanwhile: refresh the panel.",
};

/** What to do about a failed deploy, push or git command, by error code (never by message text). */
export function failureHint(code: ErrorCode | null): string | null {
  return (code && failureHints[code]) || null;
}

/** The deployment each target serves now: its latest one that went live (rolling back to it changes nothing). */
export function liveDeployments(records: readonly DeploymentRecord[]): Set<string> {
  const latest = new Map<string, DeploymentRecord>();
  for (const record of records) {
    if (record.state !== "ready") continue;
    const current = latest.get(record.targetId);
    if (!current || record.startedAt > current.startedAt) latest.set(record.targetId, record);
  }
  return new Set([...latest.values()].map((record) => record.id));
}

/** Whether a deployment can be made live again: it went live, is not live now, and its target is not busy. */
export function canRollBack(record: DeploymentRecord, live: ReadonlySet<string>, running: ReadonlySet<string>): boolean {
  return record.state === "ready" && record.platformId !== null && !live.has(record.id) && !running.has(record.targetId);
}
