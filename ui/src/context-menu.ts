import { h } from "./dom";
import { shortcutLabel } from "./keys";

export interface MenuItem {
  label: string;
  run: () => void;
  shortcut?: string;
  danger?: boolean;
}

/** null draws a separator. */
export type MenuEntry = MenuItem | null;

let closeOpenMenu: (() => void) | null = null;

/** Shows a menu at the pointer; arrow keys, Enter and Escape work as in native menus. */
export function showContextMenu(x: number, y: number, entries: MenuEntry[]): void {
  closeOpenMenu?.();
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const items: HTMLButtonElement[] = [];
  const menu = h("div", { className: "context-menu", attributes: { role: "menu" } });
  for (const entry of entries) {
    if (!entry) {
      menu.append(h("div", { className: "context-menu-separator", attributes: { role: "separator" } }));
      continue;
    }
    const item = h(
      "button",
      {
        className: `context-menu-item${entry.danger ? " danger" : ""}`,
        attributes: { role: "menuitem", type: "button", tabindex: "-1" },
        on: {
          click: () => {
            close(false);
            entry.run();
          },
          mouseenter: () => item.focus(),
        },
      },
      h("span", { text: entry.label }),
      entry.shortcut ? h("span", { className: "context-menu-shortcut", text: shortcutLabel(entry.shortcut) }) : null,
    );
    items.push(item);
    menu.append(item);
  }

  const onPointerDown = (event: MouseEvent) => {
    if (!menu.contains(event.target as Node)) close(false);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    event.stopPropagation();
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]!.focus();
    } else if (event.key === "Tab") {
      event.preventDefault();
    }
  };
  const onBlur = () => close(false);

  function close(restoreFocus: boolean) {
    menu.remove();
    document.removeEventListener("mousedown", onPointerDown, true);
    window.removeEventListener("blur", onBlur);
    closeOpenMenu = null;
    if (restoreFocus && previousFocus?.isConnected) previousFocus.focus();
  }

  menu.addEventListener("keydown", onKeyDown);
  document.addEventListener("mousedown", onPointerDown, true);
  window.addEventListener("blur", onBlur);
  closeOpenMenu = () => close(false);
  document.body.append(menu);
  // Keep the menu on screen near the right and bottom edges.
  const bounds = menu.getBoundingClientRect();
  menu.style.left = `${Math.max(4, Math.min(x, window.innerWidth - bounds.width - 4))}px`;
  menu.style.top = `${Math.max(4, Math.min(y, window.innerHeight - bounds.height - 4))}px`;
  items[0]?.focus();
}
