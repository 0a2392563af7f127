import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput } from "@codemirror/language";
import { gotoLine, highlightSelectionMatches, openSearchPanel, search, searchKeymap } from "@codemirror/search";
import { Annotation, Compartment, EditorState, type Extension, type StateEffect } from "@codemirror/state";
import {
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  rectangularSelection,
  type ViewUpdate,
} from "@codemirror/view";
import { editorAppearance } from "./editor-theme";
import { loadLanguage } from "./languages";
import { completeWords } from "./word-completion";

/** Marks transactions that bring in the disk version of a file (not an edit by the person). */
export const diskReload = Annotation.define<boolean>();

const languageSlot = new Compartment();

/** What a tab's state is made with: CodeMirror's undo history only where the tab has its own (not shared ones). */
export function stateExtensions(base: Extension, extra: Extension, withHistory: boolean, language: Extension): Extension {
  return [extra, withHistory ? history() : [], base, languageSlot.of(language)];
}

/**
 * The single EditorView of the workbench. Every tab owns an EditorState
 * (document, undo history, selection, search state); switching tabs swaps
 * the state shown by this view.
 */
export class EditorHost {
  readonly view: EditorView;
  private readonly extensions: Extension;

  constructor(parent: HTMLElement, onUpdate: (update: ViewUpdate) => void) {
    this.extensions = [
      lineNumbers(),
      highlightActiveLineGutter(),
      foldGutter({ openText: "⌄", closedText: "›" }),
      highlightSpecialChars(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      // Alt-click adds a cursor (as in VS Code); Alt-Shift-drag selects a rectangle.
      EditorView.clickAddsSelectionRange.of((event) => event.altKey && !event.shiftKey),
      rectangularSelection({ eventFilter: (event) => event.altKey && event.shiftKey }),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      autocompletion(),
      EditorState.languageData.of(() => [{ autocomplete: completeWords }]),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, indentWithTab]),
      editorAppearance,
      EditorView.updateListener.of(onUpdate),
    ];
    this.view = new EditorView({ parent, state: EditorState.create({ extensions: [history(), this.extensions] }) });
    window.__ffEditorView = this.view;
  }

  /**
   * A tab's state; `extra` comes first, so its keys take precedence over the
   * defaults at equal precedence. Without `history` (shared tabs, whose undo
   * is Rust's) CodeMirror's undo commands, Mod-u and Alt-u included, find no
   * history and do nothing.
   */
  async createState(text: string, languageId: string, extra: Extension = [], options: { history?: boolean } = {}): Promise<EditorState> {
    const language = await loadLanguage(languageId);
    return EditorState.create({ doc: text, extensions: stateExtensions(this.extensions, extra, options.history ?? true, language ?? []) });
  }

  /** An effect that switches `state` to another language (the file was renamed). */
  async languageChange(languageId: string): Promise<StateEffect<unknown>> {
    return languageSlot.reconfigure((await loadLanguage(languageId)) ?? []);
  }

  /** Shows a tab's state; `scroll` is what captureScroll returned when it was last shown. */
  show(state: EditorState, scroll: StateEffect<unknown> | null): void {
    this.view.setState(state);
    if (scroll) this.view.dispatch({ effects: scroll });
  }

  clear(): void {
    this.view.setState(EditorState.create({ extensions: [history(), this.extensions] }));
  }

  captureScroll(): StateEffect<unknown> {
    return this.view.scrollSnapshot();
  }

  focus(): void {
    this.view.focus();
  }

  find(): void {
    openSearchPanel(this.view);
  }

  replace(): void {
    openSearchPanel(this.view);
    // The default panel focuses the search field; replacing starts in the replace field.
    const replaceField = this.view.dom.querySelector<HTMLInputElement>(".cm-search input[name=replace]");
    replaceField?.focus();
    replaceField?.select();
  }

  goToLine(): void {
    gotoLine(this.view);
  }
}
