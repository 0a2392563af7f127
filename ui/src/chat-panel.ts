import { openAssistantSettings } from "./assistant-settings";
import type { Buffer, ChatEvent, ConversationId, ConversationSummary, MessageId, MessageRecord, OpenFile, ProjectId, Proposals } from "./bindings";
import { Composer } from "./chat-composer";
import { AnswerView, ChatView, errorLine, userMessage } from "./chat-view";
import { showContextMenu } from "./context-menu";
import { ProposalCard, issueList } from "./diff-view";
import type { Documents } from "./documents";
import { h } from "./dom";
import { icon, type IconName } from "./icons";
import { call, errorMessage, isIpcError, stream } from "./ipc";
import { askForText, showModal } from "./modal";
import { showError } from "./notices";

export interface ChatPanelHost {
  readonly projectId: ProjectId;
  readonly documents: Documents;
  /** Project files for @mentions. */
  files(): string[];
  /** The panel's close button was pressed. */
  hide(): void;
}

type Entry = { role: "user"; record: MessageRecord; element: HTMLElement } | { role: "assistant"; answer: AnswerView };

/** One question on its way: what was asked and what has come back so far. */
interface Sending {
  text: string;
  replaceFrom: MessageId | null;
  conversationId: ConversationId | null;
  answer: AnswerView | null;
  firstByteEpochMs: number | null;
  firstTokenSeen: boolean;
  stopRequested: boolean;
}

/** Transactions from applying a proposed edit; one per file, so one undo step. */
const ASSISTANT_EDIT = "input.assistant";

const renderMarkdown = (text: string) => call("render_markdown", { text });
const openSettings = () => void openAssistantSettings();

function entryId(entry: Entry): MessageId {
  return entry.role === "user" ? entry.record.id : entry.answer.id;
}

/** The AI assistant beside the editor: conversations, streaming answers and the edits they propose. */
export class ChatPanel {
  readonly element: HTMLElement;
  private readonly view = new ChatView();
  private readonly composer: Composer;
  private readonly conversationSelect = h("select", {
    className: "chat-select conversation-select",
    testId: "conversation-list",
    attributes: { "aria-label": "Conversation" },
  });
  private readonly newButton: HTMLButtonElement;
  private readonly menuButton: HTMLButtonElement;
  private conversations: ConversationSummary[] = [];
  private conversationId: ConversationId | null = null;
  private entries: Entry[] = [];
  private standaloneError: HTMLElement | null = null;
  private sending: Sending | null = null;
  private loaded: Promise<void> | null = null;
  /** The conversation being loaded into the view. */
  private opening: Promise<void> = Promise.resolve();
  /** Which conversation load may still fill the view (a newer switch wins). */
  private loadGeneration = 0;
  private disposed = false;

  constructor(private readonly host: ChatPanelHost) {
    const headerButton = (iconName: IconName, title: string, run: () => void, testId?: string) =>
      h("button", { className: "icon-button", testId, title, attributes: { type: "button", "aria-label": title }, on: { click: run } }, icon(iconName));
    this.newButton = headerButton("plus", "New conversation", () => this.startNewConversation(), "conversation-new");
    this.menuButton = headerButton("more", "Rename or delete the conversation", () => this.showConversationMenu());
    this.composer = new Composer({
      send: (text, replaceFrom) => void this.send(text, replaceFrom),
      stop: () => this.stop(),
      files: () => host.files(),
    });
    this.conversationSelect.addEventListener("change", () => {
      const value = this.conversationSelect.value;
      void this.openConversation(value === "" ? null : Number(value));
    });
    this.element = h(
      "aside",
      { className: "chat-panel side-panel", testId: "chat-panel", attributes: { "aria-label": "AI assistant" } },
      h(
        "header",
        { className: "chat-header" },
        this.conversationSelect,
        this.newButton,
        this.menuButton,
        headerButton("settings", "Assistant settings", openSettings, "assistant-settings-open"),
        headerButton("close", "Hide the assistant", () => host.hide()),
      ),
      this.view.element,
      this.composer.element,
    );
    this.renderConversationList();
  }

  /** The panel became visible: loads the conversations the first time, and focuses the input. */
  show(): void {
    this.loaded ??= this.loadLatest();
    this.composer.focus();
  }

  dispose(): void {
    this.disposed = true;
    // The answer would go on streaming into a project that is gone.
    if (this.sending?.answer) this.cancel(this.sending);
    this.clearMessages();
  }

