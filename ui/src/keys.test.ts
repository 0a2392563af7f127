import { describe, expect, it } from "vitest";
import { matchesShortcut, shortcutLabel, type KeyInput } from "./keys";

function press(key: string, modifiers: Partial<KeyInput> = {}): KeyInput {
  return { key, code: "", ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...modifiers };
}

describe("matchesShortcut", () => {
  it("maps Mod to Ctrl off macOS and to Cmd on macOS", () => {
    expect(matchesShortcut(press("s", { ctrlKey: true }), "Mod-s", false)).toBe(true);
    expect(matchesShortcut(press("s", { metaKey: true }), "Mod-s", false)).toBe(false);
    expect(matchesShortcut(press("s", { metaKey: true }), "Mod-s", true)).toBe(true);
    expect(matchesShortcut(press("s", { ctrlKey: true }), "Mod-s", true)).toBe(false);
  });

  it("requires the exact set of modifiers", () => {
    expect(matchesShortcut(press("P", { ctrlKey: true, shiftKey: true }), "Mod-p", false)).toBe(false);
    expect(matchesShortcut(press("P", { ctrlKey: true, shiftKey: true }), "Mod-Shift-p", false)).toBe(true);
    expect(matchesShortcut(press("Tab", { ctrlKey: true }), "Ctrl-Tab", true)).toBe(true);
  });

  it("falls back to the physical key when Alt changes the character", () => {
    expect(matchesShortcut({ ...press("ƒ", { metaKey: true, altKey: true }), code: "KeyF" }, "Mod-Alt-f", true)).toBe(true);
  });
});

describe("shortcutLabel", () => {
  it("spells shortcuts per platform", () => {
    expect(shortcutLabel("Mod-Shift-p", false)).toBe("Ctrl+Shift+P");
    expect(shortcutLabel("Mod-Shift-p", true)).toBe("⇧⌘P");
    expect(shortcutLabel("F2", false)).toBe("F2");
  });
});
