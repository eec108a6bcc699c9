import { randomUUID } from "node:crypto";
import { sql, type Expression, type ExpressionBuilder } from "kysely";
import type { Database } from "../db/database";
import { PreparedQuery } from "../db/prepared-query";
import { idList, idsOf } from "../db/id-list";
import type { Principal } from "../orgs/model";
import { toPrincipal, userByIdentity } from "../orgs/repository";
import type { Selectable } from "kysely";
import type { CertsTable, DatabaseSchema } from "../db/schema";
import { searchTextOf, type CertFields, type CertReceipt, type CertRecord } from "./model";

/** All SQL of certs and their owning locations. */
export interface NewCert extends CertFields {
  ownerOrgId: string;
  ownerLocationIds: string[];
  salesLocationId: string | null;
  copiedFrom: string | null;
  createdBy: string;
}

export interface CertPage {
  items: CertRecord[];
  nextCursor: string | null;
}

type CertRow = Pick<Selectable<CertsTable>, "id" | "owner_org_id" | "title" | "po_numbers" | "heat_numbers" | "cert_numbers" | "product" | "standard" | "metadata" | "sales_location_id" | "copied_from" | "created_by" | "public_link_enabled" | "public_link_generation" | "revision" | "created_at" | "updated_at"> & { owner_org_name: string };

type CertExpressions = ExpressionBuilder<DatabaseSchema, "certs" | "organizations">;

/** Exported with toCertRecord for the change feed, which reads certs joined to its own rows. */
export const CERT_COLUMNS = [
  "certs.id", "certs.owner_org_id", "certs.title", "certs.po_numbers", "certs.heat_numbers", "certs.cert_numbers", "certs.product",
  "certs.standard", "certs.metadata", "certs.sales_location_id", "certs.copied_from", "certs.created_by", "certs.public_link_enabled",
  "certs.public_link_generation", "certs.revision", "certs.created_at", "certs.updated_at",
] as const;

/** A location id no row has, for `in (…)` lists that would otherwise be empty. */
const NO_LOCATION = "00000000-0000-0000-0000-000000000000";

/**
 * The columns beside CERT_COLUMNS that say who owns the cert and how `viewer` received it: its
 * owning locations, whether it was shared to the viewer, and which of the viewer's locations it was
 * shared to (the viewer's memberships as stored, as authentication reads them). Correlated
 * subqueries, one row per cert. The one form of this read, for getWithReceipt (the viewer a value)
 * and principalAndCert (the viewer the principal's row).
 */
function ownersAndReceiptColumns(eb: ExpressionBuilder<DatabaseSchema, "certs">, viewerId: Expression<string>) {
  return [
    eb.selectFrom("cert_owner_locations as owner").select(idList("owner.location_id").as("ids")).whereRef("owner.cert_id", "=", "certs.id").as("owner_location_ids"),
    eb.exists(eb.selectFrom("cert_shares as to_user").select("to_user.cert_id").whereRef("to_user.cert_id", "=", "certs.id").where("to_user.target_user_id", "=", viewerId)).as("shared_to_user"),
    eb
      .selectFrom("cert_shares as to_location")
      .innerJoin("user_locations as member", "member.location_id", "to_location.target_location_id")
      .select(idList("to_location.target_location_id").as("ids"))
      .whereRef("to_location.cert_id", "=", "certs.id")
      .where("member.user_id", "=", viewerId)
      .as("shared_location_ids"),
  ] as const;
}

/** The cert with its owners and how a viewer received it; see getWithReceipt. */
const certWithReceipt = new PreparedQuery((db: Database, certId: string, viewerId: string) =>
  db
    .selectFrom("certs")
    .innerJoin("organizations", "organizations.id", "certs.owner_org_id")
    .select((eb) => [...CERT_COLUMNS, "organizations.name as owner_org_name", ...ownersAndReceiptColumns(eb, eb.val(viewerId))])
    .where("certs.id", "=", certId),
);

/**
 * getCert's one statement: the principal bound to (issuer, subject) and the cert with its owners
 * and how that principal received it — what authentication and getWithReceipt read in two
 * statements. At most one row (an identity is bound to one user); no row when the identity is
 * bound to nobody; cert columns NULL when there is no such cert. The principal is built from
 * `userByIdentity`, the same join authentication uses everywhere else.
 */
const principalAndCert = new PreparedQuery((db: Database, issuer: string, subject: string, certId: string) =>
  userByIdentity(db, issuer, subject)
    .leftJoin("certs", (join) => join.on("certs.id", "=", certId))
    .leftJoin("organizations", "organizations.id", "certs.owner_org_id")
    .select((eb) => [
      "users.id as principal_id",
      "users.org_id as principal_org_id",
      "users.display_name as principal_display_name",
      "users.is_admin",
      "users.is_writer",
      eb.selectFrom("user_locations as mine").select(idList("mine.location_id").as("ids")).whereRef("mine.user_id", "=", "users.id").as("principal_location_ids"),
      ...CERT_COLUMNS,
      "organizations.name as owner_org_name",
      ...ownersAndReceiptColumns(eb, eb.ref("users.id")),
    ]),
);

