import { describe, expect, it } from "vitest";
import { FakeHost, createFakeAuth } from "../../shared/host/fake-host";
import { HostError, type MailItem } from "../../shared/host/host";
import { sampleMailbox } from "../../shared/playground/sample-mailbox";

function newHost(initialItemKey: string | null = null) {
  return new FakeHost({ mailbox: sampleMailbox, initialItemKey });
}

describe("FakeHost", () => {
  it("emits item-changed with the new item, and null when nothing is selected", () => {
    const host = newHost();
    const seen: (MailItem | null)[] = [];
    const stop = host.onItemChanged((item) => seen.push(item));

    host.select("msg-po-4512");
    host.select("msg-po-4512"); // same item: no event
    host.select("draft-reply-4512");
    host.select(null);
    stop();
    host.select("msg-mill-certs"); // unsubscribed: no event

    expect(seen.map((item) => item?.key ?? null)).toEqual(["msg-po-4512", "draft-reply-4512", null]);
    expect(host.getCurrentItem()?.key).toBe("msg-mill-certs");
  });

  it("returns the same item object until the selection changes (useSyncExternalStore-safe)", () => {
    const host = newHost("msg-po-4512");
    expect(host.getCurrentItem()).toBe(host.getCurrentItem());
    const item = host.getCurrentItem();
    expect(item?.kind === "read" ? item.internetMessageId : null).toBe("<c8f1a2b3.4512@nordicfab.example>");
  });

  it("hands out body text and attachment content only for the current item", async () => {
    const host = newHost("msg-mill-certs");
    await expect(host.getBodyText("msg-mill-certs")).resolves.toContain("delivery 7781");

    const blob = await host.getAttachmentContent("msg-mill-certs", "att-bsm-11873");
    expect(blob.type).toBe("application/pdf");
    const text = new TextDecoder().decode(await blob.arrayBuffer());
    expect(text.startsWith("%PDF-1.4")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
    // The xref offset given after startxref points at the xref table.
    const startxref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 4)).toBe("xref");

    await expect(host.getBodyText("msg-po-4512")).rejects.toMatchObject({ code: "item-not-current" });
    await expect(host.getAttachmentContent("msg-mill-certs", "nope")).rejects.toMatchObject({ code: "not-found" });
    host.select(null);
    await expect(host.getBodyText("msg-mill-certs")).rejects.toBeInstanceOf(HostError);
  });

  it("records compose insertions, replies, attachments and notifications in the outbox", async () => {
    const host = newHost("draft-reply-4512");
    const snapshots: number[] = [];
    host.onOutboxChanged((outbox) => snapshots.push(outbox.length));

    await host.insertIntoCompose({ html: "<p>Cert: <a href=\"https://example\">8H1234</a></p>" });
    await host.attachToCompose({ name: "cert.pdf", content: new Blob(["%PDF"], { type: "application/pdf" }) });
    await expect(host.openReply({ html: "<p>hi</p>" })).rejects.toMatchObject({ code: "wrong-item-kind" });

    host.select("msg-po-4512");
    await expect(host.insertIntoCompose({ text: "x" })).rejects.toMatchObject({ code: "wrong-item-kind" });
    await host.openReply({ html: "<p>Here you go</p>", replyAll: true });
    await host.notify({ kind: "success", message: "Shared." });

    expect(snapshots).toEqual([1, 2, 3, 4]);
    expect(host.outbox).toEqual([
      { kind: "inserted", itemKey: "draft-reply-4512", content: { html: "<p>Cert: <a href=\"https://example\">8H1234</a></p>" } },
      { kind: "attached", itemKey: "draft-reply-4512", name: "cert.pdf", type: "application/pdf", size: 4 },
      { kind: "reply-opened", itemKey: "msg-po-4512", html: "<p>Here you go</p>", replyAll: true, attachments: [] },
      { kind: "notified", notification: { kind: "success", message: "Shared." } },
    ]);
  });

  it("refuses what its capabilities exclude", async () => {
    const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: "draft-reply-4512", capabilities: { insertIntoCompose: false } });
    expect(host.capabilities.insertIntoCompose).toBe(false);
    await expect(host.insertIntoCompose({ text: "x" })).rejects.toMatchObject({ code: "not-supported" });
  });

  it("has a fake sign-in that hands out a token only while signed in", async () => {
    const auth = createFakeAuth();
    await expect(auth.getAccessToken()).resolves.toBeNull();
    await expect(auth.signIn()).resolves.toBe("signed-in");
    await expect(auth.getAccessToken()).resolves.toBe("fake-token");
    await auth.signOut();
    await expect(auth.getAccount()).resolves.toBeNull();
  });
});
