import { randomUUID } from "node:crypto";

/**
 * A tiny in-memory notes repository. Swap it for a database-backed class with
 * the same methods when you need persistence.
 */
export class NotesStore {
  #notes = new Map();

  /** @param {{ tag?: string, q?: string }} [filter] */
  list({ tag, q } = {}) {
    let notes = [...this.#notes.values()];
    if (tag) {
      const wanted = tag.toLowerCase();
      notes = notes.filter((n) => n.tags.includes(wanted));
    }
    if (q) {
      const needle = q.toLowerCase();
      notes = notes.filter(
        (n) => n.title.toLowerCase().includes(needle) || n.content.toLowerCase().includes(needle),
      );
    }
    // Pinned first, then newest first.
    return notes.sort(
      (a, b) => Number(b.pinned) - Number(a.pinned) || b.createdAt.localeCompare(a.createdAt),
    );
  }

  get(id) {
    return this.#notes.get(id) ?? null;
  }

  create({ title, content = "", tags = [], pinned = false }) {
    const now = new Date().toISOString();
    const note = { id: randomUUID(), title, content, tags, pinned, createdAt: now, updatedAt: now };
    this.#notes.set(note.id, note);
    return note;
  }

  update(id, changes) {
    const existing = this.#notes.get(id);
    if (!existing) return null;
    const updated = { ...existing, ...changes, id, updatedAt: new Date().toISOString() };
    this.#notes.set(id, updated);
    return updated;
  }

  delete(id) {
    return this.#notes.delete(id);
  }

  clear() {
    this.#notes.clear();
  }

  get size() {
    return this.#notes.size;
  }
}
