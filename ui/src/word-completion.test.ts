import { CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { completeWords, wordsIn } from "./word-completion";

describe("wordsIn", () => {
  it("lists distinct words without the one being typed", () => {
    const text = "alpha beta alpha gamma al";
    const labels = wordsIn(text, 23).map((option) => option.label);
    expect(labels).toEqual(["alpha", "beta", "gamma"]);
  });
});

describe("completeWords", () => {
  it("completes from nearby words in a very large document quickly", async () => {
    const line = "let some_identifier = compute(value);\n";
    const doc = `${line.repeat(100_000)}so`;
    const state = EditorState.create({ doc });
    const started = performance.now();
    const result = (await completeWords(new CompletionContext(state, doc.length, false))) as CompletionResult;
    const elapsed = performance.now() - started;
    expect(result.from).toBe(doc.length - 2);
    expect(result.options.map((option) => option.label)).toContain("some_identifier");
    // The whole-document scan takes hundreds of milliseconds here.
    expect(elapsed).toBeLessThan(100);
  });

  it("completes from the whole of a small document", async () => {
    const doc = "unique_far_word\n" + "x\n".repeat(1000) + "uni";
    const state = EditorState.create({ doc });
    const result = (await completeWords(new CompletionContext(state, doc.length, false))) as CompletionResult;
    expect(result.options.map((option) => option.label)).toContain("unique_far_word");
  });
});