  private async loadLatest(): Promise<void> {
    await Promise.all([this.composer.loadTemplates(), this.refreshConversations()]);
    const latest = this.conversations[0];
    if (latest && this.conversationId === null && !this.sending && this.entries.length === 0) await this.openConversation(latest.id);
  }

  private async refreshConversations(): Promise<void> {
    try {
      this.conversations = await call("list_conversations", { projectId: this.host.projectId });
    } catch (error) {
      showError(`Cannot list the conversations: ${errorMessage(error)}`);
      return;
    }
    this.renderConversationList();
  }

  private renderConversationList(): void {
    const options = this.conversations.map((conversation) => h("option", { text: conversation.title, attributes: { value: String(conversation.id) } }));
    if (this.conversationId === null) options.unshift(h("option", { text: "New conversation", attributes: { value: "" } }));
    this.conversationSelect.replaceChildren(...options);
    this.conversationSelect.value = this.conversationId === null ? "" : String(this.conversationId);
    this.menuButton.disabled = this.conversationId === null || this.sending !== null;
  }

  private startNewConversation(): void {
    void this.openConversation(null);
    this.composer.focus();
  }

  /** Shows a stored conversation, or an empty new one (null). */
  private openConversation(id: ConversationId | null): Promise<void> {
    if (this.sending) return this.opening;
    const generation = ++this.loadGeneration;
    this.conversationId = id;
    this.renderConversationList();
    this.clearMessages();
    this.opening = id === null ? Promise.resolve() : this.loadMessages(id, generation);
    return this.opening;
  }

  private async loadMessages(id: ConversationId, generation: number): Promise<void> {
    let messages: MessageRecord[];
    try {
      messages = await call("conversation_messages", { conversationId: id });
    } catch (error) {
      showError(`Cannot load the conversation: ${errorMessage(error)}`);
      return;
    }
    if (generation !== this.loadGeneration) return;
    for (const record of messages) {
      if (record.role === "user") this.addQuestion(record);
      else this.addAnswer(AnswerView.fromRecord(record, renderMarkdown, openSettings));
    }
    this.offerRegenerate();
    this.view.scrollToEnd();
  }

  private showConversationMenu(): void {
    const id = this.conversationId;
    if (id === null) return;
    const bounds = this.menuButton.getBoundingClientRect();
    showContextMenu(bounds.left, bounds.bottom, [
      { label: "Rename…", run: () => void this.renameConversation(id) },
      { label: "Delete…", danger: true, run: () => void this.deleteConversation(id) },
    ]);
  }

  private titleOf(id: ConversationId): string {
    return this.conversations.find((conversation) => conversation.id === id)?.title ?? "";
  }

  private async renameConversation(id: ConversationId): Promise<void> {
    const title = await askForText({ title: "Rename conversation", label: "Title", value: this.titleOf(id), confirmLabel: "Rename" });
    if (title === null) return;
    try {
      await call("rename_conversation", { conversationId: id, title });
    } catch (error) {
      showError(`Could not rename the conversation: ${errorMessage(error)}`);
      return;
    }
    await this.refreshConversations();
  }

  private async deleteConversation(id: ConversationId): Promise<void> {
    const action = await showModal({
      title: `Delete “${this.titleOf(id)}”?`,
      message: "The conversation and all its messages will be deleted.",
      buttons: [
        { action: "delete", label: "Delete", kind: "danger" },
        { action: "cancel", label: "Cancel" },
      ],
      cancelAction: "cancel",
    });
    if (action !== "delete") return;
    try {
      await call("delete_conversation", { conversationId: id });
    } catch (error) {
      showError(`Could not delete the conversation: ${errorMessage(error)}`);
      return;
    }
    await this.refreshConversations();
    if (this.conversationId === id) await this.openConversation(this.conversations[0]?.id ?? null);
  }

  private clearMessages(): void {
    for (const entry of this.entries) if (entry.role === "assistant") entry.answer.dispose();
    this.entries = [];
    this.standaloneError = null;
    this.view.clear();
  }

  private addQuestion(record: MessageRecord): void {
    const element = userMessage(record, (question) => {
      if (!this.sending) this.composer.editMessage(question);
    });
    this.entries.push({ role: "user", record, element });
    this.view.append(element);
  }

  private addAnswer(answer: AnswerView): void {
    this.entries.push({ role: "assistant", answer });
    this.view.append(answer.element);
  }

