// The local OpenID provider over real HTTP, mounted in a Fastify app that also has helmet with its
// default CSP (as the real app does), driven by a standards client (oauth4webapi) and checked with
// an independent verifier (jose against the published JWKS).
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import Fastify from "fastify";
import type { FastifyInstance } from "fastify";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { registerSecurityHeaders } from "../../backend/http/security";
import { devSubjectForEmail } from "../../backend/oidc/dev-accounts";
import { LOCAL_OIDC_DEV_LOGIN_PREFIX, registerLocalOidcProvider } from "../../backend/oidc/local-provider";
import type { DevAccount, LocalOidcOptions } from "../../backend/oidc/local-provider";
import { PROVIDER_KEYS_FILE } from "../../backend/oidc/provider-keys";
import { authorizeWithLocalProvider, exchangeLocalAuthorizationCode, signInWithLocalProvider } from "../support/oidc-login";

const CLIENT_ID = "smartcert-pane-test";
// Another origin than the provider's, like the real pane: never fetched, only recognised.
const REDIRECT_URI = "http://localhost:5173/auth/callback";
const ACCOUNTS: DevAccount[] = [
  { sub: "demo-alice", email: "alice@example.test", name: "Alice Adams" },
  // Markup in a name must come out escaped on the sign-in page.
  { sub: "demo-mallory", email: "mallory@example.test", name: `Mallory <script>alert("x")</script> O'Neil` },
];

interface RunningProvider {
  app: FastifyInstance;
  issuer: string;
  logs: string[];
}

