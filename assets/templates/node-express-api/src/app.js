import express from "express";
import { HttpError, notFound } from "./errors.js";
import { notesRouter } from "./routes/notes.js";
import { NotesStore } from "./store.js";

/**
 * Build the Express application. Accepting the store as a parameter keeps the
 * app easy to test: every test can start from a fresh, empty store.
 *
 * @param {{ store?: NotesStore, logger?: Pick<Console, "error"> }} [options]
 */
export function createApp({ store = new NotesStore(), logger = console } = {}) {
  const app = express();

  app.disable("x-powered-by");
  app.use(express.json({ limit: "100kb" }));

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", notes: store.size, uptime: Math.round(process.uptime()) });
  });

  app.use("/notes", notesRouter(store));

  // Unknown routes -> 404 JSON
  app.use((req, _res, next) => {
    next(notFound(`Route ${req.method} ${req.path} not found`));
  });

  // Central JSON error handler (must keep 4 parameters for Express to treat it as one).
  // eslint-disable-next-line no-unused-vars
  app.use((err, _req, res, _next) => {
    let status = 500;
    let body = { code: "internal_error", message: "Something went wrong" };

    if (err instanceof HttpError) {
      status = err.status;
      body = { code: err.code, message: err.message };
      if (err.details !== undefined) body.details = err.details;
    } else if (err?.type === "entity.parse.failed") {
      status = 400;
      body = { code: "invalid_json", message: "Request body is not valid JSON" };
    } else if (err?.type === "entity.too.large") {
      status = 413;
      body = { code: "payload_too_large", message: "Request body is too large" };
    } else if (typeof err?.status === "number" && err.status >= 400 && err.status < 500) {
      status = err.status;
      body = { code: "bad_request", message: err.message };
    } else {
      logger.error(err);
    }

    res.status(status).json({ error: body });
  });

  return app;
}
