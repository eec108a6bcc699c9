import { sql, type Kysely } from "kysely";

/**
 * End-to-end encrypted messages (docs/ENCRYPTION.md): policy and bookkeeping only. The ciphertext
 * parts live in the blob store under DATA_DIR/messages; recipients' emails only encrypted and as a
 * blind index; the key never reaches the server.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("org_id", "text", (c) => c.notNull().references("organizations.id").onDelete("cascade"))
    .addColumn("sender_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("part_count", "integer", (c) => c.notNull())
    // JSON of the public Argon2id parameters and salt; null = no passphrase.
    .addColumn("passphrase_kdf", "text")
    .addColumn("sign_in_required", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("max_opens", "integer")
    .addColumn("open_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .addColumn("expires_at", sql`timestamptz`, (c) => c.notNull())
    .addColumn("completed_at", sql`timestamptz`)
    .addColumn("revoked_at", sql`timestamptz`)
    .addColumn("last_opened_at", sql`timestamptz`)
    // Set once the sweep (or an access to a gone message) removed the ciphertext.
    .addColumn("ciphertext_deleted_at", sql`timestamptz`)
    .execute();
  await db.schema.createIndex("messages_sender_idx").on("messages").columns(["sender_id", "created_at"]).execute();
  await db.schema.createIndex("messages_sweep_idx").on("messages").columns(["ciphertext_deleted_at", "expires_at"]).execute();

  await db.schema
    .createTable("message_parts")
    .addColumn("message_id", "text", (c) => c.notNull().references("messages.id").onDelete("cascade"))
    .addColumn("part_index", "integer", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("message_parts_pk", ["message_id", "part_index"])
    .execute();

  await db.schema
    .createTable("message_recipients")
    .addColumn("message_id", "text", (c) => c.notNull().references("messages.id").onDelete("cascade"))
    // Keyed hash of the normalized email (purpose "message-recipient-index"), for the sign-in check.
    .addColumn("email_index", "text", (c) => c.notNull())
    // The email under the sender organization's data key, for the sender's list.
    .addColumn("email_ciphertext", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("message_recipients_pk", ["message_id", "email_index"])
    .execute();

  await db.schema
    .createTable("message_opens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("message_id", "text", (c) => c.notNull().references("messages.id").onDelete("cascade"))
    .addColumn("opened_at", sql`timestamptz`, (c) => c.notNull())
    // The verified identity, when the message required sign-in.
    .addColumn("issuer", "text")
    .addColumn("subject", "text")
    .addColumn("recipient_index", "text")
    .execute();
  await db.schema.createIndex("message_opens_message_idx").on("message_opens").columns(["message_id", "opened_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ["message_opens", "message_recipients", "message_parts", "messages"]) await db.schema.dropTable(table).execute();
}
