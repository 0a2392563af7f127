import { describe, expect, it } from "vitest";
import type { Review, Version } from "../bindings";
import {
  compactCount,
  downloadsText,
  marketFailure,
  offlineText,
  ownReview,
  priceText,
  projectSlug,
  publishedText,
  ratingOf,
  ratingText,
  selectionText,
  starsText,
  statusLabel,
  versionLabel,
  versionSizeText,
  withReview,
} from "./format";

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);
const DAY = 24 * 60 * 60_000;

function review(id: number, author: string, stars: number): Review {
  return { id, templateId: 7, author: { id: id * 10, name: author }, stars, body: "", helpful: 0, createdAt: NOW, updatedAt: NOW };
}

function version(overrides: Partial<Version> = {}): Version {
  return { id: 1, version: "1.2.0", notes: "", bundleHash: "", files: [], fileCount: 14, totalBytes: 52 * 1024, createdAt: NOW - 3 * DAY, ...overrides };
}

describe("prices", () => {
  it("says free, or dollars and cents", () => {
    expect(priceText(0)).toBe("Free");
    expect(priceText(1999)).toBe("$19.99");
    expect(priceText(500)).toBe("$5.00");
    expect(priceText(100_000)).toBe("$1,000.00");
  });
});

describe("ratings", () => {
  it("fills as many stars as the rating rounds to", () => {
    expect(starsText(null)).toBe("☆☆☆☆☆");
    expect(starsText(4.4)).toBe("★★★★☆");
    expect(starsText(4.5)).toBe("★★★★★");
    expect(starsText(1)).toBe("★☆☆☆☆");
    expect(starsText(9)).toBe("★★★★★");
  });

  it("words the average and the count", () => {
    expect(ratingText(4.5, 12)).toBe("4.5 (12 reviews)");
    expect(ratingText(5, 1)).toBe("5.0 (1 review)");
    expect(ratingText(null, 0)).toBe("No reviews yet");
  });

  it("works the average out again from the reviews", () => {
    expect(ratingOf([review(1, "Ada", 5), review(2, "Lin", 4)])).toEqual({ rating: 4.5, count: 2 });
    expect(ratingOf([])).toEqual({ rating: null, count: 0 });
  });
});

describe("counts", () => {
  it("shortens big numbers without rounding up", () => {
    expect(compactCount(950)).toBe("950");
    expect(compactCount(1234)).toBe("1.2k");
    expect(compactCount(9999)).toBe("9.9k");
    expect(compactCount(56_700)).toBe("56k");
    expect(compactCount(3_400_000)).toBe("3.4M");
  });

  it("counts downloads", () => {
    expect(downloadsText(1)).toBe("1 download");
    expect(downloadsText(310)).toBe("310 downloads");
  });
});

describe("versions and status", () => {
  it("names a version with its age and size", () => {
    expect(versionLabel(version(), NOW)).toBe("1.2.0 · 3 days ago");
    expect(versionSizeText(version())).toBe("14 files · 52 KB");
    expect(versionSizeText(version({ fileCount: 1, totalBytes: 12 }))).toBe("1 file · 12 B");
  });

  it("words a template's review status", () => {
    expect(statusLabel("pending")).toBe("Pending review");
    expect(statusLabel("approved")).toBe("Approved");
    expect(statusLabel("hidden")).toBe("hidden");
  });
});

describe("publishing", () => {
  it("says when a published template will be listed", () => {
    expect(publishedText("SaaS starter", "1.0.0", "pending")).toBe("Published SaaS starter 1.0.0. It is listed once a moderator approves it.");
    expect(publishedText("SaaS starter", "1.0.1", "approved")).toBe("Published SaaS starter 1.0.1");
  });

  it("sums up the files chosen", () => {
    const files = [
      { path: "a.ts", size: 1024, allowed: true, reason: null },
      { path: "b.ts", size: 512, allowed: true, reason: null },
    ];
    expect(selectionText(files, 3)).toBe("2 of 3 files · 1.5 KB");
    expect(selectionText([], 1)).toBe("0 of 1 file · 0 B");
  });
});

describe("offlineText", () => {
  it("says since when the catalogue is the kept copy", () => {
    const when = new Date(NOW).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
    expect(offlineText(NOW)).toBe(`Offline — showing the catalogue as of ${when}; actions that need the server are disabled`);
  });
});

describe("marketFailure", () => {
  it("rewords what the server's message does not say well", () => {
    expect(marketFailure("payment_required", "402")).toBe("Only buyers can download this paid template.");
    expect(marketFailure("offline", "error sending request")).toMatch(/cannot be reached/);
  });

  it("keeps the message otherwise", () => {
    expect(marketFailure("auth_failed", "Sign in to the marketplace first.")).toBe("Sign in to the marketplace first.");
    expect(marketFailure("invalid_input", "A review has 1 to 5 stars.")).toBe("A review has 1 to 5 stars.");
    expect(marketFailure(null, "boom")).toBe("boom");
  });
});

describe("projectSlug", () => {
  it("makes a folder name of a title", () => {
    expect(projectSlug("My SaaS Starter!")).toBe("my-saas-starter");
    expect(projectSlug("  Café  —  Crème 2 ")).toBe("cafe-creme-2");
    expect(projectSlug("!!!")).toBe("template");
  });
});

describe("reviews", () => {
  const reviews = [review(1, "Ada", 5), review(2, "Lin", 3)];

  it("finds the signed-in person's review", () => {
    expect(ownReview(reviews, "Lin")?.id).toBe(2);
    expect(ownReview(reviews, "Bob")).toBeNull();
    expect(ownReview(reviews, null)).toBeNull();
  });

  it("replaces an updated review in place and puts a new one first", () => {
    expect(withReview(reviews, review(2, "Lin", 4)).map((item) => [item.id, item.stars])).toEqual([
      [1, 5],
      [2, 4],
    ]);
    expect(withReview(reviews, review(3, "Bob", 1)).map((item) => item.id)).toEqual([3, 1, 2]);
  });
});
