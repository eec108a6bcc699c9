import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { problemTypes } from "../../shared/protocol/problem";
import type { MessageEnvelopeDto, MessageSenderDto, OpenedMessageDto, PassphraseKdfDto, SentMessageDto, SentReplyDto } from "../../shared/protocol/messages";
import { MAX_REPLIES_PER_CAPABILITY } from "../../shared/protocol/messages";
import { passphraseKdfSchema } from "../../shared/protocol/messages";
import { canManageMessage, canUploadMessage, messageReadDecision } from "../access/policy";
import { TokenRejected, type TokenVerifier } from "../auth/token-verifier";
import { ProblemError, problems } from "../http/problem";
import type { KeyRing } from "../keys/key-ring";
import { normalizeEmail, type Principal } from "../orgs/model";
import { BlobExistsError, BlobNotFoundError, BlobTooLargeError, type BlobStore } from "../storage/blob-store";
import type { MessageRepository } from "./message-repository";
import { issueReplyCapability } from "./reply-capability";
import type { ReplyRepository } from "./reply-repository";
import { messageStatus, type MessageRecord } from "./model";
import { TICKET_LIFETIME_MS, issueTicket, ticketValid } from "./tickets";

/**
 * The rules of encrypted messages. The server holds ciphertext parts (in a BlobStore, so they are
 * also encrypted at rest under the sender organization's key and written crash-safely) and policy;
 * it never sees the message key. Access decisions come from access/policy.ts.
 */
export interface MessageServiceDeps {
  messages: MessageRepository;
  replies: ReplyRepository;
  /** A sender's display name and email (from the organizations module), for readers who opened their message. */
  senders: (orgId: string, userId: string) => Promise<MessageSenderDto | undefined>;
  blobs: BlobStore;
  keys: KeyRing;
  verifier: TokenVerifier;
  publicUrl: string;
  maxMessageBytes: number;
  now: () => Date;
}

export interface NewMessageInput {
  partCount: number;
  expiresInDays: number;
  maxOpens: number | null;
  recipients: string[];
  passphrase: PassphraseKdfDto | null;
}

const RECIPIENT_INDEX_PURPOSE = "message-recipient-index";
const UPLOAD_GRACE_MS = 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

const gone = (detail: string) => new ProblemError(410, problemTypes.expired, "This message is no longer available", detail);

export class MessageService {
  constructor(private readonly deps: MessageServiceDeps) {}

  async create(user: Principal, input: NewMessageInput): Promise<SentMessageDto> {
    const { messages, now } = this.deps;
    const id = randomUUID();
    const unique = [...new Set(input.recipients.map(normalizeEmail))];
    const recipients = await Promise.all(unique.map((email) => this.recipientEntry(user.orgId, id, email)));
    const record = await messages.create({
      id,
      orgId: user.orgId,
      senderId: user.id,
      partCount: input.partCount,
      passphraseKdf: input.passphrase ? JSON.stringify(input.passphrase) : null,
      maxOpens: input.maxOpens,
      expiresAt: new Date(now().getTime() + input.expiresInDays * DAY_MS).toISOString(),
      recipients,
    });
    return this.view(record);
  }

  /** Streams one ciphertext part into the store; the whole message may not exceed maxMessageBytes. */
  async uploadPart(user: Principal, messageId: string, index: number, body: Readable): Promise<{ index: number; size: number; messageBytes: number }> {
    const message = await this.managed(user, messageId);
    if (!canUploadMessage(user, message)) throw problems.notFound("The message");
    return this.acceptPart(message, index, body);
  }

