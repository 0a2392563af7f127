import type { ModelPrice } from "./bindings";

/** The price table as editable text: one `model = input / output` line per model (USD per million tokens). */
export function formatPrices(prices: ModelPrice[]): string {
  return prices.map((price) => `${price.model} = ${price.inputPerMillion} / ${price.outputPerMillion}`).join("\n");
}

/** Reads the edited price table back; a string is the error to show (with its line). */
export function parsePrices(text: string): ModelPrice[] | string {
  const prices: ModelPrice[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(.+?)\s*=\s*([0-9]*\.?[0-9]+)\s*\/\s*([0-9]*\.?[0-9]+)$/.exec(line);
    if (!match) return `Price line ${index + 1} should read "model = input / output" (USD per million tokens).`;
    const model = match[1].trim();
    if (prices.some((price) => price.model === model)) return `Price line ${index + 1}: ${model} is listed twice.`;
    prices.push({ model, inputPerMillion: Number(match[2]), outputPerMillion: Number(match[3]) });
  }
  return prices;
}
