import type { Database } from "../db/database";
import { CERT_COLUMNS, ownedBy, receivedBy, toCertRecord } from "../certs/cert-repository";
import type { CertReceipt, CertRecord } from "../certs/model";

/**
 * All SQL of the change feed. Rows come from `cert_changes`, which triggers fill in the same
 * transaction as every cert write (migration 0004). Visibility uses the certs module's SQL form of
 * the view rule (`ownedBy` / `receivedBy`), so the feed never carries a second copy of the rules;
 * the service still passes every cert through the access policy.
 */
export type ChangeKind = "created" | "updated" | "shared" | "received" | "joined";

export interface ChangeRow {
  seq: number;
  certId: string;
  kind: ChangeKind;
  targetUserId: string | null;
  targetLocationId: string | null;
}

/** The locations list never empty: `in ()` is not valid SQL, and a made-up id matches nothing. */
const NO_LOCATION = "00000000-0000-0000-0000-000000000000";

export interface VisibleChanges {
  rows: ChangeRow[];
  certs: Map<string, CertRecord>;
  receipts: Map<string, CertReceipt>;
}

export class ChangeRepository {
  constructor(private readonly db: Database) {}

  /** The newest committed sequence number (0 when the feed is empty). */
  async head(): Promise<number> {
    const row = await this.db.selectFrom("cert_changes").select((eb) => eb.fn.max("seq").as("head")).executeTakeFirst();
    return Number(row?.head ?? 0);
  }

  /**
   * Up to `limit` change rows in (after, upTo], oldest first, of certs the user can view by the
   * view rule as it stands now — with those certs, their owning locations and how the user received
   * them. Three queries whatever the page size: the rows joined with the cert columns, then owners
   * and receipts of the certs in the page's sequence range (cheaper than `in (…1000 ids)` lists).
   */
  async visibleChanges(user: { id: string; locationIds: readonly string[] }, after: number, upTo: number, limit: number): Promise<VisibleChanges> {
    const locations = user.locationIds.length > 0 ? [...user.locationIds] : [NO_LOCATION];
    const rows = await this.db
      .selectFrom("cert_changes")
      .innerJoin("certs", "certs.id", "cert_changes.cert_id")
      .innerJoin("organizations", "organizations.id", "certs.owner_org_id")
      .select([...CERT_COLUMNS, "organizations.name as owner_org_name", "cert_changes.seq", "cert_changes.kind", "cert_changes.target_user_id", "cert_changes.target_location_id"])
      .where("cert_changes.seq", ">", after)
      .where("cert_changes.seq", "<=", upTo)
      .where((eb) => eb.or([ownedBy(eb, locations), receivedBy(eb, user.id, locations)]))
      // A "joined" row is news to the member who joined only; a big location's join would
      // otherwise fill every other member's pages (and the stream's check) with rows they skip.
      .where((eb) => eb.or([eb("cert_changes.kind", "<>", "joined"), eb("cert_changes.target_user_id", "=", user.id)]))
      .orderBy("cert_changes.seq")
      .limit(limit)
      .execute();
    const page: VisibleChanges = { rows: [], certs: new Map(), receipts: new Map() };
    const last = rows[rows.length - 1];
    if (!last) return page;
    const through = Number(last.seq);
    // A semi-join on the page's sequence range: the planner walks the ~limit rows of the range and
    // probes each cert's index, where a plain join let PostgreSQL hash whole tables.
    const inPage = this.db.selectFrom("cert_changes as c").select("c.cert_id").where("c.seq", ">", after).where("c.seq", "<=", through);
    const [owners, shares] = await Promise.all([
      this.db.selectFrom("cert_owner_locations").select(["cert_id", "location_id"]).where("cert_id", "in", inPage).orderBy("location_id").execute(),
      this.db
        .selectFrom("cert_shares")
        .select(["cert_id", "target_user_id", "target_location_id"])
        .where("cert_id", "in", inPage)
        .where((eb) => eb.or([eb("target_user_id", "=", user.id), eb("target_location_id", "in", locations)]))
        .execute(),
    ]);
    const ownersOf = new Map<string, string[]>();
    for (const o of owners) ownersOf.set(o.cert_id, [...(ownersOf.get(o.cert_id) ?? []), o.location_id]);
    for (const r of rows) {
      page.rows.push({ seq: Number(r.seq), certId: r.id, kind: r.kind, targetUserId: r.target_user_id, targetLocationId: r.target_location_id });
      if (!page.certs.has(r.id)) {
        page.certs.set(r.id, toCertRecord(r, ownersOf.get(r.id) ?? []));
        page.receipts.set(r.id, { toUser: false, toLocationIds: [] });
      }
    }
    for (const s of shares) {
      const receipt = page.receipts.get(s.cert_id);
      if (!receipt) continue;
      if (s.target_user_id === user.id) receipt.toUser = true;
      if (s.target_location_id && !receipt.toLocationIds.includes(s.target_location_id)) receipt.toLocationIds.push(s.target_location_id);
    }
    return page;
  }
}
