import { describe, expect, it } from "vitest";
import { REPO_NAME_MAX, repoNameFromFolder, repoNameProblem } from "./github";

describe("repoNameFromFolder", () => {
  it("keeps a name GitHub accepts, in lower case", () => {
    expect(repoNameFromFolder("my-site")).toBe("my-site");
    expect(repoNameFromFolder("My_Site.v2")).toBe("my_site.v2");
  });

  it("turns each run of other characters into one dash", () => {
    expect(repoNameFromFolder("My Great  Site!")).toBe("my-great-site");
    expect(repoNameFromFolder("a / b -- c")).toBe("a-b-c");
  });

  it("drops accents rather than the letters under them", () => {
    expect(repoNameFromFolder("Café Crème")).toBe("cafe-creme");
  });

  it("leaves no dash at either end", () => {
    expect(repoNameFromFolder("  (site)  ")).toBe("site");
    expect(repoNameFromFolder("-site-")).toBe("site");
  });

  it("keeps within GitHub's length, without a trailing dash", () => {
    expect(repoNameFromFolder("a".repeat(150))).toBe("a".repeat(REPO_NAME_MAX));
    expect(repoNameFromFolder(`${"a".repeat(99)} b`)).toBe("a".repeat(99));
  });

  it("is empty when nothing usable is left", () => {
    expect(repoNameFromFolder("")).toBe("");
    expect(repoNameFromFolder("日本語")).toBe("");
    expect(repoNameFromFolder(".")).toBe("");
    expect(repoNameFromFolder("..")).toBe("");
  });

  it("suggests names that pass the check", () => {
    for (const folder of ["My Site", "Café", "x".repeat(120), "a.b_c-d", ".dotfiles"]) expect(repoNameProblem(repoNameFromFolder(folder))).toBeNull();
  });
});

describe("repoNameProblem", () => {
  it("accepts letters, digits, dots, dashes and underscores", () => {
    expect(repoNameProblem("My-Site_2.0")).toBeNull();
    expect(repoNameProblem(".github")).toBeNull();
    expect(repoNameProblem("  site  ")).toBeNull();
  });

  it("asks for a name", () => {
    expect(repoNameProblem("")).toBe("Enter a name for the repository.");
    expect(repoNameProblem("   ")).toBe("Enter a name for the repository.");
  });

  it("refuses other characters", () => {
    for (const name of ["my site", "owner/site", "café", "site!"]) expect(repoNameProblem(name)).toMatch(/only hold letters, digits/);
  });

  it("refuses names over 100 characters", () => {
    expect(repoNameProblem("a".repeat(REPO_NAME_MAX))).toBeNull();
    expect(repoNameProblem("a".repeat(REPO_NAME_MAX + 1))).toBe("A repository name has at most 100 characters.");
  });

  it("refuses . and ..", () => {
    expect(repoNameProblem(".")).toBe("“.” cannot be a repository name.");
    expect(repoNameProblem("..")).toBe("“..” cannot be a repository name.");
    expect(repoNameProblem("...")).toBeNull();
  });
});
