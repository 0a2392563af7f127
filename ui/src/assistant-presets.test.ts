import { describe, expect, it } from "vitest";
import { baseUrlForKind, presetForUrl } from "./assistant-presets";

describe("provider presets", () => {
  it("recognises a preset URL of the same kind, with or without a trailing slash", () => {
    expect(presetForUrl("http://localhost:11434/v1/", "openAi")?.id).toBe("ollama");
    expect(presetForUrl("https://api.anthropic.com/v1", "anthropic")?.id).toBe("anthropic");
    expect(presetForUrl("https://api.anthropic.com/v1", "openAi")).toBeUndefined();
    expect(presetForUrl("https://llm.example.com/v1", "openAi")).toBeUndefined();
  });

  it("switches preset URLs with the kind but keeps a custom one", () => {
    expect(baseUrlForKind("https://api.openai.com/v1", "anthropic")).toBe("https://api.anthropic.com/v1");
    expect(baseUrlForKind("", "openAi")).toBe("https://api.openai.com/v1");
    expect(baseUrlForKind("http://localhost:11434/v1", "openAi")).toBe("http://localhost:11434/v1");
    expect(baseUrlForKind("https://proxy.example.com/v1", "anthropic")).toBe("https://proxy.example.com/v1");
  });
});
