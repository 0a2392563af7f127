import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Throttle, TypingTimer } from "./cursor-throttle";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Throttle", () => {
  it("sends the first value at once and the last of a burst when the interval ends", () => {
    const sent: number[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push(value));
    throttle.push(1);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(30);
    throttle.push(2);
    throttle.push(3);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(70);
    expect(sent).toEqual([1, 3]);
  });

  it("keeps at most one value per interval while values keep coming", () => {
    const sent: { value: number; at: number }[] = [];
    const throttle = new Throttle<number>(100, (value) => sent.push({ value, at: Date.now() }));
    const start = Date.now();
    for (let time = 0; time <= 1000; time += 10) {
      throttle.push(time);
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(200);
    expect(sent[0]).toEqual({ value: 0, at: start });
    for (let index = 1; index < sent.length; index++) expect(sent[index]!.at - sent[index - 1]!.at).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeGreaterThanOrEqual(10);
    // The last position always gets through.
    expect(sent[sent.length - 1]!.value).toBe(1000);
  });

  it("sends at once again after a quiet interval", () => {
    const sent: string[] = [];
    const throttle = new Throttle<string>(100, (value) => sent.push(value));
    throttle.push("a");
    vi.advanceTimersByTime(500);
    throttle.push("b");
    expect(sent).toEqual(["a", "b"]);
  });

  it("drops what waits when cancelled", () => {
    const sent: string[] = [];
    const throttle = new Throttle<string>(100, (value) => sent.push(value));
    throttle.push("a");
    throttle.push("b");
    throttle.cancel();
    vi.advanceTimersByTime(500);
    expect(sent).toEqual(["a"]);
  });
});

describe("TypingTimer", () => {
  it("is on for two seconds after the last keystroke, telling each change once", () => {
    const changes: boolean[] = [];
    const typing = new TypingTimer(2_000, (value) => changes.push(value));
    expect(typing.typing).toBe(false);
    typing.touch();
    vi.advanceTimersByTime(1_500);
    typing.touch();
    vi.advanceTimersByTime(1_500);
    expect(typing.typing).toBe(true);
    expect(changes).toEqual([true]);
    vi.advanceTimersByTime(500);
    expect(typing.typing).toBe(false);
    expect(changes).toEqual([true, false]);
  });
});
