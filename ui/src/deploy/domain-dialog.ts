import type { DomainStatus, TargetView } from "../bindings";
import { copyText } from "../code-blocks";
import { h } from "../dom";
import { call } from "../ipc";
import { showDialog } from "../modal";
import { actionButton, dialogButtons, submitForm, textInput } from "../widgets";
import { type DnsRow, dnsRows, domainStatusText, zoneFileLine } from "./dns";
import { failureText } from "./widgets";

function copyButton(className: string, label: string, text: () => string): HTMLButtonElement {
  const button: HTMLButtonElement = actionButton(label, () => copyText(button, text()), { className });
  return button;
}

function recordRow(row: DnsRow): HTMLElement {
  return h(
    "tr",
    { className: "dns-record", attributes: { "data-type": row.type } },
    h("td", { className: "dns-type", text: row.type }),
    h("td", { className: "dns-name", title: row.name }, h("code", { text: row.host }), h("span", { className: "dns-full-name", text: row.name })),
    h("td", { className: "dns-value" }, h("code", { text: row.value })),
    h(
      "td",
      { className: "dns-copy" },
      copyButton("dns-copy-name", "Copy name", () => row.host),
      copyButton("dns-copy-value", "Copy value", () => row.value),
    ),
  );
}

function statusView(status: DomainStatus): HTMLElement[] {
  const rows = dnsRows(status);
  const head = h("tr", {}, ...["Type", "Name", "Value", ""].map((title) => h("th", { text: title })));
  return [
    h("p", { className: `domain-verified${status.verified ? " verified" : ""}`, text: domainStatusText(status), attributes: { "data-verified": String(status.verified) } }),
    ...(rows.length === 0
      ? []
      : [
          h("table", { className: "dns-records" }, h("thead", {}, head), h("tbody", {}, ...rows.map(recordRow))),
          copyButton("dns-copy-all", "Copy as zone file lines", () => status.records.map(zoneFileLine).join("\n")),
        ]),
  ];
}

/** Adds a custom domain to a target and shows the DNS records it needs. */
export async function addDomain(target: TargetView, name: string): Promise<void> {
  const input = textInput({ id: "domain-input", label: "Domain", placeholder: "www.example.com" });
  const addButton = actionButton("Add", null, { id: "domain-add", kind: "primary", type: "submit", size: "full" });
  const error = h("div", { className: "form-error", attributes: { role: "alert" } });
  const result = h("div", { id: "domain-status", className: "domain-status" });
  const add = async () => {
    const domain = input.value.trim();
    if (domain === "") {
      input.focus();
      return;
    }
    addButton.disabled = true;
    error.textContent = "";
    try {
      result.replaceChildren(...statusView(await call("add_domain", { targetId: target.id, domain })));
    } catch (failure) {
      error.textContent = failureText(failure);
    } finally {
      addButton.disabled = false;
    }
  };
  await showDialog({
    title: `Custom domain · ${name}`,
    className: "modal-wide deploy-domain-dialog",
    cancelAction: "close",
    content: (close) => [
      submitForm("modal-form deploy-form", () => void add(), h("div", { className: "input-row" }, input, addButton), error),
      result,
      dialogButtons(close, "Close"),
    ],
  });
}
