import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases";
import { runToCompletion, startServer, type RunningServer } from "../support/server-process";
import { TestIssuer } from "../support/test-issuer";

/**
 * The operator CLI against the same database as a running server (real processes): the
 * organization it creates can be signed into at once through the server.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("admin CLI", (current) => {
  let server: RunningServer;
  const env = () => ({ DATA_DIR: current().dataDir, DATABASE_URL: current().databaseUrl, OIDC_ISSUERS: JSON.stringify([issuer.config]) });

  beforeAll(async () => {
    server = await startServer({ ...env(), LOCAL_OIDC: "false", SEED_DEMO: "false", LOG_LEVEL: "warn" });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("creates an organization while the server runs; its admin can sign in", async () => {
    const result = await runToCompletion("backend/cli/admin.ts", ["create-org", "--name", "CLI Forge", "--admin-email", "Boss@Forge.example"], env());
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const created = JSON.parse(lines[0] ?? "") as { orgId: string; adminUserId: string };
    expect(Object.keys(created).sort()).toEqual(["adminUserId", "orgId"]);

    const token = await issuer.token({ sub: "forge-boss", email: "boss@forge.example" });
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { id: created.adminUserId, roles: ["admin", "writer"] }, org: { id: created.orgId, name: "CLI Forge" } });
  });

  it("explains bad usage with exit code 64 and changes nothing", async () => {
    const missing = await runToCompletion("backend/cli/admin.ts", ["create-org", "--name", "No Admin"], env());
    expect(missing.code).toBe(64);
    expect(missing.stderr).toContain("--admin-email");
    expect(missing.stdout).toBe("");
    const unknown = await runToCompletion("backend/cli/admin.ts", ["launch-rockets"], env());
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("unknown command");
    const duplicate = await runToCompletion("backend/cli/admin.ts", ["create-org", "--name", "Again", "--admin-email", "boss@forge.example"], env());
    expect(duplicate.code).toBe(64);
    expect(duplicate.stderr).toContain("already exists");
  });
});
