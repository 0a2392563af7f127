import { describe, expect, it } from "vitest";
import type { TargetView } from "../bindings";
import { PLATFORMS, apiBaseProblem, configProblem, connection, emptyConfig, normalizeConfig, platformInfo, targetName } from "./platforms";

describe("PLATFORMS", () => {
  it("lists the seven platforms in Rust's order with their labels", () => {
    expect(PLATFORMS.map((info) => [info.platform, info.label])).toEqual([
      ["git_remote", "Git remote"],
      ["github_pages", "GitHub Pages"],
      ["netlify", "Netlify"],
      ["vercel", "Vercel"],
      ["cloudflare_pages", "Cloudflare Pages"],
      ["render", "Render"],
      ["railway", "Railway"],
    ]);
  });

  it("asks each platform for its own fields", () => {
    const fields = (platform: Parameters<typeof platformInfo>[0]) => {
      const info = platformInfo(platform);
      return [info.site.label, info.account?.label ?? null, info.branch?.placeholder ?? null];
    };
    expect(fields("git_remote")).toEqual(["Remote URL", null, "main"]);
    expect(fields("github_pages")).toEqual(["Repository (owner/repo)", null, "gh-pages"]);
    expect(fields("netlify")).toEqual(["Site ID", "Account slug", null]);
    expect(fields("vercel")).toEqual(["Project name", "Team ID (optional)", null]);
    expect(fields("cloudflare_pages")).toEqual(["Project name", "Account ID", null]);
    expect(fields("render")).toEqual(["Service ID", null, null]);
    expect(fields("railway")).toEqual(["Service ID", "Environment ID", null]);
  });

  it("only offers env vars and domains where the adapter has them", () => {
    expect(PLATFORMS.filter((info) => !info.envVars).map((info) => info.platform)).toEqual(["git_remote", "github_pages"]);
    expect(PLATFORMS.filter((info) => !info.domains).map((info) => info.platform)).toEqual(["git_remote"]);
  });
});

describe("configProblem", () => {
  it("wants the site", () => {
    expect(configProblem(emptyConfig("netlify"))).toBe("Enter the Site ID.");
    expect(configProblem(emptyConfig("github_pages"))).toBe("Enter the Repository.");
  });

  it("wants the account only where it is required", () => {
    expect(configProblem({ ...emptyConfig("cloudflare_pages"), site: "blog" })).toBe("Enter the Account ID.");
    expect(configProblem({ ...emptyConfig("railway"), site: "svc" })).toBe("Enter the Environment ID.");
    expect(configProblem({ ...emptyConfig("vercel"), site: "blog" })).toBeNull();
    expect(configProblem({ ...emptyConfig("netlify"), site: "id" })).toBeNull();
  });

  it("checks the API base URL's scheme", () => {
    expect(configProblem({ ...emptyConfig("render"), site: "srv-1", apiBase: "localhost:9000" })).toMatch(/http/);
    expect(configProblem({ ...emptyConfig("render"), site: "srv-1", apiBase: "http://127.0.0.1:9000/v1" })).toBeNull();
  });
});

describe("apiBaseProblem", () => {
  it("accepts none, or an http(s) URL", () => {
    expect(apiBaseProblem("")).toBeNull();
    expect(apiBaseProblem("  ")).toBeNull();
    expect(apiBaseProblem(" https://github.example.com/api/v3 ")).toBeNull();
    expect(apiBaseProblem("github.example.com/api/v3")).toBe("The API base URL must start with http:// or https://.");
  });
});

describe("normalizeConfig", () => {
  it("trims, and drops fields the platform does not have", () => {
    const config = { platform: "render" as const, site: " srv-1 ", account: "left over", branch: "dev", apiBase: " http://x " };
    expect(normalizeConfig(config)).toEqual({ platform: "render", site: "srv-1", account: "", branch: "", apiBase: "http://x" });
    expect(normalizeConfig({ ...config, platform: "github_pages" }).branch).toBe("dev");
  });
});

describe("connection", () => {
  const target = (platform: TargetView["config"]["platform"], hasToken: boolean): TargetView => ({
    id: "t",
    label: "",
    config: emptyConfig(platform),
    hasToken,
  });

  it("is connected with a token", () => {
    expect(connection(target("netlify", true)).connected).toBe(true);
  });

  it("needs a token except for a git remote", () => {
    expect(connection(target("netlify", false)).connected).toBe(false);
    expect(connection(target("git_remote", false)).connected).toBe(true);
  });
});

describe("targetName", () => {
  it("names the platform and the site", () => {
    const target: TargetView = { id: "t", label: "Netlify", config: { ...emptyConfig("netlify"), site: "abc" }, hasToken: true };
    expect(targetName(target)).toBe("Netlify · abc");
    expect(targetName({ ...target, config: emptyConfig("netlify") })).toBe("Netlify");
  });
});
