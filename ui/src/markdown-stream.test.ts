import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MarkdownStream, type RenderedAnswer } from "./markdown-stream";

/** A render over "IPC" that resolves only when the test says so. */
function fakeRenderer() {
  const pending: { markdown: string; resolve: (html: string) => void; reject: (error: unknown) => void }[] = [];
  const render = (markdown: string) =>
    new Promise<string>((resolve, reject) => {
      pending.push({ markdown, resolve, reject });
    });
  return { render, pending };
}

describe("MarkdownStream", () => {
  let shown: RenderedAnswer[];
  const show = (answer: RenderedAnswer) => shown.push(answer);

  beforeEach(() => {
    vi.useFakeTimers();
    shown = [];
  });
  afterEach(() => vi.useRealTimers());

  it("renders the first piece at once, then at most once per interval", async () => {
    const renderer = fakeRenderer();
    const stream = new MarkdownStream(renderer.render, show, 100);
    stream.append("Hel");
    await vi.advanceTimersByTimeAsync(0);
    expect(renderer.pending.map((call) => call.markdown)).toEqual(["Hel"]);
    renderer.pending[0]!.resolve("<p>Hel</p>");
    await vi.advanceTimersByTimeAsync(0);
    expect(shown).toEqual([{ html: "<p>Hel</p>", tail: "" }]);

    for (const piece of ["lo", " the", "re"]) {
      stream.append(piece);
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(renderer.pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(40);
    expect(renderer.pending.map((call) => call.markdown)).toEqual(["Hel", "Hello there"]);
  });

  it("never runs two renders at once and keeps later text as the plain tail", async () => {
    const renderer = fakeRenderer();
    const stream = new MarkdownStream(renderer.render, show, 100);
    stream.append("# Ti");
    await vi.advanceTimersByTimeAsync(0);
    stream.append("tle\n");
    await vi.advanceTimersByTimeAsync(500);
    expect(renderer.pending).toHaveLength(1);
    renderer.pending[0]!.resolve("<h1>Ti</h1>");
    await vi.advanceTimersByTimeAsync(0);
    expect(shown[shown.length - 1]).toEqual({ html: "<h1>Ti</h1>", tail: "tle\n" });
    // The text that came in meanwhile is rendered next, without waiting for another delta.
    expect(renderer.pending.map((call) => call.markdown)).toEqual(["# Ti", "# Title\n"]);
  });

  it("renders the final stored text once at the end, after a render in flight, and ignores that render", async () => {
    const renderer = fakeRenderer();
    const stream = new MarkdownStream(renderer.render, show, 100);
    stream.append("partial");
    await vi.advanceTimersByTimeAsync(0);
    const finished = stream.finish("partial and final");
    stream.append(" late delta");
    renderer.pending[0]!.resolve("<p>partial</p>");
    await vi.advanceTimersByTimeAsync(0);
    expect(renderer.pending.map((call) => call.markdown)).toEqual(["partial", "partial and final"]);
    renderer.pending[1]!.resolve("<p>partial and final</p>");
    await finished;
    expect(shown).toEqual([{ html: "<p>partial and final</p>", tail: "" }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(renderer.pending).toHaveLength(2);
  });

  it("shows the final text as plain text when it cannot be rendered", async () => {
    const stream = new MarkdownStream(() => Promise.reject(new Error("no IPC")), show, 100);
    await stream.finish("**plain**");
    expect(shown).toEqual([{ html: "", tail: "**plain**" }]);
  });

  it("shows nothing once stopped", async () => {
    const renderer = fakeRenderer();
    const stream = new MarkdownStream(renderer.render, show, 100);
    stream.append("text");
    await vi.advanceTimersByTimeAsync(0);
    stream.stop();
    renderer.pending[0]!.resolve("<p>text</p>");
    stream.append(" more");
    await vi.advanceTimersByTimeAsync(1000);
    expect(shown).toEqual([]);
    expect(renderer.pending).toHaveLength(1);
  });
});
