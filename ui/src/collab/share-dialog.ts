import type { HostKind, InviteExpiry, ProjectId, SessionInfo } from "../bindings";
import { copyText } from "../code-blocks";
import { field, h } from "../dom";
import { call, errorMessage } from "../ipc";
import { showDialog } from "../modal";
import { actionButton, dialogButtons, selectInput, submitForm, textInput } from "../widgets";

export interface ShareDialogHost {
  readonly projectId: ProjectId;
  /** The session when the project is shared already (then only invites are made). */
  readonly session: SessionInfo | null;
  /** Saves the open files (sharing copies the files on disk); false when that failed. */
  saveAll(): Promise<boolean>;
  /** The project is shared now: the workbench switches to the shared document. */
  started(session: SessionInfo): Promise<void>;
}

const HOST_KEY = "flashfusion.collab.host";
const SERVER_KEY = "flashfusion.collab.server";
const EMAIL_KEY = "flashfusion.collab.email";

function withTestId<T extends HTMLElement>(element: T, testId: string): T {
  element.dataset.testid = testId;
  return element;
}

/** Shares the project (hosted here or on a server) and makes invite links: a role, an expiry, a link to copy. */
export async function openShareDialog(host: ShareDialogHost): Promise<void> {
  let session = host.session;
  const hostSelect = withTestId(
    selectInput(
      [
        { value: "local", label: "On this computer" },
        { value: "server", label: "On a FlashFusion server (your account)" },
      ],
      { label: "Where to host the session" },
    ),
    "collab-host",
  );
  hostSelect.value = localStorage.getItem(HOST_KEY) === "server" ? "server" : "local";
  const serverInput = withTestId(textInput({ type: "url", placeholder: "https://collab.example.com", value: localStorage.getItem(SERVER_KEY) ?? "" }), "collab-server-url");
  const emailInput = withTestId(textInput({ type: "email", value: localStorage.getItem(EMAIL_KEY) ?? "" }), "collab-email");
  const passwordInput = withTestId(textInput({ type: "password" }), "collab-password");
  const serverFields = h(
    "div",
    { className: "form-grid collab-server-fields" },
    h("div", { className: "form-wide" }, field("Server", serverInput, "Your account on that server signs the session in.")),
    field("Email", emailInput),
    field("Password", passwordInput),
  );
  const hostFields = h("div", { className: "collab-host-fields" }, field("Host the session", hostSelect), serverFields);
  const showHostFields = () => {
    hostFields.hidden = session !== null;
    serverFields.hidden = hostSelect.value !== "server";
  };
  hostSelect.addEventListener("change", showHostFields);
  showHostFields();

  const roleSelect = withTestId(
    selectInput(
      [
        { value: "editor", label: "Editor (can edit)" },
        { value: "viewer", label: "Viewer (read-only)" },
      ],
      { label: "Role of whoever uses the link" },
    ),
    "collab-invite-role",
  );
  const expirySelect = withTestId(
    selectInput(
      [
        { value: "7d", label: "In 7 days" },
        { value: "30d", label: "In 30 days" },
        { value: "never", label: "Never" },
      ],
      { label: "When the link expires" },
    ),
    "collab-invite-expiry",
  );
  const error = h("div", { className: "form-error", attributes: { role: "alert" } });
  const linkInput = withTestId(textInput({ className: "collab-link", label: "Invite link" }), "collab-invite-link");
  linkInput.readOnly = true;
  linkInput.addEventListener("focus", () => linkInput.select());
  // Enter in the finished link must not make another one.
  linkInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  const copyButton: HTMLButtonElement = withTestId(
    actionButton("Copy", () => copyText(copyButton, linkInput.value), { size: "full" }),
    "collab-copy-link",
  );
  const result = h("div", { className: "collab-link-result" }, field("Invite link", h("span", { className: "input-row" }, linkInput, copyButton), "Anyone with the link can join until it expires."));
  result.hidden = true;
  const submitButton = withTestId(actionButton(session ? "Create link" : "Share", null, { kind: "primary", type: "submit", size: "full" }), "collab-share-submit");

  let busy = false;
  const submit = async () => {
    if (busy) return;
    busy = true;
    submitButton.disabled = true;
    error.textContent = "";
    try {
      if (!session) {
        session = await share();
        if (!session) return;
        showHostFields();
      }
      const invite = await call("collab_invite", {
        projectId: host.projectId,
        role: roleSelect.value === "viewer" ? "viewer" : "editor",
        expires: expirySelect.value as InviteExpiry,
        maxUses: null,
      });
      linkInput.value = invite.link ?? "";
      result.hidden = false;
      submitButton.textContent = "Create another link";
      linkInput.focus();
    } catch (failure) {
      error.textContent = errorMessage(failure);
    } finally {
      busy = false;
      submitButton.disabled = false;
    }
  };

  const share = async (): Promise<SessionInfo | null> => {
    const kind: HostKind = hostSelect.value === "server" ? "server" : "local";
    const serverUrl = serverInput.value.trim();
    if (kind === "server" && serverUrl === "") {
      error.textContent = "Enter the server's address.";
      serverInput.focus();
      return null;
    }
    if (!(await host.saveAll())) {
      error.textContent = "Save your open files first: sharing starts from the files on disk.";
      return null;
    }
    const email = emailInput.value.trim();
    const password = passwordInput.value;
    const info = await call("collab_share", {
      projectId: host.projectId,
      host: kind,
      serverUrl: kind === "server" ? serverUrl : null,
      email: kind === "server" && email !== "" ? email : null,
      password: kind === "server" && password !== "" ? password : null,
    });
    localStorage.setItem(HOST_KEY, kind);
    if (kind === "server") {
      localStorage.setItem(SERVER_KEY, serverUrl);
      localStorage.setItem(EMAIL_KEY, email);
    }
    passwordInput.value = "";
    await host.started(info);
    return info;
  };

  await showDialog({
    title: session ? "Invite people" : "Share this project",
    className: "modal-wide collab-share-dialog",
    cancelAction: "close",
    content: (close) => [
      submitForm(
        "modal-form collab-share-form",
        () => void submit(),
        hostFields,
        h("div", { className: "form-grid" }, field("Invite as", roleSelect), field("Link expires", expirySelect)),
        error,
        result,
        dialogButtons(close, "Close", submitButton),
      ),
    ],
  });
}
