// The bookkeeping behind the live build log, kept free of the DOM so it can
// be tested: lines arriving between two frames are painted as one chunk, and
// the view keeps at most `maxLines` by dropping its oldest chunks.

/** Scrolled this close to the end, the log keeps following new lines. */
const FOLLOW_SLACK_PX = 24;

export interface ScrollMetrics {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** Whether the view is at its end (so new lines should keep it there) rather than scrolled up by the reader. */
export function isAtEnd(metrics: ScrollMetrics): boolean {
  return metrics.scrollHeight - metrics.scrollTop - metrics.clientHeight < FOLLOW_SLACK_PX;
}

export interface Flush {
  /** The new chunk: its lines, each ending in a newline. */
  text: string;
  /** How many of the oldest chunks to remove from the view first. */
  removeChunks: number;
  /** Lines dropped from the start of the log so far. */
  dropped: number;
}

export class LogBuffer {
  private pending: string[] = [];
  /** Line counts of the chunks in the view, oldest first. */
  private chunks: number[] = [];
  private shown = 0;
  private dropped = 0;

  constructor(private readonly maxLines: number) {}

  /** Queues a line; true when it is the first since the last flush (so a paint must be scheduled). */
  push(line: string): boolean {
    this.pending.push(line);
    return this.pending.length === 1;
  }

  /** The queued lines as one chunk, or null when there are none. */
  flush(): Flush | null {
    if (this.pending.length === 0) return null;
    let lines = this.pending;
    this.pending = [];
    if (lines.length > this.maxLines) {
      this.dropped += lines.length - this.maxLines;
      lines = lines.slice(-this.maxLines);
    }
    let removeChunks = 0;
    while (this.chunks.length > 0 && this.shown + lines.length > this.maxLines) {
      const removed = this.chunks.shift()!;
      this.shown -= removed;
      this.dropped += removed;
      removeChunks++;
    }
    this.chunks.push(lines.length);
    this.shown += lines.length;
    return { text: `${lines.join("\n")}\n`, removeChunks, dropped: this.dropped };
  }
}
