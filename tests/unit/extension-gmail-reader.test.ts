// @vitest-environment jsdom
import fs from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { certHtml } from "../../shared/actions/cert-html";
import { htmlNodeSchema, toContentSchema } from "../../extension/common/messages";
import { AttachmentUnavailableError, CHUNK_BYTES, streamAttachment } from "../../extension/content/attachments";
import { insertAtCursor } from "../../extension/content/compose";
import { readGmailView, type GmailSnapshot } from "../../extension/content/gmail-reader";
import { parseDownloadUrl, threadIdFromHash } from "../../extension/content/gmail-selectors";
import { htmlToNodes } from "../../extension/sidebar/html-to-nodes";

/**
 * The content script's reading and writing of Gmail's DOM, on the same fixture pages the
 * end-to-end tests serve as Gmail: both DOM variants, compose, an unreadable view, attachments,
 * and insertion without HTML parsing in the page.
 */
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/gmail");
const THREAD_HASH = "#inbox/FMfcgzQXJWDsKmJhNQpBbbXfKrNnpQrk";

function load(fixture: string): void {
  document.documentElement.innerHTML = fs.readFileSync(path.join(FIXTURES, fixture), "utf8").replace(/^<!doctype html>/iu, "");
}

function read(hash: string, focusedCompose: Element | null = null): GmailSnapshot {
  return readGmailView({ document, hash, focusedCompose, composeKey: () => "compose-1" });
}

beforeEach(() => {
  document.documentElement.innerHTML = "";
});

describe("reading a Gmail thread", () => {
  it("reads the expanded message: ids, subject, sender, recipients, date, attachments", () => {
    load("thread.html");
    const { item, miss, view, attachmentSources } = read(THREAD_HASH);
    expect(miss).toBeNull();
    expect(view).toBe("thread");
    expect(item).toMatchObject({
      kind: "read",
      key: "gmail:1938c1f0a0b0c0d1",
      hostItemId: "1938c1f0a0b0c0d1",
      conversationId: "1938c1f0a0b0c0d1",
      subject: "Certs for PO 4512, heat 8H1234",
      from: { address: "maria.jensen@nordicfab.example", name: "Maria Jensen" },
      to: [{ address: "walt.writer@demo-metals.example", name: "me" }],
      cc: [],
    });
    expect(item?.kind === "read" && item.receivedAt.startsWith("2026-11-2")).toBe(true);
    expect(item?.attachments).toEqual([
      { id: "1938c1f0a0b0c0d1:0", name: "mill-cert 4512.pdf", contentType: "application/pdf", size: 0, isInline: false },
      { id: "1938c1f0a0b0c0d1:1", name: "drawing.dwg", contentType: "application/octet-stream", size: 0, isInline: false },
    ]);
    expect(attachmentSources.get("1938c1f0a0b0c0d1:0")).toEqual({ url: expect.stringContaining("https://mail.google.com/mail/u/0?ui=2&ik=0a1b2c3d4e&attid=0.1") as unknown });
    expect(attachmentSources.get("1938c1f0a0b0c0d1:1")).toEqual({ unavailable: "Gmail shows no download link for this attachment." });
  });

  it("reads the second DOM variant through the fallback selectors", () => {
    load("thread-variant.html");
    const { item, miss } = read(THREAD_HASH);
    expect(miss).toBeNull();
    expect(item).toMatchObject({
      kind: "read",
      hostItemId: "1938c1f0a0b0c778",
      conversationId: "1938c1f0a0b0c777",
      subject: "Heat 9K7788 certs",
      from: { address: "lars.berg@balticsteel.example", name: "Lars Berg" },
      to: [{ address: "walt.writer@demo-metals.example", name: "me" }],
      attachments: [{ name: "heat-9K7788.pdf", contentType: "application/pdf" }],
    });
  });

  it("reports a miss, not an item, when a thread is open but nothing matches", () => {
    load("unreadable.html");
    expect(read(THREAD_HASH)).toMatchObject({ view: "thread", item: null, miss: "no message found" });
  });

  it("has no item and no miss in a list view", () => {
    load("unreadable.html");
    expect(read("#inbox")).toMatchObject({ view: "list", item: null, miss: null });
  });
});

describe("reading a compose form", () => {
  it("prefers the compose form, with its subject and recipients", () => {
    load("compose.html");
    const { item, view } = read("#inbox");
    expect(view).toBe("compose");
    expect(item).toMatchObject({ kind: "compose", key: "compose-1", subject: "Your certs", to: [{ address: "maria.jensen@nordicfab.example", name: "Maria Jensen" }] });
  });
});