  /** Drops the messages from `id` on, as Rust does when a message is edited or regenerated. */
  private removeEntriesFrom(id: MessageId): void {
    this.entries = this.entries.filter((entry) => {
      if (entryId(entry) < id) return true;
      if (entry.role === "assistant") {
        entry.answer.dispose();
        entry.answer.element.remove();
      } else {
        entry.element.remove();
      }
      return false;
    });
  }

  /** Only the last answer can be regenerated (or retried), and not while another one streams. */
  private offerRegenerate(): void {
    const answers = this.entries.flatMap((entry) => (entry.role === "assistant" ? [entry.answer] : []));
    const last = answers[answers.length - 1];
    for (const answer of answers) answer.setRegenerate(answer === last && !this.sending ? () => this.regenerate(answer) : null);
  }

  /** Asks the question before `answer` again, replacing that question and everything after it. */
  private regenerate(answer: AnswerView): void {
    const index = this.entries.findIndex((entry) => entry.role === "assistant" && entry.answer === answer);
    const question = this.entries
      .slice(0, index)
      .reverse()
      .find((entry) => entry.role === "user");
    if (question?.role === "user") void this.send(question.record.content, question.record.id);
  }

  private async send(text: string, replaceFrom: MessageId | null): Promise<void> {
    if (this.sending) return;
    this.standaloneError?.remove();
    this.standaloneError = null;
    const sending: Sending = {
      text,
      replaceFrom,
      conversationId: this.conversationId,
      answer: null,
      firstByteEpochMs: null,
      firstTokenSeen: false,
      stopRequested: false,
    };
    this.setSending(sending);
    let record: MessageRecord | null = null;
    try {
      // A conversation still loading would otherwise put its history after this exchange.
      await this.opening;
      record = await stream(
        "send_message",
        {
          projectId: this.host.projectId,
          conversationId: sending.conversationId,
          text,
          openFile: this.openFile(),
          recentFiles: this.host.documents.tabs.recentlyUsed.map((document) => document.path),
          replaceFrom,
        },
        (event) => this.onChatEvent(sending, event),
      );
      sending.answer?.finish(record);
    } catch (error) {
      this.showSendFailure(sending, error);
    } finally {
      this.setSending(null);
    }
    if (this.disposed) return;
    void this.refreshConversations();
    const answer = sending.answer;
    if (answer && (record?.state === "complete" || record?.state === "interrupted")) await this.proposeEdits(answer);
  }

  private setSending(sending: Sending | null): void {
    this.sending = sending;
    const busy = sending !== null;
    this.element.classList.toggle("streaming", busy);
    this.composer.setStreaming(busy);
    this.conversationSelect.disabled = busy;
    this.newButton.disabled = busy;
    this.renderConversationList();
    this.offerRegenerate();
  }

  /** The active editor's file, unsaved text and selection: what "this" in a question most likely means. */
  private openFile(): OpenFile | null {
    const document = this.host.documents.active;
    if (!document) return null;
    const { state } = document;
    const selection = state.selection.main;
    return {
      path: document.path,
      text: state.doc.toString(),
      selection: selection.empty ? null : state.sliceDoc(selection.from, selection.to),
      cursorLine: state.doc.lineAt(selection.head).number,
    };
  }

  private onChatEvent(sending: Sending, event: ChatEvent): void {
    if (this.sending !== sending) return;
    switch (event.type) {
      case "started": {
        const isNewConversation = this.conversationId !== event.conversationId;
        sending.conversationId = this.conversationId = event.conversationId;
        if (sending.replaceFrom !== null) this.removeEntriesFrom(sending.replaceFrom);
        this.addQuestion(event.userMessage);
        const answer = new AnswerView(event.answerId, "streaming", renderMarkdown, openSettings);
        answer.showContext(event.context);
        this.addAnswer(answer);
        sending.answer = answer;
        this.view.scrollToEnd();
        if (isNewConversation) void this.refreshConversations();
        // Stop was pressed before there was anything to stop.
        if (sending.stopRequested) this.cancel(sending);
        break;
      }
      case "firstByte":
        sending.firstByteEpochMs = event.atEpochMs;
        break;
      case "delta":
        this.showDelta(sending, event.text);
        break;
      case "retrying":
        sending.answer?.showRetrying(event.attempt, event.waitSeconds);
        break;
    }
  }

