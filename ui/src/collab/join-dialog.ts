import type { JoinedSession } from "../bindings";
import { field, h } from "../dom";
import { call, errorMessage } from "../ipc";
import { showDialog } from "../modal";
import { actionButton, dialogButtons, submitForm, textInput } from "../widgets";
import { parseInviteLink } from "./invite-link";

/** The display name last used to join, offered the next time. */
export const NAME_KEY = "flashfusion.collab.name";

/**
 * Asks for an invite link (prefilled when there is one) and the name to show
 * to the others, then joins. Resolves with the joined project and session,
 * or null when the person cancelled.
 */
export async function openJoinDialog(link: string): Promise<JoinedSession | null> {
  const linkInput = textInput({ label: "Invite link", placeholder: "flashfusion://join?…", value: link.trim() });
  linkInput.dataset.testid = "collab-join-link";
  const nameInput = textInput({ label: "Your name", placeholder: "How the others see you", value: localStorage.getItem(NAME_KEY) ?? "" });
  nameInput.dataset.testid = "collab-join-name";
  nameInput.maxLength = 60;
  const error = h("div", { className: "form-error", attributes: { role: "alert" } });
  const joinButton = actionButton("Join", null, { kind: "primary", type: "submit", size: "full" });
  joinButton.dataset.testid = "collab-join-submit";
  let joined: JoinedSession | null = null;
  let busy = false;

  const join = async (close: (action: string) => void) => {
    if (busy) return;
    error.textContent = "";
    const parsed = parseInviteLink(linkInput.value);
    if (!parsed.ok) {
      error.textContent = parsed.error;
      linkInput.focus();
      return;
    }
    const name = nameInput.value.trim();
    if (name === "") {
      error.textContent = "Enter the name the others will see.";
      nameInput.focus();
      return;
    }
    busy = true;
    joinButton.disabled = true;
    joinButton.textContent = "Joining…";
    try {
      joined = await call("collab_join", { link: parsed.link, name });
      localStorage.setItem(NAME_KEY, name);
      close("joined");
    } catch (failure) {
      error.textContent = errorMessage(failure);
    } finally {
      busy = false;
      joinButton.disabled = false;
      joinButton.textContent = "Join";
    }
  };

  const action = await showDialog({
    title: "Join a session",
    className: "modal-wide collab-join-dialog",
    cancelAction: "cancel",
    content: (close) => {
      // With the link given (a deep link, the welcome field), the name is what is left to type.
      if (parseInviteLink(linkInput.value).ok) setTimeout(() => nameInput.focus(), 0);
      return [
        submitForm(
          "modal-form collab-join-form",
          () => void join(close),
          field("Invite link", linkInput),
          field("Your name", nameInput, "Shown next to your cursor and in the participants list."),
          error,
          dialogButtons(close, "Cancel", joinButton),
        ),
      ];
    },
  });
  return action === "joined" ? joined : null;
}
