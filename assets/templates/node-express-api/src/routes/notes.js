import { Router } from "express";
import { notFound } from "../errors.js";
import { validateNote } from "../validation.js";

/** @param {import("../store.js").NotesStore} store */
export function notesRouter(store) {
  const router = Router();

  // GET /notes?tag=work&q=meeting
  router.get("/", (req, res) => {
    const tag = typeof req.query.tag === "string" ? req.query.tag : undefined;
    const q = typeof req.query.q === "string" ? req.query.q : undefined;
    const notes = store.list({ tag, q });
    res.json({ data: notes, count: notes.length });
  });

  router.get("/:id", (req, res) => {
    const note = store.get(req.params.id);
    if (!note) throw notFound(`Note '${req.params.id}' not found`);
    res.json({ data: note });
  });

  router.post("/", (req, res) => {
    const input = validateNote(req.body);
    const note = store.create(input);
    res.status(201).location(`${req.baseUrl}/${note.id}`).json({ data: note });
  });

  // PATCH updates only the given fields; PUT replaces the editable fields.
  router.patch("/:id", (req, res) => {
    const changes = validateNote(req.body, { partial: true });
    const note = store.update(req.params.id, changes);
    if (!note) throw notFound(`Note '${req.params.id}' not found`);
    res.json({ data: note });
  });

  router.put("/:id", (req, res) => {
    const input = validateNote(req.body);
    const note = store.update(req.params.id, {
      content: "",
      tags: [],
      pinned: false,
      ...input,
    });
    if (!note) throw notFound(`Note '${req.params.id}' not found`);
    res.json({ data: note });
  });

  router.delete("/:id", (req, res) => {
    if (!store.delete(req.params.id)) throw notFound(`Note '${req.params.id}' not found`);
    res.status(204).end();
  });

  return router;
}
