import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemTypes } from "../../shared/protocol/problem";
import { DEMO_ORG } from "../../backend/seed/demo-data";
import { OrganizationRepository } from "../../backend/orgs/repository";
import { testCipher } from "../support/keys";
import { createTestDatabase, type TestDatabase } from "../support/databases";
import { bearer, createTestApp, type TestApp } from "../support/test-app";
import { base64url, TestIssuer } from "../support/test-issuer";

/**
 * Bearer-token validation against an independent issuer. Every negative must answer 401 with a
 * problem document, and the token must never appear in the logs.
 */
const USER_EMAIL = "jwt.user@example.com";

let issuer: TestIssuer;
let other: TestIssuer;
let database: TestDatabase & { drop: () => Promise<void> };
let t: TestApp;

beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
  other = await TestIssuer.start("smartcert-api");
  database = await createTestDatabase("sqlite");
  const orgs = new OrganizationRepository(database.db, await testCipher(database.db, database.dataDir));
  await orgs.createOrganization(DEMO_ORG.name, DEMO_ORG.id);
  await orgs.createInvitedUser(DEMO_ORG.id, { email: USER_EMAIL, displayName: "Jay", roles: [], locationIds: [] });
  t = await createTestApp({ db: database.db, dataDir: database.dataDir, issuers: [issuer.config] });
});

afterAll(async () => {
  await t.app.close();
  await database.drop();
  await issuer.stop();
  await other.stop();
});

async function getMe(token: string) {
  return t.app.inject({ method: "GET", url: "/api/v1/me", headers: bearer(token) });
}

/** Each negative test first shows that the same token without its defect is accepted, so a 401
 * can only come from the defect under test. */
async function expectControlAccepted(): Promise<void> {
  expect((await getMe(await issuer.token({ sub: "jwt-user" }))).statusCode).toBe(200);
}

function expectUnauthenticated(response: Awaited<ReturnType<typeof getMe>>) {
  expect(response.statusCode).toBe(401);
  expect(response.headers["content-type"]).toContain("application/problem+json");
  expect(response.json()).toMatchObject({ type: problemTypes.unauthenticated, status: 401 });
}

describe("bearer JWT validation", () => {
  it("accepts a valid RS256 token and binds it to the invitation", async () => {
    const response = await getMe(await issuer.token({ sub: "jwt-user", email: USER_EMAIL }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ user: { displayName: "Jay" }, org: { name: DEMO_ORG.name } });
  });

  it("accepts ES256", async () => {
    await issuer.rotate("ES256");
    await new Promise((r) => setTimeout(r, 250)); // past the refetch cooldown, so the new kid is fetched
    const response = await getMe(await issuer.token({ sub: "jwt-user", alg: "ES256" }));
    expect(response.statusCode).toBe(200);
  });

  it("rejects a missing or non-bearer Authorization header", async () => {
    expectUnauthenticated(await t.app.inject({ method: "GET", url: "/api/v1/me" }));
    expectUnauthenticated(await t.app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: "Basic dXNlcjpwYXNz" } }));
  });

  it("rejects alg none", async () => {
    await expectControlAccepted();
    const header = base64url(JSON.stringify({ alg: "none", typ: "JWT" }));
    const payload = base64url(JSON.stringify({ iss: issuer.issuer, aud: issuer.audience, sub: "jwt-user", exp: Math.floor(Date.now() / 1000) + 300 }));
    expectUnauthenticated(await getMe(`${header}.${payload}.`));
  });

  it("rejects HS256 signed with the issuer's public key", async () => {
    await expectControlAccepted();
    const pem = await issuer.publicKeyPem();
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid: issuer.currentKid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject("jwt-user")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(pem));
    expectUnauthenticated(await getMe(token));
  });

  it("rejects a wrong audience", async () => {
    await expectControlAccepted();
    expectUnauthenticated(await getMe(await issuer.token({ sub: "jwt-user", audience: "someone-else" })));
  });

  it("rejects a wrong or unknown issuer", async () => {
    await expectControlAccepted();
    expectUnauthenticated(await getMe(await issuer.token({ sub: "jwt-user", issuer: "https://evil.example" })));
    // Signed by a different issuer's key, claiming our issuer: the signature cannot verify.
    expectUnauthenticated(await getMe(await other.token({ sub: "jwt-user", issuer: issuer.issuer })));
  });

  it("rejects an expired token beyond the clock tolerance", async () => {
    await expectControlAccepted();
    expectUnauthenticated(await getMe(await issuer.token({ sub: "jwt-user", expiresIn: -120 })));
  });

  it("tolerates small clock skew", async () => {
    const response = await getMe(await issuer.token({ sub: "jwt-user", expiresIn: -5 }));
    expect(response.statusCode).toBe(200);
  });

  it("rejects a token without exp", async () => {
    await expectControlAccepted();
    expectUnauthenticated(await getMe(await issuer.token({ sub: "jwt-user", expiresIn: null })));
  });

  it("rejects an unknown kid", async () => {
    await expectControlAccepted();
    const token = await issuer.token({ sub: "jwt-user" });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const forged = base64url(JSON.stringify({ ...JSON.parse(Buffer.from(header, "base64url").toString()), kid: "no-such-kid" }));
    expectUnauthenticated(await getMe(`${forged}.${payload}.${signature}`));
  });

  it("rejects a bad signature", async () => {
    await expectControlAccepted();
    const token = await issuer.token({ sub: "jwt-user" });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = signature.slice(0, -4) + (signature.endsWith("AAAA") ? "BBBB" : "AAAA");
    expectUnauthenticated(await getMe(`${header}.${payload}.${flipped}`));
    const tamperedPayload = base64url(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "someone-else" }));
    expectUnauthenticated(await getMe(`${header}.${tamperedPayload}.${signature}`));
  });

  it("rejects garbage", async () => {
    expectUnauthenticated(await getMe("not-a-jwt"));
  });

  it("never writes a token to the logs", async () => {
    const good = await issuer.token({ sub: "jwt-user" });
    const bad = await issuer.token({ sub: "jwt-user", audience: "nope" });
    await getMe(good);
    await getMe(bad);
    const all = t.logs.join("\n");
    expect(all.length).toBeGreaterThan(0);
    for (const token of [good, bad]) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(token.split(".")[2]);
    }
  });
});

