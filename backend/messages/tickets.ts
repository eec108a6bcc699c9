import type { KeyRing } from "../keys/key-ring";

/**
 * Download tickets: the explicit Open (POST) answers with one, and only a ticket lets the reader
 * fetch the ciphertext parts. So no GET — a link scanner's or anyone's — ever reaches ciphertext
 * without an open being counted. Stateless: "<expiry seconds>.<HMAC(message id, expiry)>" under a
 * global key derived from the key-encryption key (purpose "message-ticket").
 */
export const TICKET_LIFETIME_MS = 60 * 60 * 1000;
const PURPOSE = "message-ticket";

export function issueTicket(keys: KeyRing, messageId: string, now: Date): { ticket: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + TICKET_LIFETIME_MS);
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return { ticket: `${exp}.${keys.globalHmac(PURPOSE, `${messageId}:${exp}`, "base64url")}`, expiresAt };
}

export function ticketValid(keys: KeyRing, messageId: string, ticket: string, now: Date): boolean {
  const match = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(ticket);
  if (!match?.[1] || !match[2]) return false;
  const exp = Number(match[1]);
  if (exp * 1000 <= now.getTime()) return false;
  return keys.verifyGlobalHmac(PURPOSE, `${messageId}:${exp}`, match[2], "base64url");
}
