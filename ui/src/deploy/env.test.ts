import { describe, expect, it } from "vitest";
import type { EnvVarView } from "../bindings";
import { changesText, emptyRow, envChanges, envProblem, isValidEnvName, rowsFromVars, toEnvVars } from "./env";

const saved: EnvVarView[] = [
  { name: "API_URL", secret: false, value: "https://api.example.com" },
  { name: "API_KEY", secret: true, value: null },
];

describe("rows", () => {
  it("start from the saved variables, secrets without their value", () => {
    expect(rowsFromVars(saved)).toEqual([
      { name: "API_URL", value: "https://api.example.com", secret: false, storedAs: null },
      { name: "API_KEY", value: "", secret: true, storedAs: "API_KEY" },
    ]);
  });

  it("save as the full list with trimmed names; an untouched secret is sent empty", () => {
    const rows = rowsFromVars(saved);
    rows[0]!.name = " API_URL ";
    expect(toEnvVars(rows)).toEqual([
      { name: "API_URL", value: "https://api.example.com", secret: false },
      { name: "API_KEY", value: "", secret: true },
    ]);
  });
});

describe("envProblem", () => {
  it("accepts letters, digits and underscores only", () => {
    expect(isValidEnvName("NODE_ENV_2")).toBe(true);
    expect(isValidEnvName("my-var")).toBe(false);
    expect(isValidEnvName("A B")).toBe(false);
    expect(isValidEnvName("")).toBe(false);
  });

  it("accepts the saved variables as they are", () => {
    expect(envProblem(rowsFromVars(saved))).toBeNull();
  });

  it("wants names, valid and distinct", () => {
    expect(envProblem([emptyRow()])).toMatch(/needs a name/);
    expect(envProblem([{ ...emptyRow(), name: "my-var" }])).toMatch(/not a valid name/);
    expect(envProblem([...rowsFromVars(saved), { ...emptyRow(), name: "API_URL" }])).toMatch(/listed twice/);
  });

  it("wants a value for a new secret, and for a secret made plain", () => {
    expect(envProblem([{ ...emptyRow(), name: "TOKEN", secret: true }])).toMatch(/value for the secret TOKEN/);
    const [, key] = rowsFromVars(saved);
    expect(envProblem([{ ...key!, secret: false }])).toMatch(/Enter a value for API_KEY/);
    expect(envProblem([{ ...key!, secret: false, value: "plain now" }])).toBeNull();
  });

  it("does not carry a stored secret's value over to a new name", () => {
    const [, key] = rowsFromVars(saved);
    expect(envProblem([{ ...key!, name: "API_TOKEN" }])).toMatch(/value for the secret API_TOKEN/);
  });

  it("allows a plain variable to be empty", () => {
    expect(envProblem([{ ...emptyRow(), name: "EMPTY" }])).toBeNull();
  });
});

describe("envChanges", () => {
  it("finds nothing in the saved rows", () => {
    const changes = envChanges(saved, rowsFromVars(saved));
    expect(changes).toEqual({ added: [], changed: [], removed: [] });
    expect(changesText(changes)).toBe("");
  });

  it("finds added, changed and removed names", () => {
    const [url] = rowsFromVars(saved);
    const rows = [{ ...url!, value: "https://staging.example.com" }, { ...emptyRow(), name: "NEW" }];
    const changes = envChanges(saved, rows);
    expect(changes).toEqual({ added: ["NEW"], changed: ["API_URL"], removed: ["API_KEY"] });
    expect(changesText(changes)).toBe("1 added, 1 changed, 1 removed");
  });

  it("counts a replaced secret and a flipped secret flag as changes", () => {
    const [url, key] = rowsFromVars(saved);
    expect(envChanges(saved, [url!, { ...key!, value: "new-secret" }]).changed).toEqual(["API_KEY"]);
    expect(envChanges(saved, [{ ...url!, secret: true }, key!]).changed).toEqual(["API_URL"]);
  });
});
