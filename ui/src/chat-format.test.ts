import { describe, expect, it } from "vitest";
import { contextHeadline, failureHint, formatCost, retryingLabel, stateNote, tokenCount, usageLabel } from "./chat-format";

describe("chat small print", () => {
  it("shows token usage, marking local estimates and leaving out an unknown cost", () => {
    expect(usageLabel({ promptTokens: 1200, completionTokens: 80, estimated: false, costUsd: 0.000228 })).toBe(
      "1,200 prompt + 80 completion tokens · $0.0002",
    );
    expect(usageLabel({ promptTokens: 15, completionTokens: 3, estimated: true, costUsd: null })).toBe("≈15 prompt + ≈3 completion tokens");
  });

  it("rounds costs to what is worth reading", () => {
    expect(formatCost(0)).toBe("$0.00");
    expect(formatCost(0.00001)).toBe("< $0.0001");
    expect(formatCost(0.0123)).toBe("$0.01");
    expect(formatCost(1.5)).toBe("$1.50");
  });

  it("describes the context, retries and unusual endings", () => {
    expect(contextHeadline({ items: [], totalTokens: 15234, budget: 16000, leftOut: [] })).toBe("Context: 15,234 of 16,000 tokens");
    expect(tokenCount(1)).toBe("1 token");
    expect(tokenCount(2048)).toBe("2,048 tokens");
    expect(retryingLabel(2, 2.6)).toBe("Rate limited — retrying in 3 s (attempt 2)");
    expect(retryingLabel(1, 0.2)).toBe("Rate limited — retrying in 1 s (attempt 1)");
    expect(stateNote("interrupted")).toBe("Answer cut off");
    expect(stateNote("cancelled")).toBe("Stopped");
    expect(stateNote("complete")).toBeNull();
  });

  it("heads failures by their code and points to the settings where the fix is", () => {
    expect(failureHint("auth_failed")).toEqual({ title: "The provider refused the API key", settings: true });
    expect(failureHint("offline").settings).toBe(false);
    expect(failureHint("internal").title).toBe("The answer failed");
    expect(failureHint(null).title).toBe("The answer failed");
  });
});
