import { randomBytes, timingSafeEqual } from "node:crypto";
import type { KeyRing } from "../keys/key-ring";

/**
 * Tickets for the change stream. The browser's EventSource cannot send an Authorization header, and
 * a bearer token in a URL would sit in proxy and browser histories for its whole lifetime. So the
 * pane first calls an authenticated POST, which returns a ticket: HMAC-signed (user, org, expiry,
 * nonce) under a global HMAC key (docs/KEYS.md §2a), valid for 60 seconds and accepted once. A leaked URL is
 * worthless after the stream opened or a minute passed. Single use is remembered in memory, which
 * is enough for one process; several instances behind a balancer need sticky sessions or a shared
 * store (docs/SYNC.md).
 */
export const TICKET_TTL_MS = 60_000;
const PURPOSE = "change-stream-ticket";

export interface TicketClaims {
  userId: string;
  orgId: string;
}

export class StreamTickets {
  readonly #used = new Map<string, number>();

  constructor(
    private readonly keys: KeyRing,
    private readonly now: () => Date,
  ) {}

  issue(claims: TicketClaims): { ticket: string; expiresAt: Date } {
    const expiresAt = new Date(this.now().getTime() + TICKET_TTL_MS);
    const payload = Buffer.from(JSON.stringify([claims.userId, claims.orgId, expiresAt.getTime(), randomBytes(12).toString("base64url")])).toString("base64url");
    return { ticket: `${payload}.${this.keys.globalHmac(PURPOSE, payload, "base64url")}`, expiresAt };
  }

  /** The claims of a genuine, unexpired, unused ticket (and marks it used); undefined otherwise. */
  redeem(ticket: string): TicketClaims | undefined {
    const [payload, signature, extra] = ticket.split(".");
    if (!payload || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.keys.globalHmac(PURPOSE, payload, "base64url"));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [userId, orgId, expires, nonce] = parsed as unknown[];
    if (typeof userId !== "string" || typeof orgId !== "string" || typeof expires !== "number" || typeof nonce !== "string") return undefined;
    const now = this.now().getTime();
    if (expires <= now) return undefined;
    this.#forgetExpired(now);
    if (this.#used.has(nonce)) return undefined;
    this.#used.set(nonce, expires);
    return { userId, orgId };
  }

  #forgetExpired(now: number): void {
    for (const [nonce, expires] of this.#used) if (expires <= now) this.#used.delete(nonce);
  }
}
