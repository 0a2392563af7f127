import { h } from "./dom";
import { fuzzyFilter, type Ranked } from "./fuzzy";
import { shortcutLabel } from "./keys";
import { baseName, parentPath } from "./paths";

export interface PaletteCommand {
  title: string;
  /** Shown as a hint, e.g. "Mod-s". */
  shortcut?: string;
  run(): void;
}

export interface PaletteSources {
  commands(): PaletteCommand[];
  files(): string[];
  openFile(path: string): void;
}

type PaletteMode = "commands" | "files";

interface PaletteEntry {
  label: string;
  run(): void;
  render(match: Ranked<PaletteEntry>["match"]): Node[];
}

const MAX_RESULTS = 200;

/** Wraps the matched characters of `text` (offset by `start` in the matched string) in <mark>. */
function highlighted(text: string, positions: readonly number[], start: number): Node[] {
  const nodes: Node[] = [];
  let plain = "";
  for (let index = 0; index < text.length; index++) {
    if (positions.includes(index + start)) {
      if (plain) nodes.push(document.createTextNode(plain));
      plain = "";
      nodes.push(h("mark", { text: text[index]! }));
    } else {
      plain += text[index];
    }
  }
  if (plain) nodes.push(document.createTextNode(plain));
  return nodes;
}

/** The command palette (Mod-Shift-p) and quick open (Mod-p): one filtered list. */
export class Palette {
  private readonly input = h("input", {
    className: "palette-input",
    testId: "palette-input",
    attributes: { type: "text", spellcheck: "false", autocomplete: "off", role: "combobox", "aria-expanded": "true", "aria-controls": "palette-list" },
  });
  private readonly list = h("ul", { className: "palette-list", attributes: { role: "listbox", id: "palette-list" } });
  private readonly element = h("div", { className: "palette", testId: "palette", attributes: { role: "dialog", "aria-label": "Command palette" } }, this.input, this.list);
  private readonly backdrop = h("div", { className: "palette-backdrop" }, this.element);
  private mode: PaletteMode = "commands";
  private results: Ranked<PaletteEntry>[] = [];
  private activeIndex = 0;
  private previousFocus: HTMLElement | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly sources: PaletteSources,
  ) {
    this.input.addEventListener("input", () => this.refresh());
    this.input.addEventListener("keydown", (event) => this.onKeyDown(event));
    this.backdrop.addEventListener("mousedown", (event) => {
      if (event.target === this.backdrop) this.close();
    });
  }

  get isOpen(): boolean {
    return this.backdrop.isConnected;
  }

  open(mode: PaletteMode): void {
    if (!this.isOpen) {
      this.previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      this.host.append(this.backdrop);
    }
    this.mode = mode;
    this.input.value = "";
    this.input.placeholder = mode === "commands" ? "Type a command" : "Search files by name (type > for commands)";
    this.refresh();
    this.input.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.backdrop.remove();
    if (this.previousFocus?.isConnected) this.previousFocus.focus();
  }

  private entries(): { entries: PaletteEntry[]; query: string } {
    const raw = this.input.value;
    // As in VS Code, ">" turns quick open into the command palette.
    const commandMode = this.mode === "commands" || raw.startsWith(">");
    const query = (this.mode === "files" && commandMode ? raw.slice(1) : raw).trim();
    if (commandMode) {
      const entries = this.sources.commands().map((command) => ({
        label: command.title,
        run: () => command.run(),
        render: (match: Ranked<PaletteEntry>["match"]) => [
          h("span", { className: "palette-label" }, ...highlighted(command.title, match.positions, 0)),
          command.shortcut ? h("kbd", { className: "palette-shortcut", text: shortcutLabel(command.shortcut) }) : null,
        ].filter((node): node is HTMLElement => node !== null),
      }));
      return { entries, query };
    }
    const entries = this.sources.files().map((path) => {
      const nameStart = path.length - baseName(path).length;
      return {
        label: path,
        run: () => this.sources.openFile(path),
        render: (match: Ranked<PaletteEntry>["match"]) => [
          h("span", { className: "palette-label" }, ...highlighted(baseName(path), match.positions, nameStart)),
          h("span", { className: "palette-detail" }, ...highlighted(parentPath(path), match.positions, 0)),
        ],
      };
    });
    return { entries, query };
  }

  private refresh(): void {
    const { entries, query } = this.entries();
    this.results = fuzzyFilter(entries, query, (entry) => entry.label, MAX_RESULTS);
    this.activeIndex = 0;
    this.renderList();
  }

  private renderList(): void {
    if (this.results.length === 0) {
      this.list.replaceChildren(h("li", { className: "palette-empty", text: "No matching results" }));
      return;
    }
    const items = this.results.map((result, index) =>
      h(
        "li",
        {
          className: `palette-item${index === this.activeIndex ? " active" : ""}`,
          testId: "palette-item",
          attributes: { role: "option", "aria-selected": String(index === this.activeIndex) },
          on: {
            mousemove: () => this.setActive(index),
            // mousedown keeps focus in the input; the click then runs the entry.
            mousedown: (event) => event.preventDefault(),
            click: () => this.run(index),
          },
        },
        ...result.item.render(result.match),
      ),
    );
    this.list.replaceChildren(...items);
  }

  private setActive(index: number): void {
    if (index === this.activeIndex || this.results.length === 0) return;
    const items = this.list.children;
    items[this.activeIndex]?.classList.remove("active");
    items[this.activeIndex]?.setAttribute("aria-selected", "false");
    this.activeIndex = index;
    items[index]?.classList.add("active");
    items[index]?.setAttribute("aria-selected", "true");
    items[index]?.scrollIntoView({ block: "nearest" });
  }

  private run(index: number): void {
    const result = this.results[index];
    if (!result) return;
    this.close();
    result.item.run();
  }

  private onKeyDown(event: KeyboardEvent): void {
    const count = this.results.length;
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };
    if (event.key in moves && count > 0) {
      event.preventDefault();
      const step = moves[event.key]!;
      const target = Math.abs(step) === 1 ? (this.activeIndex + step + count) % count : Math.max(0, Math.min(count - 1, this.activeIndex + step));
      this.setActive(target);
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.run(this.activeIndex);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.close();
    } else if (event.key === "Tab") {
      event.preventDefault();
    }
  }
}
