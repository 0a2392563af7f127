// Invite links as the server builds them and Rust reads them
// (crates/collab/src/invite.rs): flashfusion://join?server=URL&room=ID&invite=CODE.
// The window checks a pasted link before asking Rust, to say at once what is wrong.

export interface InviteLink {
  /** The server's http(s) address, without a trailing slash. */
  server: string;
  room: string;
  code: string;
}

export type ParsedInvite = { ok: true; link: string; invite: InviteLink } | { ok: false; error: string };

const NOT_AN_INVITE = "This is not a FlashFusion invite link (they start with flashfusion://join?).";
/** A link inside whatever was pasted around it (a chat message, an email). */
const LINK_IN_TEXT = /flashfusion:\/\/join\/?\?[^\s<>"']+/i;

/** Reads a pasted invite, forgiving text around it, whitespace, case, order and a trailing slash as Rust does. */
export function parseInviteLink(pasted: string): ParsedInvite {
  const link = LINK_IN_TEXT.exec(pasted)?.[0] ?? pasted.trim();
  const schemeEnd = link.indexOf("://");
  const queryStart = link.indexOf("?");
  if (schemeEnd < 0 || queryStart < schemeEnd) return { ok: false, error: NOT_AN_INVITE };
  const scheme = link.slice(0, schemeEnd);
  const target = link.slice(schemeEnd + 3, queryStart).replace(/\/+$/, "");
  if (scheme.toLowerCase() !== "flashfusion" || target !== "join") return { ok: false, error: NOT_AN_INVITE };
  const query = link.slice(queryStart + 1).split("#")[0]!;
  const values = new Map<string, string>();
  for (const pair of query.split("&")) {
    const separator = pair.indexOf("=");
    const key = separator < 0 ? pair : pair.slice(0, separator);
    const raw = separator < 0 ? "" : pair.slice(separator + 1);
    try {
      values.set(key, decodeURIComponent(raw).trim());
    } catch {
      return { ok: false, error: "The invite link is damaged (a value is not valid)." };
    }
  }
  const missing = (key: string, what: string) => (values.get(key) ? null : `The invite link has no ${what}.`);
  const problem = missing("server", "server") ?? missing("room", "room") ?? missing("invite", "invite code");
  if (problem) return { ok: false, error: problem };
  const server = values.get("server")!.replace(/\/+$/, "");
  if (!/^https?:\/\//.test(server)) return { ok: false, error: `The invite link's server is not an http(s) address: ${server}` };
  return { ok: true, link, invite: { server, room: values.get("room")!, code: values.get("invite")! } };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** "Editor · expires in 6 days · used twice": an invite in the owner's list. */
export function inviteSummary(invite: { role: string; expiresAt: number | null; maxUses: number | null; uses: number }, nowMs: number): string {
  const role = invite.role.charAt(0).toUpperCase() + invite.role.slice(1);
  let expiry: string;
  if (invite.expiresAt === null) expiry = "never expires";
  else if (invite.expiresAt <= nowMs) expiry = "expired";
  else {
    const days = Math.ceil((invite.expiresAt - nowMs) / DAY_MS);
    expiry = days <= 1 ? "expires within a day" : `expires in ${days} days`;
  }
  const uses = invite.maxUses === null ? `used ${invite.uses} time${invite.uses === 1 ? "" : "s"}` : `${invite.uses} of ${invite.maxUses} uses`;
  return `${role} · ${expiry} · ${uses}`;
}
