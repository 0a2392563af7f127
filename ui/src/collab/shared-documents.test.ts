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
  binding = new SharedDocuments({ session, documents: documents as unknown as Documents, editor: editor as unknown as EditorHost });
  const open = (path: string, text: string, selection = EditorSelection.single(0)) => {
    const state = EditorState.create({ doc: text, selection, extensions: binding.extensions() });
    const document = { path, state, shared: true, deletedOnDisk: false } as OpenDocument;
    tabs.add(document);
    view = { state };
    return document;
  };
  /** The person types: a transaction through the shown tab. */
  const type = (document: OpenDocument, spec: TransactionSpec) => documents.dispatchTo(document, { ...spec, userEvent: "input.type" });
  const receive = (event: CollabEvent) => session.receive(event);
  return { binding, session, open, type, receive };
}

function updateOf(transaction: Transaction): ViewUpdate {
  return { transactions: [transaction], docChanged: transaction.docChanged, selectionSet: transaction.selection !== undefined, state: transaction.state } as unknown as ViewUpdate;
}

async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.resolve();
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

describe("SharedDocuments", () => {
  it("sends each local change set as one collab_edit, in order, one call at a time", async () => {
    const { open, type } = setup();
    const document = open("a.ts", "hello");
    type(document, { changes: [{ from: 0, insert: "¡" }, { from: 5, insert: "!" }] });
    type(document, { changes: { from: 7, insert: "😀" } });
    await settle();
    const edits = () => calls.filter((call) => call.name === "collab_edit");
    expect(edits().map((call) => call.args)).toEqual([
      { projectId: 1, path: "a.ts", changes: [{ from: 0, to: 0, insert: "¡" }, { from: 5, to: 5, insert: "!" }] },
    ]);
    edits()[0]!.resolve(null);
    await settle();
    expect(edits().map((call) => call.args)).toHaveLength(2);
    expect(edits()[1]!.args).toEqual({ projectId: 1, path: "a.ts", changes: [{ from: 7, to: 7, insert: "😀" }] });
  });

  it("applies remote changes to tabs not shown too, keeping their selection, and never sends them back", async () => {
    const { open, receive } = setup();
    const hidden = open("a.ts", "let value = 1;", EditorSelection.create([EditorSelection.range(4, 9)]));
    open("b.ts", "other");
    receive({ kind: "text", path: "a.ts", changes: [{ from: 0, to: 3, insert: "const" }] });
    expect(hidden.state.doc.toString()).toBe("const value = 1;");
    expect(hidden.state.sliceDoc(hidden.state.selection.main.from, hidden.state.selection.main.to)).toBe("value");
    await settle();
    expect(calls.filter((call) => call.name === "collab_edit")).toEqual([]);
  });

  it("rebases a remote change over our edit still waiting to be sent", async () => {
    const { open, type, receive } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 3, insert: "d" } });
    await settle();
    type(document, { changes: { from: 4, insert: "e" } });
    // The first edit is on its way; a peer's change made against "abc" arrives.
    receive({ kind: "text", path: "a.ts", changes: [{ from: 0, to: 0, insert: ">" }] });
    expect(document.state.doc.toString()).toBe(">abcde");
    calls.find((call) => call.name === "collab_edit")!.resolve(null);
    await settle();
    // The second edit was rebased: it now fits Rust's text (">abcd").
    expect(calls.filter((call) => call.name === "collab_edit")[1]!.args).toMatchObject({ changes: [{ from: 5, to: 5, insert: "e" }] });
  });

  it("compares with Rust after a doubtful moment and takes its text", async () => {
    const { open, type, receive } = setup();
    const document = open("a.ts", "abc");
    type(document, { changes: { from: 3, insert: "d" } });
    await settle();
    calls.find((call) => call.name === "collab_edit")!.resolve(null);
    await settle();
    // Made before Rust applied our "d", or after? The binding cannot tell.
    receive({ kind: "text", path: "a.ts", changes: [{ from: 4, to: 4, insert: "!" }] });
    await vi.advanceTimersByTimeAsync(500);
    const read = calls.find((call) => call.name === "collab_read");
    expect(read?.args).toEqual({ projectId: 1, path: "a.ts" });
    read!.resolve("abc!d");
    await settle();
    expect(document.state.doc.toString()).toBe("abc!d");
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
    expect(cursors()).toEqual([{ projectId: 1, path: "a.ts", anchor: 4, head: 4, typing: true }]);
    await vi.advanceTimersByTimeAsync(2_100);
    expect(cursors()[cursors().length - 1]).toEqual({ projectId: 1, path: "a.ts", anchor: 4, head: 4, typing: false });
  });

  it("does not send transactions marked as remote", async () => {
    const { open } = setup();
    const document = open("a.ts", "abc");
    document.state = document.state.update({ changes: { from: 0, insert: "x" }, annotations: remoteEdit.of(true) }).state;
    await settle();
    expect(calls.filter((call) => call.name === "collab_edit")).toEqual([]);
  });
});
