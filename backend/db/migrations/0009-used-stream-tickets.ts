import { sql, type Kysely } from "kysely";

/**
 * Change-stream tickets are accepted once (docs/SYNC.md, "Change stream"). The nonces of redeemed
 * tickets are kept here until the ticket would have expired, so "once" holds across every
 * instance behind a load balancer and across a restart — memory held it for one process only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("used_stream_tickets")
    .addColumn("nonce", "text", (c) => c.primaryKey())
    .addColumn("expires_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("used_stream_tickets_expiry_idx").on("used_stream_tickets").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("used_stream_tickets").execute();
}
