import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { JournalScheduler } from "./journal-scheduler";

describe("JournalScheduler", () => {
  let writes: Array<{ path: string; at: number }>;
  let scheduler: JournalScheduler;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    writes = [];
    scheduler = new JournalScheduler((path) => writes.push({ path, at: Date.now() }), { quietMs: 300, maxWaitMs: 2000 });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes once, 300 ms after the last change", () => {
    scheduler.noteChange("a.rs");
    vi.advanceTimersByTime(200);
    scheduler.noteChange("a.rs");
    vi.advanceTimersByTime(299);
    expect(writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(writes).toEqual([{ path: "a.rs", at: 500 }]);
    vi.advanceTimersByTime(5000);
    expect(writes).toHaveLength(1);
  });

  it("writes at least every 2 s during continuous typing", () => {
    // A keystroke every 100 ms for 5 s never leaves a 300 ms pause.
    for (let time = 0; time < 5000; time += 100) {
      scheduler.noteChange("a.rs");
      vi.advanceTimersByTime(100);
    }
    const times = writes.map((write) => write.at);
    expect(times[0]).toBe(2000);
    expect(times.length).toBeGreaterThanOrEqual(2);
    for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeLessThanOrEqual(2100);
  });

  it("keeps files independent", () => {
    scheduler.noteChange("a.rs");
    vi.advanceTimersByTime(250);
    scheduler.noteChange("b.rs");
    vi.advanceTimersByTime(50);
    expect(writes.map((write) => write.path)).toEqual(["a.rs"]);
    vi.advanceTimersByTime(250);
    expect(writes.map((write) => write.path)).toEqual(["a.rs", "b.rs"]);
  });

  it("drops a pending write when the buffer becomes clean", () => {
    scheduler.noteChange("a.rs");
    vi.advanceTimersByTime(200);
    scheduler.cancel("a.rs");
    vi.advanceTimersByTime(5000);
    expect(writes).toEqual([]);
  });

  it("starts a fresh 2 s window after a write", () => {
    scheduler.noteChange("a.rs");
    vi.advanceTimersByTime(300);
    expect(writes).toHaveLength(1);
    // A later burst is measured from its own first change, not the first one ever.
    vi.advanceTimersByTime(10_000);
    scheduler.noteChange("a.rs");
    vi.advanceTimersByTime(299);
    expect(writes).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(writes.map((write) => write.at)).toEqual([300, 10_600]);
  });

  it("cancels everything at once", () => {
    scheduler.noteChange("a.rs");
    scheduler.noteChange("b.rs");
    scheduler.cancelAll();
    vi.advanceTimersByTime(5000);
    expect(writes).toEqual([]);
  });
});
