// What the comments panel shows and allows, free of the DOM so it can be tested.

import type { CollabRole, Comment, CommentThread } from "../bindings";

/** The person using this window, as comments name their authors. */
export interface Me {
  /** The id Rust writes as `authorId` on this person's comments. */
  id: string;
  role: CollabRole;
}

export type ThreadFilter = "open" | "resolved" | "all";

/** Viewers read comments; the relay refuses any change they make to the shared doc, comments included. */
export function canComment(role: CollabRole): boolean {
  return role !== "viewer";
}

/** Only the author edits a comment. */
export function canEditComment(comment: Comment, me: Me): boolean {
  return canComment(me.role) && comment.authorId === me.id;
}

/** The author deletes their comment; the owner deletes anyone's. */
export function canDeleteComment(comment: Comment, me: Me): boolean {
  return canComment(me.role) && (comment.authorId === me.id || me.role === "owner");
}

export function canResolve(me: Me): boolean {
  return canComment(me.role);
}

export function matchesFilter(thread: CommentThread, filter: ThreadFilter): boolean {
  if (filter === "all") return true;
  return filter === "resolved" ? thread.resolved : !thread.resolved;
}

/** When the thread was started (its first comment), or 0 for a thread with no comment left. */
function startedAt(thread: CommentThread): number {
  return thread.comments[0]?.createdAt ?? 0;
}

/** The threads to list: by file, then line, then the order they were started. */
export function visibleThreads(threads: readonly CommentThread[], filter: ThreadFilter): CommentThread[] {
  return threads
    .filter((thread) => matchesFilter(thread, filter))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || startedAt(a) - startedAt(b) || (a.id < b.id ? -1 : 1)));
}

export function filterCounts(threads: readonly CommentThread[]): Record<ThreadFilter, number> {
  const resolved = threads.filter((thread) => thread.resolved).length;
  return { open: threads.length - resolved, resolved, all: threads.length };
}

/** "2 replies" for a thread's row; null when nobody has replied. */
export function replyLabel(thread: CommentThread): string | null {
  const replies = thread.comments.length - 1;
  if (replies <= 0) return null;
  return `${replies} ${replies === 1 ? "reply" : "replies"}`;
}

/** "src/app.ts:12". */
export function locationLabel(thread: Pick<CommentThread, "path" | "line">): string {
  return `${thread.path}:${thread.line}`;
}

/** A thread's first comment on one line, cut to `max` characters. */
export function excerpt(body: string, max = 120): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Names offered after "@": the participants' and earlier authors', each once, in the order given. */
export function mentionNames(participants: readonly string[], threads: readonly CommentThread[]): string[] {
  const names = new Set<string>();
  for (const name of participants) if (name.trim()) names.add(name.trim());
  for (const thread of threads) for (const comment of thread.comments) if (comment.author.trim()) names.add(comment.author.trim());
  return [...names];
}

/** A piece of a comment's text: plain, or an @mention of a known name. */
export interface BodyPart {
  text: string;
  mention: string | null;
}

/**
 * Splits a comment into text and @mentions of `names`. Names may hold
 * spaces ("@Ada Lovelace"), so the longest name that follows an "@" wins;
 * the "@" must start a word and the name must end one.
 */
export function mentionParts(body: string, names: readonly string[]): BodyPart[] {
  const byLength = [...new Set(names)].filter(Boolean).sort((a, b) => b.length - a.length);
  const parts: BodyPart[] = [];
  let plainFrom = 0;
  let index = 0;
  while ((index = body.indexOf("@", index)) !== -1) {
    const startsWord = index === 0 || /\s|[(\[{"']/.test(body[index - 1]!);
    const rest = body.slice(index + 1);
    const name = startsWord ? byLength.find((candidate) => rest.toLowerCase().startsWith(candidate.toLowerCase()) && !/[\p{L}\p{N}_]/u.test(rest[candidate.length] ?? "")) : undefined;
    if (name === undefined) {
      index++;
      continue;
    }
    if (index > plainFrom) parts.push({ text: body.slice(plainFrom, index), mention: null });
    const end = index + 1 + name.length;
    parts.push({ text: body.slice(index, end), mention: name });
    plainFrom = index = end;
  }
  if (plainFrom < body.length) parts.push({ text: body.slice(plainFrom), mention: null });
  return parts;
}
