import { sql, type Kysely } from "kysely";

/**
 * The SmartCert network: organization data keys, certs with their owning locations, shares,
 * documents and versions, the audit trail and conversation links.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("org_keys")
    .addColumn("org_id", "text", (c) => c.primaryKey().references("organizations.id").onDelete("cascade"))
    // The organization's data key, wrapped (AES-256-GCM) by the key-encryption key, base64.
    .addColumn("wrapped_key", "text", (c) => c.notNull())
    .addColumn("kek_id", "text", (c) => c.notNull())
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("certs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("owner_org_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("po_numbers", "text", (c) => c.notNull())
    .addColumn("heat_numbers", "text", (c) => c.notNull())
    .addColumn("cert_numbers", "text", (c) => c.notNull())
    .addColumn("product", "text")
    .addColumn("standard", "text")
    .addColumn("metadata", "text", (c) => c.notNull())
    // Lower-cased title, numbers, product, standard and metadata: what listCerts' q searches.
    .addColumn("search_text", "text", (c) => c.notNull())
    .addColumn("sales_location_id", "text", (c) => c.references("locations.id"))
    .addColumn("copied_from", "text")
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("public_link_enabled", "integer", (c) => c.notNull().defaultTo(0))
    // Bumped each time the link is turned on, so a re-enabled link is a new URL.
    .addColumn("public_link_generation", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("public_link_lookup", "text", (c) => c.unique())
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .addColumn("updated_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("certs_owner_org_idx").on("certs").columns(["owner_org_id", "created_at"]).execute();

  await db.schema
    .createTable("cert_owner_locations")
    .addColumn("cert_id", "text", (c) => c.notNull().references("certs.id").onDelete("cascade"))
    .addColumn("location_id", "text", (c) => c.notNull().references("locations.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("cert_owner_locations_pk", ["cert_id", "location_id"])
    .execute();
  await db.schema.createIndex("cert_owner_locations_location_idx").on("cert_owner_locations").column("location_id").execute();

  // Receivers. Exactly one of user/location is set. Rows are never deleted: access is perpetual.
  await db.schema
    .createTable("cert_shares")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cert_id", "text", (c) => c.notNull().references("certs.id").onDelete("cascade"))
    .addColumn("target_user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("target_location_id", "text", (c) => c.references("locations.id").onDelete("cascade"))
    .addColumn("via", "text", (c) => c.notNull()) // "user" | "location" | "public-link"
    .addColumn("shared_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("cert_shares_user_idx").on("cert_shares").columns(["target_user_id", "cert_id"]).unique().execute();
  await db.schema.createIndex("cert_shares_location_idx").on("cert_shares").columns(["target_location_id", "cert_id"]).unique().execute();
  await db.schema.createIndex("cert_shares_cert_idx").on("cert_shares").column("cert_id").execute();

  await db.schema
    .createTable("documents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cert_id", "text", (c) => c.notNull().references("certs.id").onDelete("cascade"))
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("latest_version", "integer", (c) => c.notNull())
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("documents_cert_idx").on("documents").column("cert_id").execute();

  await db.schema
    .createTable("document_versions")
    .addColumn("document_id", "text", (c) => c.notNull().references("documents.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    // Sanitized original file name: metadata only, never part of a storage path.
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .addPrimaryKeyConstraint("document_versions_pk", ["document_id", "version"])
    .execute();

  // Append-only audit trail of each cert, read by its owner side.
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("cert_id", "text", (c) => c.notNull().references("certs.id").onDelete("cascade"))
    .addColumn("actor_user_id", "text")
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull())
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_cert_idx").on("audit_events").columns(["cert_id", "seq"]).execute();

  // "Already shared in this thread": the host's conversation id only as an HMAC under the org's key.
  await db.schema
    .createTable("conversation_shares")
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("conversation_hmac", "text", (c) => c.notNull())
    .addColumn("cert_id", "text", (c) => c.notNull().references("certs.id").onDelete("cascade"))
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .addPrimaryKeyConstraint("conversation_shares_pk", ["org_id", "conversation_hmac", "cert_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["conversation_shares", "audit_events", "document_versions", "documents", "cert_shares", "cert_owner_locations", "certs", "org_keys"]) {
    await db.schema.dropTable(table).execute();
  }
}
