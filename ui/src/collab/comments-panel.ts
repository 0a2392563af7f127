// The comments panel of a shared project: every thread, one thread with its
// replies, and the boxes to comment, reply and edit.
//
// A side panel of the workbench (workbench.ts makes it; collab.ts gives it
// each `comments` event and our role). The comment gutter and the palette's
// "Add comment on this line" open it with startComment or openThread.
// It needs styles/collab-panels.css (imported in main.ts).

import type { Comment, CommentThread, ProjectId } from "../bindings";
import { h } from "../dom";
import { iconButton } from "../widgets";
import { panelHeader } from "./panel-header";
import { call, errorMessage } from "../ipc";
import { matchesShortcut, shortcutLabel } from "../keys";
import { MentionPicker } from "../mention-picker";
import { showModal } from "../modal";
import { showError, showNotice } from "../notices";
import { relativeTime } from "../units";
import {
  canComment,
  canDeleteComment,
  canEditComment,
  canResolve,
  excerpt,
  filterCounts,
  locationLabel,
  mentionNames,
  mentionParts,
  replyLabel,
  visibleThreads,
  type Me,
  type ThreadFilter,
} from "./comments-model";

export type { Me } from "./comments-model";

export interface CommentsPanelHost {
  readonly projectId: ProjectId;
  /** The person using this window (later changes through `setMe`). */
  readonly me: Me;
  /** Names offered after "@": the session's participants (comment authors are added). */
  participantNames(): string[];
  /** Opens `path` in the editor at the start of `line` (1-based). */
  openLocation(path: string, line: number): void;
  /** The panel's close button was pressed. */
  hide(): void;
}

type View = { kind: "list" } | { kind: "thread"; threadId: string } | { kind: "new"; path: string; line: number; index: number };

const FILTERS: { filter: ThreadFilter; label: string }[] = [
  { filter: "open", label: "Open" },
  { filter: "resolved", label: "Resolved" },
  { filter: "all", label: "All" },
];
const SEND_SHORTCUT = "Mod-Enter";
const VIEWER_NOTE = "Viewers can read comments but not write them.";

interface DraftOptions {
  /** Marks the text field so focus can find it again after a re-render. */
  key: string;
  label: string;
  placeholder: string;
  submitLabel: string;
  inputTestId: string;
  submitTestId: string;
  value?: string;
  names(): string[];
  /** Sends the text; resolves true when it went through (the box is then emptied). */
  submit(body: string): Promise<boolean>;
  cancel?(): void;
}

/** A text box with @mention suggestions and a send button; the same element lives as long as its draft. */
class DraftBox {
  readonly element: HTMLElement;
  readonly input: HTMLTextAreaElement;
  readonly caption = h("div", { className: "comment-draft-caption" });
  private readonly submitButton: HTMLButtonElement;
  private busy = false;

  constructor(private readonly options: DraftOptions) {
    this.input = h("textarea", {
      className: "text-input text-area comment-input",
      testId: options.inputTestId,
      attributes: { rows: "3", spellcheck: "true", "aria-label": options.label, placeholder: options.placeholder, "data-focus-key": options.key },
    });
    this.input.value = options.value ?? "";
    const picker = new MentionPicker(this.input, () => options.names());
    picker.element.setAttribute("aria-label", "People");
    this.submitButton = h("button", {
      className: "button small primary",
      testId: options.submitTestId,
      text: options.submitLabel,
      title: `${options.submitLabel} (${shortcutLabel(SEND_SHORTCUT)})`,
      attributes: { type: "button" },
      on: { click: () => void this.send() },
    });
    this.input.addEventListener("input", () => this.updateButton());
    this.input.addEventListener("keydown", (event) => {
      if (picker.handleKey(event)) return;
      if (matchesShortcut(event, SEND_SHORTCUT)) {
        event.preventDefault();
        void this.send();
      } else if (event.key === "Escape" && options.cancel) {
        event.preventDefault();
        options.cancel();
      }
    });
    const cancel = options.cancel
      ? h("button", { className: "button small", text: "Cancel", attributes: { type: "button" }, on: { click: () => options.cancel?.() } })
      : null;
    this.element = h(
      "div",
      { className: "comment-draft" },
      this.caption,
      h("div", { className: "comment-input-wrap" }, picker.element, this.input),
      h("div", { className: "comment-draft-buttons" }, cancel, this.submitButton),
    );
    this.updateButton();
  }

