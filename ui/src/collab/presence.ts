import type { ConnectionState, Participant, Peer } from "../bindings";

/** A remote cursor disappears after this long without its owner doing anything. */
export const CURSOR_IDLE_MS = 30_000;
/** A participant counts as away after this long idle. */
export const AWAY_IDLE_MS = 60_000;

export type PresenceState = "online" | "away" | "offline";

/** Whether a peer's cursor is drawn: they are in a file and were active lately. */
export function isCursorVisible(peer: Peer): boolean {
  return peer.path !== null && peer.head !== null && peer.idleMs <= CURSOR_IDLE_MS;
}

/** Whether a peer (awareness entry) is this participant: by participant id, or by name for a client that does not say its id. */
export function isPeerOf(participant: Participant, peer: Peer): boolean {
  return peer.participantId === null ? peer.name === participant.name : peer.participantId === participant.participantId;
}

/** The peer of a participant; of several (two windows), the most recently active. */
export function peerOf(participant: Participant, peers: readonly Peer[]): Peer | undefined {
  let best: Peer | undefined;
  for (const peer of peers) {
    if (!isPeerOf(participant, peer)) continue;
    if (!best || peer.idleMs < best.idleMs) best = peer;
  }
  return best;
}

/** Online, away (idle over a minute, or connected without presence), or offline (not connected). */
export function presenceOf(participant: Participant, peers: readonly Peer[]): PresenceState {
  if (!participant.online) return "offline";
  const peer = peerOf(participant, peers);
  return peer && peer.idleMs <= AWAY_IDLE_MS ? "online" : "away";
}

export const PRESENCE_LABELS: Record<PresenceState, string> = { online: "Online", away: "Away", offline: "Offline" };

/** "Ana is typing…", "Ana and Bo are typing…", "Ana, Bo and 2 others are typing…"; empty when nobody is. */
export function typingText(peers: readonly Peer[]): string {
  const names = [...new Set(peers.filter((peer) => peer.typing && peer.idleMs <= CURSOR_IDLE_MS).map((peer) => peer.name))];
  if (names.length === 0) return "";
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  const others = names.length - 2;
  return `${names[0]}, ${names[1]} and ${others} other${others === 1 ? "" : "s"} are typing…`;
}

const COLOR = /^(#[0-9a-f]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\s]+\))$/i;

/** A peer's colour as CSS, or the accent colour when what they published is not a plain colour. */
export function safeColor(color: string): string {
  const trimmed = color.trim();
  return COLOR.test(trimmed) ? trimmed : "var(--accent)";
}

/** A see-through version of a (checked) colour, for a peer's selection behind the text. */
export function selectionColor(color: string): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color)?.[1];
  if (hex) {
    const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join("") : hex;
    const [red, green, blue] = [0, 2, 4].map((start) => parseInt(full.slice(start, start + 2), 16));
    return `rgba(${red}, ${green}, ${blue}, 0.25)`;
  }
  const rgb = /^rgba?\(\s*([0-9.]+)[\s,]+([0-9.]+)[\s,]+([0-9.]+)/i.exec(color);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, 0.25)`;
  return "var(--editor-selection-match)";
}

export const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};
