import { randomUUID } from "node:crypto";
import type { AuditEventType } from "../../shared/protocol/certs";
import type { Database } from "../db/database";
import { isoString } from "./cert-repository";

/** The append-only audit trail of certs: events are inserted, never updated or deleted. */
export type AuditDetail = Record<string, string | number | null>;

export interface AuditEventRecord {
  id: string;
  type: AuditEventType;
  actor: { userId: string; displayName: string; orgName: string } | null;
  detail: AuditDetail;
  createdAt: string;
}

export class AuditRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(certId: string, actorUserId: string | null, type: AuditEventType, detail: AuditDetail = {}): Promise<void> {
    // seq orders events written within the same millisecond.
    const last = await this.db.selectFrom("audit_events").select((eb) => eb.fn.max("seq").as("seq")).where("cert_id", "=", certId).executeTakeFirst();
    await this.db
      .insertInto("audit_events")
      .values({ id: randomUUID(), cert_id: certId, actor_user_id: actorUserId, type, detail: JSON.stringify(detail), created_at: this.now().toISOString(), seq: (last?.seq ?? 0) + 1 })
      .execute();
  }

  async list(certId: string): Promise<AuditEventRecord[]> {
    const rows = await this.db
      .selectFrom("audit_events as e")
      .leftJoin("users as u", "u.id", "e.actor_user_id")
      .leftJoin("organizations as o", "o.id", "u.org_id")
      .select(["e.id", "e.type", "e.detail", "e.created_at", "e.actor_user_id", "u.display_name", "o.name as org_name"])
      .where("e.cert_id", "=", certId)
      .orderBy("e.seq")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      type: r.type as AuditEventType,
      actor: r.actor_user_id ? { userId: r.actor_user_id, displayName: r.display_name ?? "", orgName: r.org_name ?? "" } : null,
      detail: JSON.parse(r.detail) as AuditDetail,
      createdAt: isoString(r.created_at),
    }));
  }
}