export interface CertWithReceipt {
  cert: CertRecord;
  receipt: CertReceipt;
}

export class CertRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(input: NewCert, id: string = randomUUID()): Promise<CertRecord> {
    const at = this.now().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("certs")
        .values({ id, owner_org_id: input.ownerOrgId, ...fieldColumns(input), sales_location_id: input.salesLocationId, copied_from: input.copiedFrom, created_by: input.createdBy, created_at: at, updated_at: at })
        .execute();
      await trx.insertInto("cert_owner_locations").values([...new Set(input.ownerLocationIds)].map((l) => ({ cert_id: id, location_id: l }))).execute();
    });
    const created = await this.get(id);
    if (!created) throw new Error("cert vanished after insert");
    return created;
  }

  async get(certId: string): Promise<CertRecord | undefined> {
    const rows = await this.baseQuery().where("certs.id", "=", certId).execute();
    return (await this.hydrate(rows))[0];
  }

  /** The cert and how `viewer` received it, in one query: the hot path of every cert request. */
  async getWithReceipt(certId: string, viewer: { id: string }): Promise<CertWithReceipt | undefined> {
    const row = (await certWithReceipt.execute(this.db, certId, viewer.id))[0];
    return row && withReceipt(row);
  }

  /** See principalAndCert: undefined when the identity is bound to no user; `found` null when there is no such cert. */
  async principalWithCert(issuer: string, subject: string, certId: string): Promise<{ principal: Principal; found: CertWithReceipt | null } | undefined> {
    const row = (await principalAndCert.execute(this.db, issuer, subject, certId))[0];
    if (!row) return undefined;
    const principal = toPrincipal(
      { id: row.principal_id, org_id: row.principal_org_id, display_name: row.principal_display_name, is_admin: row.is_admin, is_writer: row.is_writer },
      idsOf(row.principal_location_ids),
    );
    return { principal, found: row.id === null ? null : withReceipt(row as CertRow & ReceiptColumns) };
  }

  async update(certId: string, fields: CertFields): Promise<void> {
    await this.db
      .updateTable("certs")
      .set((eb) => ({ ...fieldColumns(fields), revision: eb("revision", "+", 1), updated_at: this.now().toISOString() }))
      .where("id", "=", certId)
      .execute();
  }

  async setPublicLink(certId: string, enabled: boolean, lookup: string | null, generation: number): Promise<void> {
    await this.db
      .updateTable("certs")
      .set({ public_link_enabled: enabled ? 1 : 0, public_link_lookup: lookup, public_link_generation: generation })
      .where("id", "=", certId)
      .execute();
  }

  async findByPublicLinkLookup(lookup: string): Promise<CertRecord | undefined> {
    const row = await this.db.selectFrom("certs").select("id").where("public_link_lookup", "=", lookup).where("public_link_enabled", "=", 1).executeTakeFirst();
    return row ? this.get(row.id) : undefined;
  }

  /** How `userId` (a member of `locationIds`) received each of the certs. */
  async receipts(certIds: readonly string[], userId: string, locationIds: readonly string[]): Promise<Map<string, CertReceipt>> {
    const result = new Map<string, CertReceipt>(certIds.map((id) => [id, { toUser: false, toLocationIds: [] }]));
    if (certIds.length === 0) return result;
    const rows = await this.db
      .selectFrom("cert_shares")
      .select(["cert_id", "target_user_id", "target_location_id"])
      .where("cert_id", "in", [...certIds])
      .where((eb) => eb.or([eb("target_user_id", "=", userId), ...(locationIds.length > 0 ? [eb("target_location_id", "in", [...locationIds])] : [])]))
      .execute();
    for (const row of rows) {
      const receipt = result.get(row.cert_id);
      if (!receipt) continue;
      if (row.target_user_id === userId) receipt.toUser = true;
      if (row.target_location_id) receipt.toLocationIds.push(row.target_location_id);
    }
    return result;
  }

  /**
   * The certs a user can see, newest first, for listCerts. The SQL mirrors the policy's view rule so
   * the database can page; the service still passes every row through the policy.
   */
  async listVisible(user: { id: string; locationIds: readonly string[] }, scope: "owned" | "received" | "all", q: string | undefined, limit: number, cursor: string | undefined): Promise<CertPage> {
    const locations = user.locationIds.length > 0 ? [...user.locationIds] : [NO_LOCATION];
    let query = this.baseQuery();
    const owned = (eb: CertExpressions) => ownedBy(eb, locations);
    const received = (eb: CertExpressions) => receivedBy(eb, user.id, locations);
    if (scope === "owned") query = query.where((eb) => owned(eb));
    else if (scope === "received") query = query.where((eb) => eb.and([received(eb), eb.not(owned(eb))]));
    else query = query.where((eb) => eb.or([owned(eb), received(eb)]));

    if (q) query = query.where(sql<boolean>`certs.search_text like ${`%${escapeLike(q.toLowerCase())}%`} escape '\\'`);
    const after = decodeCursor(cursor);
    if (after) {
      query = query.where((eb) => eb.or([eb("certs.created_at", "<", after.createdAt), eb.and([eb("certs.created_at", "=", after.createdAt), eb("certs.id", "<", after.id)])]));
    }
    const rows = await query.orderBy("certs.created_at", "desc").orderBy("certs.id", "desc").limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.hydrate(page),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: isoString(last.created_at), id: last.id }) : null,
    };
  }

  private baseQuery() {
    return this.db.selectFrom("certs").innerJoin("organizations", "organizations.id", "certs.owner_org_id").select([...CERT_COLUMNS, "organizations.name as owner_org_name"]);
  }

  private async hydrate(rows: CertRow[]): Promise<CertRecord[]> {
    if (rows.length === 0) return [];
    const owners = await this.db.selectFrom("cert_owner_locations").select(["cert_id", "location_id"]).where("cert_id", "in", rows.map((r) => r.id)).orderBy("location_id").execute();
    return rows.map((r) => toCertRecord(r, owners.filter((o) => o.cert_id === r.id).map((o) => o.location_id)));
  }
}

