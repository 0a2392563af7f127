import { h } from "../dom";
import { errorMessage, isIpcError } from "../ipc";
import { showError } from "../notices";
import type { MarketContext } from "./context";
import { marketFailure, ratingText, starsText } from "./format";

// Small pieces the marketplace's parts share.

export function failureText(error: unknown): string {
  return marketFailure(isIpcError(error) ? error.code : null, errorMessage(error));
}

/** A failure where it happened. */
export function failureView(error: unknown): HTMLElement {
  return h("div", { className: "market-failure", attributes: { role: "alert" }, text: failureText(error) });
}

/** Runs `action`; when it fails for want of an account, offers to sign in and, once signed in, runs it again. */
export async function withSignIn<T>(context: MarketContext, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (!isIpcError(error, "auth_failed") || !(await context.signIn())) throw error;
    return action();
  }
}

/** A failure as a toast. */
export function reportFailure(context: string, error: unknown): void {
  showError(`${context}: ${failureText(error)}`);
}

/** The stars of a rating, read out as words. */
export function stars(rating: number | null, className = "market-stars"): HTMLElement {
  const label = rating === null ? "Not rated yet" : `Rated ${rating.toFixed(1)} out of 5`;
  return h("span", { className, text: starsText(rating), title: label, attributes: { role: "img", "aria-label": label } });
}

/** Stars followed by "4.5 (12 reviews)". */
export function ratingView(rating: number | null, count: number): HTMLElement {
  return h("span", { className: "market-rating" }, stars(rating), h("span", { className: "market-rating-text", text: ratingText(rating, count) }));
}

export function tagList(tags: readonly string[]): HTMLElement {
  return h("span", { className: "market-tags" }, ...tags.map((tag) => h("span", { className: "market-tag", text: `#${tag}` })));
}
