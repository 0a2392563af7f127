// Decides when a dirty buffer's text is sent to the hot-exit journal: once
// typing pauses, and regularly during long uninterrupted typing so a crash
// loses at most a couple of seconds.

export interface JournalTiming {
  /** Write this long after the last change. */
  quietMs: number;
  /** While changes keep coming, write at least this often. */
  maxWaitMs: number;
}

const defaultJournalTiming: JournalTiming = { quietMs: 300, maxWaitMs: 2000 };

interface Pending {
  timer: ReturnType<typeof setTimeout>;
  firstChangeAt: number;
}

export class JournalScheduler {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly write: (path: string) => void,
    private readonly timing: JournalTiming = defaultJournalTiming,
  ) {}

  /** A buffer changed: (re)arm its write. */
  noteChange(path: string): void {
    const now = Date.now();
    const existing = this.pending.get(path);
    const firstChangeAt = existing?.firstChangeAt ?? now;
    if (existing) clearTimeout(existing.timer);
    const delay = Math.max(0, Math.min(this.timing.quietMs, firstChangeAt + this.timing.maxWaitMs - now));
    const timer = setTimeout(() => {
      this.pending.delete(path);
      this.write(path);
    }, delay);
    this.pending.set(path, { timer, firstChangeAt });
  }

  /** The buffer was saved, reverted or closed: nothing left to write. */
  cancel(path: string): void {
    const existing = this.pending.get(path);
    if (!existing) return;
    clearTimeout(existing.timer);
    this.pending.delete(path);
  }

  cancelAll(): void {
    for (const path of [...this.pending.keys()]) this.cancel(path);
  }
}
