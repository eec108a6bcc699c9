import { certAccess } from "../access/policy";
import type { CertService, CertView } from "../certs/cert-service";
import { problems } from "../http/problem";
import type { Principal } from "../orgs/model";
import type { ChangeKind, ChangeRepository, ChangeRow, VisibleChanges } from "./change-repository";

/**
 * getChanges: the certs a user can view that changed after a cursor, each once with what happened
 * to it (for this user: a share to them is "received", a share to someone else is "shared" and
 * only shown to the creator side — receivers never learn who else holds the cert; "joined": the
 * user joined a location that owns or received the cert, shown to that user only).
 *
 * The cursor is the feed's sequence number (opaque to clients). It is taken from the rows scanned,
 * not the items returned, and a caught-up page jumps to the head read *before* the scan, so rows of
 * certs the user cannot see are passed over once and a row committed during the scan is never
 * skipped (sequence numbers become visible in order: see migration 0004).
 */
export interface ChangeItem {
  view: CertView;
  kinds: ChangeKind[];
}

export interface ChangePage {
  items: ChangeItem[];
  cursor: string;
  hasMore: boolean;
}

const CURSOR_PREFIX = "c1.";

export class ChangeService {
  constructor(
    private readonly deps: { changes: ChangeRepository; certs: CertService },
  ) {}

  /** `latest`: no items, just a cursor at the head (a pane that starts fresh). */
  async getChanges(user: Principal, query: { cursor?: string | undefined; limit: number; latest?: boolean | undefined }): Promise<ChangePage> {
    const after = query.cursor === undefined ? 0 : decodeCursor(query.cursor);
    const head = await this.deps.changes.head();
    if (query.latest) return { items: [], cursor: encodeCursor(Math.max(head, after)), hasMore: false };
    const page = await this.deps.changes.visibleChanges(user, after, head, query.limit);
    const hasMore = page.rows.length === query.limit;
    const last = page.rows[page.rows.length - 1];
    const next = hasMore && last ? last.seq : Math.max(head, after);
    return { items: this.project(user, page), cursor: encodeCursor(next), hasMore };
  }

  /** Whether anything the user can view changed in (after, upTo]: the stream's "something changed". */
  async anyVisible(user: Principal, after: number, upTo: number): Promise<boolean> {
    if (upTo <= after) return false;
    const page = await this.deps.changes.visibleChanges(user, after, upTo, 50);
    return this.project(user, page).length > 0;
  }

  head(): Promise<number> {
    return this.deps.changes.head();
  }

  private project(user: Principal, page: VisibleChanges): ChangeItem[] {
    const { rows, certs: byId, receipts } = page;
    const kindsByCert = new Map<string, Set<ChangeKind>>();
    const lastSeq = new Map<string, number>();
    const views = new Map<string, CertView>();
    for (const row of rows) {
      const cert = byId.get(row.certId);
      if (!cert) continue;
      let view = views.get(cert.id);
      if (!view) {
        const access = certAccess(user, cert, receipts.get(cert.id) ?? { toUser: false, toLocationIds: [] });
        if (!access) continue;
        view = { cert, access, publicLinkUrl: access.canSeePublicLink ? this.deps.certs.publicLinkUrl(cert) : null };
        views.set(cert.id, view);
      }
      const kind = kindFor(user, row, view.access.side);
      if (!kind) continue;
      const kinds = kindsByCert.get(cert.id) ?? new Set<ChangeKind>();
      kinds.add(kind);
      kindsByCert.set(cert.id, kinds);
      lastSeq.set(cert.id, row.seq);
    }
    return [...lastSeq.entries()]
      .sort((a, b) => a[1] - b[1])
      .flatMap(([certId]) => {
        const view = views.get(certId);
        return view ? [{ view, kinds: [...(kindsByCert.get(certId) ?? [])] }] : [];
      });
  }
}

function kindFor(user: Principal, row: ChangeRow, side: "owner" | "receiver"): ChangeKind | undefined {
  if (row.kind === "created" || row.kind === "updated") return row.kind;
  // The repository already passes only the joiner's own "joined" rows; checked again here so the
  // kind never reaches anyone else even if that query changes.
  if (row.kind === "joined") return row.targetUserId === user.id ? "joined" : undefined;
  const toMe = row.targetUserId === user.id || (row.targetLocationId !== null && user.locationIds.includes(row.targetLocationId));
  if (toMe) return "received";
  return side === "owner" ? "shared" : undefined;
}

export function encodeCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`).toString("base64url");
}

export function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  if (!Number.isSafeInteger(seq) || seq < 0) throw problems.badRequest("The cursor is not valid", "Pass back the cursor of the previous getChanges answer unchanged.");
  return seq;
}
