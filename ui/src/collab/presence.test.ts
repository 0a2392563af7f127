import { describe, expect, it } from "vitest";
import type { Participant, Peer } from "../bindings";
import { isCursorVisible, peerOf, presenceOf, safeColor, selectionColor, typingText } from "./presence";

function peer(overrides: Partial<Peer> = {}): Peer {
  return { clientId: 1, participantId: 7, name: "Ana", color: "#e5484d", path: "src/main.ts", anchor: 3, head: 3, typing: false, idleMs: 0, ...overrides };
}

function participant(overrides: Partial<Participant> = {}): Participant {
  return { participantId: 7, name: "Ana", role: "editor", online: true, ...overrides };
}

describe("presence", () => {
  it("is online when connected and active in the last minute", () => {
    expect(presenceOf(participant(), [peer({ idleMs: 60_000 })])).toBe("online");
  });

  it("is away after a minute idle, or when connected without presence", () => {
    expect(presenceOf(participant(), [peer({ idleMs: 60_001 })])).toBe("away");
    expect(presenceOf(participant(), [])).toBe("away");
    expect(presenceOf(participant(), [peer({ participantId: 8, name: "Bo" })])).toBe("away");
  });

  it("is offline when not connected, whatever presence says", () => {
    expect(presenceOf(participant({ online: false }), [peer()])).toBe("offline");
  });

  it("matches peers by participant id, and by name only when a peer does not say its id", () => {
    // Two participants named alike: only the id tells them apart.
    expect(peerOf(participant(), [peer({ participantId: 8 })])).toBeUndefined();
    expect(presenceOf(participant({ name: "Ana (laptop)" }), [peer()])).toBe("online");
    expect(peerOf(participant(), [peer({ participantId: null })])?.clientId).toBe(1);
    expect(peerOf(participant(), [peer({ participantId: null, name: "Bo" })])).toBeUndefined();
  });

  it("takes the most recently active peer of a participant", () => {
    const older = peer({ clientId: 1, idleMs: 90_000 });
    const newer = peer({ clientId: 2, idleMs: 1_000 });
    expect(peerOf(participant(), [older, newer])?.clientId).toBe(2);
    expect(presenceOf(participant(), [older, newer])).toBe("online");
  });
});

describe("remote cursors", () => {
  it("are shown for 30 seconds after their owner's last activity", () => {
    expect(isCursorVisible(peer({ idleMs: 30_000 }))).toBe(true);
    expect(isCursorVisible(peer({ idleMs: 30_001 }))).toBe(false);
  });

  it("need a file and a position", () => {
    expect(isCursorVisible(peer({ path: null }))).toBe(false);
    expect(isCursorVisible(peer({ head: null }))).toBe(false);
  });
});

describe("typingText", () => {
  it("names who is typing", () => {
    expect(typingText([])).toBe("");
    expect(typingText([peer({ typing: true })])).toBe("Ana is typing…");
    expect(typingText([peer({ typing: true }), peer({ clientId: 2, name: "Bo", typing: true })])).toBe("Ana and Bo are typing…");
    const many = ["Ana", "Bo", "Cy", "Di"].map((name, index) => peer({ clientId: index, name, typing: true }));
    expect(typingText(many)).toBe("Ana, Bo and 2 others are typing…");
  });

  it("leaves out peers not typing or gone quiet", () => {
    expect(typingText([peer({ typing: false }), peer({ clientId: 2, name: "Bo", typing: true, idleMs: 45_000 })])).toBe("");
  });
});

describe("colours", () => {
  it("accepts plain colours only", () => {
    expect(safeColor("#12a594")).toBe("#12a594");
    expect(safeColor("rgb(1, 2, 3)")).toBe("rgb(1, 2, 3)");
    expect(safeColor("red; background: url(x)")).toBe("var(--accent)");
    expect(safeColor("var(--x)")).toBe("var(--accent)");
  });

  it("makes a see-through selection colour", () => {
    expect(selectionColor("#0090ff")).toBe("rgba(0, 144, 255, 0.25)");
    expect(selectionColor("#fff")).toBe("rgba(255, 255, 255, 0.25)");
    expect(selectionColor("rgb(1, 2, 3)")).toBe("rgba(1, 2, 3, 0.25)");
    expect(selectionColor("var(--accent)")).toBe("var(--editor-selection-match)");
  });
});