describe("Gmail URL facts", () => {
  it("finds the thread token in the fragment", () => {
    expect(threadIdFromHash(THREAD_HASH)).toBe("FMfcgzQXJWDsKmJhNQpBbbXfKrNnpQrk");
    expect(threadIdFromHash("#label/Suppliers%2FNordic/FMfcgzQXJWDsKmJhNQpBbbXfKrNnpQrk")).toBe("FMfcgzQXJWDsKmJhNQpBbbXfKrNnpQrk");
    expect(threadIdFromHash("#inbox/1938c1f0a0b0c0d1")).toBe("1938c1f0a0b0c0d1");
    expect(threadIdFromHash("#inbox")).toBeNull();
    expect(threadIdFromHash("#settings/general")).toBeNull();
  });

  it("parses download_url, including colons in file names, and only for https", () => {
    expect(parseDownloadUrl("application/pdf:cert: 12:30.pdf:https://mail.google.com/mail/u/0?attid=0.1")).toEqual({
      contentType: "application/pdf",
      name: "cert: 12:30.pdf",
      url: "https://mail.google.com/mail/u/0?attid=0.1",
    });
    expect(parseDownloadUrl("application/pdf:x.pdf:http://mail.google.com/x")).toBeNull();
    expect(parseDownloadUrl("garbage")).toBeNull();
  });
});

describe("inserting into a compose body", () => {
  it("turns the pane's HTML into allow-listed nodes and builds them at the saved cursor", () => {
    load("compose.html");
    const body = document.querySelector("div[contenteditable='true']");
    const marker = document.getElementById("cursor-here");
    if (!body || !marker) throw new Error("fixture changed");
    const range = document.createRange();
    range.setStartBefore(marker);
    range.collapse(true);
    let inputs = 0;
    body.addEventListener("input", () => inputs++);

    const html = certHtml({ title: "Plate <b>20</b> mm", poNumbers: ["4512"], heatNumbers: [], certNumbers: [] }, "https://smartcert.example/p/abc", { intro: "Cert:", po: "PO", heat: "Heat", cert: "Cert", linkLabel: "Open" });
    insertAtCursor(body, htmlToNodes(html), range);

    const link = body.querySelector("a");
    expect(link?.getAttribute("href")).toBe("https://smartcert.example/p/abc");
    expect(link?.getAttribute("rel")).toBe("noopener noreferrer");
    expect(body.querySelector("strong")?.textContent).toBe("Plate <b>20</b> mm");
    expect(body.querySelector("b")).toBeNull();
    const text = body.textContent;
    expect(text.indexOf("here they are:")).toBeLessThan(text.indexOf("Plate"));
    expect(text.indexOf("Plate")).toBeLessThan(text.indexOf("Best regards"));
    expect(inputs).toBe(1);
  });

  it("drops scripts, event handlers and non-http links before anything reaches Gmail", () => {
    const nodes = htmlToNodes(`<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(2)">bad</a> <a href="https://ok.example/">ok</a><img src=x onerror=alert(3)></p>`);
    expect(nodes).toEqual([{ tag: "p", children: ["Hi ", { tag: "a", children: ["bad"] }, " ", { tag: "a", href: "https://ok.example/", children: ["ok"] }] }]);
    expect(htmlNodeSchema.safeParse({ tag: "script", children: [] }).success).toBe(false);
    expect(htmlNodeSchema.safeParse({ tag: "a", href: "javascript:alert(1)", children: [] }).success).toBe(false);
    expect(toContentSchema.safeParse({ type: "call", id: 1, call: { method: "eval", code: "x" } }).success).toBe(false);
  });
});

describe("streaming an attachment", () => {
  it("passes the bytes on in bounded pieces, in order", async () => {
    const bytes = new Uint8Array(CHUNK_BYTES * 2 + 1000).map((_, i) => i % 251);
    const pieces: Uint8Array[] = [];
    const fetchImpl: typeof fetch = (_url, init) => {
      expect(init?.credentials).toBe("include");
      // Delivered in uneven network-sized reads.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 70_000) controller.enqueue(bytes.slice(i, i + 70_000));
          controller.close();
        },
      });
      return Promise.resolve(new Response(stream, { status: 200 }));
    };
    await streamAttachment({ url: "https://mail.google.com/mail/u/0?view=att" }, (piece) => pieces.push(piece), fetchImpl);
    expect(pieces.map((p) => p.length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 1000]);
    expect(Buffer.concat(pieces).equals(Buffer.from(bytes))).toBe(true);
  });

  it("says why an attachment cannot be read", async () => {
    await expect(streamAttachment({ unavailable: "no link" }, () => undefined)).rejects.toThrow(AttachmentUnavailableError);
    const forbidden: typeof fetch = () => Promise.resolve(new Response("", { status: 403 }));
    await expect(streamAttachment({ url: "https://mail.google.com/x" }, () => undefined, forbidden)).rejects.toThrow("Gmail answered 403");
    const blocked: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    await expect(streamAttachment({ url: "https://mail.google.com/x" }, () => undefined, blocked)).rejects.toThrow(/did not let the extension download/);
  });
});
