import type { Theme } from "./bindings";
import { call, errorMessage } from "./ipc";
import { showError } from "./notices";

// The settings live in Rust, but reading them takes an IPC round trip; the
// last theme is mirrored in localStorage so the very first paint already has it.
const storageKey = "flashfusion.theme";
const listeners = new Set<(theme: Theme) => void>();

function isTheme(value: unknown): value is Theme {
  return value === "light" || value === "dark";
}

export function currentTheme(): Theme {
  const applied = document.documentElement.dataset.theme;
  return isTheme(applied) ? applied : "light";
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  localStorage.setItem(storageKey, theme);
  for (const listener of listeners) listener(theme);
}

/** Synchronous best guess for the first paint: the last theme used, else the system preference. */
export function applyCachedTheme(): void {
  const cached = localStorage.getItem(storageKey);
  const systemPrefersDark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  applyTheme(isTheme(cached) ? cached : systemPrefersDark ? "dark" : "light");
}

export async function loadThemeSetting(): Promise<void> {
  const settings = await call("get_settings");
  if (settings.theme !== currentTheme()) applyTheme(settings.theme);
}

export async function toggleTheme(): Promise<void> {
  const previous = currentTheme();
  const next: Theme = previous === "dark" ? "light" : "dark";
  applyTheme(next);
  try {
    const saved = await call("update_settings", { theme: next });
    if (saved.theme !== next) applyTheme(saved.theme);
  } catch (error) {
    applyTheme(previous);
    showError(`Could not save the theme: ${errorMessage(error)}`);
  }
}

/** Returns the function that stops listening. */
export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
