import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Participant, Peer, SessionInfo } from "../bindings";

const calls: { name: string; args: unknown }[] = [];
let participants: Participant[] = [];
vi.mock("../ipc", () => ({
  call: (name: string, args: unknown) => {
    calls.push({ name, args });
    return Promise.resolve(name === "collab_participants" ? participants : null);
  },
  stream: () => Promise.resolve(null),
  errorMessage: (error: unknown) => String(error),
}));

const { CollabSession } = await import("./session");

const info: SessionInfo = {
  projectId: 4,
  server: "https://collab.example.com",
  roomId: "r",
  participantId: 2,
  role: "editor",
  name: "Me",
  color: "#0090ff",
  clientId: 9,
  hostedLocally: false,
};

function peer(clientId: number, name: string, idleMs = 0): Peer {
  return { clientId, participantId: null, name, color: "#e5484d", path: null, anchor: null, head: null, typing: false, idleMs };
}

async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.resolve();
}

beforeEach(() => {
  calls.length = 0;
  participants = [
    { participantId: 1, name: "Owner", role: "owner", online: true },
    { participantId: 2, name: "Me", role: "editor", online: true },
  ];
});

describe("CollabSession", () => {
  it("keeps the latest state of each event for views opened later", () => {
    const session = new CollabSession(info);
    session.receive({ kind: "status", state: "reconnecting" });
    session.receive({ kind: "files", paths: ["a.ts"] });
    session.receive({ kind: "comments", threads: [] });
    expect(session.connection).toBe("reconnecting");
    expect(session.files).toEqual(["a.ts"]);
    session.receive({ kind: "ended", reason: "removed" });
    expect(session.readOnly).toBe(true);
  });

  it("reloads the members when someone comes or goes, not on every presence tick", async () => {
    const session = new CollabSession(info);
    session.receive({ kind: "peers", peers: [peer(1, "Owner")] });
    await settle();
    session.receive({ kind: "peers", peers: [peer(1, "Owner", 5_000)] });
    await settle();
    expect(calls.filter((call) => call.name === "collab_participants")).toHaveLength(1);
    session.receive({ kind: "peers", peers: [peer(1, "Owner"), peer(3, "Guest")] });
    await settle();
    expect(calls.filter((call) => call.name === "collab_participants")).toHaveLength(2);
    expect(session.self()?.name).toBe("Me");
  });

  it("notices when the owner changed our role", async () => {
    const session = new CollabSession(info);
    const roles: string[] = [];
    session.on((event) => {
      if (event.kind === "role") roles.push(event.role);
    });
    participants = [{ participantId: 2, name: "Me", role: "viewer", online: true }];
    await session.refreshParticipants();
    expect(roles).toEqual(["viewer"]);
    expect(session.readOnly).toBe(true);
  });

  it("stops telling listeners once disposed", () => {
    const session = new CollabSession(info);
    const heard: string[] = [];
    session.on((event) => heard.push(event.kind));
    session.receive({ kind: "status", state: "connected" });
    session.dispose();
    session.receive({ kind: "status", state: "offline" });
    expect(heard).toEqual(["status"]);
  });
});
