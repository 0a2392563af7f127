import type { DnsRecord, DomainStatus } from "../bindings";

// How the DNS records for a custom domain are shown and copied, kept free of
// the DOM so it can be tested. Platforms name records by their full domain;
// most DNS providers' forms want the host relative to the zone ("www", "@").

export interface DnsRow {
  type: string;
  /** The full name, as the platform gave it. */
  name: string;
  /** The name relative to the zone: "@" for the zone itself. */
  host: string;
  value: string;
}

function bare(name: string): string {
  return name.trim().replace(/\.$/, "").toLowerCase();
}

/** The registered domain a name most likely belongs to: its last two labels. */
export function zoneOf(domain: string): string {
  return bare(domain).split(".").slice(-2).join(".");
}

/** `name` relative to `zone`: "@" for the zone itself, the name unchanged when outside it. */
export function hostLabel(name: string, zone: string): string {
  const full = bare(name);
  if (full === zone) return "@";
  return full.endsWith(`.${zone}`) ? full.slice(0, -zone.length - 1) : full;
}

export function dnsRows(status: DomainStatus): DnsRow[] {
  const zone = zoneOf(status.domain);
  return status.records.map((record) => ({ type: record.kind.toUpperCase(), name: record.name, host: hostLabel(record.name, zone), value: record.value }));
}

/** The record as a zone-file line ("www.example.com. 3600 IN CNAME site.netlify.app."), for pasting into DNS tools. */
export function zoneFileLine(record: DnsRecord): string {
  const kind = record.kind.toUpperCase();
  let value = record.value.trim();
  if (kind === "TXT") value = `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  else if (kind === "CNAME" && !value.endsWith(".")) value = `${value}.`;
  return `${bare(record.name)}. 3600 IN ${kind} ${value}`;
}

export function domainStatusText(status: DomainStatus): string {
  if (status.verified) return `${status.domain} is verified.`;
  if (status.records.length === 0) return `${status.domain} was added; the platform has not verified it yet.`;
  return `${status.domain} was added. Create these records at your DNS provider; verification follows once they are visible (this can take a while).`;
}
