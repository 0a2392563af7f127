import { describe, expect, it } from "vitest";
import type { DeploymentRecord } from "../bindings";
import {
  buildPlanText,
  canRollBack,
  changeLetter,
  changesSummary,
  deployStateClass,
  deployStateLabel,
  deploymentFacts,
  failureHint,
  liveDeployments,
  shortId,
} from "./format";

const NOW = Date.UTC(2025, 5, 15, 12, 0, 0);

function record(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: "deploy-1",
    targetId: "target-1",
    commitId: null,
    platformId: null,
    url: null,
    state: "ready",
    error: null,
    rollbackOf: null,
    uploadedFiles: 0,
    uploadedBytes: 0,
    startedAt: NOW,
    finishedAt: NOW,
    ...overrides,
  };
}

describe("labels", () => {
  it("abbreviates commit ids like git", () => {
    expect(shortId("0123456789abcdef")).toBe("0123456");
  });

  it("names and classes every deploy state", () => {
    expect(deployStateLabel("ready")).toBe("Ready");
    expect(deployStateLabel("interrupted")).toBe("Interrupted");
    expect(deployStateClass("failed")).toBe("deploy-state state-failed");
  });

  it("marks changed files with git's letters", () => {
    expect(["added", "modified", "deleted", "renamed", "untracked"].map((kind) => changeLetter(kind as never))).toEqual(["A", "M", "D", "R", "U"]);
  });
});

describe("changesSummary", () => {
  it("says when there is nothing to commit", () => {
    expect(changesSummary([])).toBe("No changes");
  });

  it("counts the files by kind, in a fixed order", () => {
    const changes = [
      { path: "b", kind: "untracked" as const },
      { path: "a", kind: "modified" as const },
      { path: "c", kind: "modified" as const },
    ];
    expect(changesSummary(changes)).toBe("3 changed files: 2 modified, 1 untracked");
    expect(changesSummary([{ path: "a", kind: "deleted" }])).toBe("1 changed file: 1 deleted");
  });
});

describe("buildPlanText", () => {
  it("shows the command and the output folder", () => {
    expect(buildPlanText({ framework: "Vite", install: null, command: ["npm", "run", "build"], output: "dist" })).toBe("Vite · npm run build → dist/");
  });

  it("says when the site is served as it is", () => {
    expect(buildPlanText({ framework: "Static site", install: null, command: null, output: "public" })).toBe("Static site · served as is from public/");
    expect(buildPlanText({ framework: "Static site", install: null, command: null, output: "." })).toBe("Static site · served as is from the project folder");
  });
});

describe("deploymentFacts", () => {
  it("lists the commit and what was uploaded", () => {
    expect(deploymentFacts(record({ commitId: "abcdef0123", uploadedFiles: 12, uploadedBytes: 2048 }), () => undefined)).toEqual([
      "abcdef0",
      "12 files uploaded (2.0 KB)",
    ]);
  });

  it("names the commit a rollback went back to", () => {
    const earlier = record({ id: "deploy-0", commitId: "99887766554433" });
    const byId = (id: string) => (id === earlier.id ? earlier : undefined);
    expect(deploymentFacts(record({ rollbackOf: "deploy-0" }), byId)).toEqual(["Rollback of 9988776"]);
    expect(deploymentFacts(record({ rollbackOf: "gone" }), byId)).toEqual(["Rollback of an earlier deployment"]);
  });

  it("has nothing to say about a bare deployment", () => {
    expect(deploymentFacts(record(), () => undefined)).toEqual([]);
  });
});

describe("failureHint", () => {
  it("tailors a hint to the codes a deploy can fail with", () => {
    for (const code of ["auth_failed", "build_failed", "rejected", "offline", "rate_limited"] as const) expect(failureHint(code)).toBeTruthy();
  });

  it("has none for other codes or none at all", () => {
    expect(failureHint("internal")).toBeNull();
    expect(failureHint(null)).toBeNull();
  });
});

describe("liveDeployments", () => {
  it("is each target's latest deployment that went live", () => {
    const records = [
      record({ id: "a-failed", targetId: "a", state: "failed", startedAt: 30 }),
      record({ id: "a-new", targetId: "a", startedAt: 20 }),
      record({ id: "a-old", targetId: "a", startedAt: 10 }),
      record({ id: "b-running", targetId: "b", state: "running", startedAt: 5 }),
      record({ id: "b-live", targetId: "b", startedAt: 1 }),
    ];
    expect(liveDeployments(records)).toEqual(new Set(["a-new", "b-live"]));
  });
});

describe("canRollBack", () => {
  const earlier = record({ id: "old", platformId: "p-old" });
  const none = new Set<string>();

  it("allows an earlier deployment that went live", () => {
    expect(canRollBack(earlier, new Set(["new"]), none)).toBe(true);
  });

  it("refuses the live one, failed ones, ones without a platform id, and busy targets", () => {
    expect(canRollBack(earlier, new Set(["old"]), none)).toBe(false);
    expect(canRollBack({ ...earlier, state: "failed" }, none, none)).toBe(false);
    expect(canRollBack({ ...earlier, platformId: null }, none, none)).toBe(false);
    expect(canRollBack(earlier, none, new Set([earlier.targetId]))).toBe(false);
  });
});
