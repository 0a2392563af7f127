import type { TemplateFields } from "../bindings";
import { baseName } from "../paths";

// What a creator types to publish a template, read and checked before it is
// sent (the server checks again). Free of the DOM so it can be tested.

export const MAX_TAGS = 10;
export const LICENCES = ["MIT", "Apache-2.0", "GPL-3.0", "BSD-3-Clause", "Unlicense", "Proprietary"];
/** The server's bounds for a paid template's price. */
const MIN_PRICE_CENTS = 100;
const MAX_PRICE_CENTS = 100_000;

const TAG = /^[a-z0-9-]+$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const DOLLARS = /^\$?\s*(\d+)(?:\.(\d{1,2}))?$/;

export interface ParsedTags {
  tags: string[];
  problem: string | null;
}

/** "React, stripe,,saas " → ["react", "stripe", "saas"]: lower case, each once, at most ten of a–z, 0–9 and "-". */
export function parseTags(text: string): ParsedTags {
  const tags = [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim().toLowerCase())
        .filter((tag) => tag !== ""),
    ),
  ];
  const invalid = tags.find((tag) => !TAG.test(tag));
  if (invalid !== undefined) return { tags, problem: `The tag “${invalid}” may use only a–z, 0–9 and “-”.` };
  if (tags.length > MAX_TAGS) return { tags, problem: `At most ${MAX_TAGS} tags (there are ${tags.length}).` };
  return { tags, problem: null };
}

/** MAJOR.MINOR.PATCH, as the server wants versions. */
export function isSemver(version: string): boolean {
  return SEMVER.test(version.trim());
}

/** The version after `latest` (its patch bumped), or 1.0.0 for a template's first. */
export function nextVersion(latest: string | null): string {
  const match = latest === null ? null : SEMVER.exec(latest.trim());
  if (!match) return "1.0.0";
  return `${match[1]}.${match[2]}.${Number(match[3]) + 1}`;
}

/** "19.99", "$5", "" → cents (1999, 500, 0); null when it is not an amount of dollars and cents. */
export function parseDollars(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  const match = DOLLARS.exec(trimmed);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
}

/** Cents as the price field shows them: 1999 → "19.99", 500 → "5.00", 0 → "0". */
export function dollarsText(cents: number): string {
  return cents === 0 ? "0" : (cents / 100).toFixed(2);
}

export function priceProblem(text: string): string | null {
  const cents = parseDollars(text);
  if (cents === null) return "Enter the price in dollars, such as 19.99 (0 for free).";
  if (cents > 0 && (cents < MIN_PRICE_CENTS || cents > MAX_PRICE_CENTS)) return "A paid template costs from $1.00 to $1,000.00.";
  return null;
}

/** What the publish form holds, as typed. */
export interface PublishInput {
  title: string;
  description: string;
  category: string;
  tags: string;
  licence: string;
  price: string;
  readme: string;
  version: string;
  files: readonly string[];
}

/** The first thing that stops the form from being published, or null. */
export function publishProblem(input: PublishInput): string | null {
  if (input.title.trim() === "") return "Give the template a title.";
  if (input.description.trim() === "") return "Describe the template in a sentence.";
  if (input.category === "") return "Choose a category.";
  const tagProblem = parseTags(input.tags).problem;
  if (tagProblem) return tagProblem;
  if (!LICENCES.includes(input.licence)) return "Choose a licence.";
  const price = priceProblem(input.price);
  if (price) return price;
  if (!isSemver(input.version)) return "The version is MAJOR.MINOR.PATCH, such as 1.0.0.";
  if (input.files.length === 0) return "Choose at least one file to publish.";
  return null;
}

/** The template's fields from a form `publishProblem` accepted. */
export function templateFields(input: PublishInput): TemplateFields {
  return {
    title: input.title.trim(),
    description: input.description.trim(),
    category: input.category,
    tags: parseTags(input.tags).tags,
    licence: input.licence,
    priceCents: parseDollars(input.price) ?? 0,
    readme: input.readme,
  };
}

/** The project's README at its root (README.md in any case), if it has one. */
export function findReadme(paths: readonly string[]): string | null {
  return paths.find((path) => path === baseName(path) && path.toLowerCase() === "readme.md") ?? null;
}
