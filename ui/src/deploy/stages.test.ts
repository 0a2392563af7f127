import { describe, expect, it } from "vitest";
import { STAGES, pushText, stageSteps, transferPercent, uploadText } from "./stages";

const states = (steps: ReturnType<typeof stageSteps>) => steps.map((step) => step.state);

describe("stageSteps", () => {
  it("lists every stage in Rust's order", () => {
    expect(stageSteps([], "running").map((step) => step.stage)).toEqual(STAGES);
    expect(stageSteps([], "running").map((step) => step.label)).toEqual(["Build", "Commit", "Upload", "Deploy", "Done"]);
  });

  it("is all pending before the first stage", () => {
    expect(states(stageSteps([], "running"))).toEqual(["pending", "pending", "pending", "pending", "pending"]);
  });

  it("marks the latest stage active and the earlier ones done", () => {
    expect(states(stageSteps(["build", "commit", "upload"], "running"))).toEqual(["done", "done", "active", "pending", "pending"]);
  });

  it("shows a stage the platform passed over as skipped", () => {
    // Render and Railway build remotely: no "build" stage is reported.
    expect(states(stageSteps(["commit", "upload", "deploy"], "running"))).toEqual(["skipped", "done", "done", "active", "pending"]);
  });

  it("ends all done (or skipped) when the deployment went live", () => {
    expect(states(stageSteps(["build", "commit", "upload", "deploy", "done"], "ready"))).toEqual(["done", "done", "done", "done", "done"]);
    expect(states(stageSteps(["done"], "ready"))).toEqual(["skipped", "skipped", "skipped", "skipped", "done"]);
  });

  it("pins a failure on the furthest stage reached before done", () => {
    expect(states(stageSteps(["build", "done"], "failed"))).toEqual(["failed", "pending", "pending", "pending", "pending"]);
    expect(states(stageSteps(["build", "commit", "upload", "deploy", "done"], "failed"))).toEqual(["done", "done", "done", "failed", "pending"]);
  });

  it("pins a failure before any stage on the first one", () => {
    expect(states(stageSteps(["done"], "failed"))[0]).toBe("failed");
  });
});

describe("transfer progress", () => {
  it("is a rounded, clamped percentage", () => {
    expect(transferPercent(0, 4)).toBe(0);
    expect(transferPercent(1, 3)).toBe(33);
    expect(transferPercent(4, 4)).toBe(100);
    expect(transferPercent(9, 4)).toBe(100);
  });

  it("counts nothing to transfer as finished", () => {
    expect(transferPercent(0, 0)).toBe(100);
  });

  it("words uploads and pushes", () => {
    expect(uploadText(3, 10)).toBe("Uploaded 3 of 10 files");
    expect(uploadText(1, 1)).toBe("Uploaded 1 of 1 file");
    expect(pushText({ stage: "packing", done: 3, total: 10 })).toBe("Packing objects: 3 of 10");
    expect(pushText({ stage: "sending", done: 5, total: 10, bytes: 1_258_291 })).toBe("Sending objects: 5 of 10 (1.2 MB)");
  });
});
