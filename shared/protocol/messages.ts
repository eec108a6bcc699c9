import { z } from "zod";
import { idSchema } from "./organizations";

/**
 * End-to-end encrypted messages (docs/ENCRYPTION.md). The server sees ciphertext parts and policy
 * only; the key travels in the link's fragment and appears in no schema here.
 */
export const MESSAGE_EXPIRY_DAYS = { default: 7, max: 30 } as const;
export const MAX_MESSAGE_PARTS = 1000;
export const MAX_MESSAGE_RECIPIENTS = 50;

/** The public Argon2id parameters and salt of a passphrase message (the reader repeats the derivation). */
export const passphraseKdfSchema = z
  .object({
    algorithm: z.literal("argon2id"),
    memoryKiB: z.number().int().min(19 * 1024).max(256 * 1024),
    iterations: z.number().int().min(1).max(10),
    parallelism: z.number().int().min(1).max(4),
    salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/, "16 bytes as unpadded base64url"),
  })
  .meta({ id: "PassphraseKdf" });
export type PassphraseKdfDto = z.infer<typeof passphraseKdfSchema>;

export const createMessageBodySchema = z
  .object({
    /** Part 0 is the encrypted manifest, parts 1… the files. */
    partCount: z.number().int().min(1).max(MAX_MESSAGE_PARTS),
    expiresInDays: z.number().int().min(1).max(MESSAGE_EXPIRY_DAYS.max).default(MESSAGE_EXPIRY_DAYS.default),
    maxOpens: z.number().int().min(1).max(10_000).nullable().default(null),
    /** When non-empty, the reader must sign in with a verified email from this list. */
    recipients: z.array(z.email().max(254)).max(MAX_MESSAGE_RECIPIENTS).default([]),
    /** Present exactly when the message needs a passphrase. */
    passphrase: passphraseKdfSchema.nullable().default(null),
  })
  .strict();
export type CreateMessageBody = z.input<typeof createMessageBodySchema>;

