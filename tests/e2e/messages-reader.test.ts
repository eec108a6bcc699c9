import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { encryptManifest } from "../../shared/crypto/manifest";
import { messageKeyFrom, newPassphraseKdf } from "../../shared/crypto/passphrase";
import { toBase64Url } from "../../shared/crypto/bytes";
import { encryptToBytes } from "../../shared/crypto/stream";
import { launchBrowser } from "../support/browser";
import { tempDir } from "../support/databases";
import { apiSignedInAs } from "../support/e2e-server";
import { REPO_ROOT, startServer, type RunningServer } from "../support/server-process";
import { existsSync } from "node:fs";

/**
 * The reader page (dist/reader, served by the real server) in Chromium: a message encrypted with
 * shared/crypto and uploaded through the typed client is opened in a fresh browser with only the
 * link, decrypted, and its file downloaded. Link scanners (a plain GET, a headless page load without
 * a click) consume nothing. The key appears in no request the browser made, nowhere in the data
 * directory (database included) and nowhere in the server's logs.
 */
describe("encrypted message reader in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;
  let dataDir: string;

  beforeAll(async () => {
    if (!existsSync(path.join(REPO_ROOT, "dist/reader/index.html"))) throw new Error("dist/reader is missing: run `npm run build` first (npm test does).");
    dataDir = tempDir("messages-e2e");
    server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: "info" });
    api = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const fileBytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + 7) % 256));

  async function send(options: { maxOpens?: number; passphrase?: string } = {}) {
    const linkKey = generateLinkKey();
    const fragment = encodeLinkKey(linkKey);
    const kdf = options.passphrase ? newPassphraseKdf() : undefined;
    const key = await messageKeyFrom(linkKey, kdf && options.passphrase ? { passphrase: options.passphrase, kdf } : undefined);
    const text = "Hello Rita,\nthe certificates for PO 7731 are attached.<script>alert(1)</script>";
    const created = await api.createMessage({
      partCount: 2,
      maxOpens: options.maxOpens ?? null,
      passphrase: kdf ? { algorithm: "argon2id", memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism, salt: toBase64Url(kdf.salt) } : null,
    });
    const id = created.message.id;
    await api.uploadMessagePart(id, 0, new Blob([await encryptManifest(key, { v: 1, text, files: [{ name: "PO 7731 cert.bin", type: "application/octet-stream", size: fileBytes.length }] })]));
    await api.uploadMessagePart(id, 1, new Blob([await encryptToBytes(key, fileBytes, { partIndex: 1 })]));
    const done = await api.completeMessage(id);
    return { id, fragment, text, link: `${done.url}#${fragment}` };
  }

  const openCount = async (id: string) => (await api.listSentMessages()).items.find((m) => m.id === id)?.openCount;

  /** `requests`: every request the page made, as "URL headers body" text, headers read while the page lives. */
  async function freshPage(): Promise<{ page: Page; requests: Promise<{ url: string; text: string }>[]; consoleErrors: string[]; close: () => Promise<void> }> {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const requests: Promise<{ url: string; text: string }>[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (r) => {
      requests.push(r.allHeaders().catch(() => r.headers()).then((headers) => ({ url: r.url(), text: `${r.url()} ${JSON.stringify(headers)} ${r.postData() ?? ""}` })));
    });
    page.on("console", (m) => { if (m.type() === "error") consoleErrors.push(m.text()); });
    return { page, requests, consoleErrors, close: () => context.close() };
  }

  it("scanners consume nothing: a plain GET and a page load without a click", async () => {
    const m = await send({ maxOpens: 1 });
    const plain = await fetch(`${server.url}/m/${m.id}`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("content-security-policy")).toContain("script-src 'self'");
    // connect-src: this origin and the OpenID issuer's (here the same server's /oidc), nothing else.
    expect(plain.headers.get("content-security-policy")).toContain(`connect-src 'self' ${server.url};`);
    expect(plain.headers.get("referrer-policy")).toBe("no-referrer");
    await plain.text();
    const { page, close } = await freshPage();
    try {
      await page.goto(m.link);
      await page.getByRole("button", { name: "Open message" }).waitFor();
      await page.waitForLoadState("networkidle");
    } finally {
      await close();
    }
    expect(await openCount(m.id)).toBe(0);
  });

  it("opens in a fresh browser with only the link, decrypts the text and downloads the file; the key leaks nowhere", async () => {
    const m = await send();
    const { page, requests, consoleErrors, close } = await freshPage();
    try {
      await page.goto(m.link);
      await page.getByRole("button", { name: "Open message" }).click();
      await expect.poll(() => page.locator("#text").textContent()).toBe(m.text);
      // The text is text: the <script> in it was not parsed as markup.
      expect(await page.locator("#text script").count()).toBe(0);
      // The reader who opened it learns who sent it and may reply (tests/e2e/messages-reply.test.ts).
      expect(await page.locator("#from").textContent()).toBe("From Walt Writer (walt.writer@demo-metals.example)");
      expect(await page.getByRole("button", { name: "Encrypt and send reply" }).isVisible()).toBe(true);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /Download PO 7731 cert\.bin/ }).click()]);
      expect(download.suggestedFilename()).toBe("PO 7731 cert.bin");
      const saved = await readFile(await download.path());
      expect(saved.equals(fileBytes)).toBe(true);
      expect(consoleErrors).toEqual([]);
      // No request the browser made carries the key (URL, headers or body), and none left our origin.
      const made = await Promise.all(requests);
      expect(made.length).toBeGreaterThan(4);
      for (const request of made) {
        expect(request.text).not.toContain(m.fragment);
        if (!request.url.startsWith("blob:")) expect(new URL(request.url).origin).toBe(server.url);
      }
    } finally {
      await close();
    }
    expect(await openCount(m.id)).toBe(1);
    // Nor anything the server stored or logged.
    for (const file of await readdir(dataDir, { recursive: true })) {
      const full = path.join(dataDir, file);
      const bytes = await readFile(full).catch(() => undefined);
      if (bytes) expect(bytes.includes(Buffer.from(m.fragment)), file).toBe(false);
    }
    expect(server.output()).not.toContain(m.fragment);
  });

  it("recovers a link whose # became %23, and explains a link without its key", async () => {
    const m = await send();
    const { page, close } = await freshPage();
    try {
      await page.goto(`${server.url}/m/${m.id}%23${m.fragment}`);
      await page.getByRole("button", { name: "Open message" }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/m/${m.id}`);
      expect(new URL(page.url()).hash).toBe(`#${m.fragment}`);
      await page.goto(`${server.url}/m/${m.id}`);
      await expect.poll(() => page.locator("#status").textContent()).toContain("the key after “#” is missing");
    } finally {
      await close();
    }
    expect(server.output()).not.toContain(m.fragment);
  });

  it("a passphrase message needs the passphrase; a wrong one can be retried without another open", async () => {
    const m = await send({ passphrase: "blue harbour 42", maxOpens: 1 });
    const { page, close } = await freshPage();
    try {
      await page.goto(m.link);
      await page.getByLabel("Passphrase").fill("wrong words");
      await page.getByRole("button", { name: "Open message" }).click();
      await expect.poll(() => page.locator("#status").textContent(), { timeout: 20_000 }).toContain("does not open this message");
      await page.getByLabel("Passphrase").fill("blue harbour 42");
      await page.getByRole("button", { name: "Open message" }).click();
      await expect.poll(() => page.locator("#text").textContent(), { timeout: 20_000 }).toBe(m.text);
    } finally {
      await close();
    }
    expect(await openCount(m.id)).toBe(1);
  });

  it("a revoked message says it is gone", async () => {
    const m = await send();
    await api.revokeMessage(m.id);
    const { page, close } = await freshPage();
    try {
      await page.goto(m.link);
      await expect.poll(() => page.locator("#status").textContent()).toContain("no longer available");
    } finally {
      await close();
    }
  });
});
