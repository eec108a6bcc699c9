import { PostgresAdapter, sql, type Kysely } from "kysely";

/**
 * The change feed and the sync backend (docs/SYNC.md).
 *
 * `cert_changes` is written by triggers, not by the repositories: every write path that creates,
 * amends or shares a cert (today's and tomorrow's) lands in the feed in the same transaction as
 * the write itself, so a crash can never keep a change but lose its feed entry, or the reverse.
 *
 * `seq` is the feed's cursor. SQLite has one writer at a time, so its autoincrement follows commit
 * order. PostgreSQL hands out identity values at insert time, not commit time: a reader could see
 * seq 6 committed while 5 is still in flight and then skip 5 for ever. The PostgreSQL trigger
 * therefore takes a transaction-scoped advisory lock before taking a number; it is released only
 * after the commit is visible, so numbers become visible in order.
 *
 * The mailbox tables keep only what DESIGN §3 allows: the cursor, (message id, modified date)
 * pairs, failed-record names for 14 days, and the refresh token encrypted under the sync key.
 * Conversation → cert links reuse `conversation_shares` (HMACs under the organization's key).
 */
const CHANGE_LOCK = 73_700_401;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable("cert_changes")
    .addColumn("seq", postgres ? "bigint" : "integer", (c) => (postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
    .addColumn("cert_id", "text", (c) => c.notNull().references("certs.id").onDelete("cascade"))
    // "created" | "updated" | "shared" (to a user or location) | "received" (through the public link)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("target_user_id", "text")
    .addColumn("target_location_id", "text")
    .addColumn("changed_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("cert_changes_cert_idx").on("cert_changes").columns(["cert_id", "seq"]).execute();

  if (postgres) await postgresTriggers(db);
  else await sqliteTriggers(db);

  await db.schema
    .createTable("mailbox_connections")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("provider", "text", (c) => c.notNull()) // "graph" | "gmail"
    .addColumn("status", "text", (c) => c.notNull()) // "active" | "needs-user"
    // AES-256-GCM under the sync key (SYNC_KEY_FILE), bound to the connection id; never the DB's key.
    .addColumn("refresh_token", "text", (c) => c.notNull())
    .addColumn("sync_key_id", "text", (c) => c.notNull())
    // Provider cursor: Graph deltaLink / Gmail historyId. Null until the first full sync finished.
    .addColumn("cursor", "text")
    // A half-finished page walk (Graph nextLink / Gmail pageToken) so a crash resumes, not restarts.
    .addColumn("page_cursor", "text")
    .addColumn("last_sync_at", sql`timestamptz`)
    .addColumn("last_error", "text")
    .addColumn("created_at", sql`timestamptz`, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("mailbox_connections_user_idx").on("mailbox_connections").columns(["user_id", "provider"]).unique().execute();

  await db.schema
    .createTable("sync_messages")
    .addColumn("connection_id", "text", (c) => c.notNull().references("mailbox_connections.id").onDelete("cascade"))
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("modified_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sync_messages_pk", ["connection_id", "message_id"])
    .execute();

  await db.schema
    .createTable("sync_failures")
    .addColumn("connection_id", "text", (c) => c.notNull().references("mailbox_connections.id").onDelete("cascade"))
    .addColumn("record_id", "text", (c) => c.notNull())
    // An error class name such as "RateLimited" or "LinkNotAccepted": never a message or content.
    .addColumn("error_name", "text", (c) => c.notNull())
    .addColumn("failed_at", sql`timestamptz`, (c) => c.notNull())
    .addColumn("expires_at", sql`timestamptz`, (c) => c.notNull())
    .addPrimaryKeyConstraint("sync_failures_pk", ["connection_id", "record_id"])
    .execute();
  await db.schema.createIndex("sync_failures_expiry_idx").on("sync_failures").column("expires_at").execute();
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const now = sql.raw(`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`);
  await sql`create trigger cert_changes_created after insert on certs begin
    insert into cert_changes (cert_id, kind, changed_at) values (new.id, 'created', ${now}); end`.execute(db);
  await sql`create trigger cert_changes_updated after update on certs begin
    insert into cert_changes (cert_id, kind, changed_at) values (new.id, 'updated', ${now}); end`.execute(db);
  await sql`create trigger cert_changes_shared after insert on cert_shares begin
    insert into cert_changes (cert_id, kind, target_user_id, target_location_id, changed_at)
    values (new.cert_id, case when new.via = 'public-link' then 'received' else 'shared' end, new.target_user_id, new.target_location_id, ${now}); end`.execute(db);
  await sql`create trigger cert_changes_document after insert on document_versions begin
    insert into cert_changes (cert_id, kind, changed_at) select d.cert_id, 'updated', ${now} from documents d where d.id = new.document_id; end`.execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`create function smartcert_cert_change() returns trigger language plpgsql as $$
    begin
      perform pg_advisory_xact_lock(${sql.lit(CHANGE_LOCK)});
      if tg_table_name = 'certs' then
        insert into cert_changes (cert_id, kind, changed_at) values (new.id, case when tg_op = 'INSERT' then 'created' else 'updated' end, now());
      elsif tg_table_name = 'cert_shares' then
        insert into cert_changes (cert_id, kind, target_user_id, target_location_id, changed_at)
        values (new.cert_id, case when new.via = 'public-link' then 'received' else 'shared' end, new.target_user_id, new.target_location_id, now());
      else
        insert into cert_changes (cert_id, kind, changed_at) select d.cert_id, 'updated', now() from documents d where d.id = new.document_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger cert_changes_certs after insert or update on certs for each row execute function smartcert_cert_change()`.execute(db);
  await sql`create trigger cert_changes_shares after insert on cert_shares for each row execute function smartcert_cert_change()`.execute(db);
  await sql`create trigger cert_changes_documents after insert on document_versions for each row execute function smartcert_cert_change()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of ["sync_failures", "sync_messages", "mailbox_connections"]) await db.schema.dropTable(table).execute();
  if (postgres) {
    for (const [trigger, table] of [["cert_changes_certs", "certs"], ["cert_changes_shares", "cert_shares"], ["cert_changes_documents", "document_versions"]] as const) {
      await sql`drop trigger ${sql.id(trigger)} on ${sql.id(table)}`.execute(db);
    }
    await sql`drop function smartcert_cert_change()`.execute(db);
  } else {
    for (const trigger of ["cert_changes_created", "cert_changes_updated", "cert_changes_shared", "cert_changes_document"]) await sql`drop trigger ${sql.id(trigger)}`.execute(db);
  }
  await db.schema.dropTable("cert_changes").execute();
}
