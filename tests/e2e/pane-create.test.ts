import { createHash } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { createSampleMailbox } from "../../shared/playground/sample-mailbox";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, startE2eServer, signInToPlayground } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Create from attachments in Chromium against the real server: Walt Writer opens the mill's email
 * with two PDF certificates, keeps both, finds the form pre-filled from the email's numbers,
 * uploads with progress (the upload is slowed so the progress is on screen), and lands on the new
 * cert. The API then has the cert and both documents with exactly the attachments' bytes.
 */
describe("pane: create a cert from an email's attachments", () => {
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startE2eServer("e2e-pane-create");
    browser = await launchBrowser();
    api = await apiSignedInAs(server, "walt.writer@demo-metals.example");
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it("picks the attachments, pre-fills the form, uploads with progress and opens the new cert", async () => {
    const sample = createSampleMailbox({ publicLink: `${server.url}/p/unused-token-0000000` }).find((entry) => entry.item.key === "msg-mill-certs");
    const attachments = sample?.item.attachments ?? [];
    const expected = new Map(attachments.map((a) => [a.name, sha256(sample?.attachmentContent?.[a.id] ?? new Uint8Array())]));
    expect(expected.size).toBe(2);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signInToPlayground(page, server, "Walt Writer");

    await page.getByRole("navigation", { name: "Mailbox" }).getByRole("button", { name: /Inspection certificates, delivery 7781/ }).click();
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await pane.getByRole("button", { name: "Create cert from attachments" }).click();

    const form = pane.getByTestId("create-cert-form");
    await form.waitFor({ timeout: 30_000 });
    // Both PDFs are picked; the numbers and the standard come from the email.
    for (const attachment of attachments) expect(await form.getByRole("checkbox", { name: new RegExp(attachment.name.replace(/\./g, "\\.")) }).isChecked()).toBe(true);
    expect(await form.getByRole("textbox", { name: "Title" }).inputValue()).toBe("Inspection certificates, delivery 7781 (heats 8H1234, 8H1235)");
    expect(await form.getByRole("textbox", { name: "Heat numbers" }).inputValue()).toBe("8H1234, 8H1235");
    expect(await form.getByRole("textbox", { name: "Standard" }).inputValue()).toBe("EN 10204 3.1");
    const title = `Delivery 7781 certificates (e2e ${String(Date.now())})`;
    await form.getByRole("textbox", { name: "Title" }).fill(title);
    await form.getByRole("textbox", { name: "Product" }).fill("Plate");

    // Slow uploads (about 1 KB/s) so the per-file progress is on screen long enough to see.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: 1024 });
    await form.getByRole("button", { name: "Create", exact: true }).click();

    const uploads = pane.getByTestId("create-uploads");
    await uploads.waitFor();
    expect(await uploads.getByTestId("upload-row").count()).toBe(2);
    expect(await uploads.getByRole("progressbar").count()).toBe(2);
    for (const name of expected.keys()) expect(await uploads.textContent()).toContain(name);

    const detail = pane.getByTestId("cert-detail");
    await detail.getByRole("heading", { name: title }).waitFor({ timeout: 60_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await expect.poll(() => detail.getByTestId("document").count(), { timeout: 15_000 }).toBe(2);

    // The server has the cert with the email's numbers and both files, byte for byte.
    const { items } = await api.listCerts({ q: title });
    expect(items).toHaveLength(1);
    const cert = items[0];
    expect(cert?.heatNumbers).toEqual(["8H1234", "8H1235"]);
    expect(cert?.standard).toBe("EN 10204 3.1");
    const documents = await api.listDocuments(cert?.id ?? "");
    const stored = new Map<string, string>();
    for (const doc of documents.items) {
      const version = doc.versions.find((v) => v.version === doc.latestVersion);
      const { url } = await api.getDocumentUrl(cert?.id ?? "", doc.id, doc.latestVersion);
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      expect(version?.sha256).toBe(sha256(bytes));
      stored.set(version?.fileName ?? "", sha256(bytes));
    }
    expect(stored).toEqual(expected);
    expect(errors).toEqual([]);
    await context.close();
  });
});