/** Fastify cannot register plugins after listening, so pick a free port first, then listen on it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
  });
  return port;
}

async function startProvider(keysDir: string): Promise<RunningProvider> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}/oidc`;
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString("utf8"));
      callback();
    },
  });
  const app = Fastify({ logger: { level: "info", stream } });
  registerSecurityHeaders(app);
  // An ordinary app route next to the provider, to show the mount does not swallow it.
  app.get("/api/ping", () => ({ ok: true }));
  await registerLocalOidcProvider(app, {
    issuer,
    keysDir,
    clients: [{ clientId: CLIENT_ID, redirectUris: [REDIRECT_URI] }],
    accounts: ACCOUNTS,
    nodeEnv: "test",
  });
  await app.listen({ host: "127.0.0.1", port });
  return { app, issuer, logs };
}

function signIn(provider: RunningProvider, email: string, accountButton = false): ReturnType<typeof signInWithLocalProvider> {
  return signInWithLocalProvider({ issuer: provider.issuer, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, email, accountButton });
}

async function verifyIdToken(provider: RunningProvider, idToken: string, jwksIssuer = provider.issuer): Promise<Record<string, unknown>> {
  const jwks = createRemoteJWKSet(new URL(`${jwksIssuer}/jwks`));
  const { payload } = await jwtVerify(idToken, jwks, { issuer: provider.issuer, audience: CLIENT_ID, algorithms: ["RS256"] });
  return payload;
}

describe("local OpenID provider", () => {
  let keysDir: string;
  let provider: RunningProvider;

  beforeAll(async () => {
    keysDir = join(await mkdtemp(join(tmpdir(), "smartcert-oidc-")), "keys");
    provider = await startProvider(keysDir);
  });

  afterAll(async () => {
    await provider.app.close();
    await rm(join(keysDir, ".."), { recursive: true, force: true });
  });

  test("discovery advertises the endpoints under the mount path, and the JWKS at ${issuer}/jwks", async () => {
    const issuerUrl = new URL(provider.issuer);
    // The flag is deprecated only to stand out; it is how oauth4webapi talks to a plain-http test issuer.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const response = await oauth.discoveryRequest(issuerUrl, { algorithm: "oidc", [oauth.allowInsecureRequests]: true });
    const as = await oauth.processDiscoveryResponse(issuerUrl, response);
    expect(as.issuer).toBe(provider.issuer);
    expect(as.jwks_uri).toBe(`${provider.issuer}/jwks`);
    expect(as.authorization_endpoint).toBe(`${provider.issuer}/auth`);
    expect(as.token_endpoint).toBe(`${provider.issuer}/token`);
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.response_types_supported).toEqual(["code"]);
    expect(as.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "offline_access"]));

    const jwks = (await (await fetch(`${provider.issuer}/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys.map((key) => key.alg)).toEqual(expect.arrayContaining(["RS256", "ES256"]));
    // Public keys only.
    for (const key of jwks.keys) expect(key).not.toHaveProperty("d");
  });

  test("a listed account signs in with its button; the ID token verifies against the JWKS", async () => {
    const tokens = await signIn(provider, "alice@example.test", true);
    expect(decodeProtectedHeader(tokens.idToken).alg).toBe("RS256");
    const claims = await verifyIdToken(provider, tokens.idToken);
    expect(claims).toMatchObject({ sub: "demo-alice", email: "alice@example.test", email_verified: true, name: "Alice Adams", aud: CLIENT_ID });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
    expect(tokens.accessToken).not.toBe("");
    expect(tokens.refreshToken).toEqual(expect.any(String));
    // Tokens must never reach the logs.
    const logs = provider.logs.join("");
    for (const token of [tokens.idToken, tokens.accessToken, tokens.refreshToken ?? "-"]) expect(logs).not.toContain(token);
  });

  test("a free-form email signs in as that email, with a subject derived from it", async () => {
    const first = await verifyIdToken(provider, (await signIn(provider, "  Carol.Free@Example.TEST ")).idToken);
    expect(first).toMatchObject({ email: "carol.free@example.test", name: "carol.free", email_verified: true, sub: devSubjectForEmail("carol.free@example.test") });
    expect(first.sub).toMatch(/^dev-[0-9a-f]{32}$/u);
    const again = await verifyIdToken(provider, (await signIn(provider, "carol.free@example.test")).idToken);
    expect(again.sub).toBe(first.sub);
    // Typing a listed account's email is that account.
    const typed = await verifyIdToken(provider, (await signIn(provider, "ALICE@example.test")).idToken);
    expect(typed.sub).toBe("demo-alice");
  });

  test("the code exchange fails with a wrong PKCE verifier and works once with the right one", async () => {
    const authorization = await authorizeWithLocalProvider({ issuer: provider.issuer, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, email: "alice@example.test" });
    const wrong = exchangeLocalAuthorizationCode(authorization, oauth.generateRandomCodeVerifier());
    await expect(wrong).rejects.toMatchObject({ error: "invalid_grant" });
    // A fresh code with its own verifier works, and only once.
    const other = await authorizeWithLocalProvider({ issuer: provider.issuer, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, email: "alice@example.test" });
    await expect(exchangeLocalAuthorizationCode(other, other.codeVerifier)).resolves.toHaveProperty("idToken");
    await expect(exchangeLocalAuthorizationCode(other, other.codeVerifier)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  test("an authorization request without PKCE is rejected", async () => {
    const url = new URL(`${provider.issuer}/auth`);
    url.search = new URLSearchParams({ response_type: "code", client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, scope: "openid", state: "s" }).toString();
    const response = await fetch(url, { redirect: "manual" });
    const location = new URL(response.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get("error")).toBe("invalid_request");
  });

  test("refresh tokens rotate", async () => {
    const tokens = await signIn(provider, "alice@example.test", true);
    const issuerUrl = new URL(provider.issuer);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above: plain-http test issuer
    const insecure = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, insecure));
    const client: oauth.Client = { client_id: CLIENT_ID, token_endpoint_auth_method: "none" };
    const refresh = (token: string): Promise<oauth.TokenEndpointResponse> =>
      oauth.refreshTokenGrantRequest(as, client, oauth.None(), token, insecure).then((response) => oauth.processRefreshTokenResponse(as, client, response));
    const rotated = await refresh(tokens.refreshToken ?? "");
    expect(rotated.refresh_token).toEqual(expect.any(String));
    expect(rotated.refresh_token).not.toBe(tokens.refreshToken);
    expect((await verifyIdToken(provider, rotated.id_token ?? "")).sub).toBe("demo-alice");
    await expect(refresh(tokens.refreshToken ?? "")).rejects.toMatchObject({ error: "invalid_grant" });
  });

  test("Fastify's body handling leaves the provider's form-encoded token endpoint alone", async () => {
    const response = await fetch(`${provider.issuer}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "not-a-code", client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, code_verifier: oauth.generateRandomCodeVerifier() }),
    });
    // The provider's own OAuth error, not Fastify's 415 for an unknown content type.
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_grant" });
  });

  test("the app's other routes keep working, and only the mount path goes to the provider", async () => {
    const ping = await fetch(new URL("/api/ping", provider.issuer));
    expect(await ping.json()).toEqual({ ok: true });
    const neighbour = await fetch(new URL("/oidcx/token", provider.issuer));
    expect(neighbour.status).toBe(404);
    expect(await neighbour.json()).toMatchObject({ message: "Route GET:/oidcx/token not found" });
  });

  test("the sign-in page is escaped, script-free, and carries its own CSP instead of helmet's", async () => {
    const url = new URL(`${provider.issuer}/auth`);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: "openid email",
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: "S256",
    }).toString();
    const redirect = await fetch(url, { redirect: "manual" });
    expect(redirect.status).toBe(303);
    const providerCsp = redirect.headers.get("content-security-policy");
    const pageUrl = new URL(redirect.headers.get("location") ?? "", url);
    expect(pageUrl.pathname.startsWith(`${LOCAL_OIDC_DEV_LOGIN_PREFIX}/`)).toBe(true);
    const cookie = redirect.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ");
    const page = await fetch(pageUrl, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("<title>SmartCert dev sign-in</title>");
    expect(html).toContain("<h1>SmartCert dev sign-in</h1>");
    expect(html).toContain("Development provider.");
    expect(html).toContain(">Sign in as Alice Adams</button>");
    expect(html).toContain("Sign in as Mallory &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Neil");
    expect(html).not.toMatch(/<script/iu);
    expect(html).toMatch(/<label for="email">Email<\/label>/u);
    expect(html).toContain('<button type="submit">Sign in</button>');

    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/u);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(csp).toContain("form-action 'self' http://localhost:5173");
    // The provider's own responses get the same policy in place of helmet's.
    expect(providerCsp).toBe(csp);
    // Helmet's other headers are still there; ordinary routes keep helmet's default CSP.
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    const ping = await fetch(new URL("/api/ping", provider.issuer));
    expect(ping.headers.get("content-security-policy")).toContain("form-action 'self';");
  });

  test("a sign-in page without its interaction cookie explains that the request expired", async () => {
    const response = await fetch(new URL(`${LOCAL_OIDC_DEV_LOGIN_PREFIX}/unknown-uid`, provider.issuer));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Sign-in expired");
    const post = await fetch(new URL(`${LOCAL_OIDC_DEV_LOGIN_PREFIX}/unknown-uid`, provider.issuer), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "sub=demo-alice",
    });
    expect(post.status).toBe(400);
  });

  test("keys persist: a second instance on the same keys directory publishes the same keys", async () => {
    expect((await stat(keysDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(keysDir, PROVIDER_KEYS_FILE))).mode & 0o777).toBe(0o600);
    const tokens = await signIn(provider, "alice@example.test", true);
    const second = await startProvider(keysDir);
    try {
      const kids = async (issuer: string): Promise<unknown[]> =>
        ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<{ kid: unknown }> }).keys.map((key) => key.kid);
      expect(await kids(second.issuer)).toEqual(await kids(provider.issuer));
      // A token from the first instance verifies against the second instance's JWKS.
      expect((await verifyIdToken(provider, tokens.idToken, second.issuer)).sub).toBe("demo-alice");
    } finally {
      await second.app.close();
    }
  });

  test("refuses to start when NODE_ENV=production", async () => {
    const options: LocalOidcOptions = {
      issuer: "http://127.0.0.1:1/oidc",
      keysDir: join(keysDir, "never-created"),
      clients: [{ clientId: CLIENT_ID, redirectUris: [REDIRECT_URI] }],
      accounts: ACCOUNTS,
      nodeEnv: "production",
    };
    const app = Fastify();
    try {
      await expect(registerLocalOidcProvider(app, options)).rejects.toThrow(
        new Error("The local OpenID provider must not run when NODE_ENV=production"),
      );
      await expect(stat(options.keysDir)).rejects.toMatchObject({ code: "ENOENT" });
    } finally {
      await app.close();
    }
  });
});
