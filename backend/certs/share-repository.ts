import { randomUUID } from "node:crypto";
import type { Database } from "../db/database";
import { isoString } from "./cert-repository";
import type { ShareRecord } from "./model";

/**
 * All SQL of shares (receivers) and conversation links. Shares are only ever inserted: there is
 * deliberately no delete, because a receiver's access is perpetual.
 */
export class ShareRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** This repository on a transaction's connection: its writes commit or roll back with the transaction's. */
  in(trx: Database): ShareRepository {
    return new ShareRepository(trx, this.now);
  }

  /**
   * Adds a receiver; sharing again to the same target returns the existing share (and its `via`).
   * Insert first: the unique index decides, so a new share costs one statement and a concurrent
   * share of the same target cannot create a second row.
   */
  async share(certId: string, target: { userId: string } | { locationId: string }, via: ShareRecord["via"], sharedBy: string): Promise<{ shareId: string; via: ShareRecord["via"]; createdAt: string; created: boolean }> {
    const id = randomUUID();
    const createdAt = this.now().toISOString();
    const inserted = await this.db
      .insertInto("cert_shares")
      .values({
        id,
        cert_id: certId,
        target_user_id: "userId" in target ? target.userId : null,
        target_location_id: "locationId" in target ? target.locationId : null,
        via,
        shared_by: sharedBy,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { shareId: id, via, createdAt, created: true };
    const column = "userId" in target ? "target_user_id" : "target_location_id";
    const existing = await this.db
      .selectFrom("cert_shares")
      .select(["id", "via", "created_at"])
      .where("cert_id", "=", certId)
      .where(column, "=", "userId" in target ? target.userId : target.locationId)
      .executeTakeFirstOrThrow();
    return { shareId: existing.id, via: existing.via, createdAt: isoString(existing.created_at), created: false };
  }

  async listForCert(certId: string): Promise<ShareRecord[]> {
    const rows = await this.db
      .selectFrom("cert_shares as s")
      .leftJoin("users as u", "u.id", "s.target_user_id")
      .leftJoin("organizations as uo", "uo.id", "u.org_id")
      .leftJoin("locations as l", "l.id", "s.target_location_id")
      .leftJoin("organizations as lo", "lo.id", "l.org_id")
      .select(["s.id", "s.cert_id", "s.via", "s.created_at", "s.target_user_id", "u.display_name", "uo.name as user_org_name", "s.target_location_id", "l.name as location_name", "lo.name as location_org_name"])
      .where("s.cert_id", "=", certId)
      .orderBy("s.created_at")
      .orderBy("s.id")
      .execute();
    return rows.map((r) => ({
      id: r.id,
      certId: r.cert_id,
      via: r.via,
      createdAt: isoString(r.created_at),
      target: r.target_user_id
        ? { kind: "user" as const, userId: r.target_user_id, displayName: r.display_name ?? "", orgName: r.user_org_name ?? "" }
        : { kind: "location" as const, locationId: r.target_location_id ?? "", name: r.location_name ?? "", orgName: r.location_org_name ?? "" },
    }));
  }

  async linkConversation(orgId: string, conversationHmac: string, certId: string): Promise<void> {
    await this.db
      .insertInto("conversation_shares")
      .values({ org_id: orgId, conversation_hmac: conversationHmac, cert_id: certId, created_at: this.now().toISOString() })
      .onConflict((oc) => oc.columns(["org_id", "conversation_hmac", "cert_id"]).doNothing())
      .execute();
  }

  async certsInConversation(orgId: string, conversationHmac: string): Promise<{ certId: string; sharedAt: string }[]> {
    const rows = await this.db
      .selectFrom("conversation_shares")
      .select(["cert_id", "created_at"])
      .where("org_id", "=", orgId)
      .where("conversation_hmac", "=", conversationHmac)
      .orderBy("created_at", "desc")
      .execute();
    return rows.map((r) => ({ certId: r.cert_id, sharedAt: isoString(r.created_at) }));
  }
}
