import { open as openDialog } from "@tauri-apps/plugin-dialog";
import type { ProjectInfo, Template } from "../bindings";
import { field, h } from "../dom";
import { call, errorMessage } from "../ipc";
import { showDialog } from "../modal";
import { destinationHint } from "../paths";
import { actionButton, dialogButtons, submitForm, textInput } from "../widgets";
import { projectSlug } from "./format";
import { failureText } from "./widgets";

/** Asks where to make a project of the template's `version`, then makes it; the project, or null when cancelled. */
export async function useTemplate(template: Template, version: string): Promise<ProjectInfo | null> {
  const name = textInput({ id: "use-name", value: projectSlug(template.title) });
  const directory = textInput({ id: "use-dir", label: "Parent folder" });
  const hint = h("div", { className: "field-hint" });
  const error = h("div", { className: "form-error", attributes: { role: "alert" } });
  const confirm = actionButton("Create project", null, { id: "use-confirm", kind: "primary", type: "submit", size: "full" });
  const showHint = () => (hint.textContent = destinationHint(directory.value, name.value));
  name.addEventListener("input", showHint);
  directory.addEventListener("input", showHint);
  void call("default_projects_dir").then(
    (path) => {
      // The person may have typed a folder meanwhile.
      if (directory.value === "") directory.value = path;
      showHint();
    },
    (failure: unknown) => (error.textContent = errorMessage(failure)),
  );
  const chooseFolder = async () => {
    try {
      const chosen = await openDialog({ directory: true, title: "Create the project in", defaultPath: directory.value.trim() || undefined });
      if (typeof chosen === "string") directory.value = chosen;
      showHint();
    } catch (failure) {
      error.textContent = `Cannot show the folder picker: ${errorMessage(failure)}`;
    }
  };
  const browse = actionButton("Browse…", () => void chooseFolder(), { size: "full" });
  let project: ProjectInfo | null = null;
  const create = async (close: (action: string) => void) => {
    if (!name.value.trim() || !directory.value.trim()) {
      error.textContent = "Enter a project name and the folder to create it in.";
      return;
    }
    confirm.disabled = true;
    error.textContent = "";
    try {
      project = await call("market_use_template", { templateId: template.id, version, name: name.value.trim(), parentDir: directory.value.trim() });
      close("used");
    } catch (failure) {
      error.textContent = failureText(failure);
    } finally {
      confirm.disabled = false;
    }
  };
  await showDialog({
    title: `Use ${template.title} ${version}`,
    className: "modal-wide",
    cancelAction: "cancel",
    content: (close) => [
      submitForm(
        "modal-form market-use-form",
        () => void create(close),
        field("Project name", name),
        h("label", { className: "field" }, h("span", { className: "field-label", text: "Location" }), h("span", { className: "input-row" }, directory, browse)),
        hint,
        error,
        dialogButtons(close, "Cancel", confirm),
      ),
    ],
  });
  return project;
}