  /** Stores one part of a message being uploaded; the caller has authorized the uploader. */
  async acceptPart(message: MessageRecord, index: number, body: Readable): Promise<{ index: number; size: number; messageBytes: number }> {
    const messageId = message.id;
    if (messageStatus(message, this.deps.now()) !== "uploading") throw problems.conflict("This message is no longer accepting uploads");
    if (index >= message.partCount) throw problems.badRequest(`This message has ${message.partCount} parts (0 to ${message.partCount - 1})`);
    const parts = await this.deps.messages.parts(messageId);
    if (parts.some((p) => p.index === index)) throw problems.conflict(`Part ${index} was already uploaded`);
    const used = parts.reduce((sum, p) => sum + p.size, 0);
    const key = blobKey(message, index);
    let size: number;
    try {
      ({ size } = await this.deps.blobs.put(key, body, { maxBytes: this.deps.maxMessageBytes - used }));
    } catch (error) {
      if (error instanceof BlobTooLargeError) throw this.tooLarge();
      if (error instanceof BlobExistsError) throw problems.conflict(`Part ${index} was already uploaded`);
      throw error;
    }
    if (!(await this.deps.messages.addPart(messageId, { index, size }))) throw problems.conflict(`Part ${index} was already uploaded`);
    // Parts uploaded side by side each saw the others' bytes as unused; the total decides.
    const total = (await this.deps.messages.parts(messageId)).reduce((sum, p) => sum + p.size, 0);
    if (total > this.deps.maxMessageBytes) {
      await this.deps.messages.removePart(messageId, index);
      await this.deps.blobs.delete(key);
      throw this.tooLarge();
    }
    return { index, size, messageBytes: total };
  }

  async complete(user: Principal, messageId: string): Promise<SentMessageDto> {
    const message = await this.managed(user, messageId);
    if (!canUploadMessage(user, message)) throw problems.notFound("The message");
    return this.view(await this.finishUpload(message));
  }

  /** Completes an upload once every part is there; the caller has authorized the uploader. */
  async finishUpload(message: MessageRecord): Promise<MessageRecord> {
    const messageId = message.id;
    if (messageStatus(message, this.deps.now()) !== "uploading") throw problems.conflict("This message is not being uploaded");
    const have = new Set((await this.deps.messages.parts(messageId)).map((p) => p.index));
    const missing = Array.from({ length: message.partCount }, (_, i) => i).filter((i) => !have.has(i));
    if (missing.length > 0) throw problems.conflict("Some parts are missing", `Upload parts ${missing.slice(0, 20).join(", ")} first.`);
    if (!(await this.deps.messages.complete(messageId))) throw problems.conflict("This message is not being uploaded");
    return this.reload(messageId);
  }

  /**
   * Revoking is immediate: the ciphertext is deleted now, not at the next sweep. Revoking an
   * original refuses new replies but leaves existing replies alone (they are addressed to the
   * sender, who may revoke each one); a reply is revoked by the original's sender the same way.
   */
  async revoke(user: Principal, messageId: string): Promise<SentMessageDto> {
    const message = await this.managed(user, messageId);
    await this.deps.messages.revoke(messageId);
    await this.deleteCiphertext(message);
    return this.view(await this.reload(messageId));
  }

  async listSent(user: Principal): Promise<SentMessageDto[]> {
    const records = (await this.deps.messages.listBySender(user.id, 200)).filter((m) => canManageMessage(user, m));
    const replies = await this.deps.replies.repliesTo(records.map((m) => m.id));
    const now = this.deps.now();
    return Promise.all(
      records.map(async (m) => {
        const sent = await this.view(m);
        const byIndex = new Map(sent.recipients.map((email) => [this.recipientIndex(email), email]));
        const mine = replies.filter((r) => r.inReplyTo === m.id);
        return { ...sent, replies: mine.map((r): SentReplyDto => ({ id: r.id, status: messageStatus(r, now), createdAt: r.createdAt, expiresAt: r.expiresAt, maxOpens: r.maxOpens, openCount: r.openCount, from: r.fromIndex ? (byIndex.get(r.fromIndex) ?? null) : null })) };
      }),
    );
  }

  /** For the reader before Open: counts nothing, consumes nothing. */
  async envelope(messageId: string): Promise<MessageEnvelopeDto> {
    const message = await this.readable(messageId);
    return this.toEnvelope(message);
  }

