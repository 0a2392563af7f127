import { describe, expect, it } from "vitest";
import {
  LICENCES,
  MAX_TAGS,
  type PublishInput,
  dollarsText,
  findReadme,
  isSemver,
  nextVersion,
  parseDollars,
  parseTags,
  priceProblem,
  publishProblem,
  templateFields,
} from "./fields";

describe("parseTags", () => {
  it("splits on commas, trims, lower-cases and drops repeats and blanks", () => {
    expect(parseTags(" React, stripe,,saas , react")).toEqual({ tags: ["react", "stripe", "saas"], problem: null });
    expect(parseTags("")).toEqual({ tags: [], problem: null });
    expect(parseTags("ai-llm, web3")).toEqual({ tags: ["ai-llm", "web3"], problem: null });
  });

  it("refuses characters outside a–z, 0–9 and -", () => {
    expect(parseTags("react, c++").problem).toBe("The tag “c++” may use only a–z, 0–9 and “-”.");
    expect(parseTags("two words").problem).toMatch(/two words/);
    expect(parseTags("tag_name").problem).toMatch(/tag_name/);
  });

  it("allows at most ten", () => {
    const tags = Array.from({ length: MAX_TAGS }, (_, index) => `t${index}`);
    expect(parseTags(tags.join(",")).problem).toBeNull();
    expect(parseTags([...tags, "more"].join(",")).problem).toBe("At most 10 tags (there are 11).");
  });
});

describe("versions", () => {
  it("accepts MAJOR.MINOR.PATCH only", () => {
    expect(isSemver("1.0.0")).toBe(true);
    expect(isSemver(" 10.20.30 ")).toBe(true);
    expect(isSemver("1.0")).toBe(false);
    expect(isSemver("1.0.0-beta")).toBe(false);
    expect(isSemver("01.0.0")).toBe(false);
    expect(isSemver("v1.0.0")).toBe(false);
  });

  it("suggests the next patch, or 1.0.0 first", () => {
    expect(nextVersion(null)).toBe("1.0.0");
    expect(nextVersion("1.2.9")).toBe("1.2.10");
    expect(nextVersion("not a version")).toBe("1.0.0");
  });
});

describe("prices", () => {
  it("reads dollars into cents", () => {
    expect(parseDollars("19.99")).toBe(1999);
    expect(parseDollars("$5")).toBe(500);
    expect(parseDollars("19.9")).toBe(1990);
    expect(parseDollars(" 0 ")).toBe(0);
    expect(parseDollars("")).toBe(0);
  });

  it("refuses what is not an amount", () => {
    expect(parseDollars("-5")).toBeNull();
    expect(parseDollars("1.999")).toBeNull();
    expect(parseDollars("ten")).toBeNull();
    expect(parseDollars("1e3")).toBeNull();
  });

  it("writes cents back as the field shows them", () => {
    expect(dollarsText(1999)).toBe("19.99");
    expect(dollarsText(500)).toBe("5.00");
    expect(dollarsText(0)).toBe("0");
    expect(parseDollars(dollarsText(1990))).toBe(1990);
  });

  it("keeps a paid price within the server's bounds", () => {
    expect(priceProblem("0")).toBeNull();
    expect(priceProblem("1.00")).toBeNull();
    expect(priceProblem("1000")).toBeNull();
    expect(priceProblem("0.99")).toMatch(/\$1\.00 to \$1,000\.00/);
    expect(priceProblem("1000.01")).toMatch(/\$1\.00 to \$1,000\.00/);
    expect(priceProblem("abc")).toMatch(/dollars/);
  });
});

describe("publishProblem", () => {
  const valid: PublishInput = {
    title: "SaaS starter",
    description: "Sign-up, billing and a dashboard.",
    category: "web-app",
    tags: "react, stripe",
    licence: "MIT",
    price: "19.99",
    readme: "# SaaS starter",
    version: "1.0.0",
    files: ["package.json", "src/main.ts"],
  };

  it("accepts a complete form and turns it into the template's fields", () => {
    expect(publishProblem(valid)).toBeNull();
    expect(templateFields({ ...valid, title: "  SaaS starter " })).toEqual({
      title: "SaaS starter",
      description: "Sign-up, billing and a dashboard.",
      category: "web-app",
      tags: ["react", "stripe"],
      licence: "MIT",
      priceCents: 1999,
      readme: "# SaaS starter",
    });
  });

  it("names the first problem", () => {
    expect(publishProblem({ ...valid, title: " " })).toMatch(/title/);
    expect(publishProblem({ ...valid, description: "" })).toMatch(/Describe/);
    expect(publishProblem({ ...valid, category: "" })).toMatch(/category/);
    expect(publishProblem({ ...valid, tags: "a b" })).toMatch(/tag/);
    expect(publishProblem({ ...valid, licence: "WTFPL" })).toMatch(/licence/);
    expect(publishProblem({ ...valid, price: "0.5" })).toMatch(/\$1\.00/);
    expect(publishProblem({ ...valid, version: "1.0" })).toMatch(/MAJOR\.MINOR\.PATCH/);
    expect(publishProblem({ ...valid, files: [] })).toMatch(/at least one file/);
  });

  it("offers the licences the form lists", () => {
    expect(LICENCES).toEqual(["MIT", "Apache-2.0", "GPL-3.0", "BSD-3-Clause", "Unlicense", "Proprietary"]);
  });
});

describe("findReadme", () => {
  it("finds README.md at the root in any case", () => {
    expect(findReadme(["src/README.md", "readme.MD", "main.ts"])).toBe("readme.MD");
    expect(findReadme(["docs/README.md", "README.txt"])).toBeNull();
  });
});
