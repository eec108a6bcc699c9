import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cert } from "../../shared/protocol/certs";
import type { ClientConfig } from "../../shared/protocol/client-config";
import type { MailboxAuthorization, MailboxConnection } from "../../shared/protocol/sync";
import { describeEachDatabase } from "../support/databases";
import { FakeGmail } from "../support/fake-gmail";
import { FakeGraph } from "../support/fake-graph";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { freePort } from "../support/server-process";
import { bearer } from "../support/test-app";
import { TestIssuer } from "../support/test-issuer";

/**
 * Connecting a mailbox the way a browser does it, over real HTTP on both databases: the pane asks
 * the backend for the provider's consent URL, the browser follows it through the fake provider's
 * authorization endpoint (client id, registered redirect URI, scopes, S256 PKCE) back to the
 * callback, and the callback exchanges the code (the fake checks the PKCE verifier) and stores a
 * sealed refresh token. State is single use, expires, is bound to its user and provider, and a
 * tampered or denied one stores nothing.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-sync-connect");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("connecting a mailbox", (current) => {
  let w: NetworkWorld;
  let base: string;
  let graph: FakeGraph;
  let gmail: FakeGmail;
  let walt: WorldUser, bea: WorldUser, gus: WorldUser;
  // The app's clock, moved forward to expire an authorization.
  let clockOffsetMs = 0;

  beforeAll(async () => {
    [graph, gmail] = await Promise.all([FakeGraph.start(), FakeGmail.start()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    w = await NetworkWorld.create({
      db: current().db, dataDir: current().dataDir, issuer, now: () => new Date(Date.now() + clockOffsetMs),
      env: {
        PUBLIC_URL: base,
        GRAPH_BASE_URL: graph.base, GRAPH_AUTHORIZE_URL: `${graph.base}/oauth2/v2.0/authorize`, GRAPH_TOKEN_URL: graph.tokenUrl, GRAPH_CLIENT_ID: graph.tokens.clientId, GRAPH_CLIENT_SECRET: graph.tokens.clientSecret,
        GMAIL_BASE_URL: gmail.base, GOOGLE_AUTHORIZE_URL: `${gmail.base}/o/oauth2/v2/auth`, GOOGLE_TOKEN_URL: gmail.tokenUrl, GOOGLE_REVOKE_URL: `${gmail.base}/revoke`,
        GOOGLE_CLIENT_ID: gmail.tokens.clientId, GOOGLE_CLIENT_SECRET: gmail.tokens.clientSecret,
        SYNC_INTERVAL_SECONDS: "3600",
      },
    });
    await w.app.listen({ port, host: "127.0.0.1" });
    for (const fake of [graph, gmail]) fake.tokens.redirectUris.add(`${base}/api/v1/mailboxes/callback`);
    const mill = await w.org("Mill");
    const buyer = await w.org("Buyer");
    const yard = await w.location(buyer, "Yard");
    walt = await w.user(mill, ["writer"], [await w.location(mill, "North")], "Walt");
    bea = await w.user(buyer, [], [yard], "Bea");
    gus = await w.user(buyer, [], [yard], "Gus");
  });
  afterAll(async () => {
    await w.close();
    await Promise.all([graph.stop(), gmail.stop()]);
  });

  /** Starts `as`'s authorization; `as` is then the account signed in at both providers (the mailbox owner). */
  async function begin(as: WorldUser, provider: "graph" | "gmail"): Promise<URL> {
    // Microsoft reports the address in its own case: matched as the directory matches emails.
    graph.tokens.account = as.email.toUpperCase();
    gmail.tokens.account = as.email;
    const response = await fetch(`${base}/api/v1/mailboxes/authorizations`, { method: "POST", headers: { ...bearer(as.token), "content-type": "application/json" }, body: JSON.stringify({ provider }) });
    expect(response.status).toBe(201);
    const body = (await response.json()) as MailboxAuthorization;
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    return new URL(body.authorizeUrl);
  }

  /** The browser at the provider: consent, then the redirect the provider answers (not followed). */
  async function consent(authorizeUrl: URL): Promise<URL> {
    const response = await fetch(authorizeUrl, { redirect: "manual" });
    expect(response.status).toBe(302);
    return new URL(response.headers.get("location") ?? "");
  }

  async function page(url: URL | string): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(url);
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  const connections = async (as: WorldUser) => (await w.request(as, "GET", "/api/v1/mailboxes")).json<{ items: MailboxConnection[] }>().items;
  const openAuthorizations = async (userId: string) =>
    Number((await current().db.selectFrom("mailbox_authorizations").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow()).n);

  /** Waits until a sync after `since` finished (or the connection needs the user). */
  async function synced(as: WorldUser, provider: "graph" | "gmail", since: string | null = null): Promise<MailboxConnection> {
    for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const c = (await connections(as)).find((x) => x.provider === provider);
      if (c && (c.status === "needs-user" || (c.lastSyncAt !== null && c.lastSyncAt !== since))) return c;
    }
    throw new Error("sync did not finish");
  }

  it("lists the enabled providers in the public config, and nothing secret", async () => {
    const config = (await (await fetch(`${base}/api/v1/config`)).json()) as ClientConfig;
    expect(config.mailboxProviders).toEqual(["graph", "gmail"]);
    expect(JSON.stringify(config)).not.toContain(graph.tokens.clientSecret);
    expect(JSON.stringify(config)).not.toContain(gmail.tokens.clientSecret);
  });

  it("Graph: consent in the browser connects the mailbox, files a received link, keeps the token sealed", { timeout: 60_000 }, async () => {
    const cert = (await w.request(walt, "POST", "/api/v1/certs", { title: "Plate for Bea" })).json<Cert>();
    const { url } = (await w.request(walt, "PUT", `/api/v1/certs/${cert.id}/public-link`, { enabled: true })).json<{ url: string }>();
    graph.add({ conversationId: "conv-connect", subject: "Certs", body: `<p>See ${url}</p>`, attachments: [] });

    const authorizeUrl = await begin(bea, "graph");
    const q = authorizeUrl.searchParams;
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${graph.base}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(q)).toMatchObject({
      client_id: graph.tokens.clientId, response_type: "code", redirect_uri: `${base}/api/v1/mailboxes/callback`, code_challenge_method: "S256", response_mode: "query",
      scope: "offline_access https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/User.Read",
    });
    expect(q.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.has("code_verifier")).toBe(false);

    // A real fetch that follows the provider's redirect to the callback, as the browser does.
    const landed = await fetch(authorizeUrl);
    expect(new URL(landed.url).pathname).toBe("/api/v1/mailboxes/callback");
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain("Microsoft 365 is connected");
    expect(landed.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(landed.headers.get("cache-control")).toBe("no-store");
    expect(landed.headers.get("referrer-policy")).toBe("no-referrer");

    const connection = await synced(bea, "graph");
    expect(connection).toMatchObject({ status: "active", lastError: null });
    expect((await w.request(bea, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(200);
    expect(await openAuthorizations(bea.id)).toBe(0);
    // Sealed under the sync key: the provider's refresh token is nowhere in the row.
    const row = await current().db.selectFrom("mailbox_connections").select("refresh_token").where("id", "=", connection.id).executeTakeFirstOrThrow();
    expect(graph.tokens.refreshTokens).toHaveLength(1);
    expect(row.refresh_token).not.toContain(graph.tokens.refreshTokens[0]);
    expect(row.refresh_token).toMatch(/^s1\./);
  });

  it("a state works once: the same callback again changes nothing", async () => {
    const callback = await consent(await begin(gus, "graph"));
    expect((await page(callback)).text).toContain("Microsoft 365 is connected");
    const [first] = await connections(gus);
    const sealed = await current().db.selectFrom("mailbox_connections").select("refresh_token").where("user_id", "=", gus.id).executeTakeFirstOrThrow();
    const exchanges = graph.tokens.grants.filter((g) => g === "authorization_code").length;

    const again = await page(callback);
    expect(again.status).toBe(400);
    expect(again.text).toContain("This link has expired or was already used");
    expect(again.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(graph.tokens.grants.filter((g) => g === "authorization_code").length).toBe(exchanges);
    expect(await connections(gus)).toEqual([expect.objectContaining({ id: first?.id })]);
    expect(await current().db.selectFrom("mailbox_connections").select("refresh_token").where("user_id", "=", gus.id).executeTakeFirstOrThrow()).toEqual(sealed);
    await w.request(gus, "POST", `/api/v1/mailboxes/${first?.id ?? ""}/disconnect`);
  });

  it("an expired, tampered or missing state stores nothing; a tampered one leaves the real one usable", async () => {
    const expiring = await consent(await begin(gus, "gmail"));
    clockOffsetMs = 11 * 60_000;
    try {
      expect(await page(expiring)).toMatchObject({ status: 400, text: expect.stringContaining("expired or was already used") as string });
    } finally {
      clockOffsetMs = 0;
    }
    // Gone for good, even now that the clock is back.
    expect((await page(expiring)).status).toBe(400);

    const callback = await consent(await begin(gus, "gmail"));
    const state = callback.searchParams.get("state") ?? "";
    const tampered = new URL(callback);
    tampered.searchParams.set("state", `${state.slice(0, -1)}${state.endsWith("A") ? "B" : "A"}`);
    expect((await page(tampered)).status).toBe(400);
    const missing = new URL(callback);
    missing.searchParams.delete("state");
    expect((await page(missing)).status).toBe(400);
    expect((await page(`${base}/api/v1/mailboxes/callback?state=${"x".repeat(500)}&code=y`)).status).toBe(400);
    expect(await connections(gus)).toEqual([]);

    expect((await page(callback)).text).toContain("Gmail is connected");
    expect((await connections(gus)).map((c) => c.provider)).toEqual(["gmail"]);
    const [connection] = await connections(gus);
    // Disconnecting revokes the grant at Google.
    const refresh = gmail.tokens.refreshTokens.at(-1);
    await w.request(gus, "POST", `/api/v1/mailboxes/${connection?.id ?? ""}/disconnect`);
    expect(gmail.tokens.revoked).toContain(refresh);
  });

  it("connects only the user's own mailbox: someone else's consent on Bea's authorization is refused and revoked (login CSRF)", async () => {
    const before = await connections(bea);
    const revokedBefore = gmail.tokens.revoked.length;
    // Bea starts an authorization, then gets Gus (signed in at Google as himself) to click through it.
    const authorizeUrl = await begin(bea, "gmail");
    gmail.tokens.account = gus.email;
    const refused = await page(await consent(authorizeUrl));
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("This mailbox is not your own");
    expect(refused.text).toContain(gus.email.toLowerCase());
    expect(await connections(bea)).toEqual(before);
    // The grant Gus gave is revoked at Google rather than left dangling.
    expect(gmail.tokens.revoked).toHaveLength(revokedBefore + 1);

    // The same through connectMailbox (a client that ran the flow itself), for Microsoft 365: the
    // sign-in name or the primary address must be the user's email.
    graph.tokens.account = gus.email;
    const viaApi = await w.request(bea, "POST", "/api/v1/mailboxes", { provider: "graph", code: graph.tokens.issueCode(), redirectUri: "https://localhost/callback" });
    expect(viaApi.statusCode).toBe(403);
    expect(viaApi.json<{ detail: string }>().detail).toMatch(/not your own/);
    expect(await connections(bea)).toEqual(before);
  });

  it("a state belongs to its user and its provider", async () => {
    const beasCallback = await consent(await begin(bea, "gmail"));
    const gusCallback = await consent(await begin(gus, "gmail"));
    // Whoever's browser brings Gus's state back, the mailbox is Gus's.
    expect((await page(gusCallback)).status).toBe(200);
    expect((await connections(gus)).map((c) => c.provider)).toEqual(["gmail"]);
    expect((await connections(bea)).map((c) => c.provider)).toEqual(["graph"]);

    // A Graph code with Bea's Gmail state goes to Google, which refuses it: nothing stored.
    const graphCode = (await consent(await begin(bea, "graph"))).searchParams.get("code") ?? "";
    const mixed = new URL(beasCallback);
    mixed.searchParams.set("code", graphCode);
    const refused = await page(mixed);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("Gmail was not connected");
    expect((await connections(bea)).map((c) => c.provider)).toEqual(["graph"]);
    const [gusGmail] = await connections(gus);
    await w.request(gus, "POST", `/api/v1/mailboxes/${gusGmail?.id ?? ""}/disconnect`);
  });

  it("PKCE: the provider refuses a code redeemed with another verifier, and the callback then stores nothing", async () => {
    const callback = await consent(await begin(gus, "gmail"));
    const stolen = await fetch(gmail.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", client_id: gmail.tokens.clientId, client_secret: gmail.tokens.clientSecret, code: callback.searchParams.get("code") ?? "", redirect_uri: `${base}/api/v1/mailboxes/callback`, code_verifier: "a".repeat(43) }),
    });
    expect(stolen.status).toBe(400);
    expect(((await stolen.json()) as { error: string }).error).toBe("invalid_grant");
    expect((await page(callback)).status).toBe(400);
    expect(await connections(gus)).toEqual([]);
  });

  it("denied consent: a clear page, nothing stored, the state used up", async () => {
    gmail.tokens.consent = "deny";
    try {
      const callback = await consent(await begin(gus, "gmail"));
      expect(callback.searchParams.get("error")).toBe("access_denied");
      const denied = await page(callback);
      expect(denied.status).toBe(403);
      expect(denied.text).toContain("Access was not allowed, so nothing was connected");
      expect(await connections(gus)).toEqual([]);
      expect(await openAuthorizations(gus.id)).toBe(0);
    } finally {
      gmail.tokens.consent = "allow";
    }
  });

  it("connecting again after consent was revoked renews the same connection", { timeout: 30_000 }, async () => {
    const before = (await connections(bea)).find((c) => c.provider === "graph");
    const sealedBefore = await current().db.selectFrom("mailbox_connections").select("refresh_token").where("id", "=", before?.id ?? "").executeTakeFirstOrThrow();
    graph.tokens.revokeAll();
    await w.request(bea, "POST", `/api/v1/mailboxes/${before?.id ?? ""}/sync`);
    expect((await synced(bea, "graph", before?.lastSyncAt ?? null)).status).toBe("needs-user");

    expect((await page(await consent(await begin(bea, "graph")))).status).toBe(200);
    const after = (await connections(bea)).filter((c) => c.provider === "graph");
    expect(after).toEqual([expect.objectContaining({ id: before?.id, status: "active" })]);
    const sealedAfter = await current().db.selectFrom("mailbox_connections").select("refresh_token").where("id", "=", before?.id ?? "").executeTakeFirstOrThrow();
    expect(sealedAfter.refresh_token).not.toBe(sealedBefore.refresh_token);
  });

  it("never logs a code, a state or a token", () => {
    const logs = w.t.logs.join("");
    for (const request of [...graph.tokens.authorizations, ...gmail.tokens.authorizations]) {
      expect(logs).not.toContain(request.get("state"));
      expect(logs).not.toContain(request.get("code_challenge"));
    }
    for (const token of [...graph.tokens.refreshTokens, ...gmail.tokens.refreshTokens]) expect(logs).not.toContain(token);
    expect(logs).not.toMatch(/code-[0-9a-f]{16}/);
    expect(logs).toContain("/api/v1/mailboxes/callback");
  });
});
