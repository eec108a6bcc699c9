import type { Database } from "../db/database";
import { isoString } from "../certs/cert-repository";

/**
 * All SQL of mailbox sync. What it stores is the whole of what sync may keep (DESIGN §3): the
 * connection with its sealed refresh token and cursors, (message id, modified) pairs, and failed
 * record ids with an error name for 14 days. Conversation links go to `conversation_shares`.
 */
export interface ConnectionRecord {
  id: string;
  userId: string;
  orgId: string;
  provider: "graph" | "gmail";
  status: "active" | "needs-user";
  sealedRefreshToken: string;
  syncKeyId: string;
  cursor: string | null;
  pageCursor: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
}

export const FAILURE_RETENTION_MS = 14 * 24 * 3600 * 1000;

export class SyncRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  /** One connection per user and provider: connecting again replaces the token and restarts. */
  async upsertConnection(input: { id: string; userId: string; provider: "graph" | "gmail"; sealedRefreshToken: string; syncKeyId: string }): Promise<string> {
    const existing = await this.db.selectFrom("mailbox_connections").select("id").where("user_id", "=", input.userId).where("provider", "=", input.provider).executeTakeFirst();
    if (existing) return existing.id;
    await this.db
      .insertInto("mailbox_connections")
      .values({ id: input.id, user_id: input.userId, provider: input.provider, status: "active", refresh_token: input.sealedRefreshToken, sync_key_id: input.syncKeyId, cursor: null, page_cursor: null, last_sync_at: null, last_error: null, created_at: this.now().toISOString() })
      .execute();
    return input.id;
  }

  async replaceToken(connectionId: string, sealedRefreshToken: string, syncKeyId: string): Promise<void> {
    await this.db.updateTable("mailbox_connections").set({ refresh_token: sealedRefreshToken, sync_key_id: syncKeyId, status: "active", last_error: null }).where("id", "=", connectionId).execute();
  }

  async get(connectionId: string): Promise<ConnectionRecord | undefined> {
    return (await this.query().where("c.id", "=", connectionId).execute()).map(toRecord)[0];
  }

  async listForUser(userId: string): Promise<ConnectionRecord[]> {
    return (await this.query().where("c.user_id", "=", userId).orderBy("c.created_at").execute()).map(toRecord);
  }

  async listActive(): Promise<ConnectionRecord[]> {
    return (await this.query().where("c.status", "=", "active").execute()).map(toRecord);
  }

  async delete(connectionId: string): Promise<void> {
    await this.db.deleteFrom("mailbox_connections").where("id", "=", connectionId).execute();
  }

  async savePosition(connectionId: string, position: { cursor?: string | null; pageCursor: string | null }): Promise<void> {
    await this.db.updateTable("mailbox_connections").set({ ...(position.cursor !== undefined ? { cursor: position.cursor } : {}), page_cursor: position.pageCursor }).where("id", "=", connectionId).execute();
  }

  async finishSync(connectionId: string, error: string | null): Promise<void> {
    await this.db.updateTable("mailbox_connections").set({ last_sync_at: this.now().toISOString(), last_error: error }).where("id", "=", connectionId).execute();
  }

  async markNeedsUser(connectionId: string, error: string): Promise<void> {
    await this.db.updateTable("mailbox_connections").set({ status: "needs-user", last_error: error }).where("id", "=", connectionId).execute();
  }

  /** The stored modified marker of each of `messageIds` that was seen before. */
  async seen(connectionId: string, messageIds: string[]): Promise<Map<string, string>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.db.selectFrom("sync_messages").select(["message_id", "modified_at"]).where("connection_id", "=", connectionId).where("message_id", "in", messageIds).execute();
    return new Map(rows.map((r) => [r.message_id, r.modified_at]));
  }

  async recordMessages(connectionId: string, pairs: { id: string; modifiedAt: string }[]): Promise<void> {
    if (pairs.length === 0) return;
    await this.db
      .insertInto("sync_messages")
      .values(pairs.map((p) => ({ connection_id: connectionId, message_id: p.id, modified_at: p.modifiedAt })))
      .onConflict((oc) => oc.columns(["connection_id", "message_id"]).doUpdateSet((eb) => ({ modified_at: eb.ref("excluded.modified_at") })))
      .execute();
  }

  async forgetMessages(connectionId: string, messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    await this.db.deleteFrom("sync_messages").where("connection_id", "=", connectionId).where("message_id", "in", messageIds).execute();
  }

  async recordFailure(connectionId: string, recordId: string, errorName: string): Promise<void> {
    const now = this.now();
    const row = { connection_id: connectionId, record_id: recordId, error_name: errorName, failed_at: now.toISOString(), expires_at: new Date(now.getTime() + FAILURE_RETENTION_MS).toISOString() };
    await this.db
      .insertInto("sync_failures")
      .values(row)
      .onConflict((oc) => oc.columns(["connection_id", "record_id"]).doUpdateSet({ error_name: row.error_name, failed_at: row.failed_at, expires_at: row.expires_at }))
      .execute();
  }

  async clearFailure(connectionId: string, recordIds: string[]): Promise<void> {
    if (recordIds.length === 0) return;
    await this.db.deleteFrom("sync_failures").where("connection_id", "=", connectionId).where("record_id", "in", recordIds).execute();
  }

  async failures(connectionId: string): Promise<{ recordId: string; errorName: string; failedAt: string }[]> {
    const rows = await this.db.selectFrom("sync_failures").select(["record_id", "error_name", "failed_at"]).where("connection_id", "=", connectionId).where("expires_at", ">", this.now().toISOString()).orderBy("failed_at", "desc").limit(200).execute();
    return rows.map((r) => ({ recordId: r.record_id, errorName: r.error_name, failedAt: isoString(r.failed_at) }));
  }

  /** Failure names are kept 14 days and no longer. */
  async purgeExpiredFailures(): Promise<number> {
    const result = await this.db.deleteFrom("sync_failures").where("expires_at", "<=", this.now().toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private query() {
    return this.db
      .selectFrom("mailbox_connections as c")
      .innerJoin("users as u", "u.id", "c.user_id")
      .select(["c.id", "c.user_id", "u.org_id", "c.provider", "c.status", "c.refresh_token", "c.sync_key_id", "c.cursor", "c.page_cursor", "c.last_sync_at", "c.last_error"]);
  }
}

function toRecord(r: { id: string; user_id: string; org_id: string; provider: "graph" | "gmail"; status: "active" | "needs-user"; refresh_token: string; sync_key_id: string; cursor: string | null; page_cursor: string | null; last_sync_at: string | null; last_error: string | null }): ConnectionRecord {
  return {
    id: r.id, userId: r.user_id, orgId: r.org_id, provider: r.provider, status: r.status, sealedRefreshToken: r.refresh_token, syncKeyId: r.sync_key_id,
    cursor: r.cursor, pageCursor: r.page_cursor, lastSyncAt: r.last_sync_at === null ? null : isoString(r.last_sync_at), lastError: r.last_error,
  };
}
