import { describe, expect, it } from "vitest";
import { createFakeAuth } from "../../shared/host/fake-host";
import { HostError, type MailItem } from "../../shared/host/host";
import { NOTIFICATION_ICON_ID, NOTIFICATION_KEY, OfficeHost } from "../../addin/office-host";
import { composeMessage, outlookMock, pdfBytes, readMessage, settle, type OutlookMock } from "./addin-office-fixtures";

const auth = createFakeAuth();

async function hostFor(mock: OutlookMock) {
  return OfficeHost.create({ office: mock.office, auth });
}

async function rejection(promise: Promise<unknown>): Promise<HostError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof HostError)) throw new Error(`expected a HostError, got ${String(error)}`);
  return error;
}

describe("OfficeHost on a read message", () => {
  it("maps the item's fields, language and theme", async () => {
    const host = await hostFor(outlookMock({ item: readMessage, bodyBackgroundColor: "#1f1f1f" }));
    expect(host.getCurrentItem()).toEqual({
      kind: "read",
      key: "read:AAMkAGI2TG93AAA=",
      hostItemId: "AAMkAGI2TG93AAA=",
      conversationId: "AAQkAGI2conv=",
      internetMessageId: "<AAMkAGI2TG93AAA=@mail.example>",
      subject: "PO 4500012345 certificates",
      from: { address: "sam@supplier.example", name: "Sam Supplier" },
      to: [{ address: "ada.admin@demo-metals.example", name: "Ada Admin" }],
      cc: [{ address: "qa@demo-metals.example" }],
      attachments: [
        { id: "att-1", name: "cert.pdf", contentType: "application/pdf", size: pdfBytes.length, isInline: false },
        { id: "att-2", name: "drawing (OneDrive)", contentType: "application/octet-stream", size: 10, isInline: false },
      ],
      receivedAt: "2026-11-20T09:15:00.000Z",
    });
    expect(host.getCurrentItem()).toBe(host.getCurrentItem());
    expect(host.locale).toBe("sv-SE");
    expect(host.theme).toBe("dark");
    expect(host.capabilities).toMatchObject({ hostName: "outlook", itemChangedEvents: true, attachmentContent: true, attachToCompose: true });
  });

  it("degrades on Mailbox 1.5: no attachment content, no attaching, reply form without attachments", async () => {
    const mock = outlookMock({ item: readMessage, mailboxVersion: "1.5" });
    const host = await hostFor(mock);
    expect(host.capabilities).toMatchObject({ itemChangedEvents: true, attachmentContent: false, attachToCompose: false, openReply: true });
    expect((await rejection(host.getAttachmentContent("read:AAMkAGI2TG93AAA=", "att-1"))).code).toBe("not-supported");
    await host.openReply({ html: "<p>cert</p>" });
    expect(mock.control.calls.at(-1)).toEqual({ method: "displayReplyForm", args: [{ htmlBody: "<p>cert</p>" }] });
    const file = { name: "cert.pdf", content: new Blob([pdfBytes]) };
    expect((await rejection(host.openReply({ html: "<p>x</p>", attachments: [file] }))).code).toBe("not-supported");
  });

  it("reads the body as text and refuses an item that is no longer selected", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    const key = host.getCurrentItem()?.key ?? "";
    await expect(host.getBodyText(key)).resolves.toBe("Please send the certs for heat H-7781.");
    expect(mock.control.calls.find((c) => c.method === "body.getAsync")?.args).toEqual(["text"]);
    mock.select(readMessage(mock.control, { itemId: "other" }));
    await settle();
    expect((await rejection(host.getBodyText(key))).code).toBe("item-not-current");
  });

  it("hands over attachment bytes typed with the declared content type; cloud attachments are refused", async () => {
    const host = await hostFor(outlookMock({ item: readMessage }));
    const key = host.getCurrentItem()?.key ?? "";
    const blob = await host.getAttachmentContent(key, "att-1");
    expect(blob.type).toBe("application/pdf");
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(pdfBytes);
    expect((await rejection(host.getAttachmentContent(key, "att-2"))).message).toMatch(/cloud attachment/u);
    expect((await rejection(host.getAttachmentContent(key, "nope"))).code).toBe("not-found");
  });

  it("opens the reply with HTML and base64 attachments through displayReplyFormAsync", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    await host.openReply({ html: "<p>Cert <b>C-1</b></p>", attachments: [{ name: "cert.pdf", content: new Blob([pdfBytes]) }] });
    expect(mock.control.calls.at(-1)).toEqual({
      method: "displayReplyFormAsync",
      args: [{ htmlBody: "<p>Cert <b>C-1</b></p>", attachments: [{ type: "base64", name: "cert.pdf", base64file: btoa(String.fromCharCode(...pdfBytes)) }] }],
    });
    await host.openReply({ html: "<p>all</p>", replyAll: true });
    expect(mock.control.calls.at(-1)?.method).toBe("displayReplyAllFormAsync");
  });

  it("shows notifications under one key, truncated to Outlook's 150 characters", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    await host.notify({ kind: "success", message: "x".repeat(200) });
    const [key, details] = mock.control.calls.at(-1)?.args ?? [];
    expect(key).toBe(NOTIFICATION_KEY);
    expect(details).toEqual({ type: "informationalMessage", message: `${"x".repeat(149)}…`, icon: NOTIFICATION_ICON_ID, persistent: false });
    await host.notify({ kind: "error", message: "Share cert failed." });
    expect(mock.control.calls.at(-1)?.args[1]).toEqual({ type: "errorMessage", message: "Share cert failed." });
  });

  it("turns a failed AsyncResult into a HostError naming what failed", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    mock.control.failNext.set("body.getAsync", "The item was deleted.");
    const error = await rejection(host.getBodyText(host.getCurrentItem()?.key ?? ""));
    expect(error.code).toBe("failed");
    expect(error.message).toBe("Outlook could not read the message body: The item was deleted.");
  });

  it("refuses compose actions on a read item", async () => {
    const host = await hostFor(outlookMock({ item: readMessage }));
    expect((await rejection(host.insertIntoCompose({ text: "x" }))).code).toBe("wrong-item-kind");
  });
});

