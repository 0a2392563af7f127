/**
 * Passes on at most one value per `intervalMs`: the first at once (leading),
 * and the latest of those that came meanwhile when the interval ends
 * (trailing), so the last position always gets through.
 */
export class Throttle<T> {
  private lastSent = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private waiting: { value: T } | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  push(value: T): void {
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0 && this.timer === null) {
      this.emit(value);
      return;
    }
    this.waiting = { value };
    this.timer ??= setTimeout(() => this.flush(), Math.max(0, wait));
  }

  /** Drops what is waiting. */
  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.waiting = null;
  }

  private flush(): void {
    this.timer = null;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) this.emit(waiting.value);
  }

  private emit(value: T): void {
    this.lastSent = Date.now();
    this.send(value);
  }
}

/** "Typing" for `holdMs` after the last keystroke; `changed` hears when it turns on or off. */
export class TypingTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly holdMs: number,
    private readonly changed: (typing: boolean) => void,
  ) {}

  get typing(): boolean {
    return this.timer !== null;
  }

  /** A local edit was made. */
  touch(): void {
    const wasTyping = this.typing;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.changed(false);
    }, this.holdMs);
    if (!wasTyping) this.changed(true);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
