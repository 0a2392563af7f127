/** What an answer shows while it streams. */
export interface RenderedAnswer {
  /** HTML of the text as far as the last render reached. */
  html: string;
  /** The text that arrived after that, shown as plain text until the next render. */
  tail: string;
}

/**
 * An answer's Markdown while it streams. Rendering goes over IPC, so it is
 * throttled: at most one render per `intervalMs`, never two at a time (so
 * an older result cannot overwrite a newer one), and one more with the
 * final text at the end. Between renders the caller shows the new text
 * as-is, so every token is visible the moment it arrives.
 */
export class MarkdownStream {
  private content = "";
  /** How much of `content` the latest render started from. */
  private renderedLength = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;
  private lastRenderAt = -Infinity;
  private finished = false;
  private stopped = false;

  constructor(
    private readonly render: (markdown: string) => Promise<string>,
    private readonly show: (answer: RenderedAnswer) => void,
    private readonly intervalMs = 100,
  ) {}

  /** The text so far. */
  get text(): string {
    return this.content;
  }

  append(delta: string): void {
    if (this.finished || this.stopped) return;
    this.content += delta;
    this.schedule();
  }

  /**
   * Renders the answer's final `text` once (the stored answer wins over what
   * streamed in). Resolves once it is shown; if it cannot be rendered it is
   * shown as plain text.
   */
  async finish(text: string): Promise<void> {
    this.finished = true;
    this.content = text;
    this.cancelTimer();
    await this.inFlight;
    if (this.stopped) return;
    let html: string;
    try {
      html = await this.render(text);
    } catch {
      if (!this.stopped) this.show({ html: "", tail: text });
      return;
    }
    if (!this.stopped) this.show({ html, tail: "" });
  }

  /** The answer is no longer on screen: nothing more is rendered or shown. */
  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private schedule(): void {
    if (this.finished || this.stopped || this.timer !== null || this.inFlight !== null) return;
    const wait = Math.max(0, this.lastRenderAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.inFlight = this.renderSnapshot().finally(() => {
        this.inFlight = null;
        // Text that arrived during the render gets its own render in turn.
        if (this.content.length > this.renderedLength) this.schedule();
      });
    }, wait);
  }

  private async renderSnapshot(): Promise<void> {
    const snapshot = this.content;
    this.renderedLength = snapshot.length;
    this.lastRenderAt = Date.now();
    let html: string | null = null;
    try {
      html = await this.render(snapshot);
    } catch {
      // The plain text stays on screen; the next render (or the final one) tries again.
    }
    // Once finished, the final render shows the stored text instead.
    if (this.finished || this.stopped) return;
    if (html !== null) this.show({ html, tail: this.content.slice(snapshot.length) });
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
