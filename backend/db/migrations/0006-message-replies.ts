import type { Kysely } from "kysely";

/**
 * Secure replies (docs/MESSAGES.md). A reply is an ordinary encrypted message row that points at
 * the message it answers (`in_reply_to`) and at the open whose reply capability authorized it
 * (`reply_open_id`). Two counters make the reply limits atomic on both dialects: a conditional
 * `update … set reply_count = reply_count + 1 where reply_count < limit` cannot overshoot even
 * when replies race, which a count of existing rows under READ COMMITTED could.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite accepts ADD COLUMN … REFERENCES only with a NULL default, which these have.
  await db.schema.alterTable("messages").addColumn("in_reply_to", "text", (c) => c.references("messages.id").onDelete("cascade")).execute();
  await db.schema.alterTable("messages").addColumn("reply_open_id", "text").execute();
  await db.schema.alterTable("messages").addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("message_opens").addColumn("reply_count", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("messages_in_reply_to_idx").on("messages").columns(["in_reply_to", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("messages_in_reply_to_idx").execute();
  await db.schema.alterTable("message_opens").dropColumn("reply_count").execute();
  for (const column of ["reply_count", "reply_open_id", "in_reply_to"]) await db.schema.alterTable("messages").dropColumn(column).execute();
}
