import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { encryptManifest } from "../../shared/crypto/manifest";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { launchBrowser } from "../support/browser";
import { tempDir } from "../support/databases";
import { apiSignedInAs, signInToPlayground } from "../support/e2e-server";
import { REPO_ROOT, startServer, type RunningServer } from "../support/server-process";

/**
 * Sign-in and secure reply in the reader, in Chromium against the real server and the local
 * OpenID provider: the sender sends (through the API) to one named recipient; a fresh browser with
 * only the link signs in, is refused on a wrong account with a message naming it, switches
 * account, opens, and replies with text and a file; the sender signs in on the reply's link and
 * decrypts it. Neither key appears in any request any page made, in the data directory or in the
 * server's logs, and the link key is not left in sessionStorage after the round trip.
 */
const SENDER_EMAIL = "walt.writer@demo-metals.example";
const RECIPIENT = "buyer@customer.example";

describe("sign-in and secure reply in the reader (Chromium)", () => {
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;
  let dataDir: string;
  const requests: Promise<{ url: string; text: string }>[] = [];
  const cspErrors: string[] = [];

  beforeAll(async () => {
    for (const built of ["dist/reader/index.html", "dist/web/index.html"]) if (!existsSync(path.join(REPO_ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does).`);
    dataDir = tempDir("messages-reply-e2e");
    server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: "info" });
    api = await apiSignedInAs(server, SENDER_EMAIL);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  /** A fresh browser profile; every request it makes is recorded as "URL headers body". */
  async function freshPage(): Promise<{ page: Page; close: () => Promise<void> }> {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.on("request", (r) => {
      requests.push(r.allHeaders().catch(() => r.headers()).then((headers) => ({ url: r.url(), text: `${r.url()} ${JSON.stringify(headers)} ${r.postData() ?? ""}` })));
    });
    page.on("console", (m) => { if (m.type() === "error" && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });
    return { page, close: () => context.close() };
  }

  async function send(text: string) {
    const linkKey = generateLinkKey();
    const fragment = encodeLinkKey(linkKey);
    const key = await messageKeyFrom(linkKey);
    const created = await api.createMessage({ partCount: 1, recipients: [RECIPIENT] });
    await api.uploadMessagePart(created.message.id, 0, new Blob([await encryptManifest(key, { v: 1, text, files: [] })]));
    const done = await api.completeMessage(created.message.id);
    return { id: created.message.id, fragment, link: `${done.url}#${fragment}` };
  }

  /** On the local provider's page: a listed demo user's button, or any email in the free-form field. */
  async function signInOnProvider(page: Page, who: { button: string } | { email: string }) {
    await page.waitForURL(/\/dev-login\//);
    if ("button" in who) await page.getByRole("button", { name: who.button }).click();
    else {
      await page.getByRole("textbox", { name: "Email" }).fill(who.email);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
    }
    await page.waitForURL((url) => url.pathname.startsWith("/m/") && url.pathname !== "/m/signed-in");
  }

  it("recipient signs in (wrong account refused, then switched), opens, replies; the sender signs in on the reply and decrypts it", async () => {
    const original = await send("Hello,\nthe certificates for PO 7731 are ready.");
    const replyText = "Thanks Walt — the heat numbers match. Signed delivery note attached.";
    const note = Buffer.from("%PDF-1.7 delivery note 7731 ".repeat(5000));
    let replyLink = "";

    const recipient = await freshPage();
    try {
      const { page } = recipient;
      await page.goto(original.link);
      await expect.poll(() => page.locator("#sign-in-note").textContent()).toContain("sign in with the email address the message was sent to");
      expect(await page.getByRole("button", { name: "Open message" }).isVisible()).toBe(false);

      // Wrong account first: back on the message, with the key back in the fragment and gone from storage.
      await page.getByRole("button", { name: "Sign in to open" }).click();
      await signInOnProvider(page, { email: "stranger@customer.example" });
      expect(new URL(page.url()).pathname).toBe(`/m/${original.id}`);
      expect(new URL(page.url()).hash).toBe(`#${original.fragment}`);
      expect(await page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)))).not.toContain(original.fragment);
      await expect.poll(() => page.locator("#sign-in-note").textContent()).toBe("You are signed in as stranger@customer.example.");
      await page.getByRole("button", { name: "Open message" }).click();
      await expect.poll(() => page.locator("#status").textContent()).toBe("This message was not sent to stranger@customer.example, the account you signed in with. Sign in with the email address it was sent to.");
      expect((await api.listSentMessages()).items.find((m) => m.id === original.id)?.openCount).toBe(0);

      // Switch to the right account: the provider asks again instead of reusing its session.
      await page.getByRole("button", { name: "Sign in with another account" }).click();
      await signInOnProvider(page, { email: RECIPIENT });
      await expect.poll(() => page.locator("#sign-in-note").textContent()).toBe(`You are signed in as ${RECIPIENT}.`);
      await page.getByRole("button", { name: "Open message" }).click();
      await expect.poll(() => page.locator("#text").textContent()).toBe("Hello,\nthe certificates for PO 7731 are ready.");
      expect(await page.locator("#from").textContent()).toBe(`From Walt Writer (${SENDER_EMAIL})`);

      // Reply securely, with a file.
      await page.getByLabel("Your reply").fill(replyText);
      await page.locator("#reply-files").setInputFiles({ name: "delivery-note-7731.pdf", mimeType: "application/pdf", buffer: note });
      await page.getByRole("button", { name: "Encrypt and send reply" }).click();
      await expect.poll(() => page.getByLabel("Reply link").inputValue(), { timeout: 20_000 }).toMatch(/^http:\/\/.+\/m\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}$/);
      replyLink = await page.getByLabel("Reply link").inputValue();
      const mailto = await page.getByRole("link", { name: "Email the link to Walt Writer" }).getAttribute("href");
      expect(mailto).toMatch(new RegExp(`^mailto:${SENDER_EMAIL}\\?subject=`));
      expect(decodeURIComponent(mailto ?? "")).toContain(replyLink);
    } finally {
      await recipient.close();
    }

    const replyId = new URL(replyLink).pathname.split("/")[2] ?? "";
    const replyFragment = new URL(replyLink).hash.slice(1);
    const listed = (await api.listSentMessages()).items.find((m) => m.id === original.id);
    expect(listed?.openCount).toBe(1);
    expect(listed?.replies).toEqual([expect.objectContaining({ id: replyId, status: "active", openCount: 0, from: RECIPIENT })]);

    // The sender signs in on the reply's link and decrypts it.
    const sender = await freshPage();
    try {
      const { page } = sender;
      await page.goto(replyLink);
      await page.getByRole("button", { name: "Sign in to open" }).click();
      await signInOnProvider(page, { button: "Sign in as Walt Writer" });
      await page.getByRole("button", { name: "Open message" }).click();
      await expect.poll(() => page.locator("#text").textContent()).toBe(replyText);
      expect(await page.locator("#from").textContent()).toBe("A secure reply to a message you sent.");
      expect(await page.locator("#reply").isVisible()).toBe(false);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /Download delivery-note-7731\.pdf/ }).click()]);
      expect((await readFile(await download.path())).equals(note)).toBe(true);
    } finally {
      await sender.close();
    }
    expect((await api.listSentMessages()).items.find((m) => m.id === original.id)?.replies?.[0]).toMatchObject({ openCount: 1 });

    // Neither key left the browsers: not in any request, not stored, not logged; and the CSP held.
    const made = await Promise.all(requests);
    expect(made.some((r) => r.url.includes("/m/signed-in?"))).toBe(true);
    for (const request of made) {
      expect(request.text).not.toContain(original.fragment);
      expect(request.text).not.toContain(replyFragment);
      if (!request.url.startsWith("blob:")) expect(new URL(request.url).origin).toBe(server.url);
    }
    for (const file of await readdir(dataDir, { recursive: true })) {
      const bytes = await readFile(path.join(dataDir, file)).catch(() => undefined);
      if (bytes) for (const fragment of [original.fragment, replyFragment]) expect(bytes.includes(Buffer.from(fragment)), file).toBe(false);
    }
    expect(server.output()).not.toContain(original.fragment);
    expect(server.output()).not.toContain(replyFragment);
    expect(cspErrors).toEqual([]);
  });
  it("the sender sends from the playground pane and sees the reply under the message in Sent securely", async () => {
    const sender = await freshPage();
    try {
      const { page } = sender;
      await signInToPlayground(page, server, "Walt Writer");
      await page.goto(`${server.url}/?startView=send-securely&item=msg-mill-certs`);
      const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
      await pane.getByRole("button", { name: "Encrypt and send" }).waitFor({ timeout: 30_000 });
      await pane.getByRole("textbox", { name: "Message" }).fill("Certificates for PO 9902, as promised.");
      await pane.getByLabel("Only these recipients (email addresses)").fill("qa@customer.example");
      await pane.getByRole("button", { name: "Encrypt and send" }).click();
      const linkField = pane.getByRole("textbox", { name: "Link" });
      await linkField.waitFor({ timeout: 60_000 });
      const link = await linkField.inputValue();
      const messageId = /\/m\/([0-9a-f-]{36})#/.exec(link)?.[1] ?? "";

      const recipient = await freshPage();
      try {
        await recipient.page.goto(link);
        await recipient.page.getByRole("button", { name: "Sign in to open" }).click();
        await signInOnProvider(recipient.page, { email: "qa@customer.example" });
        await recipient.page.getByRole("button", { name: "Open message" }).click();
        await expect.poll(() => recipient.page.locator("#text").textContent()).toBe("Certificates for PO 9902, as promised.");
        await recipient.page.getByLabel("Your reply").fill("Received, thank you.");
        await recipient.page.getByRole("button", { name: "Encrypt and send reply" }).click();
        await expect.poll(() => recipient.page.getByLabel("Reply link").inputValue(), { timeout: 20_000 }).toContain("#");
      } finally {
        await recipient.close();
      }

      await pane.getByRole("button", { name: "Sent securely" }).click();
      const row = pane.getByRole("listitem", { name: messageId });
      await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("1 secure reply");
      expect(await row.textContent()).toContain("Reply from qa@customer.example");
      expect(await row.textContent()).toContain("not opened yet");
    } finally {
      await sender.close();
    }
  });
});
