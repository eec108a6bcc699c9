import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, startE2eServer } from "../support/e2e-server";
import { routeOfficeJs, type OfficeDoubleConfig } from "../support/office-double";
import { REPO_ROOT, type RunningServer } from "../support/server-process";

/**
 * The change stream inside the Outlook add-in's task pane (dist/addin, served by the real server
 * under its own CSP, with the Office.js double): the stream connects within `connect-src 'self'`
 * and the Certs tab badges a cert shared to the user, with no CSP violation.
 */
describe("live changes in the Outlook add-in (Chromium)", () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let walt: ApiClient;
  let ritaId: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(REPO_ROOT, "dist/addin/taskpane.html"))) throw new Error("dist/addin is missing: run `npm run build` first (npm test does).");
    server = await startE2eServer("e2e-addin-live-changes");
    browser = await launchBrowser();
    walt = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    ritaId = (await (await apiSignedInAs(server, "rita.reader@demo-metals.example")).getMe()).user.id;
    context = await browser.newContext();
    const config: OfficeDoubleConfig = {
      item: {
        kind: "read", itemId: "msg-live", internetMessageId: "<msg-live@demo-metals.example>", conversationId: "conv-live", subject: "Anything new?",
        from: { emailAddress: "walt.writer@demo-metals.example", displayName: "Walt Writer" }, to: [{ emailAddress: "rita.reader@demo-metals.example", displayName: "Rita Reader" }],
        cc: [], dateTimeCreated: "2026-11-20T09:15:00.000Z", body: "Hi Rita", attachments: [],
      },
      mailboxVersion: "1.15",
      displayLanguage: "en-US",
    };
    await routeOfficeJs(context, () => config);
  });

  afterAll(async () => {
    await context.close();
    await browser.close();
    await server.stop();
  });

  it("connects the stream under the add-in's CSP and badges the Certs tab", async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/iu.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    const streamStatuses: number[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname === "/api/v1/changes/stream") streamStatuses.push(response.status());
    });
    await page.goto(`${server.url}/addin/taskpane.html`);
    const pane = page.getByTestId("smartcert-pane");
    const dialogOpened = context.waitForEvent("page");
    await pane.getByRole("button", { name: "Sign in", exact: true }).click();
    await (await dialogOpened).getByRole("button", { name: "Sign in as Rita Reader" }).click();
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 20_000 }).toContain("Rita Reader");
    await expect.poll(() => streamStatuses, { timeout: 15_000 }).toContain(200);
    // No wait needed: the pane took its starting cursor before the stream's ticket, and reads
    // the feed on `ready`, so a change made before the stream is ready still counts.

    const cert = await walt.createCert({ title: "Tube live in Outlook (e2e)", poNumbers: ["7783"] });
    await walt.shareCert(cert.id, { userId: ritaId });
    const badged = pane.getByRole("tab", { name: "Certs, 1 new" });
    await badged.waitFor({ timeout: 15_000 });
    await badged.click();
    await pane.getByTestId("certs-tab").getByRole("button", { name: /^Tube live in Outlook \(e2e\)/ }).waitFor();
    expect(problems).toEqual([]);
  });
});
