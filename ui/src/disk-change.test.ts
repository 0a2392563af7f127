import { describe, expect, it } from "vitest";
import { decideDiskChange } from "./disk-change";

describe("decideDiskChange", () => {
  it("ignores a change that leaves the disk at the tab's hash (our own save)", () => {
    expect(decideDiskChange({ hash: "h1", dirty: false }, { kind: "present", hash: "h1" })).toBe("ignore");
    expect(decideDiskChange({ hash: "h1", dirty: true }, { kind: "present", hash: "h1" })).toBe("ignore");
  });

  it("reloads a clean tab silently", () => {
    expect(decideDiskChange({ hash: "h1", dirty: false }, { kind: "present", hash: "h2" })).toBe("reload");
  });

  it("asks before touching a dirty tab", () => {
    expect(decideDiskChange({ hash: "h1", dirty: true }, { kind: "present", hash: "h2" })).toBe("ask");
    expect(decideDiskChange({ hash: null, dirty: true }, { kind: "present", hash: "h2" })).toBe("ask");
  });

  it("does not ask twice about a disk version the person kept their edits over", () => {
    expect(decideDiskChange({ hash: "h1", dirty: true, diskChanged: "h2" }, { kind: "present", hash: "h2" })).toBe("already-kept");
    expect(decideDiskChange({ hash: "h1", dirty: true, diskChanged: "h2" }, { kind: "present", hash: "h3" })).toBe("ask");
  });

  it("marks a tab whose file disappeared, dirty or not", () => {
    expect(decideDiskChange({ hash: "h1", dirty: false }, { kind: "missing" })).toBe("mark-deleted");
    expect(decideDiskChange({ hash: "h1", dirty: true }, { kind: "missing" })).toBe("mark-deleted");
  });
});
