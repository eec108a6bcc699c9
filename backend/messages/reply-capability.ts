import type { KeyRing } from "../keys/key-ring";

/**
 * The two stateless tokens of secure replies (docs/MESSAGES.md), HMACs under global HMAC keys
 * (docs/KEYS.md §2a), each with its own purpose so one can never pass for the other:
 *
 * - the reply capability, `r1.<open id>.<expiry seconds>.<HMAC(message id, open id, expiry)>`,
 *   handed out by a successful Open and valid until the message expires. Binding it to the open
 *   lets the database count replies per capability (and requires that the open really happened);
 *   binding it to the message id makes it useless for any other message.
 * - the upload ticket, `<expiry seconds>.<HMAC(reply id, expiry)>`, handed out with a new reply and
 *   valid for REPLY_UPLOAD_LIFETIME_MS: the anonymous replier has no account, so this is what lets
 *   them upload that reply's parts and complete it — and nothing else.
 */
const CAPABILITY_PURPOSE = "message-reply-capability";
const UPLOAD_PURPOSE = "message-reply-upload";
export const REPLY_UPLOAD_LIFETIME_MS = 2 * 60 * 60 * 1000;

const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const CAPABILITY = new RegExp(`^r1\\.(${UUID})\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})$`);
const TICKET = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

export function issueReplyCapability(keys: KeyRing, messageId: string, openId: string, messageExpiresAt: Date): string {
  const exp = Math.floor(messageExpiresAt.getTime() / 1000);
  return `r1.${openId}.${exp}.${keys.globalHmac(CAPABILITY_PURPOSE, `${messageId}:${openId}:${exp}`, "base64url")}`;
}

/** The open the capability was issued for, when it is genuine, for `messageId`, and unexpired; else null. */
export function verifyReplyCapability(keys: KeyRing, messageId: string, capability: string, now: Date): { openId: string } | null {
  const match = CAPABILITY.exec(capability);
  const [, openId, expText, mac] = match ?? [];
  if (!openId || !expText || !mac) return null;
  const exp = Number(expText);
  if (exp * 1000 <= now.getTime()) return null;
  return keys.verifyGlobalHmac(CAPABILITY_PURPOSE, `${messageId}:${openId}:${exp}`, mac, "base64url") ? { openId } : null;
}

export function issueUploadTicket(keys: KeyRing, replyId: string, now: Date): { ticket: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + REPLY_UPLOAD_LIFETIME_MS);
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return { ticket: `${exp}.${keys.globalHmac(UPLOAD_PURPOSE, `${replyId}:${exp}`, "base64url")}`, expiresAt };
}

export function uploadTicketValid(keys: KeyRing, replyId: string, ticket: string, now: Date): boolean {
  const [, expText, mac] = TICKET.exec(ticket) ?? [];
  if (!expText || !mac) return false;
  const exp = Number(expText);
  if (exp * 1000 <= now.getTime()) return false;
  return keys.verifyGlobalHmac(UPLOAD_PURPOSE, `${replyId}:${exp}`, mac, "base64url");
}
