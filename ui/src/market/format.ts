import type { ErrorCode, PublishFile, Review, Version } from "../bindings";
import { formatBytes, relativeTime } from "../units";

// The marketplace's wording and arithmetic, kept free of the DOM so it can be tested.

/** Opens and closes the marketplace from anywhere. */
export const MARKET_SHORTCUT = "Mod-Shift-m";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

/** "Free", "$19.99". */
export function priceText(cents: number): string {
  return cents <= 0 ? "Free" : usd.format(cents / 100);
}

/** Five stars, as many filled as the rating rounds to: "★★★★☆". */
export function starsText(rating: number | null): string {
  const filled = Math.min(5, Math.max(0, Math.round(rating ?? 0)));
  return "★".repeat(filled) + "☆".repeat(5 - filled);
}

/** "4.5 (12 reviews)", "No reviews yet". */
export function ratingText(rating: number | null, count: number): string {
  if (rating === null || count === 0) return "No reviews yet";
  return `${rating.toFixed(1)} (${count} review${count === 1 ? "" : "s"})`;
}

/** 950 → "950", 1234 → "1.2k", 56_000 → "56k", 3_400_000 → "3.4M". */
export function compactCount(count: number): string {
  const scaled = (value: number, unit: string) => `${value < 10 ? Math.floor(value * 10) / 10 : Math.floor(value)}${unit}`;
  if (count < 1000) return String(count);
  if (count < 1_000_000) return scaled(count / 1000, "k");
  return scaled(count / 1_000_000, "M");
}

export function downloadsText(count: number): string {
  return `${compactCount(count)} download${count === 1 ? "" : "s"}`;
}

/** "1.2.0 · 3 days ago". */
export function versionLabel(version: Version, nowMs: number): string {
  return `${version.version} · ${relativeTime(version.createdAt, nowMs)}`;
}

/** "14 files · 52 KB". */
export function versionSizeText(version: Version): string {
  return `${version.fileCount} file${version.fileCount === 1 ? "" : "s"} · ${formatBytes(version.totalBytes)}`;
}

const STATUS_LABELS: Record<string, string> = { pending: "Pending review", approved: "Approved", rejected: "Rejected" };

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

/** What publishing did: "Published SaaS starter 1.0.0", and when others will see it. */
export function publishedText(title: string, version: string, status: string): string {
  const published = `Published ${title} ${version}`;
  return status === "pending" ? `${published}. It is listed once a moderator approves it.` : published;
}

/** "12 of 15 files · 52 KB": the files chosen to publish among those that may be. */
export function selectionText(chosen: readonly PublishFile[], allowed: number): string {
  const bytes = chosen.reduce((sum, file) => sum + file.size, 0);
  return `${chosen.length} of ${allowed} file${allowed === 1 ? "" : "s"} · ${formatBytes(bytes)}`;
}

/** The banner while the catalogue shown is the copy kept from the last time the server answered. */
export function offlineText(fetchedAt: number): string {
  const when = new Date(fetchedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short" });
  return `Offline — showing the catalogue as of ${when}; actions that need the server are disabled`;
}

/** A failure as the marketplace words it, by error code (never by message text); the message stands when it needs no rewording. */
export function marketFailure(code: ErrorCode | null, message: string): string {
  switch (code) {
    case "payment_required":
      return "Only buyers can download this paid template.";
    case "offline":
    case "timeout":
      return "The marketplace server cannot be reached. Check the connection or the server address, then try again.";
    default:
      return message;
  }
}

/** A project folder name from a template's title: "My SaaS Starter!" → "my-saas-starter". */
export function projectSlug(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "template";
}

/** The signed-in person's review among `reviews` (the server keeps one per person and template). */
export function ownReview(reviews: readonly Review[], account: string | null): Review | null {
  return account === null ? null : (reviews.find((review) => review.author.name === account) ?? null);
}

/** A review list with `review` in it: replacing the same review, or first when it is new. */
export function withReview(reviews: readonly Review[], review: Review): Review[] {
  return reviews.some((existing) => existing.id === review.id)
    ? reviews.map((existing) => (existing.id === review.id ? review : existing))
    : [review, ...reviews];
}

/** The average the server keeps, worked out again from the reviews after one changed. */
export function ratingOf(reviews: readonly Review[]): { rating: number | null; count: number } {
  if (reviews.length === 0) return { rating: null, count: 0 };
  const total = reviews.reduce((sum, review) => sum + review.stars, 0);
  return { rating: total / reviews.length, count: reviews.length };
}
