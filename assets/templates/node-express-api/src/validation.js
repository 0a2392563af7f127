import { validationFailed } from "./errors.js";

export const LIMITS = Object.freeze({
  titleMax: 200,
  contentMax: 10_000,
  tagsMax: 10,
  tagMax: 30,
});

const ALLOWED_FIELDS = new Set(["title", "content", "tags", "pinned"]);

const isPlainObject = (value) =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Validate a note payload.
 *
 * @param {unknown} body     parsed JSON body
 * @param {{ partial?: boolean }} [options]
 *   partial=false (create): `title` is required.
 *   partial=true (update): every field is optional but at least one is needed.
 * @returns {{ title?: string, content?: string, tags?: string[], pinned?: boolean }}
 * @throws {import("./errors.js").HttpError} 400 with a list of issues
 */
export function validateNote(body, { partial = false } = {}) {
  if (!isPlainObject(body)) {
    throw validationFailed([{ field: "body", message: "must be a JSON object" }]);
  }

  const issues = [];
  const out = {};

  for (const key of Object.keys(body)) {
    if (!ALLOWED_FIELDS.has(key)) {
      issues.push({ field: key, message: "is not an allowed field" });
    }
  }

  if (body.title !== undefined) {
    if (typeof body.title !== "string" || body.title.trim() === "") {
      issues.push({ field: "title", message: "must be a non-empty string" });
    } else if (body.title.trim().length > LIMITS.titleMax) {
      issues.push({ field: "title", message: `must be at most ${LIMITS.titleMax} characters` });
    } else {
      out.title = body.title.trim();
    }
  } else if (!partial) {
    issues.push({ field: "title", message: "is required" });
  }

  if (body.content !== undefined) {
    if (typeof body.content !== "string") {
      issues.push({ field: "content", message: "must be a string" });
    } else if (body.content.length > LIMITS.contentMax) {
      issues.push({ field: "content", message: `must be at most ${LIMITS.contentMax} characters` });
    } else {
      out.content = body.content;
    }
  }

  if (body.tags !== undefined) {
    if (!Array.isArray(body.tags) || body.tags.some((t) => typeof t !== "string")) {
      issues.push({ field: "tags", message: "must be an array of strings" });
    } else if (body.tags.length > LIMITS.tagsMax) {
      issues.push({ field: "tags", message: `must contain at most ${LIMITS.tagsMax} tags` });
    } else {
      const tags = [...new Set(body.tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
      const tooLong = tags.find((t) => t.length > LIMITS.tagMax);
      if (tooLong) {
        issues.push({ field: "tags", message: `each tag must be at most ${LIMITS.tagMax} characters` });
      } else {
        out.tags = tags;
      }
    }
  }

  if (body.pinned !== undefined) {
    if (typeof body.pinned !== "boolean") {
      issues.push({ field: "pinned", message: "must be a boolean" });
    } else {
      out.pinned = body.pinned;
    }
  }

  if (partial && issues.length === 0 && Object.keys(out).length === 0) {
    issues.push({ field: "body", message: "must contain at least one of: title, content, tags, pinned" });
  }

  if (issues.length > 0) throw validationFailed(issues);
  return out;
}
