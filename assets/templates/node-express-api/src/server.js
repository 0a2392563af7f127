import { createApp } from "./app.js";

const port = Number(process.env.PORT) || 3000;
const app = createApp();

const server = app.listen(port, () => {
  console.log(`{{project_name}} listening on http://localhost:${port}`);
});

// Graceful shutdown (Ctrl+C, container stop, ...)
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    console.log(`\nReceived ${signal}, shutting down...`);
    server.close(() => process.exit(0));
    // Force-exit if open connections keep the server alive.
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