export const messageStatusSchema = z.enum(["uploading", "active", "opened-out", "expired", "revoked"]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const messageOpenSchema = z.object({
  openedAt: z.string(),
  /** The verified email the reader signed in with, when the message required sign-in. */
  recipient: z.string().nullable(),
});

/** A reply to one of the caller's messages, as the sender's list shows it (its key is never here). */
export const sentReplySchema = z
  .object({
    id: idSchema,
    status: messageStatusSchema,
    createdAt: z.string(),
    expiresAt: z.string(),
    maxOpens: z.number().int().nullable(),
    openCount: z.number().int(),
    /** The verified email of the replier, when the original required sign-in; otherwise unknown. */
    from: z.string().nullable(),
  })
  .meta({ id: "SentReply" });
export type SentReplyDto = z.infer<typeof sentReplySchema>;

export const sentMessageSchema = z
  .object({
    id: idSchema,
    url: z.string(),
    status: messageStatusSchema,
    createdAt: z.string(),
    expiresAt: z.string(),
    maxOpens: z.number().int().nullable(),
    openCount: z.number().int(),
    recipients: z.array(z.string()),
    passphraseRequired: z.boolean(),
    partCount: z.number().int(),
    ciphertextBytes: z.number().int(),
    revokedAt: z.string().nullable(),
    opens: z.array(messageOpenSchema),
    /** Secure replies to this message, newest first. Optional on the wire: a reply itself has none. */
    replies: z.array(sentReplySchema).optional(),
  })
  .meta({ id: "SentMessage" });
export type SentMessageDto = z.infer<typeof sentMessageSchema>;
export const sentMessageListSchema = z.object({ items: z.array(sentMessageSchema) });

export const createdMessageSchema = z
  .object({ message: sentMessageSchema, maxMessageBytes: z.number().int() })
  .meta({ id: "CreatedMessage" });

export const messageParamsSchema = z.object({ messageId: idSchema });
export const messagePartParamsSchema = z.object({ messageId: idSchema, index: z.coerce.number().int().min(0).max(MAX_MESSAGE_PARTS - 1) });
export const partUploadResultSchema = z.object({ index: z.number().int(), size: z.number().int(), messageBytes: z.number().int() });

/** What the reader needs before the explicit Open — everything but the key; GET, counts nothing. */
export const messageEnvelopeSchema = z
  .object({
    id: idSchema,
    expiresAt: z.string(),
    passphrase: passphraseKdfSchema.nullable(),
    signInRequired: z.boolean(),
    partCount: z.number().int(),
    partSizes: z.array(z.number().int()),
    opensLeft: z.number().int().nullable(),
  })
  .meta({ id: "MessageEnvelope" });
export type MessageEnvelopeDto = z.infer<typeof messageEnvelopeSchema>;

/** Replies one reply capability allows, and replies one message accepts in all (docs/MESSAGES.md). */
export const MAX_REPLIES_PER_CAPABILITY = 3;
export const MAX_REPLIES_PER_MESSAGE = 20;

/** Who sent a message: told to a reader who holds the link and opened it, so they can reply (docs/MESSAGES.md). */
export const messageSenderSchema = z.object({ displayName: z.string(), email: z.string() }).meta({ id: "MessageSender" });
export type MessageSenderDto = z.infer<typeof messageSenderSchema>;

/** The capability to reply securely, bound to this message and this open; valid until the message expires. */
export const replyCapabilitySchema = z
  .object({ token: z.string(), expiresAt: z.string(), repliesLeft: z.number().int() })
  .meta({ id: "ReplyCapability" });
export type ReplyCapabilityDto = z.infer<typeof replyCapabilitySchema>;

/** The result of the explicit Open (POST): a short-lived ticket to fetch this message's ciphertext parts. */
export const openedMessageSchema = z
  .object({
    envelope: messageEnvelopeSchema,
    ticket: z.string(),
    ticketExpiresAt: z.string(),
    /** The sender of an original message; null for a reply (its replier may be anonymous). */
    sender: messageSenderSchema.nullable().default(null),
    /** Null when this message cannot be replied to (it is itself a reply). */
    reply: replyCapabilitySchema.nullable().default(null),
    /** The message this one answers, when it is a reply. */
    inReplyTo: idSchema.nullable().default(null),
  })
  .meta({ id: "OpenedMessage" });
export type OpenedMessageDto = z.infer<typeof openedMessageSchema>;

export const partDownloadQuerySchema = z.object({ ticket: z.string().min(1).max(300) });

/** `createReply`: the capability from Open and the reply's shape; its only recipient is the original's sender. */
export const createReplyBodySchema = z
  .object({
    capability: z.string().min(1).max(300),
    partCount: z.number().int().min(1).max(MAX_MESSAGE_PARTS),
    expiresInDays: z.number().int().min(1).max(MESSAGE_EXPIRY_DAYS.max).default(MESSAGE_EXPIRY_DAYS.default),
    maxOpens: z.number().int().min(1).max(10_000).nullable().default(null),
  })
  .strict();
export type CreateReplyBody = z.input<typeof createReplyBodySchema>;

/** A reply being uploaded: its link (without key) and a ticket that authorizes uploading and completing it. */
export const createdReplySchema = z
  .object({
    reply: z.object({ id: idSchema, url: z.string(), expiresAt: z.string() }),
    uploadTicket: z.string(),
    uploadTicketExpiresAt: z.string(),
    maxMessageBytes: z.number().int(),
  })
  .meta({ id: "CreatedReply" });
export type CreatedReplyDto = z.infer<typeof createdReplySchema>;

export const replyParamsSchema = z.object({ replyId: idSchema });
export const replyPartParamsSchema = z.object({ replyId: idSchema, index: z.coerce.number().int().min(0).max(MAX_MESSAGE_PARTS - 1) });
export const replyTicketQuerySchema = z.object({ ticket: z.string().min(1).max(300) });
export const completedReplySchema = z.object({ id: idSchema, url: z.string(), expiresAt: z.string(), status: messageStatusSchema }).meta({ id: "CompletedReply" });
export type CompletedReplyDto = z.infer<typeof completedReplySchema>;
