import { describe, expect, it } from "vitest";
import type { Comment, CommentThread } from "../bindings";
import { fuzzyFilter } from "../fuzzy";
import { completeMention, mentionAt } from "../mention";
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
} from "./comments-model";

function comment(id: string, authorId: string, options: Partial<Comment> = {}): Comment {
  return { id, authorId, author: `Person ${authorId}`, body: "text", createdAt: 1_000, editedAt: null, ...options };
}

function thread(id: string, path: string, line: number, options: Partial<CommentThread> = {}): CommentThread {
  return { id, path, index: 0, line, resolved: false, comments: [comment(`${id}-1`, "1")], ...options };
}

describe("who may do what", () => {
  const mine = comment("c1", "me");
  const theirs = comment("c2", "them");
  const editor: Me = { id: "me", role: "editor" };
  const owner: Me = { id: "me", role: "owner" };
  const viewer: Me = { id: "me", role: "viewer" };

  it("lets authors edit only their own comments", () => {
    expect(canEditComment(mine, editor)).toBe(true);
    expect(canEditComment(theirs, editor)).toBe(false);
    // Owning the session does not make someone else's words yours to rewrite.
    expect(canEditComment(theirs, owner)).toBe(false);
  });

  it("lets authors delete their own comments and the owner delete any", () => {
    expect(canDeleteComment(mine, editor)).toBe(true);
    expect(canDeleteComment(theirs, editor)).toBe(false);
    expect(canDeleteComment(theirs, owner)).toBe(true);
  });

  it("lets viewers read only (the relay refuses their changes)", () => {
    expect(canComment("viewer")).toBe(false);
    expect(canComment("editor")).toBe(true);
    expect(canEditComment(mine, viewer)).toBe(false);
    expect(canDeleteComment(mine, viewer)).toBe(false);
    expect(canResolve(viewer)).toBe(false);
    expect(canResolve(editor)).toBe(true);
  });
});

describe("the thread list", () => {
  const threads = [
    thread("b2", "src/b.ts", 3),
    thread("a9", "src/a.ts", 9, { resolved: true }),
    thread("a1", "src/a.ts", 1),
    thread("b1", "src/b.ts", 3, { comments: [comment("x", "1", { createdAt: 500 })] }),
    thread("empty", "src/a.ts", 4, { comments: [] }),
  ];

  it("filters open, resolved or all threads", () => {
    expect(visibleThreads(threads, "open").map((t) => t.id)).toEqual(["a1", "empty", "b1", "b2"]);
    expect(visibleThreads(threads, "resolved").map((t) => t.id)).toEqual(["a9"]);
    expect(visibleThreads(threads, "all")).toHaveLength(5);
  });

  it("sorts by file, then line, then when the thread was started", () => {
    expect(visibleThreads(threads, "all").map((t) => t.id)).toEqual(["a1", "empty", "a9", "b1", "b2"]);
  });

  it("does not reorder the threads it was given", () => {
    visibleThreads(threads, "all");
    expect(threads[0]!.id).toBe("b2");
  });

  it("counts threads per filter", () => {
    expect(filterCounts(threads)).toEqual({ open: 4, resolved: 1, all: 5 });
  });

  it("labels replies, locations and long first comments", () => {
    expect(replyLabel(thread("t", "a", 1))).toBeNull();
    expect(replyLabel(thread("t", "a", 1, { comments: [comment("1", "1"), comment("2", "2")] }))).toBe("1 reply");
    expect(replyLabel(thread("t", "a", 1, { comments: [comment("1", "1"), comment("2", "2"), comment("3", "1")] }))).toBe("2 replies");
    expect(locationLabel({ path: "src/app.ts", line: 12 })).toBe("src/app.ts:12");
    expect(excerpt("one\n  two\tthree")).toBe("one two three");
    expect(excerpt("abcdefghij", 6)).toBe("abcde…");
  });
});

describe("@mentions", () => {
  const names = ["Ada Lovelace", "Ada", "Grace Hopper", "Linus"];

  it("offers each participant and earlier author once", () => {
    const threads = [thread("t", "a", 1, { comments: [comment("1", "9", { author: "Linus" }), comment("2", "8", { author: "Margaret" })] })];
    expect(mentionNames(["Ada Lovelace", " Grace Hopper ", "", "Linus"], threads)).toEqual(["Ada Lovelace", "Grace Hopper", "Linus", "Margaret"]);
  });

  it("suggests the names that fit what is typed after the @", () => {
    const typed = "ping @gra";
    const mention = mentionAt(typed, typed.length)!;
    expect(mention.query).toBe("gra");
    expect(fuzzyFilter(names, mention.query, (name) => name).map((result) => result.item)[0]).toBe("Grace Hopper");
    expect(fuzzyFilter(names, "", (name) => name)).toHaveLength(names.length);
  });

  it("inserts a name with spaces in place of the typed word, caret after it", () => {
    const typed = "thanks @ad for this";
    const mention = mentionAt(typed, 10)!;
    const done = completeMention(typed, mention, "Ada Lovelace");
    expect(done).toEqual({ text: "thanks @Ada Lovelace for this", caret: 21 });
    expect(mentionParts(done.text, names).filter((part) => part.mention).map((part) => part.mention)).toEqual(["Ada Lovelace"]);
  });

  it("splits a comment into text and mentions, the longest known name winning", () => {
    expect(mentionParts("@Ada Lovelace and @Ada, see (@linus).", names)).toEqual([
      { text: "@Ada Lovelace", mention: "Ada Lovelace" },
      { text: " and ", mention: null },
      { text: "@Ada", mention: "Ada" },
      { text: ", see (", mention: null },
      { text: "@linus", mention: "Linus" },
      { text: ").", mention: null },
    ]);
  });

  it("leaves e-mail addresses, unknown names and partial names alone", () => {
    expect(mentionParts("mail ada@example.com", names)).toEqual([{ text: "mail ada@example.com", mention: null }]);
    expect(mentionParts("@Bob said", names)).toEqual([{ text: "@Bob said", mention: null }]);
    expect(mentionParts("@Adam", names)).toEqual([{ text: "@Adam", mention: null }]);
    expect(mentionParts("", names)).toEqual([]);
  });
});