describe("OfficeHost following the selection (pinned pane)", () => {
  it("registers for ItemChanged and emits the new item, then null when nothing is selected", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    expect(mock.control.calls.find((c) => c.method === "mailbox.addHandlerAsync")?.args).toEqual(["olkItemSelectedChanged"]);
    const seen: (MailItem | null)[] = [];
    host.onItemChanged((item) => seen.push(item));

    mock.select(readMessage(mock.control, { itemId: "second", subject: "Heat H-9" }));
    await settle();
    mock.select(null);
    await settle();
    expect(seen.map((item) => item?.subject ?? null)).toEqual(["Heat H-9", null]);
    expect(host.getCurrentItem()).toBeNull();
    expect((await rejection(host.getBodyText("read:second"))).code).toBe("no-item");
  });

  it("still starts when Outlook refuses the ItemChanged handler, and says it will not follow", async () => {
    const host = await hostFor(outlookMock({ item: readMessage, refuseItemChanged: true }));
    expect(host.capabilities.itemChangedEvents).toBe(false);
    expect(host.getCurrentItem()?.subject).toBe("PO 4500012345 certificates");
  });

  it("does not emit when the same message is selected again", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    let calls = 0;
    host.onItemChanged(() => calls++);
    mock.select(readMessage(mock.control));
    await settle();
    expect(calls).toBe(0);
  });
});

describe("OfficeHost in compose", () => {
  it("reads the draft through getAsync and inserts HTML at the cursor", async () => {
    const mock = outlookMock({ item: composeMessage });
    const host = await hostFor(mock);
    expect(host.getCurrentItem()).toMatchObject({
      kind: "compose",
      hostItemId: null,
      subject: "RE: PO 4500012345 certificates",
      to: [{ address: "sam@supplier.example", name: "Sam Supplier" }],
      cc: [],
      inReplyToInternetMessageId: null,
    });
    await host.insertIntoCompose({ html: "<a href=\"https://x.example/p/1\">C-1</a>" });
    expect(mock.control.calls.at(-1)).toEqual({ method: "body.setSelectedDataAsync", args: ["<a href=\"https://x.example/p/1\">C-1</a>", { coercionType: "html" }] });
    await host.insertIntoCompose({ text: "C-1" });
    expect(mock.control.calls.at(-1)?.args[1]).toEqual({ coercionType: "text" });
    expect((await rejection(host.openReply({ html: "x" }))).code).toBe("wrong-item-kind");
  });

  it("attaches files as base64 and refuses files over Outlook's base64 limit before encoding", async () => {
    const mock = outlookMock({ item: composeMessage });
    const host = await hostFor(mock);
    await host.attachToCompose({ name: "cert.pdf", content: new Blob([pdfBytes], { type: "application/pdf" }) });
    expect(mock.control.calls.at(-1)).toEqual({ method: "addFileAttachmentFromBase64Async", args: [btoa(String.fromCharCode(...pdfBytes)), "cert.pdf"] });

    const calls = mock.control.calls.length;
    const tooBig = { name: "scan.pdf", content: new Blob([new Uint8Array(21 * 1024 * 1024)]) };
    const error = await rejection(host.attachToCompose(tooBig));
    expect(error.message).toBe("scan.pdf is 21.0 MB; Outlook attaches files up to about 25 MB. Share it as a SmartCert link instead.");
    expect(mock.control.calls.length).toBe(calls);
  });
});

describe("OfficeHost call limit", () => {
  it("never has more than 3 Office.js calls in flight", async () => {
    const mock = outlookMock({ item: readMessage });
    const host = await hostFor(mock);
    const key = host.getCurrentItem()?.key ?? "";
    mock.control.deferred = true;
    const reads = Array.from({ length: 7 }, () => host.getBodyText(key));
    await settle();
    expect(mock.control.pending).toHaveLength(3);
    let completed = 0;
    while (mock.control.pending.length > 0) {
      expect(mock.control.pending.length).toBeLessThanOrEqual(3);
      mock.control.pending.shift()?.();
      completed++;
      await settle();
    }
    expect(completed).toBe(7);
    await expect(Promise.all(reads)).resolves.toHaveLength(7);
  });
});