  /**
   * The explicit Open: checks the recipient restriction against a verified sign-in, counts the
   * open (atomically, never beyond max opens), records when and which identity, and returns a
   * ticket for the ciphertext parts.
   */
  async open(messageId: string, bearer: string | undefined): Promise<OpenedMessageDto> {
    const message = await this.readable(messageId);
    const recipientIndexes = message.signInRequired ? (await this.deps.messages.recipients(messageId)).map((r) => r.emailIndex) : [];
    const identity = message.signInRequired && bearer ? await this.identify(bearer) : null;
    const decision = messageReadDecision({ active: true, recipientIndexes }, identity);
    if (!decision.allowed) {
      switch (decision.reason) {
        case "sign-in-required":
          throw problems.unauthenticated("This message can only be opened after signing in with the email address it was sent to.");
        case "not-a-recipient":
          throw problems.forbidden("This message was not sent to the account you signed in with. Sign in with the address it was sent to.");
        case "gone":
          throw gone("It has expired, was revoked, or was opened the allowed number of times.");
      }
    }
    const openId = await this.deps.messages.recordOpen(messageId, identity && decision.recipientIndex ? { issuer: identity.issuer, subject: identity.subject, recipientIndex: decision.recipientIndex } : null);
    if (!openId) throw gone("It has expired, was revoked, or was opened the allowed number of times.");
    const { ticket, expiresAt } = issueTicket(this.deps.keys, messageId, this.deps.now());
    // Whoever holds the link and opened the message may learn who sent it and reply to them; a
    // reply is not replied to (its replier may be anonymous): the sender writes a new message.
    const original = message.inReplyTo === null;
    const sender = original ? ((await this.deps.senders(message.orgId, message.senderId)) ?? null) : null;
    const reply = original && sender
      ? { token: issueReplyCapability(this.deps.keys, messageId, openId, new Date(message.expiresAt)), expiresAt: message.expiresAt, repliesLeft: MAX_REPLIES_PER_CAPABILITY }
      : null;
    return { envelope: await this.toEnvelope(await this.reload(messageId)), ticket, ticketExpiresAt: expiresAt.toISOString(), sender, reply, inReplyTo: message.inReplyTo };
  }

  /** A ciphertext part, for the holder of a ticket from Open. */
  async openPart(messageId: string, index: number, ticket: string): Promise<{ stream: Readable; size: number }> {
    const now = this.deps.now();
    if (!ticketValid(this.deps.keys, messageId, ticket, now)) throw problems.forbidden("The download ticket is not valid or has expired; open the message again.");
    const message = await this.deps.messages.find(messageId);
    if (!message) throw problems.notFound("The message");
    const status = messageStatus(message, now);
    // An opened-out message stays downloadable for the ticket holders until the sweep's grace ends.
    if ((status !== "active" && status !== "opened-out") || message.ciphertextDeletedAt) throw gone("It has expired or was revoked.");
    const part = (await this.deps.messages.parts(messageId)).find((p) => p.index === index);
    if (!part) throw problems.notFound("The part");
    try {
      return { stream: await this.deps.blobs.open(blobKey(message, index)), size: part.size };
    } catch (error) {
      if (error instanceof BlobNotFoundError) throw gone("Its content was deleted.");
      throw error;
    }
  }

  /** Deletes the ciphertext of revoked, expired, opened-out and abandoned messages. Returns how many. */
  async sweep(): Promise<number> {
    const due = await this.deps.messages.findSweepable(TICKET_LIFETIME_MS, UPLOAD_GRACE_MS, SWEEP_BATCH);
    for (const message of due) await this.deleteCiphertext(message);
    return due.length;
  }

  private async deleteCiphertext(message: { id: string; orgId: string; partCount: number }): Promise<void> {
    for (let index = 0; index < message.partCount; index++) await this.deps.blobs.delete(blobKey(message, index));
    await this.deps.messages.markCiphertextDeleted(message.id);
  }

  /** A message a reader may see now; a gone one has its ciphertext deleted on the spot (check on access). */
  private async readable(messageId: string): Promise<MessageRecord> {
    const message = await this.deps.messages.find(messageId);
    if (!message) throw problems.notFound("The message");
    const status = messageStatus(message, this.deps.now());
    if (status === "uploading") throw problems.notFound("The message");
    if (status !== "active") {
      if ((status === "revoked" || status === "expired") && !message.ciphertextDeletedAt) await this.deleteCiphertext(message);
      throw gone(status === "opened-out" ? "It was opened the allowed number of times." : status === "revoked" ? "The sender revoked it." : "It has expired.");
    }
    return message;
  }

