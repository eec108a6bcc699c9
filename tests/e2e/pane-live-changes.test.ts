import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, signInToPlayground, startE2eServer } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

/**
 * Live changes in Chromium against the real server: Rita Reader's pane is open in the playground
 * (on "This email", in another tab than the one Walt works in); Walt shares a cert to her through
 * the API. Without a reload, her Certs tab says "1 new"; opening it shows the cert and clears the
 * badge. The stream is authenticated by a ticket, never by the token in a URL.
 */
describe("live changes in the pane (Chromium)", () => {
  let server: RunningServer;
  let browser: Browser;
  let walt: ApiClient;
  let ritaId: string;

  beforeAll(async () => {
    server = await startE2eServer("e2e-pane-live-changes");
    browser = await launchBrowser();
    walt = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    ritaId = (await (await apiSignedInAs(server, "rita.reader@demo-metals.example")).getMe()).user.id;
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it("badges the Certs tab when a cert is shared to the user, and clears it when the tab is opened", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    const streamUrls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/v1/changes/stream") streamUrls.push(request.url());
    });
    await signInToPlayground(page, server, "Rita Reader");
    // Another tab opens in the same browser (headless Chromium keeps both documents visible, so
    // the pane's pause-while-hidden does not apply here); Walt acts through the API.
    const other = await context.newPage();
    await other.goto(`${server.url}/healthz`);
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await expect.poll(() => streamUrls.length, { timeout: 15_000 }).toBeGreaterThan(0);
    // No wait needed: the pane took its starting cursor before the stream's ticket, and reads
    // the feed on `ready`, so a change made before the stream is ready still counts.
    expect(await pane.getByRole("tab", { name: "Certs", exact: true }).count()).toBe(1);

    const cert = await walt.createCert({ title: "Coil DX51D live (e2e)", poNumbers: ["7781"], heatNumbers: ["LV-1"], product: "Coil" });
    await walt.shareCert(cert.id, { userId: ritaId });

    const badged = pane.getByRole("tab", { name: "Certs, 1 new" });
    await badged.waitFor({ timeout: 15_000 });
    expect(await pane.getByTestId("certs-tab-badge").first().textContent()).toBe("1");
    expect(await pane.getByRole("status").filter({ hasText: "changed" }).textContent()).toBe("1 cert changed: see the Certs tab.");

    await badged.click();
    await pane.getByTestId("certs-tab").getByRole("button", { name: /^Coil DX51D live \(e2e\)/ }).waitFor();
    expect(await pane.getByRole("tab", { name: "Certs", exact: true }).count()).toBe(1);
    expect(await pane.getByTestId("certs-tab-badge").count()).toBe(0);

    // Only a ticket in the stream's URL: no bearer token, no ID token.
    for (const url of streamUrls) expect([...new URL(url).searchParams.keys()]).toEqual(["ticket"]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