  private showDelta(sending: Sending, text: string): void {
    sending.answer?.appendDelta(text);
    this.view.follow();
    if (sending.firstTokenSeen) return;
    sending.firstTokenSeen = true;
    // For the benchmark: the token is in the page now; the frame that paints
    // it runs the callback below just before painting.
    const inPageEpochMs = performance.timeOrigin + performance.now();
    requestAnimationFrame(() => {
      const paintedEpochMs = performance.timeOrigin + performance.now();
      if (sending.firstByteEpochMs !== null) {
        window.__ffFirstTokenPaint = { firstByteEpochMs: sending.firstByteEpochMs, inPageEpochMs, paintedEpochMs };
      }
    });
  }

  private stop(): void {
    const sending = this.sending;
    if (!sending) return;
    sending.stopRequested = true;
    this.composer.markStopping();
    if (sending.answer) this.cancel(sending);
  }

  private cancel(sending: Sending): void {
    if (sending.conversationId === null) return;
    call("cancel_message", { conversationId: sending.conversationId }).catch((error: unknown) => showError(`Could not stop the answer: ${errorMessage(error)}`));
  }

  private showSendFailure(sending: Sending, error: unknown): void {
    const message = errorMessage(error);
    const code = isIpcError(error) ? error.code : null;
    if (sending.answer) {
      sending.answer.fail(message, code);
      return;
    }
    // Nothing was sent: the question goes back into the input, and Retry sends it again.
    this.composer.restore(sending.text, sending.replaceFrom);
    this.standaloneError = errorLine(message, code, { retry: () => this.composer.submit(), openSettings });
    this.view.append(this.standaloneError);
  }

  /** The open buffers, so edits are proposed against what the person sees (unsaved text included). */
  private buffers(): Buffer[] {
    return this.host.documents.tabs.all.map((document) => ({ path: document.path, text: document.state.doc.toString() }));
  }

  private async proposeEdits(answer: AnswerView): Promise<void> {
    let proposals: Proposals;
    try {
      proposals = await call("propose_edits", { projectId: this.host.projectId, messageId: answer.id, buffers: this.buffers() });
    } catch (error) {
      answer.proposals.replaceChildren(h("div", { className: "form-error", text: `Cannot read the edits this answer proposes: ${errorMessage(error)}` }));
      return;
    }
    const cards = proposals.files.map((file) => new ProposalCard(file, { apply: (card) => void this.applyProposal(answer, card) }));
    answer.proposals.replaceChildren(...(proposals.issues.length > 0 ? [issueList(proposals.issues)] : []), ...cards.map((card) => card.element));
    this.view.follow();
  }

  /**
   * Applies the accepted hunks to the file's editor buffer as one undoable,
   * unsaved edit, but only onto the very text the diff was made from.
   */
  private async applyProposal(answer: AnswerView, card: ProposalCard): Promise<void> {
    const file = card.proposal;
    card.setBusy(true);
    try {
      const merged = await call("merge_hunks", { oldText: file.oldText, newText: file.newText, accepted: card.acceptedHunks });
      if (file.creates) await this.createFile(file.path);
      const document = await this.host.documents.open(file.path);
      // Documents already told the person why it could not be opened.
      if (!document) return;
      if (document.state.doc.toString() !== file.oldText) {
        await this.refreshProposal(answer, card);
        return;
      }
      this.host.documents.replaceActiveText(merged, ASSISTANT_EDIT);
      card.finish("applied");
    } catch (error) {
      card.showError(`Could not apply the change: ${errorMessage(error)}`);
    } finally {
      card.setBusy(false);
    }
  }

  private async createFile(path: string): Promise<void> {
    try {
      await call("create_file", { projectId: this.host.projectId, path });
    } catch (error) {
      // Created meanwhile: comparing its text with the diff's decides what happens.
      if (!isIpcError(error, "already_exists")) throw error;
    }
  }

  /** The file changed since the diff was made: make it again against the current text. */
  private async refreshProposal(answer: AnswerView, card: ProposalCard): Promise<void> {
    const path = card.proposal.path;
    const proposals = await call("propose_edits", { projectId: this.host.projectId, messageId: answer.id, buffers: this.buffers() });
    const fresh = proposals.files.find((file) => file.path === path);
    if (fresh) card.replace(fresh, `${path} changed since this diff was made, so the diff was refreshed against its current text. Review it and apply again.`);
    else card.showError(`${path} changed since this diff was made and the proposed edits no longer apply to it.`);
  }
}
