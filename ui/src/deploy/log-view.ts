import { h } from "../dom";
import { LogBuffer, isAtEnd } from "./log-buffer";

/** Lines kept on screen (the deployment's record keeps the newest 512 KB). */
const MAX_LINES = 10_000;

/**
 * A live build log: lines are painted once per frame as one text node, the
 * oldest drop off past MAX_LINES, and the view follows the end unless the
 * reader scrolled up.
 */
export class LogView {
  private readonly dropped = h("span", { className: "deploy-log-dropped" });
  readonly element = h("pre", { id: "deploy-log", className: "deploy-log", attributes: { tabindex: "0", "aria-label": "Build log" } }, this.dropped);
  private readonly buffer = new LogBuffer(MAX_LINES);
  private following = true;
  private frame = 0;

  constructor() {
    this.dropped.hidden = true;
    this.element.addEventListener("scroll", () => (this.following = isAtEnd(this.element)));
  }

  append(line: string): void {
    if (this.buffer.push(line)) this.frame = requestAnimationFrame(() => this.paint());
  }

  /** Back on screen: shows the end again if the reader was following it. */
  reveal(): void {
    if (this.following) this.element.scrollTop = this.element.scrollHeight;
  }

  dispose(): void {
    cancelAnimationFrame(this.frame);
  }

  private paint(): void {
    this.frame = 0;
    const flush = this.buffer.flush();
    if (!flush) return;
    // The chunks follow the "lines dropped" note, oldest first.
    for (let chunk = 0; chunk < flush.removeChunks; chunk++) this.dropped.nextSibling?.remove();
    this.element.append(flush.text);
    this.dropped.hidden = flush.dropped === 0;
    this.dropped.textContent = `… ${flush.dropped} earlier lines not shown\n`;
    this.reveal();
  }
}
