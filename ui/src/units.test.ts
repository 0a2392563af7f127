import { describe, expect, it } from "vitest";
import { formatBytes, relativeTime } from "./units";

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const MINUTE = 60_000;

describe("relativeTime", () => {
  it("says just now within the minute, and for clocks a little ahead", () => {
    expect(relativeTime(NOW - 30_000, NOW)).toBe("just now");
    expect(relativeTime(NOW + 5_000, NOW)).toBe("just now");
  });

  it("counts minutes, hours and days", () => {
    expect(relativeTime(NOW - MINUTE, NOW)).toBe("1 minute ago");
    expect(relativeTime(NOW - 59 * MINUTE, NOW)).toBe("59 minutes ago");
    expect(relativeTime(NOW - 60 * MINUTE, NOW)).toBe("1 hour ago");
    expect(relativeTime(NOW - 23 * 60 * MINUTE, NOW)).toBe("23 hours ago");
    expect(relativeTime(NOW - 30 * 60 * MINUTE, NOW)).toBe("yesterday");
    expect(relativeTime(NOW - 4 * 24 * 60 * MINUTE, NOW)).toBe("4 days ago");
  });

  it("gives the date after a month", () => {
    expect(relativeTime(Date.UTC(2025, 0, 10, 12), NOW)).toBe("Jan 10, 2025");
  });
});

describe("formatBytes", () => {
  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(200 * 1024)).toBe("200 KB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3.0 GB");
  });
});
