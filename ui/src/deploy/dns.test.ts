import { describe, expect, it } from "vitest";
import { dnsRows, domainStatusText, hostLabel, zoneFileLine, zoneOf } from "./dns";

describe("hosts", () => {
  it("takes the zone as the last two labels", () => {
    expect(zoneOf("www.Example.com.")).toBe("example.com");
    expect(zoneOf("example.com")).toBe("example.com");
  });

  it("names records relative to the zone", () => {
    expect(hostLabel("example.com", "example.com")).toBe("@");
    expect(hostLabel("www.example.com.", "example.com")).toBe("www");
    expect(hostLabel("_vercel.blog.example.com", "example.com")).toBe("_vercel.blog");
    expect(hostLabel("other.org", "example.com")).toBe("other.org");
  });
});

describe("dnsRows", () => {
  it("lists the records with their host", () => {
    const rows = dnsRows({
      domain: "www.example.com",
      verified: false,
      records: [
        { kind: "cname", name: "www.example.com", value: "cname.vercel-dns.com" },
        { kind: "TXT", name: "_vercel.example.com", value: "vc-domain-verify=abc" },
      ],
    });
    expect(rows).toEqual([
      { type: "CNAME", name: "www.example.com", host: "www", value: "cname.vercel-dns.com" },
      { type: "TXT", name: "_vercel.example.com", host: "_vercel", value: "vc-domain-verify=abc" },
    ]);
  });
});

describe("zoneFileLine", () => {
  it("writes absolute names, and absolute CNAME targets", () => {
    expect(zoneFileLine({ kind: "CNAME", name: "www.example.com", value: "site.netlify.app" })).toBe("www.example.com. 3600 IN CNAME site.netlify.app.");
    expect(zoneFileLine({ kind: "A", name: "example.com.", value: "76.76.21.21" })).toBe("example.com. 3600 IN A 76.76.21.21");
  });

  it("quotes TXT values", () => {
    expect(zoneFileLine({ kind: "TXT", name: "_v.example.com", value: 'a "b" c' })).toBe('_v.example.com. 3600 IN TXT "a \\"b\\" c"');
  });
});

describe("domainStatusText", () => {
  it("says whether the domain is verified, and what to do if not", () => {
    expect(domainStatusText({ domain: "example.com", records: [], verified: true })).toMatch(/verified/);
    expect(domainStatusText({ domain: "example.com", records: [{ kind: "A", name: "example.com", value: "1.2.3.4" }], verified: false })).toMatch(/Create these records/);
  });
});
