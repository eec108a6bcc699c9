import { beforeAll, expect, it } from "vitest";
import type { PersonalDataCipher } from "../../backend/orgs/personal-data";
import { OrganizationRepository } from "../../backend/orgs/repository";
import { seedDemo } from "../../backend/seed/seed-demo";
import { DEMO_ORG, DEMO_USERS } from "../../backend/seed/demo-data";
import { describeEachDatabase } from "../support/databases";
import { testCipher } from "../support/keys";

/** The repository suite: one set of expectations, run on SQLite and on PostgreSQL. */
describeEachDatabase("organization repository", (current) => {
  let cipher: PersonalDataCipher;
  beforeAll(async () => {
    cipher = await testCipher(current().db, current().dataDir);
  });
  const repo = () => new OrganizationRepository(current().db, cipher);

  it("creates organizations and locations, scoped by organization", async () => {
    const org = await repo().createOrganization("Repo Org");
    const other = await repo().createOrganization("Other Org");
    const b = await repo().createLocation(org.id, { name: "B site", city: "Berlin" });
    const a = await repo().createLocation(org.id, { name: "A site", country: "DE" });
    await repo().createLocation(other.id, { name: "Elsewhere" });
    expect(await repo().getOrganization(org.id)).toEqual({ id: org.id, name: "Repo Org" });
    expect(await repo().listLocations(org.id)).toEqual([
      { id: a.id, orgId: org.id, name: "A site", city: null, country: "DE" },
      { id: b.id, orgId: org.id, name: "B site", city: "Berlin", country: null },
    ]);
    expect(await repo().countLocationsInOrg(org.id, [a.id, b.id])).toBe(2);
    expect(await repo().countLocationsInOrg(other.id, [a.id, b.id])).toBe(0);
  });

  it("stores invited users with roles and locations, and personal data apart", async () => {
    const org = await repo().createOrganization("People Org");
    const loc = await repo().createLocation(org.id, { name: "HQ" });
    const user = await repo().createInvitedUser(org.id, { email: " Mixed.Case@Example.com ", displayName: "Mixed", roles: ["writer", "admin"], locationIds: [loc.id, loc.id] });
    expect(user).toEqual({ id: user.id, orgId: org.id, displayName: "Mixed", roles: ["admin", "writer"], locationIds: [loc.id], status: "invited", email: "Mixed.Case@Example.com" });
    expect(await repo().emailInUse("mixed.case@example.COM")).toBe(true);
    const profile = await current().db.selectFrom("users").selectAll().where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(profile)).not.toContain("Example.com");
    // The personal-data row holds the email only encrypted and as a keyed hash.
    const personal = await current().db.selectFrom("user_personal").selectAll().where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(personal).toLowerCase()).not.toContain("mixed.case");
    expect(await repo().getUser("00000000-0000-4000-8000-00000000ffff", user.id)).toBeUndefined();
  });

  it("binds an identity to a pending invitation exactly once", async () => {
    const org = await repo().createOrganization("Bind Org");
    const l1 = await repo().createLocation(org.id, { name: "L1" });
    const l2 = await repo().createLocation(org.id, { name: "L2" });
    const user = await repo().createInvitedUser(org.id, { email: "bind@example.com", displayName: "Bind", roles: ["writer"], locationIds: [l2.id, l1.id] });
    expect(await repo().findPrincipalByIdentity("https://iss", "s1")).toBeUndefined();
    const bound = await repo().bindIdentityToInvitation("https://iss", "s1", "BIND@example.com");
    const principal = { id: user.id, orgId: org.id, displayName: "Bind", roles: ["writer"], locationIds: [l1.id, l2.id].sort() };
    expect(bound).toEqual(principal);
    expect(await repo().findPrincipalByIdentity("https://iss", "s1")).toEqual(principal);
    expect((await repo().getUser(org.id, user.id))?.status).toBe("active");
    expect(await repo().bindIdentityToInvitation("https://iss", "s2", "bind@example.com")).toBeUndefined();
    expect(await repo().findPrincipalByIdentity("https://other-iss", "s1")).toBeUndefined();
    // A user without locations is still a principal, with none.
    await repo().createInvitedUser(org.id, { email: "nowhere@example.com", displayName: "Nowhere", roles: ["admin"], locationIds: [] });
    expect(await repo().bindIdentityToInvitation("https://iss", "s3", "nowhere@example.com")).toMatchObject({ roles: ["admin"], locationIds: [] });
  });

  it("updates roles and memberships inside the organization only", async () => {
    const org = await repo().createOrganization("Update Org");
    const l1 = await repo().createLocation(org.id, { name: "L1" });
    const l2 = await repo().createLocation(org.id, { name: "L2" });
    const user = await repo().createInvitedUser(org.id, { email: "upd@example.com", displayName: "Upd", roles: ["admin"], locationIds: [l1.id] });
    expect(await repo().countAdmins(org.id)).toBe(1);
    const updated = await repo().updateUser(org.id, user.id, { roles: ["writer"], locationIds: [l2.id] });
    expect(updated).toMatchObject({ roles: ["writer"], locationIds: [l2.id] });
    expect(await repo().countAdmins(org.id)).toBe(0);
    const other = await repo().createOrganization("Not yours");
    expect(await repo().updateUser(other.id, user.id, { roles: ["admin"] })).toBeUndefined();
    expect(await repo().getUser(org.id, user.id)).toMatchObject({ roles: ["writer"] });
  });

  it("seeds the demo organization idempotently", async () => {
    const first = await seedDemo(repo());
    const second = await seedDemo(repo());
    expect(first.created).toBeGreaterThan(0);
    expect(second.created).toBe(0);
    expect(await repo().listUsers(DEMO_ORG.id)).toHaveLength(DEMO_USERS.length);
  });
});
