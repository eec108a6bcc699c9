import type { Principal } from "../orgs/model";

/**
 * The access policy: every authorization decision of the backend is made here, so a rule lives in
 * exactly one place and routes never decide for themselves. Functions are pure: they take the
 * signed-in user and what the repositories loaded, and answer yes or no.
 *
 * Organization rules (DESIGN §2): an Admin manages the users and locations of their own
 * organization; nobody sees or changes another organization's users or locations. Callers turn a
 * "different organization" answer into 404, never 403, so ids of other tenants are not confirmed.
 */
export function isAdmin(user: Principal): boolean {
  return user.roles.includes("admin");
}

export function canAdministerOrganization(user: Principal, orgId: string): boolean {
  return isAdmin(user) && user.orgId === orgId;
}

/**
 * Cert rules (DESIGN §2).
 * - Creator side: every member of an owning location sees the cert (membership is read live, so
 *   members who join later see it at once, and members who leave lose it); editing, sharing and
 *   the public link also need Writer. Other locations of the same organization see nothing.
 * - Receiver side: shared to the user, to a location the user is a member of, or accepted through
 *   the public link → read-only, forever (shares are never deleted).
 * - Copy: anyone who can view, with Writer in their own organization and at least one location to
 *   own the copy.
 * - Documents and their signed URLs: anyone who can view. Activity: the creator side only.
 * `null` means the user cannot view the cert at all; callers answer 404, never 403, so the
 * existence of other organizations' certs is not confirmed.
 */
export interface CertAccessDecision {
  side: "owner" | "receiver";
  canEdit: boolean;
  canShare: boolean;
  canCopy: boolean;
  canViewActivity: boolean;
  /** The public link (and its QR code) is the creator side's to see and hand out. */
  canSeePublicLink: boolean;
  canGetDocumentUrl: boolean;
}

export function certAccess(
  user: Principal,
  cert: { ownerLocationIds: readonly string[] },
  receipt: { toUser: boolean; toLocationIds: readonly string[] },
): CertAccessDecision | null {
  const memberOf = (locationId: string) => user.locationIds.includes(locationId);
  const ownerSide = cert.ownerLocationIds.some(memberOf);
  const receiver = receipt.toUser || receipt.toLocationIds.some(memberOf);
  if (!ownerSide && !receiver) return null;
  const writer = isWriter(user);
  return {
    side: ownerSide ? "owner" : "receiver",
    canEdit: ownerSide && writer,
    canShare: ownerSide && writer,
    canCopy: writer && user.locationIds.length > 0,
    canViewActivity: ownerSide,
    canSeePublicLink: ownerSide,
    canGetDocumentUrl: true,
  };
}

export function isWriter(user: Principal): boolean {
  return user.roles.includes("writer");
}

/** Creating needs Writer; a Sales Location must be one of the creator's own locations. */
export function canCreateCert(user: Principal, salesLocationId: string | undefined): boolean {
  if (!isWriter(user) || user.locationIds.length === 0) return false;
  return salesLocationId === undefined || user.locationIds.includes(salesLocationId);
}


/**
 * Encrypted messages (docs/ENCRYPTION.md). Only the sender lists, uploads to or revokes a message;
 * anyone else gets 404. Reading needs the link (the key is in it), and when the sender named
 * recipients, a verified sign-in whose email is one of them. A message that is not active (still
 * uploading, expired, revoked, opened the allowed number of times) is gone for readers.
 */
export function canManageMessage(user: Principal, message: { senderId: string; orgId: string }): boolean {
  return message.senderId === user.id && message.orgId === user.orgId;
}

/** Parts are uploaded only by the sender of an original; a reply is uploaded by its replier's ticket. */
export function canUploadMessage(user: Principal, message: { senderId: string; orgId: string; inReplyTo: string | null }): boolean {
  return canManageMessage(user, message) && message.inReplyTo === null;
}

/**
 * Secure replies (docs/MESSAGES.md): a genuine, unexpired reply capability for this very message
 * allows a reply while the message is not revoked or expired (opened-out is fine: the holder has
 * opened it) and is not itself a reply. The reply's only reader is the original's sender.
 */
export function replyDecision(
  original: { revoked: boolean; expired: boolean; isReply: boolean } | undefined,
  capabilityGenuine: boolean,
): { allowed: true } | { allowed: false; reason: "invalid-capability" | "gone" } {
  if (!capabilityGenuine || !original || original.isReply) return { allowed: false, reason: "invalid-capability" };
  if (original.revoked || original.expired) return { allowed: false, reason: "gone" };
  return { allowed: true };
}

export type MessageReadDecision =
  | { allowed: true; recipientIndex: string | null }
  | { allowed: false; reason: "gone" | "sign-in-required" | "not-a-recipient" };

export function messageReadDecision(
  message: { active: boolean; recipientIndexes: readonly string[] },
  reader: { emailIndex: string } | null,
): MessageReadDecision {
  if (!message.active) return { allowed: false, reason: "gone" };
  if (message.recipientIndexes.length === 0) return { allowed: true, recipientIndex: null };
  if (!reader) return { allowed: false, reason: "sign-in-required" };
  if (!message.recipientIndexes.includes(reader.emailIndex)) return { allowed: false, reason: "not-a-recipient" };
  return { allowed: true, recipientIndex: reader.emailIndex };
}

/** A connected mailbox is its user's alone: nobody else, not even an Admin, sees or changes it. */
export function canManageMailboxConnection(user: Principal, connection: { userId: string }): boolean {
  return connection.userId === user.id;
}
