import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentOnInput } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  runScopeHandlers,
} from "@codemirror/view";
import { editorAppearance } from "../editor-theme";
import { loadLanguage } from "../languages";

declare global {
  interface Window {
    /** The Learn view's lab editor while a code lab is open, for end-to-end tests to set the text. */
    __ffLabEditorView?: EditorView;
  }
}

export interface LabEditorOptions {
  doc: string;
  /** Mod-Enter: run the checks. */
  run(): void;
  changed(text: string): void;
}

/** A small JavaScript editor in the app's editor appearance, for a lab's code. */
export class LabEditor {
  readonly view: EditorView;

  private constructor(parent: HTMLElement, state: EditorState) {
    this.view = new EditorView({ parent, state });
    window.__ffLabEditorView = this.view;
  }

  static async create(parent: HTMLElement, options: LabEditorOptions): Promise<LabEditor> {
    const javascript = await loadLanguage("javascript");
    const state = EditorState.create({
      doc: options.doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        keymap.of([
          {
            key: "Mod-Enter",
            run: () => {
              options.run();
              return true;
            },
          },
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        EditorView.contentAttributes.of({ "aria-label": "Lab code" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.changed(update.state.doc.toString());
        }),
        editorAppearance,
        javascript ?? [],
      ],
    });
    return new LabEditor(parent, state);
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  contains(target: EventTarget | null): boolean {
    return target instanceof Node && this.view.dom.contains(target);
  }

  /**
   * Runs the editor's own key bindings for a key event that was stopped
   * before it reached the editor (see LearnView.shieldKey).
   */
  handleKey(event: KeyboardEvent): boolean {
    return runScopeHandlers(this.view, event, "editor");
  }

  focus(): void {
    this.view.focus();
  }

  destroy(): void {
    if (window.__ffLabEditorView === this.view) delete window.__ffLabEditorView;
    this.view.destroy();
  }
}
