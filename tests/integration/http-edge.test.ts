import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemTypes } from "../../shared/protocol/problem";
import { OrganizationRepository } from "../../backend/orgs/repository";
import { testCipher } from "../support/keys";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { bearer, createTestApp, type TestApp } from "../support/test-app";
import { TestIssuer } from "../support/test-issuer";

/** What every request meets before and after a route: OpenAPI, probes, headers, limits, errors. */
let issuer: TestIssuer;
let database: TestDatabase & { drop: () => Promise<void> };
let t: TestApp;
let token = "";

beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
  database = await createTestDatabase("sqlite");
  const orgs = new OrganizationRepository(database.db, await testCipher(database.db, database.dataDir));
  const org = await orgs.createOrganization("Edge Org");
  await orgs.createInvitedUser(org.id, { email: "edge@example.com", displayName: "Edge", roles: ["admin"], locationIds: [] });
  t = await createTestApp({
    db: database.db,
    dataDir: database.dataDir,
    issuers: [issuer.config],
    env: { ALLOWED_ORIGINS: "https://outlook.example", BODY_LIMIT_BYTES: "2048", RATE_LIMIT_PER_USER: "5", RATE_LIMIT_PER_IP: "40" },
  });
  token = await issuer.token({ sub: "edge", email: "edge@example.com" });
});

afterAll(async () => {
  await t.app.close();
  await database.drop();
  await issuer.stop();
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with an operationId on every operation", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json<{ openapi: string; paths: Record<string, Record<string, { operationId?: string; security?: unknown }>>; components: { schemas: Record<string, unknown> } }>();
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(0);
    for (const operation of operations) expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
    const operationIds = operations.map((o) => o.operationId);
    for (const id of [
      "getMe", "listLocations", "createLocation", "listUsers", "inviteUser", "updateUser", "getHealth", "getReadiness", "getClientConfig",
      "createCert", "getCert", "listCerts", "updateCert", "uploadDocument", "listDocuments", "getDocumentUrl", "downloadDocument",
      "shareCert", "setPublicLink", "acceptPublicLink", "getCertQr", "copyCert", "searchNetwork", "lookupUserByEmail",
      "listCertActivity", "listSharesForConversation",
    ]) {
      expect(operationIds).toContain(id);
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
    expect(doc.paths["/api/v1/me"]?.get?.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Problem", "Me", "User", "Location", "Cert", "Share", "Document"]));
    // The signed download is the one operation without a bearer token.
    expect(doc.paths["/api/v1/documents/{documentId}/versions/{version}/content"]?.get?.security).toBeUndefined();
  });
});

describe("probes", () => {
  it("answers healthz and readyz", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ok", database: "ok" });
  });
});

describe("request log", () => {
  it("writes one line per request with method, path without query, status and time", async () => {
    const before = t.logs.length;
    const res = await t.app.inject({ method: "GET", url: "/healthz?probe=secret-value" });
    expect(res.statusCode).toBe(200);
    const lines = t.logs.slice(before).flatMap((chunk) => chunk.trim().split("\n")).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "request completed", req: { method: "GET", url: "/healthz" }, res: { statusCode: 200 } });
    expect(typeof lines[0]?.responseTime).toBe("number");
    expect(t.logs.slice(before).join("")).not.toContain("secret-value");
  });

  it("logs a failing request once, at error level, with the error", async () => {
    const before = t.logs.length;
    const res = await t.app.inject({ method: "POST", url: "/api/v1/orgs", headers: { "content-type": "application/json" }, payload: "{not json" });
    expect(res.statusCode).toBe(400);
    const lines = t.logs.slice(before).flatMap((chunk) => chunk.trim().split("\n")).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.msg === "request completed" || line.msg === "request errored")).toHaveLength(1);
    expect(lines.some((line) => line.msg === "incoming request")).toBe(false);
  });
});

describe("errors and headers", () => {
  it("answers unknown routes with problem+json", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/nothing-here?secret=1" });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toContain("application/problem+json");
    expect(response.json()).toEqual({ type: problemTypes.notFound, title: "Not found", status: 404, instance: "/api/v1/nothing-here" });
  });

  it("answers malformed JSON with a 400 problem and no stack trace", async () => {
    const response = await t.app.inject({ method: "POST", url: "/api/v1/locations", headers: { ...bearer(token), "content-type": "application/json" }, payload: "{bad" });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: problemTypes.badRequest, status: 400 });
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses bodies over the limit with 413", async () => {
    const response = await t.app.inject({ method: "POST", url: "/api/v1/locations", headers: bearer(token), payload: { name: "x".repeat(5000) } });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ type: problemTypes.payloadTooLarge });
  });

  it("sets security headers", async () => {
    const response = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(response.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["x-frame-options"]).toBeDefined();
  });

  it("grants CORS only to configured origins", async () => {
    const allowed = await t.app.inject({ method: "OPTIONS", url: "/api/v1/me", headers: { origin: "https://outlook.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" } });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://outlook.example");
    const denied = await t.app.inject({ method: "GET", url: "/healthz", headers: { origin: "https://evil.example" } });
    expect(denied.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("rate limits", () => {
  it("limits each signed-in user, then each address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) })).statusCode);
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    const limited = await t.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ type: problemTypes.rateLimited });
    expect(limited.headers["retry-after"]).toBeDefined();

    let last = 0;
    for (let i = 0; i < 45 && last !== 429; i++) last = (await t.app.inject({ method: "GET", url: "/healthz", remoteAddress: "10.9.9.9" })).statusCode;
    expect(last).toBe(429);
  });
});
