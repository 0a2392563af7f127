import { describe, expect, it } from "vitest";
import { languageForPath, languageLabel, loadLanguage } from "./languages";

describe("loadLanguage", () => {
  it.each([
    ["rust", "rust"],
    ["typescript", "typescript"],
    ["tsx", "typescript"],
    ["javascript", "javascript"],
    ["jsx", "javascript"],
    ["python", "python"],
    ["html", "html"],
    ["css", "css"],
    ["json", "json"],
    ["markdown", "markdown"],
    ["toml", "toml"],
  ])("maps %s to the %s grammar", async (languageId, grammarName) => {
    const support = await loadLanguage(languageId);
    expect(support?.language.name).toBe(grammarName);
  });

  it.each([
    ["typescript", "interface A { x: number }", "InterfaceDeclaration", true],
    ["javascript", "interface A { x: number }", "InterfaceDeclaration", false],
    ["tsx", "const a = <div/>", "JSXElement", true],
    ["jsx", "const a = <div/>", "JSXElement", true],
    ["typescript", "const a = <div/>", "JSXElement", false],
  ])("parses %s with the right dialect (%s has %s: %s)", async (languageId, source, nodeName, expected) => {
    const support = await loadLanguage(languageId);
    let found = false;
    support!.language.parser.parse(source).iterate({
      enter: (node) => {
        if (node.name === nodeName) found = true;
      },
    });
    expect(found).toBe(expected);
  });

  it("uses no grammar for plain text and unknown ids", async () => {
    expect(await loadLanguage("plaintext")).toBeNull();
    expect(await loadLanguage("cobol")).toBeNull();
  });
});

describe("languageLabel", () => {
  it("names languages for the status bar", () => {
    expect(languageLabel("rust")).toBe("Rust");
    expect(languageLabel("typescript")).toBe("TypeScript");
    expect(languageLabel("plaintext")).toBe("Plain Text");
    expect(languageLabel("unknown")).toBe("Plain Text");
  });
});

describe("languageForPath", () => {
  it("guesses from the extension, case-insensitively", () => {
    expect(languageForPath("src/main.rs")).toBe("rust");
    expect(languageForPath("web/App.TSX")).toBe("tsx");
    expect(languageForPath("Cargo.toml")).toBe("toml");
    expect(languageForPath(".gitignore")).toBe("plaintext");
    expect(languageForPath("Makefile")).toBe("plaintext");
  });
});
