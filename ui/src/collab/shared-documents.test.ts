import { EditorSelection, EditorState, type Transaction, type TransactionSpec } from "@codemirror/state";
import type { ViewUpdate } from "@codemirror/view";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CollabEvent, SessionInfo } from "../bindings";
import type { Documents, OpenDocument } from "../documents";
import type { EditorHost } from "../editor-host";
import { TabList } from "../tab-list";

// The binding talks to Rust through `call` and to the person through notices; both are replaced here.
const calls: { name: string; args: unknown; resolve: (value: unknown) => void }[] = [];
vi.mock("../ipc", () => ({
  call: (name: string, args: unknown) => new Promise((resolve) => calls.push({ name, args, resolve })),
  stream: () => Promise.resolve(null),
  errorMessage: (error: unknown) => String(error),
}));
const notices: string[] = [];
vi.mock("../notices", () => ({
  showNotice: (message: string) => notices.push(message),
  showError: (message: string) => notices.push(message),
}));

const { SharedDocuments, remoteEdit } = await import("./shared-documents");
const { commentAnchors } = await import("./comments-gutter");
const { CollabSession } = await import("./session");

const info: SessionInfo = {
  projectId: 1,
  server: "http://127.0.0.1:1",
  roomId: "r",
  participantId: 3,
  role: "editor",
  name: "Me",
  color: "#0090ff",
  clientId: 9,
  hostedLocally: true,
};

/** Just enough of Documents and the view: tabs whose states transactions update. */
function setup(role: SessionInfo["role"] = "editor") {
  const tabs = new TabList<OpenDocument>();
  let view: { state: EditorState } = { state: EditorState.create() };
  let binding: InstanceType<typeof SharedDocuments>;
  const documents = {
    tabs,
    get active() {
      return tabs.active;
    },
    dispatchTo(document: OpenDocument, spec: TransactionSpec) {
      const transaction = document.state.update(spec);
      document.state = transaction.state;
      if (document === tabs.active) binding.update(document, updateOf(transaction));
    },
    setDeleted(document: OpenDocument, deleted: boolean) {
      document.deletedOnDisk = deleted;
    },
    open: async () => null,
  };
  const editor = {
    get view() {
      return { ...view, dispatch: () => undefined };
    },
  };
  const session = new CollabSession({ ...info, role });
  const comments: string[] = [];
  binding = new SharedDocuments({
    session,
    documents: documents as unknown as Documents,
    editor: editor as unknown as EditorHost,
    comments: { open: (threadId) => comments.push(`open ${threadId}`), add: (path, line) => comments.push(`add ${path}:${line}`) },
  });
  /** A tab of `text`, read from Rust when its count of changes was `seq`. */
  const open = (path: string, text: string, selection = EditorSelection.single(0), seq = 0) => {
    const state = EditorState.create({ doc: text, selection, extensions: binding.extensions() });
    const document = { path, state, shared: true, deletedOnDisk: false } as OpenDocument;
    tabs.add(document);
    view = { state };
    binding.opened(document, seq);
    return document;
  };
  /** The person closes a tab. */
  const close = (document: OpenDocument) => {
    tabs.remove(document.path);
    binding.closed(document);
  };
  /** The person types: a transaction through the shown tab. */
  const type = (document: OpenDocument, spec: TransactionSpec) => documents.dispatchTo(document, { ...spec, userEvent: "input.type" });
  const receive = (event: CollabEvent) => session.receive(event);
  return { binding, session, open, close, type, receive, comments };
}

function updateOf(transaction: Transaction): ViewUpdate {
  return { transactions: [transaction], docChanged: transaction.docChanged, selectionSet: transaction.selection !== undefined, state: transaction.state } as unknown as ViewUpdate;
}

