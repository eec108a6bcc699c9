import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startE2eServer } from "../support/e2e-server";
import type { RunningServer } from "../support/server-process";

/**
 * The newcomer's path in a real browser: open the playground served by the real server, sign in
 * through the local OpenID provider (authorization code + PKCE), and see who you are from getMe.
 */
describe("playground sign-in in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startE2eServer("e2e-playground");
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it("signs in as a demo admin and shows the user and organization", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));

    await page.goto(`${server.url}/`);
    await expect.poll(() => page.title()).toMatch(/SmartCert/);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();

    await page.waitForURL(/\/dev-login\//);
    await page.getByRole("button", { name: "Sign in as Ada Admin" }).click();

    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/" && !url.search.includes("code="));
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 15_000 }).toContain("Ada Admin");
    expect(await page.getByTestId("me-org-name").textContent()).toContain("Demo Metals");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("signs out and signs in as another demo user", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("button", { name: "Sign in as Ada Admin" }).click();
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 15_000 }).toContain("Ada Admin");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // The provider still has Ada's session; choosing another account must replace it cleanly.
    await page.getByRole("button", { name: "Sign in as Walt Writer" }).click();
    await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 15_000 }).toContain("Walt Writer");
    await context.close();
  });

  it("shows a clear not-invited message for an account nobody invited", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/dev-login\//);
    await page.getByRole("textbox", { name: "Email" }).fill("stranger@nowhere.example");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.origin === server.url && url.pathname === "/");
    await expect.poll(() => page.getByText(/no organization has invited/i).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await context.close();
  });
});
