import { sql, type Kysely } from "kysely";

// Migrations take Kysely<unknown>: they must not depend on today's schema types, which change.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("locations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("city", "text")
    .addColumn("country", "text")
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("locations_org_idx").on("locations").column("org_id").execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_writer", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_org_idx").on("users").column("org_id").execute();

  await db.schema
    .createTable("user_personal")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    // Encrypted under the organization's data key; looked up by a keyed hash (blind index).
    .addColumn("email_ciphertext", "text", (c) => c.notNull())
    .addColumn("email_index", "text", (c) => c.notNull().unique())
    .execute();

  await db.schema
    .createTable("user_locations")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("location_id", "text", (c) => c.notNull().references("locations.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("user_locations_pk", ["user_id", "location_id"])
    .execute();
  await db.schema.createIndex("user_locations_location_idx").on("user_locations").column("location_id").execute();

  await db.schema
    .createTable("user_identities")
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull().unique().references("users.id").onDelete("cascade"))
    .addColumn("bound_at", sql`timestamptz`, (c) => c.notNull())
    .addPrimaryKeyConstraint("user_identities_pk", ["issuer", "subject"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["user_identities", "user_locations", "user_personal", "users", "locations", "organizations"]) {
    await db.schema.dropTable(table).execute();
  }
}
