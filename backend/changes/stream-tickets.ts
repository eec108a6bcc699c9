import { randomBytes } from "node:crypto";
import type { Database } from "../db/database";
import type { KeyRing } from "../keys/key-ring";

/**
 * Tickets for the change stream. The browser's EventSource cannot send an Authorization header, and
 * a bearer token in a URL would sit in proxy and browser histories for its whole lifetime. So the
 * pane first calls an authenticated POST, which returns a ticket: HMAC-signed (user, org, expiry,
 * nonce) under a global HMAC key (docs/KEYS.md §2a), valid for 60 seconds and accepted once. A leaked URL is
 * worthless after the stream opened or a minute passed. Single use is remembered in the database
 * (`used_stream_tickets`, until the ticket's expiry), so it holds across instances and restarts.
 */
export const TICKET_TTL_MS = 60_000;
const PURPOSE = "change-stream-ticket";

export interface TicketClaims {
  userId: string;
  orgId: string;
}

export class StreamTickets {
  constructor(
    private readonly keys: KeyRing,
    private readonly db: Database,
    private readonly now: () => Date,
  ) {}

  issue(claims: TicketClaims): { ticket: string; expiresAt: Date } {
    const expiresAt = new Date(this.now().getTime() + TICKET_TTL_MS);
    const payload = Buffer.from(JSON.stringify([claims.userId, claims.orgId, expiresAt.getTime(), randomBytes(12).toString("base64url")])).toString("base64url");
    return { ticket: `${payload}.${this.keys.globalHmac(PURPOSE, payload, "base64url")}`, expiresAt };
  }

  /** The claims of a genuine, unexpired, unused ticket (and marks it used); undefined otherwise. */
  async redeem(ticket: string): Promise<TicketClaims | undefined> {
    const [payload, signature, extra] = ticket.split(".");
    if (!payload || !signature || extra !== undefined) return undefined;
    if (!this.keys.verifyGlobalHmac(PURPOSE, payload, signature, "base64url")) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [userId, orgId, expires, nonce] = parsed as unknown[];
    if (typeof userId !== "string" || typeof orgId !== "string" || typeof expires !== "number" || typeof nonce !== "string") return undefined;
    const now = this.now();
    if (expires <= now.getTime()) return undefined;
    // The insert is the check: of two requests racing with one ticket, on any instances, one inserts.
    const inserted = await this.db
      .insertInto("used_stream_tickets")
      .values({ nonce, expires_at: new Date(expires).toISOString() })
      .onConflict((oc) => oc.column("nonce").doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return undefined;
    // Nonces of expired tickets can go: an expired ticket is refused before this table is asked.
    await this.db.deleteFrom("used_stream_tickets").where("expires_at", "<=", now.toISOString()).execute();
    return { userId, orgId };
  }
}
