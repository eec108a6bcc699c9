import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ORG, DEMO_USERS } from "../../backend/seed/demo-data";
import { tempDir } from "../support/databases";
import { signInWithLocalProvider } from "../support/oidc-login";
import { startServer, type RunningServer } from "../support/server-process";

/**
 * The default configuration end to end, as `npm start` runs it: the server process with its
 * SQLite file, demo seed and the local OpenID provider; demo users sign in over real HTTP.
 */
describe("demo sign-in through the local provider", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ DATA_DIR: tempDir("demo"), LOG_LEVEL: "info" });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("publishes the client configuration the pane starts from", async () => {
    const config: unknown = await (await fetch(`${server.url}/api/v1/config`)).json();
    expect(config).toEqual({
      apiBase: `${server.url}/api/v1`,
      oidc: { issuer: `${server.url}/oidc`, clientId: "smartcert-pane", scopes: ["openid", "email", "profile"], codeExchange: "client" },
      // No mailbox provider has client credentials in the demo, so the pane offers none.
      mailboxProviders: [],
    });
  });

  it.each(DEMO_USERS.map((u) => [u.displayName, u] as const))("signs in %s and answers getMe", async (_name, user) => {
    const tokens = await signInWithLocalProvider({
      issuer: `${server.url}/oidc`,
      clientId: "smartcert-pane",
      redirectUri: `${server.url}/`,
      email: user.email,
      accountButton: true,
    });
    const response = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.idToken}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: { id: user.id, displayName: user.displayName, orgId: DEMO_ORG.id, roles: user.roles, locationIds: [...user.locationIds].sort() },
      org: DEMO_ORG,
    });
  });

  it("answers 403 not-invited to a provider account nobody invited", async () => {
    const tokens = await signInWithLocalProvider({ issuer: `${server.url}/oidc`, clientId: "smartcert-pane", redirectUri: `${server.url}/`, email: "walk-in@nowhere.example" });
    const response = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.idToken}` } });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(await response.json()).toMatchObject({ type: "urn:smartcert:problem:not-invited" });
  });

  it("printed its URLs and logged no token or code", () => {
    const output = server.output();
    expect(output).toContain(`Playground:     ${server.url}/`);
    expect(output).toMatch(/"url":"\/oidc\/token"/);
    expect(output).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    expect(output).not.toMatch(/[?&]code=/);
  });
});
