import { afterAll, beforeAll, expect, it } from "vitest";
import { problemTypes } from "../../shared/protocol/problem";
import { OrganizationRepository } from "../../backend/orgs/repository";
import { testCipher } from "../support/keys";
import { describeEachDatabase } from "../support/databases";
import { bearer, createTestApp, type TestApp } from "../support/test-app";
import { TestIssuer } from "../support/test-issuer";

/**
 * The organizations API through HTTP (app.inject) with tokens from an independent issuer:
 * invitation binding, the uninvited 403, admin-only routes and cross-organization 404s.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("organizations API", (current) => {
  let t: TestApp;
  const ids = { orgA: "", orgB: "", locA1: "", locA2: "", locB1: "", adminA: "", adminB: "", readerA: "" };
  const tokens = { adminA: "", adminB: "", readerA: "" };

  beforeAll(async () => {
    const { db, dataDir } = current();
    const orgs = new OrganizationRepository(db, await testCipher(db, dataDir));
    const a = await orgs.createOrganization("Acme Steel");
    const b = await orgs.createOrganization("Borealis Pipes");
    ids.orgA = a.id;
    ids.orgB = b.id;
    ids.locA1 = (await orgs.createLocation(a.id, { name: "Acme North" })).id;
    ids.locA2 = (await orgs.createLocation(a.id, { name: "Acme South" })).id;
    ids.locB1 = (await orgs.createLocation(b.id, { name: "Borealis Yard" })).id;
    ids.adminA = (await orgs.createInvitedUser(a.id, { email: "Admin@Acme.example", displayName: "Acme Admin", roles: ["admin"], locationIds: [ids.locA1] })).id;
    ids.adminB = (await orgs.createInvitedUser(b.id, { email: "admin@borealis.example", displayName: "Borealis Admin", roles: ["admin"], locationIds: [ids.locB1] })).id;
    ids.readerA = (await orgs.createInvitedUser(a.id, { email: "reader@acme.example", displayName: "Acme Reader", roles: [], locationIds: [ids.locA2] })).id;
    t = await createTestApp({ db, dataDir, issuers: [issuer.config] });
    // Email case differs from the invitation on purpose: binding is case-insensitive.
    tokens.adminA = await issuer.token({ sub: "sub-admin-a", email: "admin@ACME.example" });
    tokens.adminB = await issuer.token({ sub: "sub-admin-b", email: "admin@borealis.example" });
    tokens.readerA = await issuer.token({ sub: "sub-reader-a", email: "reader@acme.example", emailVerified: true });
  });

  afterAll(async () => {
    await t.app.close();
  });

  const call = (method: "GET" | "POST" | "PATCH", url: string, token: string, payload?: object) =>
    t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

  it("binds the first sign-in to the invitation and answers getMe", async () => {
    const response = await call("GET", "/api/v1/me", tokens.adminA);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      user: { id: ids.adminA, displayName: "Acme Admin", orgId: ids.orgA, roles: ["admin"], locationIds: [ids.locA1] },
      org: { id: ids.orgA, name: "Acme Steel" },
    });
    // getMe never carries personal data.
    expect(response.body).not.toContain("acme.example");
  });

  it("keeps the identity bound: a later token with another email still maps to the same user", async () => {
    const response = await call("GET", "/api/v1/me", await issuer.token({ sub: "sub-admin-a", email: "changed@elsewhere.example" }));
    expect(response.json()).toMatchObject({ user: { id: ids.adminA } });
  });

  it("answers 403 not-invited to an identity with no user and no invitation", async () => {
    const response = await call("GET", "/api/v1/me", await issuer.token({ sub: "stranger", email: "stranger@nowhere.example" }));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ type: problemTypes.notInvited, status: 403 });
  });

  it("does not bind when email_verified is false, nor a second identity to a taken invitation", async () => {
    const unverified = await call("GET", "/api/v1/me", await issuer.token({ sub: "unverified", email: "newbie@acme.example", emailVerified: false }));
    expect(unverified.statusCode).toBe(403);
    const thief = await call("GET", "/api/v1/me", await issuer.token({ sub: "someone-else", email: "admin@acme.example" }));
    expect(thief.statusCode).toBe(403);
    expect(thief.json()).toMatchObject({ type: problemTypes.notInvited });
  });

  it("lets an admin create locations and invite users; the invitee then signs in", async () => {
    const created = await call("POST", "/api/v1/locations", tokens.adminA, { name: "Acme East", city: "Luleå", country: "SE" });
    expect(created.statusCode).toBe(201);
    const location = created.json<{ id: string; orgId: string }>();
    expect(location.orgId).toBe(ids.orgA);

    const invited = await call("POST", "/api/v1/users", tokens.adminA, { email: "writer@acme.example", roles: ["writer"], locationIds: [location.id] });
    expect(invited.statusCode).toBe(201);
    expect(invited.json()).toMatchObject({ status: "invited", displayName: "writer", roles: ["writer"], locationIds: [location.id] });

    const me = await call("GET", "/api/v1/me", await issuer.token({ sub: "sub-writer-a", email: "writer@acme.example" }));
    expect(me.json()).toMatchObject({ user: { roles: ["writer"], locationIds: [location.id] } });
    const users = await call("GET", "/api/v1/users", tokens.adminA);
    expect(users.json<{ items: { email: string; status: string }[] }>().items).toContainEqual(expect.objectContaining({ email: "writer@acme.example", status: "active" }));
  });

  it("refuses a duplicate invitation with 409", async () => {
    const response = await call("POST", "/api/v1/users", tokens.adminA, { email: "READER@acme.example", roles: [], locationIds: [ids.locA1] });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ type: problemTypes.conflict });
  });

  it("answers 403 to non-admins on admin-only routes and changes nothing", async () => {
    const attempts = [
      call("GET", "/api/v1/users", tokens.readerA),
      call("POST", "/api/v1/locations", tokens.readerA, { name: "Rogue" }),
      call("POST", "/api/v1/users", tokens.readerA, { email: "x@acme.example", roles: ["admin"], locationIds: [ids.locA1] }),
      call("PATCH", `/api/v1/users/${ids.readerA}`, tokens.readerA, { roles: ["admin"] }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ type: problemTypes.forbidden });
    }
    const me = await call("GET", "/api/v1/me", tokens.readerA);
    expect(me.json()).toMatchObject({ user: { roles: [] } });
    const locations = await call("GET", "/api/v1/locations", tokens.readerA);
    expect(locations.statusCode).toBe(200);
    expect(locations.json<{ items: { name: string }[] }>().items.map((l) => l.name)).not.toContain("Rogue");
  });

  it("answers 404 for another organization's users and locations, and leaks nothing", async () => {
    const foreignUser = await call("PATCH", `/api/v1/users/${ids.adminB}`, tokens.adminA, { roles: [] });
    expect(foreignUser.statusCode).toBe(404);
    const unknownUser = await call("PATCH", "/api/v1/users/6a1f0d36-0000-4000-8000-000000000000", tokens.adminA, { roles: [] });
    expect(unknownUser.statusCode).toBe(404);
    // Same answer for foreign and unknown: no existence oracle.
    expect(foreignUser.json()).toEqual(unknownUser.json());

    const foreignLocation = await call("POST", "/api/v1/users", tokens.adminA, { email: "spy@acme.example", roles: [], locationIds: [ids.locB1] });
    expect(foreignLocation.statusCode).toBe(404);
    const moveToForeign = await call("PATCH", `/api/v1/users/${ids.readerA}`, tokens.adminA, { locationIds: [ids.locB1] });
    expect(moveToForeign.statusCode).toBe(404);

    const listA = await call("GET", "/api/v1/users", tokens.adminA);
    expect(listA.body).not.toContain("borealis");
    const locationsA = await call("GET", "/api/v1/locations", tokens.adminA);
    expect(locationsA.json<{ items: { id: string }[] }>().items.map((l) => l.id)).not.toContain(ids.locB1);
    // Borealis is unchanged.
    const b = await call("GET", "/api/v1/me", tokens.adminB);
    expect(b.json()).toMatchObject({ user: { roles: ["admin"], locationIds: [ids.locB1] } });
  });

  it("updates roles and locations, and never removes the last admin", async () => {
    const promoted = await call("PATCH", `/api/v1/users/${ids.readerA}`, tokens.adminA, { roles: ["writer"], locationIds: [ids.locA1, ids.locA2] });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ roles: ["writer"], locationIds: [ids.locA1, ids.locA2].sort() });
    const demoteSelf = await call("PATCH", `/api/v1/users/${ids.adminA}`, tokens.adminA, { roles: [] });
    expect(demoteSelf.statusCode).toBe(409);
  });

  it("validates bodies at the edge with field-level problems", async () => {
    const response = await call("POST", "/api/v1/users", tokens.adminA, { email: "not-an-email", roles: ["owner"], locationIds: [] });
    expect(response.statusCode).toBe(400);
    const problem = response.json<{ type: string; errors: { path: string }[] }>();
    expect(problem.type).toBe(problemTypes.validation);
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["email", "locationIds"]));
    const extra = await call("POST", "/api/v1/locations", tokens.adminA, { name: "X", isAdmin: true });
    expect(extra.statusCode).toBe(400);
    const badId = await call("PATCH", "/api/v1/users/not-a-uuid", tokens.adminA, { roles: [] });
    expect(badId.statusCode).toBe(400);
  });
});