describe("JWKS rotation", () => {
  it("picks up a new key when a token carries an unknown kid, at most once per cooldown", async () => {
    expect((await getMe(await issuer.token({ sub: "jwt-user" }))).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 250)); // past the test app's 200 ms refetch cooldown
    const newKid = await issuer.rotate("RS256", true);
    const before = issuer.jwksFetches;
    const response = await getMe(await issuer.token({ sub: "jwt-user", kid: newKid }));
    expect(response.statusCode).toBe(200);
    expect(issuer.jwksFetches).toBe(before + 1);

    // A burst of unknown kids inside the cooldown does not refetch for each one.
    const burstStart = issuer.jwksFetches;
    const token = await issuer.token({ sub: "jwt-user" });
    const [header, payload, signature] = token.split(".") as [string, string, string];
    for (let i = 0; i < 10; i++) {
      const forged = base64url(JSON.stringify({ ...JSON.parse(Buffer.from(header, "base64url").toString()), kid: `bogus-${i}` }));
      expectUnauthenticated(await getMe(`${forged}.${payload}.${signature}`));
    }
    expect(issuer.jwksFetches - burstStart).toBeLessThanOrEqual(1);
  });

  it("stops accepting a retired key once the JWKS is refetched", async () => {
    const oldKid = issuer.currentKid;
    const oldToken = await issuer.token({ sub: "jwt-user", kid: oldKid });
    await issuer.rotate("RS256", true);
    await new Promise((r) => setTimeout(r, 250));
    // A token with the new kid forces a refetch; the retired key is gone from the set afterwards.
    expect((await getMe(await issuer.token({ sub: "jwt-user" }))).statusCode).toBe(200);
    expectUnauthenticated(await getMe(oldToken));
  });

  it("forgets a token it already accepted once its key is retired", async () => {
    const seen = await issuer.token({ sub: "jwt-user" });
    expect((await getMe(seen)).statusCode).toBe(200);
    expect((await getMe(seen)).statusCode).toBe(200); // remembered: no second signature check needed
    await issuer.rotate("RS256", true);
    await new Promise((r) => setTimeout(r, 250));
    expect((await getMe(await issuer.token({ sub: "jwt-user" }))).statusCode).toBe(200); // refetches the key set
    expectUnauthenticated(await getMe(seen));
  });
});