  focus(): void {
    this.input.focus();
  }

  private updateButton(): void {
    this.submitButton.disabled = this.busy || this.input.value.trim() === "";
  }

  private async send(): Promise<void> {
    const body = this.input.value.trim();
    if (this.busy || body === "") return;
    this.busy = true;
    this.updateButton();
    try {
      if (await this.options.submit(body)) this.input.value = "";
    } finally {
      this.busy = false;
      this.updateButton();
    }
  }
}

/** Creates the comments panel (not yet in the document: place `element` as other side panels are). */
export function mountCommentsPanel(host: CommentsPanelHost): CommentsPanel {
  return new CommentsPanel(host);
}

export class CommentsPanel {
  readonly element: HTMLElement;
  private readonly body = h("div", { className: "collab-panel-body comments-body" });
  private readonly footer = h("footer", { className: "comments-footer" });
  private readonly filterBar = h("div", { className: "collab-segmented comments-filter", attributes: { role: "group", "aria-label": "Show" } });
  private threads: CommentThread[] = [];
  private filter: ThreadFilter = "open";
  private view: View = { kind: "list" };
  private me: Me;
  /** Text boxes with what was typed in them, by key: "new", "reply:<thread>", "edit:<comment>". */
  private readonly drafts = new Map<string, DraftBox>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly host: CommentsPanelHost) {
    this.me = host.me;
    this.element = h(
      "aside",
      { id: "comments-panel", className: "side-panel collab-panel comments-panel", testId: "comments-panel", attributes: { "aria-label": "Comments", tabindex: "-1" } },
      panelHeader("Comments", iconButton("close", "Hide the comments", "comments-close", () => host.hide())),
      this.filterBar,
      this.body,
      this.footer,
    );
    // Relative times ("5 minutes ago") move on while the panel stays open.
    this.timer = setInterval(() => {
      if (!this.element.hidden && this.element.isConnected) this.render();
    }, 60_000);
    this.render();
  }

  /** The threads of the latest `comments` event. */
  update(threads: readonly CommentThread[]): void {
    this.threads = [...threads];
    if (this.view.kind === "thread" && !this.thread(this.view.threadId)) this.view = { kind: "list" };
    this.forgetDrafts();
    this.render();
  }

  /** The person's role or identity changed. */
  setMe(me: Me): void {
    this.me = me;
    if (!canComment(me.role) && this.view.kind === "new") this.view = { kind: "list" };
    this.render();
  }

  /** Opens the box for a new comment on a line (`index`: the line's start, a UTF-16 offset). */
  startComment(path: string, line: number, index: number): void {
    if (!canComment(this.me.role)) {
      showNotice(VIEWER_NOTE);
      return;
    }
    this.view = { kind: "new", path, line, index };
    this.render();
    this.draft("new")?.focus();
  }

  openThread(threadId: string): void {
    this.view = this.thread(threadId) ? { kind: "thread", threadId } : { kind: "list" };
    this.render();
    this.body.scrollTop = 0;
  }

  /** The panel became visible. */
  show(): void {
    this.render();
    const focusTarget = this.view.kind === "new" ? this.draft("new") : this.view.kind === "thread" ? this.draft(`reply:${this.view.threadId}`) : null;
    if (focusTarget) focusTarget.focus();
    else this.element.focus({ preventScroll: true });
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private thread(id: string): CommentThread | undefined {
    return this.threads.find((thread) => thread.id === id);
  }

  private draft(key: string): DraftBox | undefined {
    return this.drafts.get(key);
  }

  private names(): string[] {
    return mentionNames(this.host.participantNames(), this.threads);
  }

  /** Drops boxes whose thread or comment is gone, and empty reply boxes of threads not on screen. */
  private forgetDrafts(): void {
    const threadIds = new Set(this.threads.map((thread) => thread.id));
    const commentIds = new Set(this.threads.flatMap((thread) => thread.comments.map((comment) => comment.id)));
    for (const [key, box] of this.drafts) {
      const [kind, id] = key.split(/:(.*)/s) as [string, string | undefined];
      if (kind === "reply" && id !== undefined && !threadIds.has(id)) this.drafts.delete(key);
      else if (kind === "edit" && id !== undefined && !commentIds.has(id)) this.drafts.delete(key);
      else if (kind === "reply" && box.input.value === "" && !(this.view.kind === "thread" && this.view.threadId === id)) this.drafts.delete(key);
    }
  }

  /** Rebuilds what is shown, keeping the focused box (and its caret) and the scroll position. */
  private render(): void {
    const active = document.activeElement instanceof HTMLElement && this.element.contains(document.activeElement) ? document.activeElement : null;
    const selection = active instanceof HTMLTextAreaElement ? [active.selectionStart, active.selectionEnd] : null;
    const scrollTop = this.body.scrollTop;

    this.renderFilter();
    if (this.view.kind === "thread") {
      const thread = this.thread(this.view.threadId);
      if (thread) this.renderThread(thread);
    } else {
      this.renderList();
    }
    this.renderFooter();

    this.body.scrollTop = scrollTop;
    if (!active || document.activeElement === active) return;
    // A box that was moved is the same element; a rebuilt button is found by its key.
    const key = active.dataset.focusKey;
    const target = active.isConnected ? active : key ? this.element.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`) : null;
    if (!target) return;
    target.focus({ preventScroll: true });
    if (selection && target instanceof HTMLTextAreaElement) target.setSelectionRange(selection[0], selection[1]);
  }

  private renderFilter(): void {
    this.filterBar.hidden = this.view.kind === "thread";
    const counts = filterCounts(this.threads);
    this.filterBar.replaceChildren(
      ...FILTERS.map(({ filter, label }) =>
        h("button", {
          className: `collab-segment${filter === this.filter ? " active" : ""}`,
          text: `${label} ${counts[filter]}`,
          testId: `comments-filter-${filter}`,
          attributes: { type: "button", "aria-pressed": String(filter === this.filter), "data-focus-key": `filter:${filter}` },
          on: {
            click: () => {
              this.filter = filter;
              this.render();
            },
          },
        }),
      ),
    );
  }

  private renderList(): void {
    const threads = visibleThreads(this.threads, this.filter);
    if (threads.length === 0) {
      const empty =
        this.threads.length === 0
          ? canComment(this.me.role)
            ? "No comments yet. Click beside a line number to comment on that line."
            : "No comments yet."
          : this.filter === "open"
            ? "Every thread is resolved."
            : "No threads here.";
      this.body.replaceChildren(h("p", { className: "muted collab-empty", testId: "comments-empty", text: empty }));
      return;
    }
    const now = Date.now();
    this.body.replaceChildren(
      h(
        "ol",
        { className: "comment-thread-list", attributes: { "aria-label": "Comment threads" } },
        ...threads.map((thread) => h("li", {}, this.threadRow(thread, now))),
      ),
    );
  }

  private threadRow(thread: CommentThread, now: number): HTMLElement {
    const first = thread.comments[0];
    const replies = replyLabel(thread);
    return h(
      "button",
      {
        className: `comment-thread-row${thread.resolved ? " resolved" : ""}`,
        testId: "comment-thread",
        title: `Show the thread and go to ${locationLabel(thread)}`,
        attributes: { type: "button", "data-thread-id": thread.id, "data-resolved": String(thread.resolved), "data-focus-key": `row:${thread.id}` },
        on: {
          click: () => {
            this.openThread(thread.id);
            this.host.openLocation(thread.path, thread.line);
          },
        },
      },
      h(
        "span",
        { className: "comment-thread-head" },
        h("span", { className: "comment-location", text: locationLabel(thread), title: thread.path }),
        thread.resolved ? h("span", { className: "badge comment-resolved-badge", text: "Resolved" }) : null,
        h("span", { className: "spacer" }),
        first ? h("span", { className: "comment-time", text: relativeTime(first.createdAt, now), title: new Date(first.createdAt).toLocaleString() }) : null,
      ),
      h(
        "span",
        { className: "comment-thread-excerpt" },
        first ? h("span", { className: "comment-author", text: first.author }) : null,
        h("span", { text: first ? excerpt(first.body) : "(no comment left)" }),
      ),
      replies ? h("span", { className: "comment-reply-count", text: replies }) : null,
    );
  }

  private renderThread(thread: CommentThread): void {
    const now = Date.now();
    const resolveButton = h("button", {
      className: "button small",
      testId: "comment-resolve",
      text: thread.resolved ? "Reopen" : "Resolve",
      title: canResolve(this.me) ? (thread.resolved ? "Mark the thread as open again" : "Mark the thread as resolved") : VIEWER_NOTE,
      attributes: { type: "button", "data-resolved": String(thread.resolved), "data-focus-key": `resolve:${thread.id}` },
      on: { click: () => void this.resolve(thread) },
    });
    resolveButton.disabled = !canResolve(this.me);
    this.body.replaceChildren(
      h(
        "div",
        { className: "comment-thread-bar" },
        h("button", {
          className: "link-button comment-back",
          testId: "comments-back",
          text: "← All comments",
          attributes: { type: "button", "data-focus-key": "back" },
          on: { click: () => this.showList() },
        }),
        h("span", { className: "spacer" }),
        resolveButton,
      ),
      h(
        "div",
        { className: "comment-thread-title" },
        h("button", {
          className: "link-button comment-location",
          testId: "comment-location",
          text: locationLabel(thread),
          title: `Go to ${locationLabel(thread)}`,
          attributes: { type: "button" },
          on: { click: () => this.host.openLocation(thread.path, thread.line) },
        }),
        thread.resolved ? h("span", { className: "badge comment-resolved-badge", text: "Resolved" }) : null,
      ),
      h(
        "ol",
        { className: "comment-list", testId: "comment-thread-view", attributes: { "data-thread-id": thread.id, "aria-label": "Comments in this thread" } },
        ...thread.comments.map((comment) => this.commentItem(thread, comment, now)),
      ),
    );
  }

  private commentItem(thread: CommentThread, comment: Comment, now: number): HTMLElement {
    const editing = this.draft(`edit:${comment.id}`);
    const actions: HTMLElement[] = [];
    if (!editing && canEditComment(comment, this.me)) {
      actions.push(
        h("button", {
          className: "link-button comment-action",
          testId: "comment-edit",
          text: "Edit",
          attributes: { type: "button", "data-focus-key": `edit-button:${comment.id}` },
          on: { click: () => this.startEdit(thread, comment) },
        }),
      );
    }
    if (!editing && canDeleteComment(comment, this.me)) {
      actions.push(
        h("button", {
          className: "link-button comment-action danger",
          testId: "comment-delete",
          text: "Delete",
          attributes: { type: "button" },
          on: { click: () => void this.deleteComment(thread, comment) },
        }),
      );
    }
    return h(
      "li",
      { className: "comment", testId: "comment", attributes: { "data-comment-id": comment.id, "data-author-id": comment.authorId } },
      h(
        "div",
        { className: "comment-head" },
        h("span", { className: "comment-author", text: comment.author }),
        h("span", { className: "comment-time", text: relativeTime(comment.createdAt, now), title: new Date(comment.createdAt).toLocaleString() }),
        comment.editedAt !== null ? h("span", { className: "comment-edited", text: "(edited)", title: `Edited ${new Date(comment.editedAt).toLocaleString()}` }) : null,
        h("span", { className: "spacer" }),
        ...actions,
      ),
      editing ? editing.element : this.commentBody(comment.body),
    );
  }

  private commentBody(body: string): HTMLElement {
    const parts = mentionParts(body, this.names());
    return h(
      "div",
      { className: "comment-body" },
      ...parts.map((part) => (part.mention ? h("span", { className: "comment-mention", text: part.text }) : part.text)),
    );
  }

  private renderFooter(): void {
    let box: DraftBox | null = null;
    if (!canComment(this.me.role)) {
      if (this.view.kind !== "list") {
        this.footer.replaceChildren(h("p", { className: "muted comments-viewer-note", text: VIEWER_NOTE }));
        this.footer.hidden = false;
        return;
      }
    } else if (this.view.kind === "new") {
      box = this.newCommentBox();
      box.caption.textContent = `Comment on ${locationLabel(this.view)}`;
    } else if (this.view.kind === "thread") {
      box = this.replyBox(this.view.threadId);
    }
    this.footer.hidden = box === null;
    // The same element stays put, so typing there goes on undisturbed.
    if (box && this.footer.firstChild !== box.element) this.footer.replaceChildren(box.element);
    else if (!box) this.footer.replaceChildren();
  }

  private newCommentBox(): DraftBox {
    let box = this.draft("new");
    if (!box) {
      box = new DraftBox({
        key: "new",
        label: "New comment",
        placeholder: `Comment — @ mentions someone (${shortcutLabel(SEND_SHORTCUT)} to send)`,
        submitLabel: "Comment",
        inputTestId: "comment-new-input",
        submitTestId: "comment-new-submit",
        names: () => this.names(),
        submit: (body) => this.addComment(body),
        cancel: () => {
          this.drafts.delete("new");
          this.showList();
        },
      });
      this.drafts.set("new", box);
    }
    return box;
  }

  private replyBox(threadId: string): DraftBox {
    const key = `reply:${threadId}`;
    let box = this.draft(key);
    if (!box) {
      box = new DraftBox({
        key,
        label: "Reply",
        placeholder: `Reply — @ mentions someone (${shortcutLabel(SEND_SHORTCUT)} to send)`,
        submitLabel: "Reply",
        inputTestId: "comment-reply-input",
        submitTestId: "comment-reply-submit",
        names: () => this.names(),
        submit: (body) => this.reply(threadId, body),
      });
      this.drafts.set(key, box);
    }
    return box;
  }

  private showList(): void {
    this.view = { kind: "list" };
    this.render();
  }

  private startEdit(thread: CommentThread, comment: Comment): void {
    const key = `edit:${comment.id}`;
    const stop = () => {
      this.drafts.delete(key);
      this.render();
    };
    const box = new DraftBox({
      key,
      label: "Edit the comment",
      placeholder: "Comment",
      submitLabel: "Save",
      inputTestId: "comment-edit-input",
      submitTestId: "comment-edit-save",
      value: comment.body,
      names: () => this.names(),
      submit: async (body) => {
        const saved = await this.run("Cannot save the comment", () =>
          call("collab_edit_comment", { projectId: this.host.projectId, threadId: thread.id, commentId: comment.id, body }),
        );
        if (saved) stop();
        return saved;
      },
      cancel: stop,
    });
    this.drafts.set(key, box);
    this.render();
    box.focus();
  }

  private async addComment(body: string): Promise<boolean> {
    if (this.view.kind !== "new") return false;
    const { path, index } = this.view;
    try {
      const thread = await call("collab_add_comment", { projectId: this.host.projectId, path, index, body });
      this.drafts.delete("new");
      // The `comments` event may come before or after this answer.
      if (!this.thread(thread.id)) this.threads.push(thread);
      this.view = { kind: "thread", threadId: thread.id };
      this.render();
      this.draft(`reply:${thread.id}`)?.focus();
      return true;
    } catch (error) {
      showError(`Cannot add the comment: ${errorMessage(error)}`);
      return false;
    }
  }

  private reply(threadId: string, body: string): Promise<boolean> {
    return this.run("Cannot send the reply", () => call("collab_reply", { projectId: this.host.projectId, threadId, body }));
  }

  private async resolve(thread: CommentThread): Promise<void> {
    await this.run(thread.resolved ? "Cannot reopen the thread" : "Cannot resolve the thread", () =>
      call("collab_resolve", { projectId: this.host.projectId, threadId: thread.id, resolved: !thread.resolved }),
    );
  }

  private async deleteComment(thread: CommentThread, comment: Comment): Promise<void> {
    const own = comment.authorId === this.me.id;
    const action = await showModal({
      title: "Delete this comment?",
      message: `${own ? "" : `It was written by ${comment.author}. `}Everyone in the session stops seeing it.`,
      buttons: [
        { action: "delete", label: "Delete", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "delete") return;
    await this.run("Cannot delete the comment", () =>
      call("collab_delete_comment", { projectId: this.host.projectId, threadId: thread.id, commentId: comment.id }),
    );
  }

  /** Runs a command; a failure reaches the person as a notice. Resolves whether it went through. */
  private async run(context: string, command: () => Promise<unknown>): Promise<boolean> {
    try {
      await command();
      return true;
    } catch (error) {
      showError(`${context}: ${errorMessage(error)}`);
      return false;
    }
  }
}
