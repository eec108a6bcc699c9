import { writeFileSync } from "node:fs";
import path from "node:path";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redeemAuthorizationCode } from "../../shared/auth/code-redemption";
import { DEV_EXTENSION_REDIRECT_URI } from "../../backend/oidc/mount";
import { DEMO_USERS } from "../../backend/seed/demo-data";
import { tempDir } from "../support/databases";
import { authorizeWithLocalProvider, exchangeLocalAuthorizationCode } from "../support/oidc-login";
import { startServer, type RunningServer } from "../support/server-process";

/**
 * The backend code exchange, for providers that insist on a client secret (Google): the server
 * process runs with OIDC_CLIENT_SECRET_FILE, which also makes the local provider's client
 * confidential, so a client without the secret cannot redeem a code itself and must go through
 * the backend. Real HTTP, real provider, the shared redemption code the pane and extension use.
 */
describe("backend authorization code exchange", () => {
  const secret = "test-client-secret-never-in-responses";
  const dataDir = tempDir("code-exchange");
  let server: RunningServer;

  beforeAll(async () => {
    const secretFile = path.join(dataDir, "client-secret");
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    server = await startServer({
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      OIDC_CLIENT_SECRET_FILE: secretFile,
      OIDC_EXCHANGE_REDIRECT_URIS: DEV_EXTENSION_REDIRECT_URI,
    });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    // The secret is configuration: it never reaches a response or the log.
    expect(server.output()).not.toContain(secret);
  });

  const exchangeUrl = () => `${server.url}/api/v1/auth/code-exchange`;
  const authorize = (redirectUri = DEV_EXTENSION_REDIRECT_URI) =>
    authorizeWithLocalProvider({ issuer: `${server.url}/oidc`, clientId: "smartcert-pane", redirectUri, email: DEMO_USERS[1]?.email ?? "", scope: "openid email profile" });
  const post = (body: unknown) => fetch(exchangeUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  it("tells clients that the backend redeems codes", async () => {
    const config = (await (await fetch(`${server.url}/api/v1/config`)).json()) as { oidc: { codeExchange?: string } };
    expect(config.oidc.codeExchange).toBe("backend");
  });

  it("refuses a client that redeems the code itself without the secret", async () => {
    const authorization = await authorize();
    // The provider's own answer, not any failure: the client is not authenticated without the secret.
    await expect(exchangeLocalAuthorizationCode(authorization, authorization.codeVerifier)).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("redeems through the backend: the client validates the answer (nonce included) and the ID token works as the bearer", async () => {
    const a = await authorize();
    const redeemed = await redeemAuthorizationCode({
      as: a.as,
      client: a.client,
      callbackParameters: a.callbackParameters,
      redirectUri: a.redirectUri,
      codeVerifier: a.codeVerifier,
      nonce: a.nonce,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the local provider is http://localhost
      http: { [oauth.allowInsecureRequests]: true },
      backendExchangeUrl: exchangeUrl(),
    });
    expect(redeemed.account.email).toBe(DEMO_USERS[1]?.email);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${redeemed.idToken}` } });
    expect(me.status).toBe(200);
  });

  it("passes through only the short-lived tokens, never a refresh token or the secret", async () => {
    const a = await authorize();
    const response = await post({ code: a.callbackParameters.get("code"), codeVerifier: a.codeVerifier, redirectUri: a.redirectUri });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(Object.keys(JSON.parse(text) as object).sort()).toEqual(expect.arrayContaining(["access_token", "id_token", "token_type"]));
    expect(text).not.toContain("refresh_token");
    expect(text).not.toContain(secret);
  });

  it("answers the provider's refusal (wrong PKCE verifier, reused code) as a 400 problem", async () => {
    const a = await authorize();
    const code = a.callbackParameters.get("code");
    const wrong = await post({ code, codeVerifier: oauth.generateRandomCodeVerifier(), redirectUri: a.redirectUri });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { title: string }).title).toMatch(/invalid_grant/);
    const right = await post({ code, codeVerifier: a.codeVerifier, redirectUri: a.redirectUri });
    expect(right.status).toBe(200);
    const reused = await post({ code, codeVerifier: a.codeVerifier, redirectUri: a.redirectUri });
    expect(reused.status).toBe(400);
    expect(((await reused.json()) as { title: string }).title).toMatch(/invalid_grant/);
  });

  it("is no open proxy: only listed redirect URIs, only well-formed input", async () => {
    const a = await authorize(`${server.url}/`);
    const unlisted = await post({ code: a.callbackParameters.get("code"), codeVerifier: a.codeVerifier, redirectUri: a.redirectUri });
    expect(unlisted.status).toBe(400);
    expect(((await unlisted.json()) as { title: string }).title).toMatch(/redirect URI is not registered/);
    const malformed = await post({ code: "x", codeVerifier: "short", redirectUri: DEV_EXTENSION_REDIRECT_URI });
    expect(malformed.status).toBe(400);
  });
});
