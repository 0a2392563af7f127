import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";
import type { Extension } from "@codemirror/state";

// Colours are CSS custom properties (styles/themes.css) so switching theme is a
// single attribute change on :root, and the Rust highlighter's HTML
// (styles/syntax-classes.css) uses the very same palette.

const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword, t.definitionKeyword, t.modifier, t.self], color: "var(--tok-keyword)" },
  { tag: [t.string, t.special(t.string), t.character, t.regexp, t.escape, t.docString], color: "var(--tok-string)" },
  { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], color: "var(--tok-comment)", fontStyle: "italic" },
  { tag: [t.number, t.integer, t.float, t.bool, t.null, t.atom, t.unit, t.constant(t.variableName)], color: "var(--tok-number)" },
  { tag: [t.typeName, t.className, t.namespace, t.standard(t.typeName), t.definition(t.typeName)], color: "var(--tok-type)" },
  {
    tag: [t.function(t.variableName), t.function(t.definition(t.variableName)), t.function(t.propertyName), t.macroName],
    color: "var(--tok-function)",
  },
  { tag: [t.variableName, t.definition(t.variableName), t.labelName, t.special(t.variableName)], color: "var(--tok-variable)" },
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "var(--tok-property)" },
  {
    tag: [t.operator, t.arithmeticOperator, t.logicOperator, t.bitwiseOperator, t.compareOperator, t.updateOperator, t.definitionOperator, t.typeOperator, t.controlOperator, t.derefOperator],
    color: "var(--tok-operator)",
  },
  { tag: [t.punctuation, t.separator, t.bracket, t.angleBracket, t.squareBracket, t.paren, t.brace], color: "var(--tok-punctuation)" },
  { tag: t.tagName, color: "var(--tok-tag)" },
  { tag: t.attributeName, color: "var(--tok-attribute)" },
  { tag: t.heading, color: "var(--tok-heading)", fontWeight: "bold" },
  { tag: [t.link, t.url], color: "var(--tok-link)", textDecoration: "underline" },
  { tag: [t.meta, t.annotation, t.processingInstruction, t.documentMeta], color: "var(--tok-meta)" },
  { tag: t.invalid, color: "var(--tok-invalid)" },
  { tag: t.strong, fontWeight: "bold" },
  { tag: t.emphasis, fontStyle: "italic" },
  { tag: t.strikethrough, textDecoration: "line-through" },
  { tag: t.inserted, color: "var(--tok-string)" },
  { tag: t.deleted, color: "var(--tok-invalid)" },
  { tag: t.changed, color: "var(--tok-number)" },
]);

const chrome = EditorView.theme({
  "&": { height: "100%", color: "var(--editor-fg)", backgroundColor: "var(--editor-bg)", fontSize: "var(--editor-font-size)" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.55" },
  ".cm-content": { caretColor: "var(--editor-cursor)", padding: "6px 0" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--editor-cursor)", borderLeftWidth: "2px" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground": {
    backgroundColor: "var(--editor-selection) !important",
  },
  ".cm-content ::selection": { backgroundColor: "var(--editor-selection)" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active-line)" },
  ".cm-selectionMatch": { backgroundColor: "var(--editor-selection-match)" },
  ".cm-searchMatch": { backgroundColor: "var(--editor-search-match)", outline: "1px solid var(--editor-search-outline)" },
  ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: "var(--editor-search-current)" },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--editor-bracket)", outline: "1px solid var(--editor-bracket-outline)" },
  "&.cm-focused .cm-nonmatchingBracket": { color: "var(--tok-invalid)" },
  ".cm-gutters": { backgroundColor: "var(--editor-bg)", color: "var(--editor-gutter-fg)", border: "none" },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 10px 0 16px", minWidth: "32px" },
  ".cm-activeLineGutter": { backgroundColor: "transparent", color: "var(--editor-gutter-active-fg)" },
  ".cm-foldGutter .cm-gutterElement": { padding: "0 4px", cursor: "pointer", color: "var(--editor-gutter-fg)" },
  ".cm-foldGutter .cm-gutterElement:hover": { color: "var(--fg)" },
  ".cm-foldPlaceholder": { backgroundColor: "var(--surface-hover)", border: "1px solid var(--border)", color: "var(--fg-muted)", padding: "0 6px", borderRadius: "3px" },
  ".cm-panels": { backgroundColor: "var(--surface)", color: "var(--fg)" },
  ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--border)" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
  ".cm-panel.cm-search, .cm-panel.cm-dialog": { padding: "6px 28px 6px 10px", fontFamily: "var(--font-ui)", fontSize: "12px" },
  ".cm-panel input.cm-textfield, .cm-panel input[type=text]": {
    backgroundColor: "var(--input-bg)",
    color: "var(--fg)",
    border: "1px solid var(--border)",
    borderRadius: "4px",
    padding: "3px 6px",
    fontSize: "12px",
  },
  ".cm-panel input.cm-textfield:focus, .cm-panel input[type=text]:focus": { outline: "none", borderColor: "var(--accent)", boxShadow: "0 0 0 1px var(--accent)" },
  ".cm-panel button, .cm-panel .cm-button": {
    backgroundColor: "var(--button-bg)",
    backgroundImage: "none",
    color: "var(--fg)",
    border: "1px solid var(--border)",
    borderRadius: "4px",
    padding: "2px 8px",
    fontSize: "12px",
    cursor: "pointer",
  },
  ".cm-panel button:hover, .cm-panel .cm-button:hover": { backgroundColor: "var(--surface-hover)" },
  ".cm-panel.cm-search label": { fontSize: "12px", color: "var(--fg-muted)" },
  ".cm-panel.cm-search [name=close], .cm-panel .cm-dialog-close": { color: "var(--fg-muted)", backgroundColor: "transparent", border: "none", fontSize: "16px" },
  ".cm-tooltip": { backgroundColor: "var(--popover-bg)", color: "var(--fg)", border: "1px solid var(--border)", borderRadius: "6px", boxShadow: "var(--shadow)" },
  ".cm-tooltip-autocomplete > ul": { fontFamily: "var(--font-mono)", fontSize: "12px", maxHeight: "16em" },
  ".cm-tooltip-autocomplete > ul > li": { padding: "2px 8px" },
  ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "var(--list-active-bg)", color: "var(--list-active-fg)" },
  ".cm-completionMatchedText": { textDecoration: "none", fontWeight: "600", color: "var(--accent)" },
  ".cm-completionIcon": { opacity: "0.7" },
});

export const editorAppearance: Extension = [chrome, syntaxHighlighting(highlightStyle)];
