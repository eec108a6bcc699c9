import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { CompletedReplyDto, CreatedReplyDto, CreateReplyBody } from "../../shared/protocol/messages";
import { MAX_REPLIES_PER_CAPABILITY, MAX_REPLIES_PER_MESSAGE } from "../../shared/protocol/messages";
import { replyDecision } from "../access/policy";
import { ProblemError, problems } from "../http/problem";
import { problemTypes } from "../../shared/protocol/problem";
import type { KeyRing } from "../keys/key-ring";
import type { MessageRepository } from "./message-repository";
import type { MessageService } from "./message-service";
import { messageStatus, type MessageRecord } from "./model";
import { issueUploadTicket, uploadTicketValid, verifyReplyCapability } from "./reply-capability";
import type { ReplyRepository } from "./reply-repository";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReplyServiceDeps {
  service: MessageService;
  messages: MessageRepository;
  replies: ReplyRepository;
  keys: KeyRing;
  senders: (orgId: string, userId: string) => Promise<{ displayName: string; email: string } | undefined>;
  publicUrl: string;
  maxMessageBytes: number;
  now: () => Date;
}

/**
 * Secure replies (docs/MESSAGES.md). The replier may be anonymous: a reply capability from Open
 * authorizes creating a reply to that one message, and the upload ticket returned here authorizes
 * uploading that one reply. The server fills in the only recipient — the original's sender — so
 * the replier never chooses who can read it, and it never sees the reply's key.
 */
export class ReplyService {
  constructor(private readonly deps: ReplyServiceDeps) {}

  async create(messageId: string, body: Required<Omit<CreateReplyBody, "capability">> & { capability: string }): Promise<CreatedReplyDto> {
    const now = this.deps.now();
    const capability = verifyReplyCapability(this.deps.keys, messageId, body.capability, now);
    const original = await this.deps.messages.find(messageId);
    const open = capability ? await this.deps.replies.findOpen(messageId, capability.openId) : undefined;
    const decision = replyDecision(
      original ? { revoked: original.revokedAt !== null, expired: Date.parse(original.expiresAt) <= now.getTime(), isReply: original.inReplyTo !== null } : undefined,
      open !== undefined,
    );
    if (!decision.allowed) {
      if (decision.reason === "gone") throw new ProblemError(410, problemTypes.expired, "This message no longer accepts replies", "It has expired or the sender revoked it.");
      throw problems.forbidden("The reply capability is not valid for this message. Open the message again to reply.");
    }
    if (!original || !open) throw problems.notFound("The message"); // unreachable: the decision needs both
    const sender = await this.deps.senders(original.orgId, original.senderId);
    if (!sender) throw new ProblemError(410, problemTypes.expired, "This message no longer accepts replies", "Its sender's account no longer exists.");
    const id = randomUUID();
    const result = await this.deps.replies.create(
      {
        id,
        originalId: messageId,
        openId: open.id,
        orgId: original.orgId,
        senderId: original.senderId,
        partCount: body.partCount,
        maxOpens: body.maxOpens,
        expiresAt: new Date(now.getTime() + body.expiresInDays * DAY_MS).toISOString(),
        recipient: await this.deps.service.recipientEntry(original.orgId, id, sender.email),
      },
      { perCapability: MAX_REPLIES_PER_CAPABILITY, perMessage: MAX_REPLIES_PER_MESSAGE },
    );
    if (!result.ok) {
      if (result.reason === "gone") throw new ProblemError(410, problemTypes.expired, "This message no longer accepts replies", "It has expired or the sender revoked it.");
      throw problems.conflict("No more replies are allowed", `A message accepts ${MAX_REPLIES_PER_CAPABILITY} replies per opening and ${MAX_REPLIES_PER_MESSAGE} in all.`);
    }
    const { ticket, expiresAt } = issueUploadTicket(this.deps.keys, id, now);
    return {
      reply: { id, url: `${this.deps.publicUrl}/m/${id}`, expiresAt: result.record.expiresAt },
      uploadTicket: ticket,
      uploadTicketExpiresAt: expiresAt.toISOString(),
      maxMessageBytes: this.deps.maxMessageBytes,
    };
  }

  async uploadPart(replyId: string, index: number, ticket: string, body: Readable): Promise<{ index: number; size: number; messageBytes: number }> {
    return this.deps.service.acceptPart(await this.uploading(replyId, ticket), index, body);
  }

  async complete(replyId: string, ticket: string): Promise<CompletedReplyDto> {
    const done = await this.deps.service.finishUpload(await this.uploading(replyId, ticket));
    return { id: done.id, url: `${this.deps.publicUrl}/m/${done.id}`, expiresAt: done.expiresAt, status: messageStatus(done, this.deps.now()) };
  }

  /** The reply the ticket was issued for; any other message id, or a forged or expired ticket, gets nothing. */
  private async uploading(replyId: string, ticket: string): Promise<MessageRecord> {
    if (!uploadTicketValid(this.deps.keys, replyId, ticket, this.deps.now())) throw problems.forbidden("The upload ticket is not valid or has expired.");
    const reply = await this.deps.messages.find(replyId);
    if (!reply || reply.inReplyTo === null) throw problems.notFound("The reply");
    return reply;
  }
}
