import { randomUUID } from "node:crypto";
import type { Database } from "../db/database";
import { PreparedQuery } from "../db/prepared-query";
import type { LocationRecord, NewUser, OrganizationRecord, Principal, Role, UserRecord } from "./model";
import type { PersonalDataCipher } from "./personal-data";

/**
 * All SQL of organizations, locations, users and identities. Every query that reads tenant data
 * takes the organization id, so a foreign id simply finds nothing.
 */
/**
 * The user bound to an OpenID identity: the one place that says which user a token's (issuer,
 * subject) is. Authentication selects the principal's columns from it (`PRINCIPAL_COLUMNS`); a
 * route that reads its data in the same statement (getCert) joins onto it.
 */
export function userByIdentity(db: Database, issuer: string, subject: string) {
  return db.selectFrom("user_identities as bound").innerJoin("users", "users.id", "bound.user_id").where("bound.issuer", "=", issuer).where("bound.subject", "=", subject);
}

export const PRINCIPAL_COLUMNS = ["users.id", "users.org_id", "users.display_name", "users.is_admin", "users.is_writer"] as const;

/** A principal from its user row and its locations (in any order). */
export function toPrincipal(row: { id: string; org_id: string; display_name: string; is_admin: number; is_writer: number }, locationIds: readonly string[]): Principal {
  return { id: row.id, orgId: row.org_id, displayName: row.display_name, roles: rolesOf(row), locationIds: [...locationIds].sort() };
}

/** Runs on every authenticated request, so it is built once (see PreparedQuery). */
const principalByIdentity = new PreparedQuery((db: Database, issuer: string, subject: string) =>
  userByIdentity(db, issuer, subject)
    .leftJoin("user_locations", "user_locations.user_id", "users.id")
    .select([...PRINCIPAL_COLUMNS, "user_locations.location_id"]),
);

export class OrganizationRepository {
  constructor(
    private readonly db: Database,
    private readonly personal: PersonalDataCipher,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = randomUUID,
  ) {}

  async createOrganization(name: string, id: string = this.newId()): Promise<OrganizationRecord> {
    await this.db.insertInto("organizations").values({ id, name, created_at: this.timestamp() }).execute();
    return { id, name };
  }

  async getOrganization(orgId: string): Promise<OrganizationRecord | undefined> {
    return this.db.selectFrom("organizations").select(["id", "name"]).where("id", "=", orgId).executeTakeFirst();
  }

  async listLocations(orgId: string): Promise<LocationRecord[]> {
    const rows = await this.db
      .selectFrom("locations")
      .select(["id", "org_id", "name", "city", "country"])
      .where("org_id", "=", orgId)
      .orderBy("name")
      .orderBy("id")
      .execute();
    return rows.map((r) => ({ id: r.id, orgId: r.org_id, name: r.name, city: r.city, country: r.country }));
  }

  async createLocation(
    orgId: string,
    input: { name: string; city?: string | undefined; country?: string | undefined },
    id: string = this.newId(),
  ): Promise<LocationRecord> {
    const location = { id, orgId, name: input.name, city: input.city ?? null, country: input.country ?? null };
    await this.db
      .insertInto("locations")
      .values({ id, org_id: orgId, name: location.name, city: location.city, country: location.country, created_at: this.timestamp() })
      .execute();
    return location;
  }

