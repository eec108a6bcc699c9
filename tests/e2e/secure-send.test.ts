import { createHash, randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSampleMailbox } from "../../shared/playground/sample-mailbox";
import { launchBrowser } from "../support/browser";
import { signInToPlayground, startE2eServer } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

/**
 * Sending from the pane, in Chromium against the real server: the playground signed in as a person
 * does it, "Send securely" opened on the mill's email (as a host command opens it), a text, a file
 * from this device and one of the email's attachments, a policy with expiry, maximum opens and a
 * passphrase. A first attempt whose file upload the network refuses names the file and the reason;
 * the second goes through, with progress, and the link lands in the fake host's outbox. A fresh
 * browser with only that link and the passphrase opens it, reads the text and downloads both files
 * byte for byte; the sender's "Sent securely" then shows the open, Revoke revokes, and the link
 * says so. The key appears in no request either browser made, nor in the server's output.
 */
describe("pane: send securely", () => {
  let server: RunningServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startE2eServer("e2e-secure-send");
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser.close();
    await server.stop();
  });

  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
  const text = "Hello Maria,\nthe mill certificates for delivery 7781 are attached. <b>not markup</b>";
  const passphrase = "blue harbour 42";
  // Three and a bit records of 64 KiB, so the record boundaries and the short last record are crossed.
  const localFile = { name: "delivery-7781-packing-list.bin", mimeType: "application/octet-stream", buffer: randomBytes(3 * 65_536 + 4321) };
  const mill = createSampleMailbox({ publicLink: "http://localhost/p/unused" }).find((m) => m.item.key === "msg-mill-certs");
  const attachmentName = "BSM-2026-11873_8H1234.pdf";
  const attachmentBytes = mill?.attachmentContent?.["att-bsm-11873"];

  /** A page whose every request (URL, headers, body) is kept, to look for the key afterwards. */
  async function recordedPage(): Promise<{ page: Page; requests: Promise<string>[]; errors: string[] }> {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const requests: Promise<string>[] = [];
    const errors: string[] = [];
    page.on("request", (r) => { requests.push(r.allHeaders().catch(() => r.headers()).then((h) => `${r.url()} ${JSON.stringify(h)} ${r.postData() ?? ""}`)); });
    page.on("pageerror", (e) => errors.push(e.message));
    return { page, requests, errors };
  }

  it("encrypts text and files in the pane, and only the link (and passphrase) opens them", async () => {
    expect(attachmentBytes, "the playground's mill email carries its certificate PDF").toBeDefined();
    const sender = await recordedPage();
    const { page } = sender;
    await signInToPlayground(page, server, "Walt Writer");
    await page.goto(`${server.url}/?startView=send-securely&item=msg-mill-certs`);
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await pane.getByRole("button", { name: "Encrypt and send" }).waitFor({ timeout: 30_000 });

    await pane.getByRole("textbox", { name: "Message" }).fill(text);
    await pane.getByLabel("Add files from this device").setInputFiles(localFile);
    await pane.getByText(localFile.name).waitFor();
    await pane.getByRole("checkbox", { name: `Attach from this email: ${attachmentName}` }).check();
    await pane.getByLabel("Expires after (days, at most 30)").fill("3");
    await pane.getByLabel("Maximum opens").fill("2");
    await pane.getByLabel("Passphrase (optional)").fill(passphrase);

    // First attempt: the upload of the first file fails at the network; the pane names the file and the step.
    const partRoute = `${server.url}/api/v1/messages/*/parts/1`;
    await page.route(partRoute, (route) => route.abort("connectionreset"));
    await pane.getByRole("button", { name: "Encrypt and send" }).click();
    const alert = pane.getByRole("alert");
    await expect.poll(() => alert.textContent(), { timeout: 30_000 }).toContain(`“${localFile.name}” was encrypted, but its upload failed; the link was not created. Try again. Reason: The SmartCert service could not be reached.`);
    await page.unroute(partRoute);

    // Second attempt goes through, showing progress on the way.
    await pane.getByRole("button", { name: "Encrypt and send" }).click();
    await pane.getByRole("progressbar").waitFor({ timeout: 10_000 });
    const linkField = pane.getByRole("textbox", { name: "Link" });
    await linkField.waitFor({ timeout: 60_000 });
    const link = await linkField.inputValue();
    const match = /\/m\/([0-9a-f-]{36})#([A-Za-z0-9_-]{43})$/.exec(link);
    if (!match?.[1] || !match[2]) throw new Error(`not a message link: ${link}`);
    const [, messageId, fragment] = match;

    await pane.getByRole("button", { name: "Insert link into the email" }).click();
    const outbox = page.getByTestId("outbox");
    await expect.poll(() => outbox.textContent(), { timeout: 15_000 }).toContain("Reply opened on msg-mill-certs");
    expect(await outbox.textContent()).toContain(`href="${link}"`);

    // The recipient: a fresh browser with only the link, then the passphrase.
    const reader = await recordedPage();
    await reader.page.goto(link);
    await reader.page.getByLabel("Passphrase").fill(passphrase);
    await reader.page.getByRole("button", { name: "Open message" }).click();
    await expect.poll(() => reader.page.locator("#text").textContent(), { timeout: 30_000 }).toBe(text);
    for (const [name, bytes] of [[localFile.name, localFile.buffer], [attachmentName, attachmentBytes ?? new Uint8Array()]] as const) {
      const [download] = await Promise.all([reader.page.waitForEvent("download"), reader.page.getByRole("button", { name: new RegExp(`Download ${name.replace(/\./g, "\\.")}`) }).click()]);
      expect(download.suggestedFilename()).toBe(name);
      expect(sha256(await readFile(await download.path())), name).toBe(sha256(bytes));
    }

    // The sender sees the open, revokes, and the link says it is gone.
    await pane.getByRole("button", { name: "Sent securely" }).click();
    const row = pane.getByRole("listitem", { name: messageId });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("Opened 1 of 2 times");
    await row.getByRole("button", { name: "Revoke" }).click();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("Revoked");
    const late = await recordedPage();
    await late.page.goto(link);
    await expect.poll(() => late.page.locator("#status").textContent(), { timeout: 15_000 }).toContain("no longer available");

    // The key went nowhere: no request from any of the three browsers carries it, nor did the server see it.
    for (const who of [sender, reader, late]) {
      const made = await Promise.all(who.requests);
      expect(made.length).toBeGreaterThan(2);
      for (const request of made) expect(request).not.toContain(fragment);
      expect(who.errors).toEqual([]);
    }
    expect(server.output()).not.toContain(fragment);
  }, 180_000);
});
