import fs from "node:fs";
import path from "node:path";
import type { BrowserContext, Frame, Page, Worker } from "playwright-core";
import { launchPersistentContext } from "../support/browser";
import { tempDir } from "../support/databases";
import { REPO_ROOT, runToCompletion } from "../support/server-process";

/**
 * What the extension's end-to-end tests share: the extension built for the test server's origin,
 * Chromium with it loaded (persistent context), Gmail answered by fixture pages, the sidebar frame,
 * and the real sign-in through chrome.identity.launchWebAuthFlow and the local provider's page.
 */

export const GMAIL_THREAD_URL = "https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJWDsKmJhNQpBbbXfKrNnpQrk";
export const GMAIL_INBOX_URL = "https://mail.google.com/mail/u/0/#inbox";
const FIXTURES = path.join(REPO_ROOT, "tests/fixtures/gmail");

/** Builds the extension (the same `npm run build:extension` config) for `backendOrigin` into a temp folder. */
export async function buildExtensionFor(backendOrigin: string): Promise<string> {
  const outDir = path.join(tempDir("extension-build"), "extension");
  const vite = path.join(REPO_ROOT, "node_modules/vite/bin/vite.js");
  const child = await runToCompletion(vite, ["build", "--config", "extension/vite.config.ts", "--logLevel", "warn"], {
    SMARTCERT_BACKEND_ORIGIN: backendOrigin,
    SMARTCERT_EXTENSION_OUT_DIR: outDir,
    VITE_CONFIG_NATIVE_IGNORE_WARNING: "true",
  });
  if (child.code !== 0 || !fs.existsSync(path.join(outDir, "manifest.json"))) {
    throw new Error(`building the extension failed (${child.code}):\n${child.stdout}\n${child.stderr}`);
  }
  return outDir;
}

export interface ExtensionBrowser {
  readonly context: BrowserContext;
  readonly worker: Worker;
  readonly extensionId: string;
  /** Console lines of the service worker (its view-miss log, dropped messages). */
  readonly workerLog: string[];
}

export async function launchWithExtension(extensionDir: string): Promise<ExtensionBrowser> {
  const context = await launchPersistentContext([`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`]);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent("serviceworker"));
  const extensionId = new URL(worker.url()).host;
  const workerLog: string[] = [];
  worker.on("console", (message) => workerLog.push(message.text()));
  return { context, worker, extensionId, workerLog };
}

export interface GmailRoutes {
  /** Which fixture the next Gmail page load gets (the URL fragment never reaches the route). */
  fixture: string;
  /** Attachment requests seen, with whether they carried the Gmail session cookie. */
  readonly attachmentRequests: { url: string; withSession: boolean }[];
}

/** Answers every https://mail.google.com request: attachment downloads with bytes, pages with the fixture. */
export async function routeGmail(context: BrowserContext, attachments: Record<string, Uint8Array>): Promise<GmailRoutes> {
  const routes: GmailRoutes = { fixture: "thread.html", attachmentRequests: [] };
  await context.addCookies([{ name: "SID", value: "gmail-session-e2e", domain: "mail.google.com", path: "/", secure: true, httpOnly: true, sameSite: "Lax" }]);
  await context.route("https://mail.google.com/**", async (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.get("view") === "att") {
      const cookie = (await route.request().allHeaders()).cookie ?? "";
      const withSession = cookie.includes("SID=gmail-session-e2e");
      routes.attachmentRequests.push({ url: url.href, withSession });
      const bytes = attachments[url.searchParams.get("permmsgid") ?? ""];
      if (!withSession || !bytes) return route.fulfill({ status: withSession ? 404 : 401, body: "" });
      return route.fulfill({ status: 200, contentType: "application/pdf", body: Buffer.from(bytes) });
    }
    return route.fulfill({ contentType: "text/html; charset=utf-8", body: fs.readFileSync(path.join(FIXTURES, routes.fixture), "utf8") });
  });
  return routes;
}

/** The sidebar's extension-origin frame in a Gmail page, once it rendered. */
export async function sidebarFrame(page: Page, extensionId: string): Promise<Frame> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const frame = page.frames().find((f) => f.url().startsWith(`chrome-extension://${extensionId}/sidebar.html`));
    if (frame && (await frame.locator("#root > *").count()) > 0) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error("the SmartCert sidebar frame did not appear");
}

/** Presses Sign in in the sidebar and picks the demo account on the provider's page that launchWebAuthFlow opens. */
export async function signInThroughSidebar(context: BrowserContext, frame: Frame, displayName: string): Promise<void> {
  const providerPage = context.waitForEvent("page", { predicate: (p) => p.url().includes("/dev-login/") || p.url().includes("/oidc/"), timeout: 30_000 });
  await frame.getByRole("button", { name: "Sign in", exact: true }).click();
  const page = await providerPage;
  await page.waitForURL(/\/dev-login\//);
  await page.getByRole("button", { name: `Sign in as ${displayName}` }).click();
  await frame.getByTestId("me-display-name").filter({ hasText: displayName }).waitFor({ timeout: 30_000 });
}
