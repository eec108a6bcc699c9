import { sql } from "kysely";
import type { Database } from "../db/database";

/**
 * Read-only SQL over the whole network's directory: names and ids only. It never selects from
 * user_personal except through the email blind index, and never returns personal data.
 */
export interface DirectorySearchResult {
  companies: { id: string; name: string }[];
  locations: { id: string; name: string; city: string | null; country: string | null; orgId: string; orgName: string }[];
  users: { id: string; displayName: string; orgId: string; orgName: string }[];
}

export class DirectoryRepository {
  constructor(private readonly db: Database) {}

  async search(q: string, limit: number): Promise<DirectorySearchResult> {
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matches = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    const [companies, locations, users] = await Promise.all([
      this.db.selectFrom("organizations").select(["id", "name"]).where(matches("organizations.name")).orderBy("name").limit(limit).execute(),
      this.db
        .selectFrom("locations")
        .innerJoin("organizations", "organizations.id", "locations.org_id")
        .select(["locations.id", "locations.name", "locations.city", "locations.country", "locations.org_id", "organizations.name as org_name"])
        .where((eb) => eb.or([matches("locations.name"), matches("organizations.name")]))
        .orderBy("locations.name")
        .limit(limit)
        .execute(),
      this.db
        .selectFrom("users")
        .innerJoin("organizations", "organizations.id", "users.org_id")
        .select(["users.id", "users.display_name", "users.org_id", "organizations.name as org_name"])
        .where(matches("users.display_name"))
        .orderBy("users.display_name")
        .limit(limit)
        .execute(),
    ]);
    return {
      companies,
      locations: locations.map((l) => ({ id: l.id, name: l.name, city: l.city, country: l.country, orgId: l.org_id, orgName: l.org_name })),
      users: users.map((u) => ({ id: u.id, displayName: u.display_name, orgId: u.org_id, orgName: u.org_name })),
    };
  }

  /** The network handle of the user whose email has this blind-index value. */
  async userByEmailIndex(emailIndex: string): Promise<{ userId: string; displayName: string; orgName: string; locations: { id: string; name: string }[] } | undefined> {
    const user = await this.db
      .selectFrom("user_personal")
      .innerJoin("users", "users.id", "user_personal.user_id")
      .innerJoin("organizations", "organizations.id", "users.org_id")
      .select(["users.id", "users.display_name", "organizations.name as org_name"])
      .where("user_personal.email_index", "=", emailIndex)
      .executeTakeFirst();
    if (!user) return undefined;
    const locations = await this.db
      .selectFrom("user_locations")
      .innerJoin("locations", "locations.id", "user_locations.location_id")
      .select(["locations.id", "locations.name"])
      .where("user_locations.user_id", "=", user.id)
      .orderBy("locations.name")
      .execute();
    return { userId: user.id, displayName: user.display_name, orgName: user.org_name, locations };
  }

  /** A share target anywhere in the network, named as the sharer sees it; undefined when unknown. */
  async userTarget(userId: string): Promise<{ displayName: string; orgName: string } | undefined> {
    return this.db
      .selectFrom("users")
      .innerJoin("organizations", "organizations.id", "users.org_id")
      .select(["users.display_name as displayName", "organizations.name as orgName"])
      .where("users.id", "=", userId)
      .executeTakeFirst();
  }

  async locationTarget(locationId: string): Promise<{ name: string; orgName: string } | undefined> {
    return this.db
      .selectFrom("locations")
      .innerJoin("organizations", "organizations.id", "locations.org_id")
      .select(["locations.name", "organizations.name as orgName"])
      .where("locations.id", "=", locationId)
      .executeTakeFirst();
  }
}
