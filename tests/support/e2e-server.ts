import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { createApiClient, type ApiClient } from "../../shared/api/client";
import { tempDir } from "./databases";
import { signInWithLocalProvider } from "./oidc-login";
import { REPO_ROOT, startServer, type RunningServer } from "./server-process";

/**
 * The end-to-end starting point: the built web app, the real server on a fresh data directory,
 * and an API client signed in as a demo user through the local provider (its ID token is the
 * bearer), for arranging data the browser test then works with.
 */
export async function startE2eServer(name: string): Promise<RunningServer> {
  if (!fs.existsSync(path.join(REPO_ROOT, "dist/web/index.html"))) {
    throw new Error("dist/web is missing: run `npm run build` first (npm test does).");
  }
  return startServer({ DATA_DIR: tempDir(name), LOG_LEVEL: "warn" });
}

export async function apiSignedInAs(server: RunningServer, email: string): Promise<ApiClient> {
  const config = await createApiClient({ baseUrl: `${server.url}/api/v1`, getToken: () => Promise.resolve(null) }).getClientConfig();
  const tokens = await signInWithLocalProvider({ issuer: config.oidc.issuer, clientId: config.oidc.clientId, redirectUri: `${server.url}/`, email, accountButton: true });
  return createApiClient({ baseUrl: `${server.url}/api/v1`, getToken: () => Promise.resolve(tokens.idToken) });
}

/**
 * Signs a demo user in to the playground the way a person does: open `path` (default `/`), press
 * the pane's Sign in, pick the user on the local provider's page, wait for the pane to greet them.
 */
export async function signInToPlayground(page: Page, server: RunningServer, displayName: string, pathAndQuery = "/"): Promise<void> {
  await page.goto(`${server.url}${pathAndQuery}`);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(/\/dev-login\//);
  await page.getByRole("button", { name: `Sign in as ${displayName}` }).click();
  await expect.poll(() => page.getByTestId("me-display-name").textContent(), { timeout: 30_000 }).toContain(displayName);
}
