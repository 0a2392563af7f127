import type { ProviderKind } from "./bindings";

/** A known provider endpoint the settings dialog can fill in. */
export interface ProviderPreset {
  id: "openai" | "ollama" | "anthropic";
  label: string;
  kind: ProviderKind;
  baseUrl: string;
}

export const providerPresets: readonly ProviderPreset[] = [
  { id: "openai", label: "OpenAI", kind: "openAi", baseUrl: "https://api.openai.com/v1" },
  { id: "ollama", label: "Ollama (local)", kind: "openAi", baseUrl: "http://localhost:11434/v1" },
  { id: "anthropic", label: "Anthropic", kind: "anthropic", baseUrl: "https://api.anthropic.com/v1" },
];

function normalise(url: string): string {
  return url.trim().replace(/\/+$/, "");
}

/** The preset a base URL belongs to, if it is one of them (a trailing slash does not matter). */
export function presetForUrl(url: string, kind: ProviderKind): ProviderPreset | undefined {
  return providerPresets.find((preset) => preset.kind === kind && preset.baseUrl === normalise(url));
}

/**
 * The base URL to show after the provider kind changed: a preset URL of the
 * other kind (or nothing) is swapped for the new kind's first preset; a
 * custom URL is the person's and stays.
 */
export function baseUrlForKind(url: string, kind: ProviderKind): string {
  const trimmed = normalise(url);
  const isOtherPreset = providerPresets.some((preset) => preset.kind !== kind && preset.baseUrl === trimmed);
  if (trimmed !== "" && !isOtherPreset) return url;
  return providerPresets.find((preset) => preset.kind === kind)!.baseUrl;
}
