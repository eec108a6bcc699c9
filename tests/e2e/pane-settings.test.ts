import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../shared/api/client";
import { expectNoSeriousFindings } from "../support/axe";
import { launchBrowser } from "../support/browser";
import { apiSignedInAs, startE2eServer, signInToPlayground } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

/**
 * Settings as the admin in Chromium against the real server: Ada Admin adds a location with the
 * keyboard only, invites a user into it, and grants and revokes the Writer privilege; every change
 * is checked through the API. axe-core checks the admin forms, also with validation errors shown.
 */
describe("pane settings as the admin", () => {
  let server: RunningServer;
  let browser: Browser;
  let api: ApiClient;

  beforeAll(async () => {
    server = await startE2eServer("e2e-pane-settings");
    browser = await launchBrowser();
    api = await apiSignedInAs(server, "ada.admin@demo-metals.example");
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });


  /** Presses Tab until `matches` holds for the focused element (a keyboard user's way there). */
  async function tabTo(page: Page, what: string, matches: (el: Element) => boolean, maxPresses = 80): Promise<void> {
    for (let i = 0; i < maxPresses; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(`(${matches.toString()})(document.activeElement)`)) return;
    }
    throw new Error(`Tab never reached ${what}`);
  }

  it("adds a location with the keyboard only", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInToPlayground(page, server, "Ada Admin");
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });

    // To the tab list, then across it with the arrow keys to Settings.
    await tabTo(page, "the pane's tabs", (el) => el.getAttribute("role") === "tab");
    // Fluent's focus manager moves focus a moment after the key press.
    const focused = () => page.evaluate(() => document.activeElement?.id ?? "");
    for (let i = 0; i < 3 && (await focused()) !== "pane-tab-settings"; i++) {
      const before = await focused();
      await page.keyboard.press("ArrowRight");
      await expect.poll(focused).not.toBe(before);
    }
    await page.keyboard.press("Enter");
    await expect.poll(() => pane.getByRole("tab", { name: "Settings", selected: true }).count()).toBe(1);
    await pane.getByTestId("settings-add-location").waitFor({ timeout: 30_000 });

    await tabTo(page, "the new location's name", (el) => el instanceof HTMLInputElement && el.closest('[data-testid="settings-add-location"]') !== null);
    const name = `Luleå Works ${String(Date.now())}`;
    await page.keyboard.type(name);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Luleå");
    await page.keyboard.press("Tab");
    await page.keyboard.type("SE");
    await page.keyboard.press("Enter");
    await pane.getByText(`${name} was added.`).waitFor({ timeout: 15_000 });
    await expect.poll(() => pane.getByTestId("settings-location-list").textContent()).toContain(name);

    const { items } = await api.listLocations();
    expect(items.find((l) => l.name === name)).toMatchObject({ name, city: "Luleå", country: "SE" });
    await context.close();
  });

  it("invites a user, grants and revokes Writer, with no serious accessibility findings on the forms", async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await signInToPlayground(page, server, "Ada Admin");
    // The settings start view, as a host's "Settings" command opens the pane.
    await page.goto(`${server.url}/?startView=settings`);
    const pane = page.getByRole("complementary", { name: "SmartCert task pane" });
    await expect.poll(() => pane.getByRole("tab", { name: "Settings", selected: true }).count(), { timeout: 30_000 }).toBe(1);
    const invite = pane.getByTestId("settings-invite");
    await invite.waitFor({ timeout: 30_000 });
    await pane.getByTestId("settings-user-list").waitFor({ timeout: 15_000 });
    await expectNoSeriousFindings(page, "the admin settings");

    // Submitting empty shows the validation messages; they must be accessible too.
    await invite.getByRole("button", { name: "Invite", exact: true }).click();
    await invite.getByText("Enter an email address.").waitFor();
    await expectNoSeriousFindings(page, "the invite form with validation errors");

    const email = `olle.operator.${String(Date.now())}@demo-metals.example`;
    await invite.getByRole("textbox", { name: /Email address/ }).fill(email);
    await invite.getByRole("textbox", { name: /^Name/ }).fill("Olle Operator");
    await invite.getByRole("checkbox", { name: "Gothenburg Mill" }).check();
    await invite.getByRole("button", { name: "Invite", exact: true }).click();
    await invite.getByText(`${email} was invited.`).waitFor({ timeout: 15_000 });

    const invited = async () => (await api.listUsers()).items.find((u) => u.email === email);
    expect(await invited()).toMatchObject({ displayName: "Olle Operator", status: "invited", roles: [] });

    const row = pane.getByRole("listitem", { name: "Olle Operator" });
    const writer = row.getByRole("switch", { name: "Writer: Olle Operator" });
    await writer.click();
    await expect.poll(async () => (await invited())?.roles, { timeout: 15_000 }).toEqual(["writer"]);
    await expect.poll(() => writer.isChecked()).toBe(true);
    await expect.poll(() => writer.isEnabled()).toBe(true);

    await writer.click();
    await expect.poll(async () => (await invited())?.roles, { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => writer.isChecked()).toBe(false);
    await expectNoSeriousFindings(page, "the admin settings with the new user");
    await context.close();
  });
});