export function toCertRecord(r: CertRow, ownerLocationIds: string[]): CertRecord {
  return {
    id: r.id,
    ownerOrgId: r.owner_org_id,
    ownerOrgName: r.owner_org_name,
    ownerLocationIds,
    title: r.title,
    poNumbers: JSON.parse(r.po_numbers) as string[],
    heatNumbers: JSON.parse(r.heat_numbers) as string[],
    certNumbers: JSON.parse(r.cert_numbers) as string[],
    product: r.product,
    standard: r.standard,
    metadata: JSON.parse(r.metadata) as Record<string, string>,
    salesLocationId: r.sales_location_id,
    copiedFrom: r.copied_from,
    createdBy: r.created_by,
    publicLinkEnabled: r.public_link_enabled === 1,
    publicLinkGeneration: r.public_link_generation,
    revision: r.revision,
    createdAt: isoString(r.created_at),
    updatedAt: isoString(r.updated_at),
  };
}

function fieldColumns(fields: CertFields) {
  return {
    title: fields.title,
    po_numbers: JSON.stringify(fields.poNumbers),
    heat_numbers: JSON.stringify(fields.heatNumbers),
    cert_numbers: JSON.stringify(fields.certNumbers),
    product: fields.product,
    standard: fields.standard,
    metadata: JSON.stringify(fields.metadata),
    search_text: searchTextOf(fields),
  };
}

/** PostgreSQL hands back timestamptz as Date, SQLite as the stored text. */
export function isoString(value: string | Date): string {
  return typeof value === "string" ? new Date(value).toISOString() : value.toISOString();
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function encodeCursor(cursor: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");
}

function decodeCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && typeof parsed[0] === "string" && typeof parsed[1] === "string") return { createdAt: parsed[0], id: parsed[1] };
  } catch {
    // fall through: an unreadable cursor is a client error
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super("invalid cursor");
  }
}

/**
 * The view rule in SQL (the policy's `certAccess` mirrored so the database can filter and page):
 * the cert is owned by one of `locations`…
 */
export function ownedBy(eb: ExpressionBuilder<DatabaseSchema, "certs">, locations: string[]) {
  return eb.exists(eb.selectFrom("cert_owner_locations as o").select("o.cert_id").whereRef("o.cert_id", "=", "certs.id").where("o.location_id", "in", locations));
}

/** …or it was shared to the user (directly or through the public link) or to one of `locations`. */
export function receivedBy(eb: ExpressionBuilder<DatabaseSchema, "certs">, userId: string, locations: string[]) {
  return eb.exists(
    eb.selectFrom("cert_shares as s").select("s.cert_id").whereRef("s.cert_id", "=", "certs.id")
      .where((inner) => inner.or([inner("s.target_user_id", "=", userId), inner("s.target_location_id", "in", locations)])),
  );
}

type ReceiptColumns = { owner_location_ids: string | null; shared_to_user: unknown; shared_location_ids: string | null };

function withReceipt(row: CertRow & ReceiptColumns): CertWithReceipt {
  return {
    cert: toCertRecord(row, idsOf(row.owner_location_ids)),
    // PostgreSQL answers EXISTS with a boolean, SQLite with 0 or 1.
    receipt: { toUser: Boolean(row.shared_to_user), toLocationIds: idsOf(row.shared_location_ids) },
  };
}
