import { sql, type Kysely } from "kysely";

/**
 * Mailbox authorizations in progress (docs/SYNC.md, "Connecting a mailbox"): one row per
 * authorization request the backend sent a user's browser to a provider with. The row is what makes
 * `state` single use across restarts and across instances (the callback may reach another instance
 * than the one that started the flow): the callback deletes it and proceeds only if the delete found
 * it. Only a SHA-256 of the state is stored, so reading the table gives no state to replay. The PKCE
 * verifier lives here, never in a URL; the row expires after 10 minutes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("mailbox_authorizations")
    .addColumn("state_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) => c.notNull()) // "graph" | "gmail"
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .addColumn("expires_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("mailbox_authorizations_user_idx").on("mailbox_authorizations").columns(["user_id", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("mailbox_authorizations").execute();
}
