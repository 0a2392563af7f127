import { describe, expect, it } from "vitest";
import { formatPrices, parsePrices } from "./price-table";

describe("price table", () => {
  it("round-trips through its text form", () => {
    const prices = [
      { model: "gpt-4o-mini", inputPerMillion: 0.15, outputPerMillion: 0.6 },
      { model: "claude-sonnet-4-0", inputPerMillion: 3, outputPerMillion: 15 },
    ];
    expect(parsePrices(formatPrices(prices))).toEqual(prices);
  });

  it("skips blank and comment lines and names the bad line", () => {
    expect(parsePrices("# local models are free\n\nllama3 = 0 / 0\n")).toEqual([{ model: "llama3", inputPerMillion: 0, outputPerMillion: 0 }]);
    expect(parsePrices("a = 1 / 2\nb = lots")).toBe('Price line 2 should read "model = input / output" (USD per million tokens).');
    expect(parsePrices("a = 1 / 2\na = 3 / 4")).toBe("Price line 2: a is listed twice.");
  });
});
