// Keys that belong to no organization (migration 0008, docs/KEYS.md §3): random, stored in
// `global_keys` wrapped by the KEK exactly like org data keys, so rotating the KEK re-wraps them
// and never changes what they compute. Today there is one: the root of the global HMACs.
import { randomBytes } from "node:crypto";
import type { Database } from "../db/database";
import type { KeyEncryptionKey } from "./key-encryption-key";

export const GLOBAL_KEY_LENGTH = 32;
/** AAD of a wrapped global key: the name binds it to its row. */
const GLOBAL_KEY_AAD_PREFIX = "smartcert:global-key:v1:";

/**
 * The global key `name`, created on first use. Concurrent first starts (processes, either dialect)
 * end with one key: insert-if-absent, then everyone re-reads the row that won.
 *
 * A database that already holds users but no key predates migration 0008: its email index and
 * links were keyed by the KEK itself. A new random root would silently stop every lookup from
 * matching, so that start is refused with what to do instead.
 */
export async function loadOrCreateGlobalKey(db: Database, kek: KeyEncryptionKey, name: string): Promise<Buffer> {
  const existing = await readGlobalKey(db, kek, name);
  if (existing) return existing;
  const users = await db.selectFrom("user_personal").select("user_id").limit(1).execute();
  if (users.length > 0) {
    throw new Error(`global_keys: the database has users but no ${name}: it was created by a development build from before migration 0008, whose email index and links cannot be carried over. Start with an empty DATA_DIR / database (docs/KEYS.md §3).`);
  }
  const fresh = randomBytes(GLOBAL_KEY_LENGTH);
  const wrapped = kek.wrap(fresh, GLOBAL_KEY_AAD_PREFIX + name);
  fresh.fill(0);
  await db
    .insertInto("global_keys")
    .values({ name, wrapped_key: wrapped.toString("base64"), kek_id: kek.id, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const stored = await readGlobalKey(db, kek, name);
  if (!stored) throw new Error(`global_keys: ${name} is missing right after it was stored`);
  return stored;
}

async function readGlobalKey(db: Database, kek: KeyEncryptionKey, name: string): Promise<Buffer | undefined> {
  const row = await db.selectFrom("global_keys").select(["wrapped_key", "kek_id"]).where("name", "=", name).executeTakeFirst();
  if (!row) return undefined;
  if (row.kek_id !== kek.id) {
    throw new Error(`global_keys: ${name} is wrapped by KEK ${row.kek_id}, but KEK_FILE ${kek.file} holds KEK ${kek.id}`);
  }
  let key: Buffer;
  try {
    key = kek.unwrap(Buffer.from(row.wrapped_key, "base64"), GLOBAL_KEY_AAD_PREFIX + name);
  } catch {
    throw new Error(`global_keys: ${name} does not unwrap with KEK ${kek.id} (KEK_FILE ${kek.file}): wrong key file, or the row was altered`);
  }
  if (key.length !== GLOBAL_KEY_LENGTH) throw new Error(`global_keys: ${name} has the wrong length`);
  return key;
}
