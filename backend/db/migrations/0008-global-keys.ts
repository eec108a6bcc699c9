import { sql, type Kysely } from "kysely";

/**
 * Global keys (docs/KEYS.md §3): random keys that are not any organization's, stored wrapped by the
 * KEK like org data keys. The first is the root of the global HMACs (email index, public-link
 * lookups, document URL signatures, tickets). Before this table those HMACs were keyed by the KEK
 * itself, so rotating the KEK would have changed every email index and invalidated every public
 * link already handed out; a stored root is only re-wrapped by a rotation. The key ring creates the
 * row on first start (insert-if-absent, like org_keys).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("global_keys")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("wrapped_key", "text", (c) => c.notNull())
    .addColumn("kek_id", "text", (c) => c.notNull())
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("global_keys").execute();
}
