import { randomUUID } from "node:crypto";
import type { AuditEventType } from "../../shared/protocol/certs";
import { sql } from "kysely";
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

  /** This repository on a transaction's connection: its writes commit or roll back with the transaction's. */
  in(trx: Database): AuditRepository {
    return new AuditRepository(trx, this.now);
  }

  async record(certId: string, actorUserId: string | null, type: AuditEventType, detail: AuditDetail = {}): Promise<void> {
    // One statement: seq (which orders events written within the same millisecond) is the cert's
    // last seq + 1, computed where the row is inserted rather than read in a round trip before it.
    await this.db
      .insertInto("audit_events")
      .values({
        id: randomUUID(),
        cert_id: certId,
        actor_user_id: actorUserId,
        type,
        detail: JSON.stringify(detail),
        created_at: this.now().toISOString(),
        seq: sql<number>`(select coalesce(max(seq), 0) + 1 from audit_events where cert_id = ${certId})`,
      })
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
      .orderBy("e.created_at")
      .orderBy("e.id")
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