  private async identify(bearer: string): Promise<{ issuer: string; subject: string; emailIndex: string }> {
    try {
      const identity = await this.deps.verifier.verify(bearer);
      if (!identity.email || identity.emailVerified === false) throw problems.forbidden("The sign-in did not include a verified email address.");
      return { issuer: identity.issuer, subject: identity.subject, emailIndex: this.recipientIndex(identity.email) };
    } catch (error) {
      if (error instanceof TokenRejected) throw problems.unauthenticated();
      throw error;
    }
  }

  recipientIndex(email: string): string {
    return this.deps.keys.globalHmac(RECIPIENT_INDEX_PURPOSE, normalizeEmail(email));
  }

  /** A recipient row: the blind index for the sign-in check, the email under the organization's key for the sender's list. */
  async recipientEntry(orgId: string, messageId: string, email: string): Promise<{ emailIndex: string; emailCiphertext: string }> {
    return { emailIndex: this.recipientIndex(email), emailCiphertext: await this.deps.keys.encryptField(orgId, `message-recipient:${messageId}`, normalizeEmail(email)) };
  }

  private async managed(user: Principal, messageId: string): Promise<MessageRecord> {
    const message = await this.deps.messages.find(messageId);
    if (!message || !canManageMessage(user, message)) throw problems.notFound("The message");
    return message;
  }

  async reload(messageId: string): Promise<MessageRecord> {
    const message = await this.deps.messages.find(messageId);
    if (!message) throw problems.notFound("The message");
    return message;
  }

  private tooLarge(): ProblemError {
    const mb = Math.floor(this.deps.maxMessageBytes / (1024 * 1024));
    return new ProblemError(413, problemTypes.payloadTooLarge, "The message is too large", `An encrypted message may be at most ${mb} MB in total.`);
  }

  private async toEnvelope(message: MessageRecord): Promise<MessageEnvelopeDto> {
    const parts = await this.deps.messages.parts(message.id);
    return {
      id: message.id,
      expiresAt: message.expiresAt,
      passphrase: message.passphraseKdf ? passphraseKdfSchema.parse(JSON.parse(message.passphraseKdf)) : null,
      signInRequired: message.signInRequired,
      partCount: message.partCount,
      partSizes: parts.map((p) => p.size),
      opensLeft: message.maxOpens === null ? null : Math.max(0, message.maxOpens - message.openCount),
    };
  }

  private async view(message: MessageRecord): Promise<SentMessageDto> {
    const [recipients, opens, parts] = await Promise.all([this.deps.messages.recipients(message.id), this.deps.messages.opens(message.id), this.deps.messages.parts(message.id)]);
    const emails = new Map<string, string>();
    for (const r of recipients) emails.set(r.emailIndex, await this.deps.keys.decryptField(message.orgId, `message-recipient:${message.id}`, r.emailCiphertext));
    return {
      id: message.id,
      url: `${this.deps.publicUrl}/m/${message.id}`,
      status: messageStatus(message, this.deps.now()),
      createdAt: message.createdAt,
      expiresAt: message.expiresAt,
      maxOpens: message.maxOpens,
      openCount: message.openCount,
      recipients: [...emails.values()].sort(),
      passphraseRequired: message.passphraseKdf !== null,
      partCount: message.partCount,
      ciphertextBytes: parts.reduce((sum, p) => sum + p.size, 0),
      revokedAt: message.revokedAt,
      opens: opens.map((o) => ({ openedAt: o.openedAt, recipient: o.recipientIndex ? (emails.get(o.recipientIndex) ?? null) : null })),
    };
  }
}

function blobKey(message: { id: string; orgId: string }, index: number) {
  return { orgId: message.orgId, documentId: message.id, version: index + 1 };
}
