import type { ContextKind, ContextSummary, ErrorCode, MessageState, Usage } from "./bindings";

// The wording of the chat panel's small print, kept apart from the DOM so it can be tested.

const count = new Intl.NumberFormat("en-US");

export function formatCost(usd: number): string {
  if (usd === 0) return "$0.00";
  if (usd < 0.0001) return "< $0.0001";
  return `$${usd.toFixed(usd < 0.01 ? 4 : 2)}`;
}

/** "1,200 prompt + 80 completion tokens · $0.0002"; "≈" marks counts made locally. */
export function usageLabel(usage: Usage): string {
  const approx = usage.estimated ? "≈" : "";
  const tokens = `${approx}${count.format(usage.promptTokens)} prompt + ${approx}${count.format(usage.completionTokens)} completion tokens`;
  return usage.costUsd === null ? tokens : `${tokens} · ${approx}${formatCost(usage.costUsd)}`;
}

export function contextHeadline(summary: ContextSummary): string {
  return `Context: ${count.format(summary.totalTokens)} of ${count.format(summary.budget)} tokens`;
}

const kindLabels: Record<ContextKind, string> = {
  instructions: "Instructions",
  question: "Question",
  history: "Earlier messages",
  selection: "Selection",
  openFile: "Open file",
  mentioned: "Mentioned",
  related: "Related",
  recent: "Recent",
  tree: "File tree",
};

export function contextKindLabel(kind: ContextKind): string {
  return kindLabels[kind];
}

export function tokenCount(tokens: number): string {
  return `${count.format(tokens)} token${tokens === 1 ? "" : "s"}`;
}

export function retryingLabel(attempt: number, waitSeconds: number): string {
  return `Rate limited — retrying in ${Math.max(1, Math.round(waitSeconds))} s (attempt ${attempt})`;
}

/** The note under an answer that did not end normally (failed answers show their error instead). */
export function stateNote(state: MessageState): string | null {
  if (state === "interrupted") return "Answer cut off";
  if (state === "cancelled") return "Stopped";
  return null;
}

export interface FailureHint {
  title: string;
  /** The fix is in the assistant settings (a key, the keyring). */
  settings: boolean;
}

const failureHints: Partial<Record<ErrorCode, FailureHint>> = {
  auth_failed: { title: "The provider refused the API key", settings: true },
  keyring_unavailable: { title: "The system keyring is unavailable", settings: true },
  quota_exceeded: { title: "Quota exceeded", settings: false },
  rate_limited: { title: "Rate limited", settings: false },
  provider_error: { title: "The provider reported an error", settings: false },
  timeout: { title: "The provider did not answer in time", settings: false },
  offline: { title: "Cannot reach the provider", settings: false },
  invalid_input: { title: "Cannot send this", settings: false },
};

/** How a failed send is headed in the chat, by error code (never by message text). */
export function failureHint(code: ErrorCode | null): FailureHint {
  return (code && failureHints[code]) || { title: "The answer failed", settings: false };
}
