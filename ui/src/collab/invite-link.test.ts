import { describe, expect, it } from "vitest";
import { inviteSummary, parseInviteLink } from "./invite-link";

const invite = { server: "http://127.0.0.1:4455", room: "r00m", code: "c0de" };

describe("parseInviteLink", () => {
  it("reads a link as the server builds it", () => {
    const link = "flashfusion://join?server=https%3A%2F%2Fa.example%2Fx&room=r00m&invite=c0de";
    expect(parseInviteLink(link)).toEqual({ ok: true, link, invite: { server: "https://a.example/x", room: "r00m", code: "c0de" } });
  });

  it("forgives whitespace, case, order, a trailing slash and unencoded values, as Rust does", () => {
    const pasted = "  \n FlashFusion://join/?invite=c0de&room=r00m&server=http%3A%2F%2F127.0.0.1%3A4455%2F&utm=x \t";
    expect(parseInviteLink(pasted)).toMatchObject({ ok: true, invite });
    expect(parseInviteLink("flashfusion://join?server=http://127.0.0.1:4455&room=r00m&invite=c0de")).toMatchObject({ ok: true, invite });
  });

  it("finds the link in a pasted message", () => {
    const result = parseInviteLink("Join me: flashfusion://join?server=http%3A%2F%2F127.0.0.1%3A4455&room=r00m&invite=c0de (until Friday)");
    expect(result).toEqual({ ok: true, link: "flashfusion://join?server=http%3A%2F%2F127.0.0.1%3A4455&room=r00m&invite=c0de", invite });
  });

  it("says what is wrong with anything else", () => {
    expect(parseInviteLink("")).toMatchObject({ ok: false, error: expect.stringContaining("not a FlashFusion invite link") });
    expect(parseInviteLink("https://example.com/join?room=1")).toMatchObject({ ok: false, error: expect.stringContaining("not a FlashFusion invite link") });
    expect(parseInviteLink("flashfusion://open?server=http%3A%2F%2Fa&room=r&invite=c")).toMatchObject({ ok: false });
    expect(parseInviteLink("flashfusion://join?server=http%3A%2F%2Fa&invite=c")).toEqual({ ok: false, error: "The invite link has no room." });
    expect(parseInviteLink("flashfusion://join?server=http%3A%2F%2Fa&room=r")).toEqual({ ok: false, error: "The invite link has no invite code." });
    expect(parseInviteLink("flashfusion://join?server=ftp%3A%2F%2Fa&room=r&invite=c")).toMatchObject({ ok: false, error: expect.stringContaining("not an http(s) address") });
    expect(parseInviteLink("flashfusion://join?server=%E0%A4%A&room=r&invite=c")).toMatchObject({ ok: false, error: expect.stringContaining("damaged") });
  });
});

describe("inviteSummary", () => {
  const now = Date.UTC(2025, 0, 1);
  const day = 24 * 60 * 60 * 1000;

  it("tells the role, the expiry and the uses", () => {
    expect(inviteSummary({ role: "editor", expiresAt: now + 6.5 * day, maxUses: null, uses: 2 }, now)).toBe("Editor · expires in 7 days · used 2 times");
    expect(inviteSummary({ role: "viewer", expiresAt: null, maxUses: 5, uses: 1 }, now)).toBe("Viewer · never expires · 1 of 5 uses");
    expect(inviteSummary({ role: "viewer", expiresAt: now + 3_600_000, maxUses: null, uses: 1 }, now)).toBe("Viewer · expires within a day · used 1 time");
    expect(inviteSummary({ role: "editor", expiresAt: now - 1, maxUses: null, uses: 0 }, now)).toBe("Editor · expired · used 0 times");
  });
});
