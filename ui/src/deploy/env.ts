import type { EnvVar, EnvVarView } from "../bindings";

// The environment variables editor's rules, kept free of the DOM so they can
// be tested. A stored secret's value never comes back from Rust: its row
// starts empty, and an empty value saved for a secret keeps the stored one.

export interface EnvRow {
  name: string;
  /** For a stored secret: a replacement, or empty to keep the stored value. */
  value: string;
  secret: boolean;
  /** The name a secret was saved under (its value cannot be shown); null for other rows. */
  storedAs: string | null;
}

const NAME = /^[A-Za-z0-9_]+$/;

export function isValidEnvName(name: string): boolean {
  return NAME.test(name);
}

export function rowsFromVars(vars: readonly EnvVarView[]): EnvRow[] {
  return vars.map((view) => ({ name: view.name, value: view.value ?? "", secret: view.secret, storedAs: view.secret && view.value === null ? view.name : null }));
}

export function emptyRow(): EnvRow {
  return { name: "", value: "", secret: false, storedAs: null };
}

/** Whether saving the row as it is keeps a stored secret value (renaming the row loses it). */
function keepsStoredValue(row: EnvRow): boolean {
  return row.value === "" && row.storedAs !== null && row.storedAs === row.name.trim();
}

/** The first reason the rows cannot be saved, or null. */
export function envProblem(rows: readonly EnvRow[]): string | null {
  const seen = new Set<string>();
  for (const row of rows) {
    const name = row.name.trim();
    if (name === "") return "Every variable needs a name.";
    if (!isValidEnvName(name)) return `“${name}” is not a valid name: use letters, digits and _ only.`;
    if (seen.has(name)) return `“${name}” is listed twice.`;
    seen.add(name);
    if (row.value !== "") continue;
    const keeps = keepsStoredValue(row);
    if (keeps && !row.secret) return `Enter a value for ${name}: its secret value cannot be shown, so it cannot become a plain variable without a new one.`;
    if (!keeps && row.secret) return `Enter a value for the secret ${name}.`;
  }
  return null;
}

/** What `save_env_vars` takes: the whole list (an empty secret keeps its stored value). */
export function toEnvVars(rows: readonly EnvRow[]): EnvVar[] {
  return rows.map((row) => ({ name: row.name.trim(), value: row.value, secret: row.secret }));
}

export interface EnvChanges {
  added: string[];
  changed: string[];
  removed: string[];
}

/** How the rows differ from what is saved, by name. */
export function envChanges(saved: readonly EnvVarView[], rows: readonly EnvRow[]): EnvChanges {
  const before = new Map(saved.map((view) => [view.name, view]));
  const names = new Set(rows.map((row) => row.name.trim()));
  const changes: EnvChanges = { added: [], changed: [], removed: saved.map((view) => view.name).filter((name) => !names.has(name)) };
  for (const row of rows) {
    const name = row.name.trim();
    const old = before.get(name);
    if (!old) changes.added.push(name);
    else if (old.secret !== row.secret || (!keepsStoredValue(row) && row.value !== (old.value ?? ""))) changes.changed.push(name);
  }
  return changes;
}

/** "2 added, 1 changed, 1 removed", or "" when nothing changed. */
export function changesText(changes: EnvChanges): string {
  return (["added", "changed", "removed"] as const)
    .filter((kind) => changes[kind].length > 0)
    .map((kind) => `${changes[kind].length} ${kind}`)
    .join(", ");
}
