import type { MessageStatus } from "../../shared/protocol/messages";

/** Domain records of the messages module; repositories return these, never rows. */
export interface MessageRecord {
  id: string;
  orgId: string;
  senderId: string;
  partCount: number;
  /** JSON text of the public passphrase KDF parameters; null = no passphrase. */
  passphraseKdf: string | null;
  signInRequired: boolean;
  maxOpens: number | null;
  openCount: number;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  revokedAt: string | null;
  lastOpenedAt: string | null;
  ciphertextDeletedAt: string | null;
  /** Set on a secure reply: the message it answers, and the open whose reply capability allowed it. */
  inReplyTo: string | null;
  replyOpenId: string | null;
  /** Replies made to this message so far. */
  replyCount: number;
}

export interface MessagePart {
  index: number;
  size: number;
}

/**
 * A secure reply to store: owned by the original's organization and managed by its sender (who
 * may revoke it), readable only by that sender (`recipient`), authorized by the open `openId`.
 */
export interface NewReply {
  id: string;
  originalId: string;
  openId: string;
  orgId: string;
  senderId: string;
  partCount: number;
  maxOpens: number | null;
  expiresAt: string;
  recipient: { emailIndex: string; emailCiphertext: string };
}

export interface MessageOpenRecord {
  openedAt: string;
  recipientIndex: string | null;
}

export interface NewMessage {
  id: string;
  orgId: string;
  senderId: string;
  partCount: number;
  passphraseKdf: string | null;
  maxOpens: number | null;
  expiresAt: string;
  recipients: { emailIndex: string; emailCiphertext: string }[];
}

/** The status a message has at `now`; revoked wins over expired, expired over opened-out. */
export function messageStatus(message: MessageRecord, now: Date): MessageStatus {
  if (message.revokedAt) return "revoked";
  if (Date.parse(message.expiresAt) <= now.getTime()) return "expired";
  if (!message.completedAt) return "uploading";
  if (message.maxOpens !== null && message.openCount >= message.maxOpens) return "opened-out";
  return "active";
}
