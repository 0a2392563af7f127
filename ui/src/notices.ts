import { h } from "./dom";
import { icon } from "./icons";

// Toasts in the bottom-right corner. Errors stay longer than information and
// every notice can be dismissed; notices never steal focus.

const area = h("div", { className: "notices", attributes: { "aria-live": "polite" } });

function ensureMounted(): void {
  if (!area.isConnected) document.body.append(area);
}

export interface NoticeOptions {
  kind?: "info" | "error";
  testId?: string;
  /** Milliseconds before it disappears by itself; null keeps it until dismissed. */
  timeoutMs?: number | null;
}

export function showNotice(message: string, options: NoticeOptions = {}): HTMLElement {
  ensureMounted();
  const kind = options.kind ?? "info";
  const timeoutMs = options.timeoutMs === undefined ? (kind === "error" ? 10_000 : 5_000) : options.timeoutMs;
  const dismiss = () => notice.remove();
  const notice = h(
    "div",
    { className: `notice notice-${kind}`, testId: options.testId, attributes: { role: kind === "error" ? "alert" : "status" } },
    h("span", { className: "notice-text", text: message }),
    h("button", { className: "icon-button notice-close", title: "Dismiss", attributes: { "aria-label": "Dismiss" }, on: { click: dismiss } }, icon("close")),
  );
  area.append(notice);
  if (timeoutMs !== null) setTimeout(dismiss, timeoutMs);
  return notice;
}

export function showError(message: string): void {
  showNotice(message, { kind: "error" });
}
