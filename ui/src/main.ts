import "./styles/base.css";
import "./styles/themes.css";
import "./styles/syntax-classes.css";
import "./styles/welcome.css";
import "./styles/workbench.css";
import "./styles/assistant.css";
import "./styles/overlays.css";
import "./styles/learn.css";
import "./styles/deploy.css";
import "./styles/market.css";
import "./styles/collab.css";
import "./styles/collab-panels.css";
import { App } from "./app";
import { isTextInput } from "./dom";
import { errorMessage } from "./ipc";
import { showError } from "./notices";
import { applyCachedTheme } from "./theme";

// Before anything renders, so the first paint is already in the right theme.
applyCachedTheme();

// Async failures anywhere must reach the person, not just the console.
window.addEventListener("unhandledrejection", (event) => showError(errorMessage(event.reason)));
window.addEventListener("error", (event) => {
  // WebKit reports this benign layout notice as an error; it is not a failure.
  if (event.message.includes("ResizeObserver loop")) return;
  showError(event.message);
});

// The webview's own menu (Reload, Back, Inspect…) makes no sense in an app;
// text fields and the editor keep it for copy and paste.
document.addEventListener("contextmenu", (event) => {
  if (!isTextInput(event.target)) event.preventDefault();
});

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
void new App(root).boot().catch((error: unknown) => {
  showError(`FlashFusion failed to start: ${errorMessage(error)}`);
});
