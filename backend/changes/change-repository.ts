import type { Database } from "../db/database";
import { ownedBy, receivedBy } from "../certs/cert-repository";

/**
 * All SQL of the change feed. Rows come from `cert_changes`, which triggers fill in the same
 * transaction as every cert write (migration 0004). Visibility uses the certs module's SQL form of
 * the view rule (`ownedBy` / `receivedBy`), so the feed never carries a second copy of the rules;
 * the service still passes every cert through the access policy.
 */
export type ChangeKind = "created" | "updated" | "shared" | "received";

export interface ChangeRow {
  seq: number;
  certId: string;
  kind: ChangeKind;
  targetUserId: string | null;
  targetLocationId: string | null;
}

/** The locations list never empty: `in ()` is not valid SQL, and a made-up id matches nothing. */
const NO_LOCATION = "00000000-0000-0000-0000-000000000000";

export class ChangeRepository {
  constructor(private readonly db: Database) {}

  /** The newest committed sequence number (0 when the feed is empty). */
  async head(): Promise<number> {
    const row = await this.db.selectFrom("cert_changes").select((eb) => eb.fn.max("seq").as("head")).executeTakeFirst();
    return Number(row?.head ?? 0);
  }

  /**
   * Up to `limit` change rows in (after, upTo], oldest first, of certs the user can view by the
   * view rule as it stands now.
   */
  async visibleChanges(user: { id: string; locationIds: readonly string[] }, after: number, upTo: number, limit: number): Promise<ChangeRow[]> {
    const locations = user.locationIds.length > 0 ? [...user.locationIds] : [NO_LOCATION];
    const rows = await this.db
      .selectFrom("cert_changes")
      .innerJoin("certs", "certs.id", "cert_changes.cert_id")
      .select(["cert_changes.seq", "cert_changes.cert_id", "cert_changes.kind", "cert_changes.target_user_id", "cert_changes.target_location_id"])
      .where("cert_changes.seq", ">", after)
      .where("cert_changes.seq", "<=", upTo)
      .where((eb) => eb.or([ownedBy(eb, locations), receivedBy(eb, user.id, locations)]))
      .orderBy("cert_changes.seq")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), certId: r.cert_id, kind: r.kind, targetUserId: r.target_user_id, targetLocationId: r.target_location_id }));
  }
}
