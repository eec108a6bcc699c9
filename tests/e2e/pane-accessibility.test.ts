import fs from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AXE_PATH, PANE, expectNoSeriousFindings } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, startE2eServer } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

/**
 * axe-core over the real pane in Chromium: signed out, then signed in as Walt Writer on each tab,
 * and at Outlook's narrowest width in dark theme and in Swedish. Only "serious" and "critical"
 * findings fail the test; they are printed one per line so the failure says what to fix.
 * `AXE_ALL=1` fails on findings of any impact (to see the moderate and minor ones too).
 */

describe("pane accessibility (axe) in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!fs.existsSync(AXE_PATH)) throw new Error(`axe-core is missing at ${AXE_PATH}: run npm install.`);
    server = await startE2eServer("e2e-pane-a11y");
    browser = await launchBrowser();
    // A cert for PO 4512, so the customer's email has a match and the Certs tab a list.
    const api = await apiSignedInAs(server, "walt.writer@demo-metals.example");
    await api.createCert({ title: "Plate S355J2+N 20 mm (a11y)", poNumbers: ["4512"], heatNumbers: ["8H1234"], product: "Plate" });
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it("has no serious or critical findings signed out, on each tab, and narrow in dark theme and Swedish", async () => {
    // The server's CSP (script-src 'self') rightly blocks the injected axe script; this context alone
    // bypasses it. pane-flows.test.ts checks the pane runs under the CSP.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await pane.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await expectNoSeriousFindings(page, "the signed-out pane");

    await pane.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/dev-login\//);
    await page.getByRole("button", { name: "Sign in as Walt Writer" }).click();
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 15_000 }).toContain("Walt Writer");

    // "This email" with the customer's email: sender lookup and the matched cert loaded.
    await page.getByRole("navigation", { name: "Mailbox" }).getByRole("button", { name: /^Maria Jensen\s*Certs for PO 4512/ }).click();
    await expect.poll(() => pane.getByTestId("sender-not-on-network").count(), { timeout: 15_000 }).toBe(1);
    await pane.getByTestId("reference-po-4512").getByRole("button", { name: /^Plate S355J2\+N 20 mm \(a11y\)/ }).waitFor();
    await expectNoSeriousFindings(page, 'the "This email" tab');

    await pane.getByRole("tab", { name: "Certs" }).click();
    await pane.getByRole("button", { name: /^Plate S355J2\+N 20 mm \(a11y\)/ }).first().waitFor({ timeout: 15_000 });
    await expectNoSeriousFindings(page, "the Certs tab");

    await pane.getByRole("tab", { name: "Settings" }).click();
    await expect.poll(() => pane.getByRole("tab", { name: "Settings", selected: true }).count()).toBe(1);
    await page.waitForLoadState("networkidle");
    await expectNoSeriousFindings(page, "the Settings tab");

    // Outlook's narrowest task pane, dark theme, Swedish.
    await page.addStyleTag({ content: ".playground-columns { grid-template-columns: 280px minmax(0, 1fr) 320px; } .playground-pane { width: 320px; }" });
    await page.getByRole("combobox", { name: "Theme" }).selectOption("dark");
    await page.getByRole("combobox", { name: "Language" }).selectOption("sv-SE");
    await pane.getByRole("tab", { name: "Det här mejlet" }).click();
    await pane.getByRole("heading", { name: "Avsändare" }).first().waitFor({ timeout: 15_000 });
    await page.waitForLoadState("networkidle");
    expect(await page.locator(PANE).evaluate((el) => el.getAttribute("lang") ?? el.closest("[lang]")?.getAttribute("lang"))).toBe("sv");
    await expectNoSeriousFindings(page, "the narrow pane in dark theme and Swedish (This email)");
    // Swedish words are longer; nothing may scroll sideways at 320 px.
    expect(await page.locator(PANE).evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    await pane.getByRole("tab", { name: "Certifikat" }).click();
    await pane.getByRole("button", { name: /^Plate S355J2\+N 20 mm \(a11y\)/ }).first().waitFor({ timeout: 15_000 });
    await expectNoSeriousFindings(page, "the narrow pane in dark theme and Swedish (Certifikat)");

    await pane.getByRole("tab", { name: "Inställningar" }).click();
    await page.waitForLoadState("networkidle");
    await expectNoSeriousFindings(page, "the narrow pane in dark theme and Swedish (Inställningar)");
    await context.close();
  }, 120_000);
});
