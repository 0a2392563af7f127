import type { Review } from "../bindings";
import { h } from "../dom";
import { call } from "../ipc";
import { showNotice } from "../notices";
import { relativeTime } from "../units";
import { actionButton, submitForm, textArea } from "../widgets";
import type { MarketContext } from "./context";
import { ownReview, ratingOf, starsText, withReview } from "./format";
import { failureView, reportFailure, stars, withSignIn } from "./widgets";

export interface ReviewsHost {
  /** The reviews changed (one was written or updated): the template's rating with them. */
  ratingChanged(rating: number | null, count: number): void;
}

/** A template's reviews, marking them helpful, and the form for the person's own review. */
export class ReviewsSection {
  readonly element: HTMLElement;
  private readonly heading = h("h3", { className: "market-section-title", text: "Reviews" });
  private readonly list = h("ol", { className: "market-review-list" });
  private readonly formTitle = h("h4", { className: "market-review-form-title" });
  private readonly starPicker = h("div", { id: "review-stars", className: "review-stars", attributes: { role: "radiogroup", "aria-label": "Stars" } });
  private readonly starButtons: HTMLButtonElement[];
  private readonly body = textArea({ id: "review-body", label: "Your review", placeholder: "What worked well, what did not?", rows: 3 });
  private readonly submit: HTMLButtonElement;
  private readonly problem = h("div", { className: "market-review-problem" });
  private reviews: Review[] = [];
  private chosenStars = 0;
  /** Reviews marked helpful in this session (the server counts one per person). */
  private readonly helped = new Set<number>();

  constructor(
    private readonly context: MarketContext,
    private readonly templateId: number,
    private readonly host: ReviewsHost,
  ) {
    this.starButtons = [1, 2, 3, 4, 5].map((count) =>
      h("button", {
        className: "review-star",
        text: "★",
        title: `${count} star${count === 1 ? "" : "s"}`,
        attributes: { type: "button", role: "radio", "data-stars": String(count), "aria-label": `${count} star${count === 1 ? "" : "s"}` },
        on: { click: () => this.chooseStars(count) },
      }),
    );
    this.starPicker.append(...this.starButtons);
    this.starPicker.addEventListener("keydown", (event) => this.onStarKey(event));
    this.submit = context.onlineOnly(actionButton("Post review", null, { id: "review-submit", kind: "primary", type: "submit" }));
    const form = submitForm(
      "market-review-form",
      () => void this.send(),
      this.formTitle,
      this.starPicker,
      this.body,
      this.problem,
      h("div", { className: "form-actions" }, this.submit),
    );
    this.element = h("section", { className: "market-reviews", attributes: { "aria-label": "Reviews" } }, this.heading, form, this.list);
    this.chooseStars(0);
  }

  async load(): Promise<void> {
    this.list.replaceChildren(h("li", { className: "muted", text: "Loading reviews…" }));
    try {
      this.reviews = this.context.fromCache(await call("market_reviews", { templateId: this.templateId }));
      this.render();
      this.fillForm();
    } catch (error) {
      this.list.replaceChildren(h("li", {}, failureView(error)));
    }
  }

  private render(): void {
    this.heading.textContent = `Reviews (${this.reviews.length})`;
    if (this.reviews.length === 0) {
      this.list.replaceChildren(h("li", { className: "muted market-reviews-empty", text: "No reviews yet. Be the first to write one." }));
      return;
    }
    const own = ownReview(this.reviews, this.context.account());
    const now = Date.now();
    this.list.replaceChildren(...this.reviews.map((review) => this.item(review, review === own, now)));
  }

  private item(review: Review, own: boolean, now: number): HTMLElement {
    const helped = this.helped.has(review.id);
    const helpful: HTMLButtonElement = actionButton(`Helpful (${review.helpful})`, () => void this.markHelpful(review, helpful), { className: "review-helpful" });
    helpful.setAttribute("aria-pressed", String(helped));
    // Once per person, and never on your own review.
    if (helped || own) helpful.disabled = true;
    else this.context.onlineOnly(helpful);
    const edited = review.updatedAt > review.createdAt;
    return h(
      "li",
      { className: `market-review${own ? " own" : ""}`, attributes: { "data-id": String(review.id) } },
      h(
        "div",
        { className: "market-review-head" },
        stars(review.stars),
        h("span", { className: "market-review-author", text: own ? `${review.author.name} (you)` : review.author.name }),
        h("span", {
          className: "market-review-time",
          text: `${relativeTime(review.updatedAt, now)}${edited ? " (edited)" : ""}`,
          title: new Date(review.updatedAt).toLocaleString(),
        }),
      ),
      review.body ? h("p", { className: "market-review-body", text: review.body }) : null,
      h("div", { className: "market-review-actions" }, helpful),
    );
  }

  /** The form starts from the person's own review, which a new one replaces. */
  private fillForm(): void {
    const own = ownReview(this.reviews, this.context.account());
    this.formTitle.textContent = own ? "Your review" : "Write a review";
    this.submit.textContent = own ? "Update review" : "Post review";
    this.chooseStars(own?.stars ?? 0);
    this.body.value = own?.body ?? "";
  }

  private chooseStars(count: number): void {
    this.chosenStars = count;
    this.starButtons.forEach((button, index) => {
      const checked = index + 1 === count;
      button.classList.toggle("on", index < count);
      button.setAttribute("aria-checked", String(checked));
      // One tab stop for the group (the chosen star, or the first); arrows move inside it.
      button.tabIndex = checked || (count === 0 && index === 0) ? 0 : -1;
    });
    this.starPicker.title = count === 0 ? "No stars chosen" : `${starsText(count)} (${count} of 5)`;
  }

  private onStarKey(event: KeyboardEvent): void {
    const step = event.key === "ArrowRight" || event.key === "ArrowUp" ? 1 : event.key === "ArrowLeft" || event.key === "ArrowDown" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const count = Math.min(5, Math.max(1, this.chosenStars + step));
    this.chooseStars(count);
    this.starButtons[count - 1]!.focus();
  }

  private async send(): Promise<void> {
    this.problem.replaceChildren();
    if (this.chosenStars === 0) {
      this.problem.replaceChildren(h("div", { className: "form-error", text: "Choose 1 to 5 stars." }));
      this.starButtons[0]!.focus();
      return;
    }
    await this.context.busy(this.submit, async () => {
      try {
        const review = await withSignIn(this.context, () =>
          call("market_review", { templateId: this.templateId, stars: this.chosenStars, body: this.body.value.trim() }),
        );
        const updated = ownReview(this.reviews, this.context.account()) !== null;
        this.reviews = withReview(this.reviews, review);
        this.render();
        this.fillForm();
        const { rating, count } = ratingOf(this.reviews);
        this.host.ratingChanged(rating, count);
        showNotice(updated ? "Your review is updated" : "Thanks for your review");
      } catch (error) {
        this.problem.replaceChildren(failureView(error));
      }
    });
  }

  private async markHelpful(review: Review, button: HTMLButtonElement): Promise<void> {
    await this.context.busy(button, async () => {
      try {
        await withSignIn(this.context, () => call("market_helpful", { reviewId: review.id }));
        this.helped.add(review.id);
        this.reviews = this.reviews.map((item) => (item.id === review.id ? { ...item, helpful: item.helpful + 1 } : item));
      } catch (error) {
        reportFailure("Cannot mark the review helpful", error);
      }
    });
    this.render();
  }
}
