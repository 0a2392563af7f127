import { LanguageSupport, StreamLanguage } from "@codemirror/language";

// Language packages are loaded on first use so the welcome screen and the
// first editor paint do not wait for grammars the project never needs.

interface LanguageDefinition {
  label: string;
  load: () => Promise<LanguageSupport>;
}

const definitions: Record<string, LanguageDefinition> = {
  rust: { label: "Rust", load: async () => (await import("@codemirror/lang-rust")).rust() },
  typescript: {
    label: "TypeScript",
    load: async () => (await import("@codemirror/lang-javascript")).javascript({ typescript: true }),
  },
  tsx: {
    label: "TypeScript JSX",
    load: async () => (await import("@codemirror/lang-javascript")).javascript({ typescript: true, jsx: true }),
  },
  javascript: { label: "JavaScript", load: async () => (await import("@codemirror/lang-javascript")).javascript() },
  jsx: { label: "JavaScript JSX", load: async () => (await import("@codemirror/lang-javascript")).javascript({ jsx: true }) },
  python: { label: "Python", load: async () => (await import("@codemirror/lang-python")).python() },
  html: { label: "HTML", load: async () => (await import("@codemirror/lang-html")).html() },
  css: { label: "CSS", load: async () => (await import("@codemirror/lang-css")).css() },
  json: { label: "JSON", load: async () => (await import("@codemirror/lang-json")).json() },
  markdown: { label: "Markdown", load: async () => (await import("@codemirror/lang-markdown")).markdown() },
  toml: {
    label: "TOML",
    load: async () => new LanguageSupport(StreamLanguage.define((await import("@codemirror/legacy-modes/mode/toml")).toml)),
  },
};

/** The name shown in the status bar for a FileContent.language id. */
export function languageLabel(languageId: string): string {
  return definitions[languageId]?.label ?? "Plain Text";
}

/** The CodeMirror support for a language id, or null for plain text and unknown ids. */
export async function loadLanguage(languageId: string): Promise<LanguageSupport | null> {
  const definition = definitions[languageId];
  return definition ? definition.load() : null;
}

const extensionToLanguage: Record<string, string> = {
  rs: "rust",
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "jsx",
  py: "python",
  html: "html",
  htm: "html",
  css: "css",
  json: "json",
  md: "markdown",
  markdown: "markdown",
  toml: "toml",
};

/**
 * A language id guessed from the file name. Only needed where Rust cannot
 * tell us (a journal entry whose file no longer exists on disk).
 */
export function languageForPath(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return "plaintext";
  return extensionToLanguage[name.slice(dot + 1).toLowerCase()] ?? "plaintext";
}
