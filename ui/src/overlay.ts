import { EditorView } from "@codemirror/view";
import { isModalOpen } from "./modal";

/**
 * A full-window view (Learn, the marketplace) over whatever is on screen. The
 * screen underneath stays exactly as it is, inert, and gets its focus back
 * when the view goes.
 */
export class Overlay {
  private readonly previousFocus = document.activeElement;
  private readonly onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || event.defaultPrevented || event.isComposing || isModalOpen()) return;
    event.preventDefault();
    this.onEscape();
  };

  /** `onEscape`: Escape was pressed with no dialog open (go back a step, or close). */
  constructor(
    private readonly root: HTMLElement,
    private readonly element: HTMLElement,
    private readonly onEscape: () => void,
  ) {}

  show(): void {
    this.root.inert = true;
    document.body.append(this.element);
    window.addEventListener("keydown", this.onKeyDown);
  }

  hide(): void {
    window.removeEventListener("keydown", this.onKeyDown);
    this.element.remove();
    this.root.inert = false;
    restoreFocus(this.previousFocus);
  }
}

/**
 * Whether a key press must stop at an open overlay. The screen underneath
 * listens on window too; its shortcuts (save, close tab, quick open…) must not
 * act on what the person cannot see, so keys with Ctrl/Cmd and function keys
 * go no further.
 */
export function isShieldedKey(event: KeyboardEvent): boolean {
  return event.ctrlKey || event.metaKey || /^F\d{1,2}$/.test(event.key);
}

/** Focus back where it was; an editor gets its own focus call so its cursor stays put. */
function restoreFocus(element: Element | null): void {
  if (!(element instanceof HTMLElement) || !element.isConnected) return;
  const editor = element.closest(".cm-editor") ? EditorView.findFromDOM(element) : null;
  if (editor) editor.focus();
  else element.focus({ preventScroll: true });
}
