import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../shared/api/client";
import type { Cert } from "../../shared/protocol/certs";
import { tinyPdf } from "../../shared/playground/tiny-pdf";
import { launchBrowser } from "../support/browser";
import { multipart } from "../support/document-files";
import { startE2eServer, signInToPlayground } from "../support/e2e-server";
import { signInWithLocalProvider } from "../support/oidc-login";
import type { RunningServer } from "../support/server-process";

/**
 * Attach while composing, in Chromium against the real server: the pane opened with the
 * "insert-cert" start view on the reply draft (as a compose command opens it) inserts a cert's
 * public link into the draft and attaches its document, fetched through a signed URL, as a file.
 */
describe("pane: insert a cert into a draft", () => {
  let server: RunningServer;
  let browser: Browser;
  let cert: Cert;
  const pdf = tinyPdf(["EN 10204 3.1 inspection certificate", "Heat 8H1234"]);

  beforeAll(async () => {
    server = await startE2eServer("e2e-pane-insert");
    browser = await launchBrowser();
    const config = await createApiClient({ baseUrl: `${server.url}/api/v1`, getToken: () => Promise.resolve(null) }).getClientConfig();
    const { idToken } = await signInWithLocalProvider({ issuer: config.oidc.issuer, clientId: config.oidc.clientId, redirectUri: `${server.url}/`, email: "walt.writer@demo-metals.example", accountButton: true });
    const api = createApiClient({ baseUrl: `${server.url}/api/v1`, getToken: () => Promise.resolve(idToken) });
    cert = await api.createCert({ title: "Plate S355J2+N 20 mm (insert e2e)", poNumbers: ["4512"], heatNumbers: ["8H1234"], product: "Plate" });
    await api.setPublicLink(cert.id, true);
    cert = await api.getCert(cert.id);
    const body = multipart(pdf, "8H1234-mill-cert.pdf");
    const upload = await fetch(`${server.url}/api/v1/certs/${cert.id}/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${idToken}`, "content-type": body.contentType },
      body: new Uint8Array(body.payload),
    });
    expect(upload.status).toBeLessThan(300);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it("inserts the link and attaches the documents from the insert-cert start view", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await signInToPlayground(page, server, "Walt Writer");

    // As a compose command opens the pane: on the reply draft, in insert mode.
    await page.goto(`${server.url}/?startView=insert-cert&item=draft-reply-4512`);
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await pane.getByTestId("certs-insert-mode").waitFor({ timeout: 30_000 });
    const row = pane.getByTestId("cert-row").filter({ hasText: cert.title });
    await row.getByRole("button", { name: `Insert a link to “${cert.title}” into the email` }).click();
    const outbox = page.getByTestId("outbox");
    await expect.poll(() => outbox.textContent(), { timeout: 15_000 }).toContain(`href="${cert.publicLink?.url ?? "missing"}"`);

    await row.getByRole("button", { name: `Attach the documents of “${cert.title}” to the email` }).click();
    await row.getByText("Attached 1 document.").waitFor({ timeout: 15_000 });
    expect(await outbox.textContent()).toContain(`Attached 8H1234-mill-cert.pdf (application/pdf, ${String(pdf.byteLength)} B) to draft-reply-4512`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
