import fs from "node:fs";
import path from "node:path";
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