  /** How many of `locationIds` belong to the organization (used to reject foreign ids). */
  async countLocationsInOrg(orgId: string, locationIds: readonly string[]): Promise<number> {
    if (locationIds.length === 0) return 0;
    const row = await this.db
      .selectFrom("locations")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("org_id", "=", orgId)
      .where("id", "in", [...new Set(locationIds)])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async listUsers(orgId: string): Promise<UserRecord[]> {
    const rows = await this.userQuery().where("users.org_id", "=", orgId).orderBy("users.display_name").orderBy("users.id").execute();
    return this.withLocations(rows);
  }

  async getUser(orgId: string, userId: string): Promise<UserRecord | undefined> {
    const rows = await this.userQuery().where("users.org_id", "=", orgId).where("users.id", "=", userId).execute();
    return (await this.withLocations(rows))[0];
  }

  async emailInUse(email: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("user_personal")
      .select("user_id")
      .where("email_index", "=", this.personal.emailIndex(email))
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Creates a user whose identity is bound later, on the first sign-in with this email. */
  async createInvitedUser(orgId: string, input: NewUser, id: string = this.newId()): Promise<UserRecord> {
    // Encrypt before the transaction: the key ring may read or create the org key, and SQLite has
    // one connection, which the transaction holds.
    const emailCiphertext = await this.personal.encryptEmail(orgId, id, input.email);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id,
          org_id: orgId,
          display_name: input.displayName,
          is_admin: input.roles.includes("admin") ? 1 : 0,
          is_writer: input.roles.includes("writer") ? 1 : 0,
          created_at: this.timestamp(),
        })
        .execute();
      await trx
        .insertInto("user_personal")
        .values({ user_id: id, email_ciphertext: emailCiphertext, email_index: this.personal.emailIndex(input.email) })
        .execute();
      const locationIds = [...new Set(input.locationIds)];
      if (locationIds.length > 0) {
        await trx.insertInto("user_locations").values(locationIds.map((l) => ({ user_id: id, location_id: l }))).execute();
      }
    });
    const user = await this.getUser(orgId, id);
    if (!user) throw new Error("invited user vanished inside its own transaction");
    return user;
  }

  async updateUser(orgId: string, userId: string, change: { roles?: Role[] | undefined; locationIds?: string[] | undefined }): Promise<UserRecord | undefined> {
    const updated = await this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom("users").select("id").where("id", "=", userId).where("org_id", "=", orgId).executeTakeFirst();
      if (!exists) return false;
      if (change.roles) {
        await trx
          .updateTable("users")
          .set({ is_admin: change.roles.includes("admin") ? 1 : 0, is_writer: change.roles.includes("writer") ? 1 : 0 })
          .where("id", "=", userId)
          .execute();
      }
      if (change.locationIds) {
        // Only the difference: inserting a membership is a join, which the change feed announces
        // (migration 0007), so memberships the user keeps are not deleted and inserted again.
        const ids = [...new Set(change.locationIds)];
        const current = (await trx.selectFrom("user_locations").select("location_id").where("user_id", "=", userId).execute()).map((r) => r.location_id);
        const removed = current.filter((l) => !ids.includes(l));
        const added = ids.filter((l) => !current.includes(l));
        if (removed.length > 0) await trx.deleteFrom("user_locations").where("user_id", "=", userId).where("location_id", "in", removed).execute();
        if (added.length > 0) await trx.insertInto("user_locations").values(added.map((l) => ({ user_id: userId, location_id: l }))).execute();
      }
      return true;
    });
    return updated ? this.getUser(orgId, userId) : undefined;
  }

  async countAdmins(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("org_id", "=", orgId)
      .where("is_admin", "=", 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * The user bound to (issuer, subject), for the authentication of every request: one query (the
   * user joined with their location memberships, one row per location) and no decryption.
   */
  async findPrincipalByIdentity(issuer: string, subject: string): Promise<Principal | undefined> {
    const rows = await principalByIdentity.execute(this.db, issuer, subject);
    const first = rows[0];
    if (!first) return undefined;
    return toPrincipal(first, rows.flatMap((r) => (r.location_id === null ? [] : [r.location_id])));
  }

  /**
   * Binds (issuer, subject) to the pending invitation for `email`, atomically: the invitation must
   * still have no identity. Returns the bound user, or undefined when there is no such invitation.
   */
  async bindIdentityToInvitation(issuer: string, subject: string, email: string): Promise<Principal | undefined> {
    const pending = await this.db
      .selectFrom("user_personal")
      .innerJoin("users", "users.id", "user_personal.user_id")
      .leftJoin("user_identities", "user_identities.user_id", "users.id")
      .select(["users.id"])
      .where("user_personal.email_index", "=", this.personal.emailIndex(email))
      .where("user_identities.user_id", "is", null)
      .executeTakeFirst();
    if (pending) {
      // Concurrent first sign-ins (several pane requests at once) race here: the unique keys on
      // (issuer, subject) and user_id let exactly one insert win; the others change nothing.
      await this.db
        .insertInto("user_identities")
        .values({ issuer, subject, user_id: pending.id, bound_at: this.timestamp() })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // Whoever won, the answer is what is bound to this identity now.
    return this.findPrincipalByIdentity(issuer, subject);
  }

  private userQuery() {
    return this.db
      .selectFrom("users")
      .innerJoin("user_personal", "user_personal.user_id", "users.id")
      .leftJoin("user_identities", "user_identities.user_id", "users.id")
      .select([
        "users.id",
        "users.org_id",
        "users.display_name",
        "users.is_admin",
        "users.is_writer",
        "user_personal.email_ciphertext",
        "user_identities.subject",
      ]);
  }

  private async withLocations(
    rows: { id: string; org_id: string; display_name: string; is_admin: number; is_writer: number; email_ciphertext: string; subject: string | null }[],
  ): Promise<UserRecord[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .selectFrom("user_locations")
      .select(["user_id", "location_id"])
      .where("user_id", "in", rows.map((r) => r.id))
      .orderBy("location_id")
      .execute();
    return Promise.all(rows.map(async (r) => {
      const roles = rolesOf(r);
      return {
        id: r.id,
        orgId: r.org_id,
        displayName: r.display_name,
        roles,
        locationIds: links.filter((l) => l.user_id === r.id).map((l) => l.location_id),
        status: r.subject === null ? ("invited" as const) : ("active" as const),
        email: await this.personal.decryptEmail(r.org_id, r.id, r.email_ciphertext),
      };
    }));
  }

  private timestamp(): string {
    return this.now().toISOString();
  }
}

function rolesOf(row: { is_admin: number; is_writer: number }): Role[] {
  const roles: Role[] = [];
  if (row.is_admin === 1) roles.push("admin");
  if (row.is_writer === 1) roles.push("writer");
  return roles;
}
