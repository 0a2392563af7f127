// Shortcuts are written CodeMirror style ("Mod-Shift-p"): "Mod" is Cmd on
// macOS and Ctrl elsewhere, so one table serves both platforms.

export interface KeyInput {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

interface ParsedShortcut {
  key: string;
  ctrl: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

function parseShortcut(shortcut: string, mac: boolean): ParsedShortcut {
  // The key itself may be "-" ("Mod--"), so split off modifiers from the left only.
  const parts = shortcut.split(/-(?!$)/);
  const key = parts.pop()!;
  const parsed: ParsedShortcut = { key, ctrl: false, meta: false, alt: false, shift: false };
  for (const modifier of parts) {
    if (modifier === "Mod") {
      if (mac) parsed.meta = true;
      else parsed.ctrl = true;
    } else if (modifier === "Ctrl") parsed.ctrl = true;
    else if (modifier === "Meta" || modifier === "Cmd") parsed.meta = true;
    else if (modifier === "Alt") parsed.alt = true;
    else if (modifier === "Shift") parsed.shift = true;
    else throw new Error(`Unknown modifier "${modifier}" in shortcut "${shortcut}"`);
  }
  return parsed;
}

export function matchesShortcut(event: KeyInput, shortcut: string, mac = isMac): boolean {
  const parsed = parseShortcut(shortcut, mac);
  if (event.ctrlKey !== parsed.ctrl || event.metaKey !== parsed.meta) return false;
  if (event.altKey !== parsed.alt || event.shiftKey !== parsed.shift) return false;
  if (event.key.toLowerCase() === parsed.key.toLowerCase()) return true;
  // Alt (Option on macOS) and some layouts change event.key ("ƒ" for Alt-f);
  // the physical key code still names the letter.
  return /^[a-z]$/i.test(parsed.key) && event.code === `Key${parsed.key.toUpperCase()}`;
}

const macSymbols: Record<string, string> = { ctrl: "⌃", alt: "⌥", shift: "⇧", meta: "⌘" };

function keyLabel(key: string): string {
  if (key.length === 1) return key.toUpperCase();
  const names: Record<string, string> = { ArrowUp: "↑", ArrowDown: "↓", ArrowLeft: "←", ArrowRight: "→", Escape: "Esc" };
  return names[key] ?? key;
}

/** "Mod-Shift-p" → "Ctrl+Shift+P" (or "⇧⌘P" on macOS). */
export function shortcutLabel(shortcut: string, mac = isMac): string {
  const parsed = parseShortcut(shortcut, mac);
  if (mac) {
    const modifiers = (["ctrl", "alt", "shift", "meta"] as const).filter((name) => parsed[name]).map((name) => macSymbols[name]);
    return modifiers.join("") + keyLabel(parsed.key);
  }
  const modifiers: string[] = [];
  if (parsed.ctrl) modifiers.push("Ctrl");
  if (parsed.meta) modifiers.push("Meta");
  if (parsed.alt) modifiers.push("Alt");
  if (parsed.shift) modifiers.push("Shift");
  return [...modifiers, keyLabel(parsed.key)].join("+");
}
