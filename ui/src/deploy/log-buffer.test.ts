import { describe, expect, it } from "vitest";
import { LogBuffer, isAtEnd } from "./log-buffer";

describe("LogBuffer", () => {
  it("asks for one paint per batch of lines", () => {
    const buffer = new LogBuffer(100);
    expect(buffer.push("a")).toBe(true);
    expect(buffer.push("b")).toBe(false);
    expect(buffer.flush()).toEqual({ text: "a\nb\n", removeChunks: 0, dropped: 0 });
    expect(buffer.flush()).toBeNull();
    expect(buffer.push("c")).toBe(true);
  });

  it("drops the oldest chunks to stay within the limit", () => {
    const buffer = new LogBuffer(4);
    for (const line of ["1", "2"]) buffer.push(line);
    buffer.flush();
    for (const line of ["3", "4"]) buffer.push(line);
    expect(buffer.flush()?.removeChunks).toBe(0);
    buffer.push("5");
    expect(buffer.flush()).toEqual({ text: "5\n", removeChunks: 1, dropped: 2 });
  });

  it("keeps only the newest lines of a batch longer than the limit", () => {
    const buffer = new LogBuffer(3);
    buffer.push("old");
    buffer.flush();
    for (let line = 1; line <= 5; line++) buffer.push(String(line));
    expect(buffer.flush()).toEqual({ text: "3\n4\n5\n", removeChunks: 1, dropped: 3 });
  });

  it("handles thousands of lines in one batch", () => {
    const buffer = new LogBuffer(10_000);
    for (let line = 0; line < 5_000; line++) buffer.push(`line ${line}`);
    const flush = buffer.flush()!;
    expect(flush.text.split("\n")).toHaveLength(5_001);
    expect(flush.dropped).toBe(0);
  });
});

describe("isAtEnd", () => {
  it("follows when scrolled to the end or nearly", () => {
    expect(isAtEnd({ scrollTop: 700, scrollHeight: 1000, clientHeight: 300 })).toBe(true);
    expect(isAtEnd({ scrollTop: 690, scrollHeight: 1000, clientHeight: 300 })).toBe(true);
  });

  it("stops following once the reader scrolled up", () => {
    expect(isAtEnd({ scrollTop: 400, scrollHeight: 1000, clientHeight: 300 })).toBe(false);
  });

  it("follows a log that does not fill its view", () => {
    expect(isAtEnd({ scrollTop: 0, scrollHeight: 100, clientHeight: 300 })).toBe(true);
  });
});
