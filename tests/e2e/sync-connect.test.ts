import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient, type ApiClient } from "../../shared/api/client";
import { launchBrowser } from "../support/browser";
import { tempDir } from "../support/databases";
import { apiSignedInAs } from "../support/e2e-server";
import { FakeGmail } from "../support/fake-gmail";
import { signInWithLocalProvider } from "../support/oidc-login";
import { REPO_ROOT, runToCompletion, startServer, type RunningServer } from "../support/server-process";

/**
 * The proof that "a connected fake mailbox files received SmartCert links automatically",
 * in Chromium against the real server: a buyer of another organization opens the playground,
 * Settings → Connect Gmail; the popup goes through the fake Google consent page back to the
 * server's callback page, which closes itself; the pane sees the connection; the first sync finds
 * the mill's public link in the fake mailbox, and the buyer finds that cert under Received.
 */
describe("connecting a Gmail mailbox from the pane", () => {
  let gmail: FakeGmail;
  let server: RunningServer;
  let browser: Browser;
  let walt: ApiClient;
  const buyerEmail = `nina.${Date.now()}@nordic-buyer.example`;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist/web/index.html"))) throw new Error("dist/web is missing: run `npm run build` first (npm test does).");
    gmail = await FakeGmail.start();
    // The buyer is the one signed in at the (fake) Google consent screen: their own mailbox.
    gmail.tokens.account = buyerEmail;
    const dataDir = tempDir("e2e-sync-connect");
    server = await startServer({
      DATA_DIR: dataDir, LOG_LEVEL: "warn", SYNC_INTERVAL_SECONDS: "3600",
      GOOGLE_CLIENT_ID: gmail.tokens.clientId, GOOGLE_CLIENT_SECRET: gmail.tokens.clientSecret, GMAIL_BASE_URL: gmail.base,
      GOOGLE_AUTHORIZE_URL: `${gmail.base}/o/oauth2/v2/auth`, GOOGLE_TOKEN_URL: gmail.tokenUrl, GOOGLE_REVOKE_URL: `${gmail.base}/revoke`,
    });
    gmail.tokens.redirectUris.add(`${server.url}/api/v1/mailboxes/callback`);
    // The buyer's organization, made by the operator CLI next to the running server.
    const created = await runToCompletion("backend/cli/admin.ts", ["create-org", "--name", "Nordic Buyer", "--admin-email", buyerEmail, "--admin-name", "Nina Buyer"], { NODE_ENV: "test", DATA_DIR: dataDir });
    expect(created.code, created.stderr).toBe(0);
    browser = await launchBrowser();
    walt = await apiSignedInAs(server, "walt.writer@demo-metals.example");
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    await gmail.stop();
  });

  it("connects through the provider's consent page, and the first sync files the received link", { timeout: 120_000 }, async () => {
    const cert = await walt.createCert({ title: `Heat 8H1234 plate (sync e2e ${Date.now()})`, heatNumbers: ["8H1234"] });
    const { url: publicLink } = await walt.setPublicLink(cert.id, true);
    gmail.add({ threadId: "thread-po-4512", subject: "Certificates for PO 4512", body: `<p>Dear buyer, the certificate: ${publicLink ?? ""}</p>`, attachments: [] });

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/dev-login\//);
    await page.getByRole("textbox", { name: "Email" }).fill(buyerEmail);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 30_000 }).toContain("Nina Buyer");

    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await pane.getByRole("tab", { name: "Settings" }).click();
    const section = pane.getByTestId("settings-mailboxes");
    await section.getByText("No mailbox is connected.", { exact: false }).waitFor({ timeout: 15_000 });
    // The server enables Gmail only, so that is all the pane offers.
    expect(await section.getByRole("button", { name: "Connect Microsoft 365" }).count()).toBe(0);

    const popupOpened = page.waitForEvent("popup");
    await section.getByRole("button", { name: "Connect Gmail" }).click();
    const popup = await popupOpened;
    // The callback page's strict CSP must still let its own hashed style and script run.
    const popupErrors: string[] = [];
    popup.on("console", (message) => {
      if (message.type() === "error") popupErrors.push(message.text());
    });
    await section.getByText("Waiting for Gmail…").waitFor();
    await popup.waitForURL(/\/api\/v1\/mailboxes\/callback\?/, { timeout: 15_000 });
    const closed = popup.waitForEvent("close", { timeout: 15_000 });
    expect(await popup.getByRole("heading", { level: 1 }).textContent()).toBe("Gmail is connected");
    // The callback page closes the window it was opened in.
    await closed;
    expect(popupErrors).toEqual([]);

    // What went to Google: the registered redirect URI, the read-only scope, offline access, S256.
    const asked = gmail.tokens.authorizations.at(-1);
    expect(asked?.get("redirect_uri")).toBe(`${server.url}/api/v1/mailboxes/callback`);
    expect(asked?.get("scope")).toBe("https://www.googleapis.com/auth/gmail.readonly");
    expect([asked?.get("access_type"), asked?.get("prompt"), asked?.get("code_challenge_method")]).toEqual(["offline", "consent", "S256"]);

    await section.getByText("Gmail is connected.", { exact: false }).waitFor({ timeout: 15_000 });
    await expect.poll(() => section.getByRole("listitem", { name: "Gmail" }).textContent()).toContain("Connected");

    // Wait for the first sync through the buyer's own API access, then look as the buyer would.
    const nina = await buyerApi();
    await expect.poll(async () => (await nina.listMailboxConnections()).items[0]?.lastSyncAt ?? null, { timeout: 30_000 }).not.toBeNull();
    expect((await nina.listMailboxConnections()).items[0]).toMatchObject({ provider: "gmail", status: "active", lastError: null, failures: [] });

    await pane.getByRole("tab", { name: /^Certs/ }).click();
    await pane.getByLabel("Show").selectOption("received");
    await expect.poll(() => pane.getByTestId("cert-list").textContent(), { timeout: 15_000 }).toContain(cert.title);
    await context.close();
  });

  async function buyerApi(): Promise<ApiClient> {
    const config = await createApiClient({ baseUrl: `${server.url}/api/v1`, getToken: () => Promise.resolve(null) }).getClientConfig();
    const tokens = await signInWithLocalProvider({ issuer: config.oidc.issuer, clientId: config.oidc.clientId, redirectUri: `${server.url}/`, email: buyerEmail });
    return createApiClient({ baseUrl: `${server.url}/api/v1`, getToken: () => Promise.resolve(tokens.idToken) });
  }
});
