import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { createApp } from "../src/app.js";
import { NotesStore } from "../src/store.js";

// Start the real app on an ephemeral port and talk to it with the built-in fetch.
const store = new NotesStore();
let server;
let baseUrl;

before(async () => {
  const app = createApp({ store, logger: { error() {} } });
  await new Promise((resolve) => {
    server = app.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  baseUrl = `http://127.0.0.1:${port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
});

// Every test starts from an empty store.
beforeEach(() => store.clear());

async function request(method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] ??= "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await fetch(baseUrl + path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const createNote = async (data = { title: "Groceries", content: "milk, eggs" }) => {
  const res = await request("POST", "/notes", data);
  assert.equal(res.status, 201);
  return res.body.data;
};

describe("health", () => {
  it("GET /health reports ok", async () => {
    const res = await request("GET", "/health");
    assert.equal(res.status, 200);
    assert.equal(res.body.status, "ok");
  });
});

describe("notes CRUD", () => {
  it("starts empty", async () => {
    const res = await request("GET", "/notes");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { data: [], count: 0 });
  });

  it("creates a note with defaults and a Location header", async () => {
    const res = await request("POST", "/notes", { title: "  Ideas  ", tags: ["Work", "work", " todo "] });
    assert.equal(res.status, 201);
    const note = res.body.data;
    assert.equal(note.title, "Ideas");
    assert.equal(note.content, "");
    assert.deepEqual(note.tags, ["work", "todo"]);
    assert.equal(note.pinned, false);
    assert.match(note.id, /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get("location"), `/notes/${note.id}`);
  });

  it("reads a note by id", async () => {
    const created = await createNote();
    const res = await request("GET", `/notes/${created.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, created);
  });

  it("lists pinned notes first and filters by tag and text", async () => {
    await createNote({ title: "First", tags: ["home"] });
    await createNote({ title: "Second", content: "quarterly report", tags: ["work"] });
    await createNote({ title: "Pinned", pinned: true });

    const all = await request("GET", "/notes");
    assert.equal(all.body.count, 3);
    assert.equal(all.body.data[0].title, "Pinned");

    const work = await request("GET", "/notes?tag=WORK");
    assert.deepEqual(work.body.data.map((n) => n.title), ["Second"]);

    const search = await request("GET", "/notes?q=report");
    assert.deepEqual(search.body.data.map((n) => n.title), ["Second"]);
  });

  it("patches only the given fields", async () => {
    const created = await createNote();
    const res = await request("PATCH", `/notes/${created.id}`, { pinned: true });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.pinned, true);
    assert.equal(res.body.data.title, created.title);
    assert.equal(res.body.data.content, created.content);
    assert.equal(res.body.data.createdAt, created.createdAt);
  });

  it("put replaces editable fields", async () => {
    const created = await createNote({ title: "Old", content: "old body", tags: ["x"], pinned: true });
    const res = await request("PUT", `/notes/${created.id}`, { title: "New" });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.title, "New");
    assert.equal(res.body.data.content, "");
    assert.deepEqual(res.body.data.tags, []);
    assert.equal(res.body.data.pinned, false);
  });

  it("deletes a note", async () => {
    const created = await createNote();
    const del = await request("DELETE", `/notes/${created.id}`);
    assert.equal(del.status, 204);
    const get = await request("GET", `/notes/${created.id}`);
    assert.equal(get.status, 404);
  });
});

describe("validation", () => {
  it("requires a title", async () => {
    const res = await request("POST", "/notes", { content: "no title" });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation_error");
    assert.deepEqual(res.body.error.details, [{ field: "title", message: "is required" }]);
  });

  it("reports every invalid field at once", async () => {
    const res = await request("POST", "/notes", { title: "", tags: "nope", pinned: "yes", color: "red" });
    assert.equal(res.status, 400);
    const fields = res.body.error.details.map((d) => d.field).sort();
    assert.deepEqual(fields, ["color", "pinned", "tags", "title"]);
  });

  it("rejects a title that is too long", async () => {
    const res = await request("POST", "/notes", { title: "x".repeat(201) });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details[0].field, "title");
  });

  it("rejects non-object bodies", async () => {
    const res = await request("POST", "/notes", [1, 2, 3]);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation_error");
  });

  it("rejects an empty PATCH", async () => {
    const created = await createNote();
    const res = await request("PATCH", `/notes/${created.id}`, {});
    assert.equal(res.status, 400);
  });

  it("returns 400 for malformed JSON", async () => {
    const res = await request("POST", "/notes", '{"title": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_json");
  });
});

describe("not found", () => {
  it("returns 404 for unknown note ids", async () => {
    for (const method of ["GET", "PATCH", "PUT", "DELETE"]) {
      const body = method === "GET" || method === "DELETE" ? undefined : { title: "x" };
      const res = await request(method, "/notes/does-not-exist", body);
      assert.equal(res.status, 404, `${method} should 404`);
      assert.equal(res.body.error.code, "not_found");
    }
  });

  it("returns JSON 404 for unknown routes", async () => {
    const res = await request("GET", "/nope");
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: { code: "not_found", message: "Route GET /nope not found" } });
  });
});
