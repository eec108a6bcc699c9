import type { Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import type { Cert } from "../../shared/protocol/certs";
import { apiSignedInAs, startE2eServer } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";
import {
  GMAIL_INBOX_URL,
  GMAIL_THREAD_URL,
  buildExtensionFor,
  launchWithExtension,
  routeGmail,
  sidebarFrame,
  signInThroughSidebar,
  type ExtensionBrowser,
  type GmailRoutes,
} from "./extension-harness";

/**
 * The Gmail extension end to end: the built MV3 extension in Chromium, Gmail played by fixture
 * pages, the real server. Signing in goes through chrome.identity.launchWebAuthFlow and the local
 * provider's page; the sidebar shows the open email; the toolbar's "Share cert" shares and puts the
 * link into a Gmail reply; the pane inserts into a compose body; an unreadable view says so.
 */
describe("Gmail extension in Chromium", () => {
  let server: RunningServer;
  let api: ApiClient;
  let cert: Cert;
  let ext: ExtensionBrowser;
  let gmail: GmailRoutes;
  let page: Page;
  let sidebar: Frame;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    server = await startE2eServer("e2e-extension");
    cleanups.push(() => server.stop());
    const extensionDir = await buildExtensionFor(server.url);
    api = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    cert = await api.createCert({ title: "Plate S355J2+N 20 mm (gmail e2e)", poNumbers: ["4512"], heatNumbers: ["8H1234"], product: "Plate" });
    ext = await launchWithExtension(extensionDir);
    cleanups.push(() => ext.context.close());
    gmail = await routeGmail(ext.context, { "msg-f:1817411109999000001": new TextEncoder().encode("%PDF-1.4 mill cert 4512\n%%EOF\n") });
    page = await ext.context.newPage();
  });

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function openGmail(fixture: string, url: string): Promise<Frame> {
    gmail.fixture = fixture;
    // A fresh document each time (going to a URL that differs only in its fragment would not reload).
    await page.goto("about:blank");
    await page.goto(url);
    sidebar = await sidebarFrame(page, ext.extensionId);
    return sidebar;
  }

  it("signs in through launchWebAuthFlow and shows the open email's context; tokens stay out of Gmail's page", async () => {
    await openGmail("thread.html", GMAIL_THREAD_URL);
    await signInThroughSidebar(ext.context, sidebar, "Walt Writer");

    await expect.poll(() => sidebar.getByTestId("current-item-subject").textContent(), { timeout: 15_000 }).toBe("Certs for PO 4512, heat 8H1234");
    // The sender was looked up by the address read from Gmail's DOM: Maria is not on the network.
    await expect.poll(() => sidebar.getByTestId("email-tab").textContent(), { timeout: 15_000 }).toContain("Not on the SmartCert network");
    expect(await sidebar.getByTestId("email-tab").textContent()).toContain("From Maria Jensen");

    // The ID token lives in storage.session, readable by the extension only; Gmail's DOM never has it.
    const token = await ext.worker.evaluate(async () => {
      const { chrome: api } = globalThis as unknown as { chrome: { storage: { session: { get(key: string): Promise<Record<string, { idToken?: string } | undefined>> } } } };
      const stored = await api.storage.session.get("smartcert.session");
      return stored["smartcert.session"]?.idToken ?? "";
    });
    expect(token.split(".")).toHaveLength(3);
    expect(await page.content()).not.toContain(token);
    expect(await page.content()).not.toContain("Walt Writer");
  });

  it("signs out (the session leaves storage.session) and signs in again through the provider's page", async () => {
    await openGmail("thread.html", GMAIL_THREAD_URL);
    await sidebar.getByRole("button", { name: "Sign out" }).click();
    await sidebar.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    const stored = await ext.worker.evaluate(async () => {
      const { chrome: api } = globalThis as unknown as { chrome: { storage: { session: { get(key: null): Promise<Record<string, unknown>> } } } };
      return Object.keys(await api.storage.session.get(null));
    });
    expect(stored).not.toContain("smartcert.session");
    // After a sign-out the provider is asked to show its sign-in page again (prompt=login).
    await signInThroughSidebar(ext.context, sidebar, "Walt Writer");
  });

  it("shares the cert from Gmail's message toolbar and puts its public link into a Gmail reply", async () => {
    await openGmail("thread.html", GMAIL_THREAD_URL);
    await expect.poll(() => sidebar.getByTestId("current-item-subject").textContent(), { timeout: 15_000 }).toBe("Certs for PO 4512, heat 8H1234");

    await page.getByRole("button", { name: "Share cert" }).click();
    await expect.poll(() => sidebar.getByTestId("gmail-command-status").textContent(), { timeout: 15_000 }).toContain(cert.title);

    // Maria is not on the network, so the reply carries the cert's (newly enabled) public link.
    const serverView = await api.getCert(cert.id);
    expect(serverView.publicLink?.enabled).toBe(true);
    const link = serverView.publicLink?.url ?? "";
    expect(link).toMatch(new RegExp(`^${server.url}/p/[A-Za-z0-9_-]{16,}$`));
    const replyBody = page.locator("div.M9 div.Am[contenteditable='true']");
    await expect.poll(() => replyBody.locator(`a[href="${link}"]`).count()).toBe(1);
    // Inserted above the quoted original, as elements (no HTML string was parsed in Gmail's page).
    expect(await replyBody.evaluate((body) => body.firstElementChild?.tagName)).toBe("P");
    expect(await replyBody.locator("strong").textContent()).toBe(cert.title);
  });

  it("creates a cert from an attachment Gmail serves to the signed-in user (no Gmail API)", async () => {
    await openGmail("thread.html", GMAIL_THREAD_URL);
    await sidebar.getByRole("button", { name: "Create cert from attachments" }).click();
    const attachments = sidebar.getByTestId("create-attachments");
    await attachments.waitFor();
    expect(await attachments.getByRole("checkbox", { name: /mill-cert 4512\.pdf/ }).isChecked()).toBe(true);
    expect(await attachments.getByRole("checkbox", { name: /drawing\.dwg/ }).isChecked()).toBe(false);
    await sidebar.getByRole("textbox", { name: /Title/ }).fill("Mill cert from Gmail (e2e)");
    await sidebar.getByRole("button", { name: "Create", exact: true }).click();

    // The bytes came from Gmail's download URL, fetched with the user's Gmail session cookie.
    let created: Cert | undefined;
    await expect
      .poll(async () => {
        created = (await api.listCerts({ q: "Mill cert from Gmail", scope: "owned", limit: 10 })).items[0];
        return created ? (await api.listDocuments(created.id)).items.length : 0;
      }, { timeout: 20_000 })
      .toBe(1);
    expect(gmail.attachmentRequests).toEqual([{ url: expect.stringContaining("attid=0.1") as unknown, withSession: true }]);
    const certId = created?.id ?? "";
    const [document] = (await api.listDocuments(certId)).items;
    expect(document?.versions.map((v) => v.fileName)).toEqual(["mill-cert 4512.pdf"]);
    const { url } = await api.getDocumentUrl(certId, document?.id ?? "");
    const downloaded = new Uint8Array(await (await fetch(new URL(url, server.url))).arrayBuffer());
    expect(new TextDecoder().decode(downloaded)).toBe("%PDF-1.4 mill cert 4512\n%%EOF\n");
  });

  it("inserts a cert link at the cursor of a Gmail compose body from the compose toolbar's Insert cert", async () => {
    await openGmail("compose.html", GMAIL_INBOX_URL);
    // Put the cursor where the user would type, then work in the sidebar.
    await page.locator("#cursor-here").evaluate((marker) => {
      const range = document.createRange();
      range.setStartBefore(marker);
      range.collapse(true);
      (marker.closest("[contenteditable]") as HTMLElement).focus();
      const selection = document.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    });
    // Gmail's compose toolbar got our buttons; "Insert cert" opens the pane's certs in insert mode.
    await page.getByRole("button", { name: "Insert cert" }).click();
    await sidebar.getByRole("button", { name: `Insert a link to “${cert.title}” into the email` }).click();

    const body = page.locator("div[role='dialog'] div.Am[contenteditable='true']");
    await expect.poll(() => body.locator("a[href*='/p/']").count(), { timeout: 15_000 }).toBe(1);
    const text = await body.textContent();
    expect(text?.indexOf("here they are:")).toBeLessThan(text?.indexOf(cert.title) ?? -1);
    expect(text?.indexOf(cert.title)).toBeLessThan(text?.indexOf("Best regards") ?? -1);

    // "Send securely" opens the pane's send-securely view (shared/secure, registered by default);
    // a passphrase makes the crypto worker compile Argon2id's WebAssembly under the extension's CSP.
    await page.getByRole("button", { name: "Send securely" }).click();
    await sidebar.getByRole("button", { name: "Encrypt and send" }).waitFor();
    await sidebar.getByRole("textbox", { name: "Message" }).fill("Drawings for the heat, as agreed.");
    await sidebar.getByLabel("Passphrase (optional)").fill("blue harbour 42");
    await sidebar.getByRole("button", { name: "Encrypt and send" }).click();
    const link = sidebar.getByRole("textbox", { name: "Link" });
    await link.waitFor({ timeout: 60_000 });
    expect(await link.inputValue()).toMatch(/\/m\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}$/);
  });

  it("reads the second DOM variant through the fallback selectors", async () => {
    await openGmail("thread-variant.html", GMAIL_THREAD_URL);
    await expect.poll(() => sidebar.getByTestId("current-item-subject").textContent(), { timeout: 15_000 }).toBe("Heat 9K7788 certs");
    await expect.poll(() => sidebar.getByTestId("email-tab").textContent()).toContain("From Lars Berg");
    expect(await sidebar.getByTestId("email-tab").textContent()).toContain("1 attachment");
  });

  it("drops malformed messages in the service worker, and Gmail's page cannot reach the extension at all", async () => {
    await openGmail("thread.html", GMAIL_THREAD_URL);
    const answer = await sidebar.evaluate(async () => {
      const { chrome: api } = globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };
      return api.runtime.sendMessage({ type: "auth/steal-token" }).catch((error: unknown) => (error instanceof Error ? "no answer" : "?"));
    });
    expect(answer ?? "no answer").toBe("no answer");
    await expect.poll(() => ext.workerLog.join("\n")).toContain("SmartCert: dropped a malformed message.");
    // No externally_connectable: the page's own scripts have no runtime to message the extension with.
    expect(await page.evaluate(() => typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage)).toBe("undefined");
  });

  it("says plainly that it cannot read a view the selectors do not know, and reports the miss", async () => {
    await openGmail("unreadable.html", GMAIL_THREAD_URL);
    await sidebar.getByTestId("gmail-view-miss").waitFor();
    await sidebar.getByText("Select an email to see its SmartCert context.").waitFor();
    await expect.poll(() => ext.workerLog.join("\n")).toContain("could not read the Gmail thread view: no message found");
  });
});
