import { describe, expect, it } from "vitest";
import { completeMention, mentionAt } from "./mention";

describe("mentionAt", () => {
  it("finds the @word the caret is in, at the start or after whitespace", () => {
    expect(mentionAt("@", 1)).toEqual({ start: 0, end: 1, query: "" });
    expect(mentionAt("look at @src/ma", 15)).toEqual({ start: 8, end: 15, query: "src/ma" });
    expect(mentionAt("line\n@sty please", 9)).toEqual({ start: 5, end: 9, query: "sty" });
    // The caret in the middle of the word: the query is what precedes it, the word is replaced whole.
    expect(mentionAt("see @styles.css now", 8)).toEqual({ start: 4, end: 15, query: "sty" });
  });

  it("ignores e-mail addresses, words without @ and a caret before the @", () => {
    expect(mentionAt("mail me@example.com", 19)).toBeNull();
    expect(mentionAt("plain words", 5)).toBeNull();
    expect(mentionAt("a @b", 2)).toBeNull();
    expect(mentionAt("@done then", 10)).toBeNull();
  });
});

describe("completeMention", () => {
  it("puts the path in place of the word and the caret after a separating space", () => {
    const text = "explain @sty please";
    expect(completeMention(text, mentionAt(text, 12)!, "src/styles.css")).toEqual({ text: "explain @src/styles.css please", caret: 24 });
    expect(completeMention("@ma", mentionAt("@ma", 3)!, "main.ts")).toEqual({ text: "@main.ts ", caret: 9 });
  });
});