async function settle(): Promise<void> {
  for (let round = 0; round < 20; round++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal("window", { addEventListener: () => undefined, removeEventListener: () => undefined });
  calls.length = 0;
  notices.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const edits = () => calls.filter((call) => call.name === "collab_edit");
const reads = () => calls.filter((call) => call.name === "collab_read");

describe("SharedDocuments", () => {
  it("sends each local change set as one collab_edit with the seq it was made after, in order, one call at a time", async () => {
    const { open, type } = setup();
    const document = open("a.ts", "hello", EditorSelection.single(0), 4);
    type(document, { changes: [{ from: 0, insert: "¡" }, { from: 5, insert: "!" }] });
    type(document, { changes: { from: 7, insert: "😀" } });
    await settle();
    expect(edits().map((call) => call.args)).toEqual([
      { projectId: 1, path: "a.ts", seen: 4, changes: [{ from: 0, to: 0, insert: "¡" }, { from: 5, to: 5, insert: "!" }] },
    ]);
    edits()[0]!.resolve({ applied: true, seq: 4 });
    await settle();
    expect(edits()).toHaveLength(2);
    expect(edits()[1]!.args).toEqual({ projectId: 1, path: "a.ts", seen: 4, changes: [{ from: 7, to: 7, insert: "😀" }] });
  });

  it("applies remote changes to tabs not shown too, keeping their selection, and never sends them back", async () => {
    const { open, receive } = setup();
    const hidden = open("a.ts", "let value = 1;", EditorSelection.create([EditorSelection.range(4, 9)]));
    open("b.ts", "other");
    receive({ kind: "text", path: "a.ts", seq: 1, changes: [{ from: 0, to: 3, insert: "const" }] });
    expect(hidden.state.doc.toString()).toBe("const value = 1;");
    expect(hidden.state.sliceDoc(hidden.state.selection.main.from, hidden.state.selection.main.to)).toBe("value");
    await settle();
    expect(edits()).toEqual([]);
  });

  it("holds a remote change while our edit is on its way; refused, the edit is rebased over it and sent again", async () => {
    const { open, type, receive } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 3, insert: "d" } });
    await settle();
    type(document, { changes: { from: 4, insert: "e" } });
    // A peer's change made before Rust saw our "d" arrives while it is on its way.
    receive({ kind: "text", path: "a.ts", seq: 1, changes: [{ from: 0, to: 0, insert: ">" }] });
    expect(document.state.doc.toString()).toBe("abcde");
    edits()[0]!.resolve({ applied: false, seq: 1 });
    await settle();
    expect(document.state.doc.toString()).toBe(">abcde");
    expect(edits()[1]!.args).toMatchObject({ seen: 1, changes: [{ from: 4, to: 4, insert: "d" }] });
    edits()[1]!.resolve({ applied: true, seq: 1 });
    await settle();
    expect(edits()[2]!.args).toMatchObject({ seen: 1, changes: [{ from: 5, to: 5, insert: "e" }] });
  });

  it("a refused edit waits for the remote changes Rust had made before sending again", async () => {
    const { open, type, receive } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 0, insert: ">" } });
    await settle();
    edits()[0]!.resolve({ applied: false, seq: 1 });
    await settle();
    expect(edits()).toHaveLength(1);
    receive({ kind: "text", path: "a.ts", seq: 1, changes: [{ from: 3, to: 3, insert: "!" }] });
    await settle();
    expect(document.state.doc.toString()).toBe(">abc!");
    expect(edits()[1]!.args).toMatchObject({ seen: 1, changes: [{ from: 0, to: 0, insert: ">" }] });
  });

  it("replays the changes made while a file was being opened that its text does not have", () => {
    const { binding, open, receive } = setup();
    void binding.read("a.ts");
    // The channel and the read are not ordered: change 3 is in the text read, 4 is not.
    receive({ kind: "text", path: "a.ts", seq: 3, changes: [{ from: 0, to: 0, insert: "x" }] });
    receive({ kind: "text", path: "a.ts", seq: 4, changes: [{ from: 4, to: 4, insert: "!" }] });
    const document = open("a.ts", "xabc", EditorSelection.single(0), 3);
    expect(document.state.doc.toString()).toBe("xabc!");
  });

  it("replaces the whole text on a reset, dropping pending edits", async () => {
    const { open, type, receive } = setup();
    const document = open("a.ts", "old text", EditorSelection.single(0), 2);
    type(document, { changes: { from: 0, insert: "typed " } });
    await settle();
    // A peer deleted the file and made it again while our edit was on its way.
    receive({ kind: "reset", path: "a.ts", seq: 3, text: "new text\r\n" });
    expect(document.state.doc.toString()).toBe("new text\r\n");
    edits()[0]!.resolve({ applied: false, seq: 3 });
    await settle();
    // The edit made against the old text is not sent again; the next one counts from the reset.
    expect(edits()).toHaveLength(1);
    type(document, { changes: { from: 0, insert: "#" } });
    await settle();
    expect(edits()[1]!.args).toMatchObject({ seen: 3, changes: [{ from: 0, to: 0, insert: "#" }] });
  });

  it("takes Rust's text when a change is missing", async () => {
    const { open, receive } = setup();
    const document = open("a.ts", "abc");
    receive({ kind: "text", path: "a.ts", seq: 2, changes: [{ from: 0, to: 0, insert: "?" }] });
    await settle();
    const read = calls.find((call) => call.name === "collab_read");
    expect(read?.args).toEqual({ projectId: 1, path: "a.ts" });
    read!.resolve({ text: "1?abc", seq: 2 });
    await settle();
    expect(document.state.doc.toString()).toBe("1?abc");
    receive({ kind: "text", path: "a.ts", seq: 3, changes: [{ from: 5, to: 5, insert: "!" }] });
    expect(document.state.doc.toString()).toBe("1?abc!");
  });

  it("after an edit failed, reads Rust's text and sends the edit again instead of dropping it", async () => {
    const { open, type } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 3, insert: "d" } });
    await settle();
    const edit = edits()[0]!;
    (edit as unknown as { resolve: (value: unknown) => void }).resolve(Promise.reject(new Error("invalid input")));
    await settle();
    expect(notices.some((notice) => notice.includes("was not applied"))).toBe(true);
    calls.find((call) => call.name === "collab_read")!.resolve({ text: "abc", seq: 0 });
    await settle();
    expect(document.state.doc.toString()).toBe("abcd");
    expect(edits()[1]!.args).toMatchObject({ seen: 0, changes: [{ from: 3, to: 3, insert: "d" }] });
  });

  it("gives each tab its comment threads, and a viewer no way to add one", () => {
    const editor = setup();
    const document = editor.open("a.ts", "one\ntwo\n");
    const thread = { id: "t", path: "a.ts", index: 4, line: 2, resolved: false, comments: [] };
    editor.receive({ kind: "comments", threads: [thread, { ...thread, id: "u", path: "b.ts" }] });
    expect(document.state.field(commentAnchors)).toEqual({ canAdd: true, threads: [{ id: "t", pos: 4, resolved: false }] });
    const viewer = setup("viewer");
    expect(viewer.open("a.ts", "x").state.field(commentAnchors).canAdd).toBe(false);
  });

  it("marks tabs whose file left the shared project", () => {
    const { open, receive } = setup();
    const gone = open("gone.ts", "");
    const kept = open("kept.ts", "");
    receive({ kind: "files", paths: ["kept.ts", "new.ts"] });
    expect(gone.deletedOnDisk).toBe(true);
    expect(kept.deletedOnDisk).toBe(false);
  });

  it("makes a viewer's tabs read-only, and everyone's once the session ended", () => {
    const viewer = setup("viewer");
    expect(viewer.open("a.ts", "x").state.readOnly).toBe(true);
    const editor = setup("editor");
    const document = editor.open("a.ts", "x");
    expect(document.state.readOnly).toBe(false);
    editor.receive({ kind: "ended", reason: "removed by the owner" });
    expect(document.state.readOnly).toBe(true);
  });

  it("tells a viewer that a change was refused", () => {
    const { receive } = setup("viewer");
    receive({ kind: "denied", reason: "viewer" });
    expect(notices).toContain("You are a viewer: your change was not applied");
  });

  it("publishes the cursor throttled, typing for two seconds after an edit", async () => {
    const { open, type } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 3, insert: "d" }, selection: { anchor: 4 } });
    const cursors = () => calls.filter((call) => call.name === "collab_cursor").map((call) => call.args);
    await settle();
    // The cursor goes after the edit it is placed in.
    expect(cursors()).toEqual([]);
    edits()[0]!.resolve({ applied: true, seq: 0 });
    await settle();
    expect(cursors()).toEqual([{ projectId: 1, path: "a.ts", anchor: 4, head: 4, typing: true }]);
    await vi.advanceTimersByTimeAsync(2_100);
    expect(cursors()[cursors().length - 1]).toEqual({ projectId: 1, path: "a.ts", anchor: 4, head: 4, typing: false });
  });

  it("does not send transactions marked as remote", async () => {
    const { open } = setup();
    const document = open("a.ts", "abc");
    document.state = document.state.update({ changes: { from: 0, insert: "x" }, annotations: remoteEdit.of(true) }).state;
    await settle();
    expect(edits()).toEqual([]);
  });

  it("reopening a closed tab reads Rust's text only after the closed tab's edits reached Rust", async () => {
    const { binding, open, close, type } = setup();
    const first = open("a.ts", "abc");
    type(first, { changes: { from: 3, insert: "d" } });
    await settle();
    close(first);
    const read = binding.read("a.ts");
    await settle();
    expect(reads()).toEqual([]);
    edits()[0]!.resolve({ applied: true, seq: 0 });
    await settle();
    expect(reads()).toHaveLength(1);
    reads()[0]!.resolve({ text: "abcd", seq: 0 });
    await expect(read).resolves.toEqual({ text: "abcd", seq: 0 });
  });

  it("a refused edit of a closed tab is woken by its file's changes and sent again", async () => {
    const { open, close, type, receive } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 0, insert: ">" } });
    await settle();
    close(document);
    edits()[0]!.resolve({ applied: false, seq: 1 });
    await settle();
    receive({ kind: "text", path: "a.ts", seq: 1, changes: [{ from: 3, to: 3, insert: "!" }] });
    await settle();
    expect(edits()[1]!.args).toMatchObject({ seen: 1, changes: [{ from: 0, to: 0, insert: ">" }] });
  });

  it("a resync keeps what was typed: Rust's missing changes come in, the typing is sent against Rust's text", async () => {
    const { open, type, receive } = setup();
    const document = open("a.ts", "abc");
    // Change 1 never arrived: the tab reads Rust's text.
    receive({ kind: "text", path: "a.ts", seq: 2, changes: [{ from: 0, to: 0, insert: "?" }] });
    await settle();
    type(document, { changes: { from: 3, insert: "d" } });
    await settle();
    expect(edits()).toEqual([]);
    reads()[0]!.resolve({ text: "1?abc", seq: 2 });
    await settle();
    expect(document.state.doc.toString()).toBe("1?abcd");
    expect(edits()[0]!.args).toMatchObject({ seen: 2, changes: [{ from: 5, to: 5, insert: "d" }] });
  });

  it("a renamed tab reads its new file's count and keeps its pending edits", async () => {
    const { binding, open, type, receive } = setup();
    const document = open("a.ts", "abc", EditorSelection.single(0), 7);
    type(document, { changes: { from: 3, insert: "d" } });
    await settle();
    type(document, { changes: { from: 4, insert: "e" } });
    edits()[0]!.resolve({ applied: true, seq: 7 });
    document.path = "b.ts";
    binding.renamed(document);
    await settle();
    const read = reads()[0]!;
    expect(read.args).toEqual({ projectId: 1, path: "b.ts" });
    read.resolve({ text: "abcd", seq: 0 });
    await settle();
    expect(document.state.doc.toString()).toBe("abcde");
    expect(edits()[1]!.args).toMatchObject({ path: "b.ts", seen: 0, changes: [{ from: 4, to: 4, insert: "e" }] });
    edits()[1]!.resolve({ applied: true, seq: 0 });
    await settle();
    receive({ kind: "text", path: "b.ts", seq: 1, changes: [{ from: 0, to: 0, insert: "#" }] });
    expect(document.state.doc.toString()).toBe("#abcde");
  });

  it("settle waits for queued edits, and gives up after its timeout", async () => {
    const { binding, open, type } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 3, insert: "d" } });
    expect(binding.unsent).toBe(true);
    const late = binding.settle(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(late).resolves.toBe(false);
    const settled = binding.settle(1_000);
    edits()[0]!.resolve({ applied: true, seq: 0 });
    await expect(settled).resolves.toBe(true);
    expect(binding.unsent).toBe(false);
  });
});
