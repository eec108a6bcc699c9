import { z } from "zod";
import { certSchema } from "./certs";
import { idSchema } from "./organizations";

/** Wire schemas of the change feed, its event stream, and mailbox sync (docs/SYNC.md). */

/** "joined": the caller joined a location that owns or received the cert (it is older than the join). */
export const changeKindSchema = z.enum(["created", "updated", "shared", "received", "joined"]);
export type ChangeKind = z.infer<typeof changeKindSchema>;

export const getChangesQuerySchema = z.object({
  /** The cursor of the previous answer; absent → from the beginning of the feed. */
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** true → no items, only a cursor at the newest change (start watching from now). */
  latest: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
});
export type GetChangesQuery = z.input<typeof getChangesQuerySchema>;

export const changeListSchema = z
  .object({
    items: z.array(z.object({ cert: certSchema, kinds: z.array(changeKindSchema).min(1) })),
    cursor: z.string(),
    /** true → call again at once with `cursor`; false → caught up. */
    hasMore: z.boolean(),
  })
  .meta({ id: "ChangeList" });
export type ChangeList = z.infer<typeof changeListSchema>;

/** EventSource cannot send headers: a short-lived, single-use ticket goes in the stream URL instead. */
export const streamTicketSchema = z.object({ ticket: z.string(), url: z.string(), expiresAt: z.string() }).meta({ id: "StreamTicket" });
export type StreamTicket = z.infer<typeof streamTicketSchema>;
export const streamQuerySchema = z.object({ ticket: z.string().min(1).max(400) });

export const mailboxProviderSchema = z.enum(["graph", "gmail"]);
export type MailboxProvider = z.infer<typeof mailboxProviderSchema>;

export const mailboxConnectionSchema = z
  .object({
    id: idSchema,
    provider: mailboxProviderSchema,
    /** "needs-user": consent was revoked or expired; connect again. */
    status: z.enum(["active", "needs-user"]),
    lastSyncAt: z.string().nullable(),
    lastError: z.string().nullable(),
    /** Records that failed in the last 14 days: ids and error names only, never content. */
    failures: z.array(z.object({ recordId: z.string(), errorName: z.string(), failedAt: z.string() })),
  })
  .meta({ id: "MailboxConnection" });
export type MailboxConnection = z.infer<typeof mailboxConnectionSchema>;
export const mailboxConnectionListSchema = z.object({ items: z.array(mailboxConnectionSchema) }).meta({ id: "MailboxConnectionList" });

/** The OAuth authorization code (offline access) the pane obtained from the provider. */
export const connectMailboxBodySchema = z
  .object({ provider: mailboxProviderSchema, code: z.string().min(1).max(4000), redirectUri: z.url().max(2000), codeVerifier: z.string().min(43).max(128).optional() })
  .strict();
export type ConnectMailboxBody = z.infer<typeof connectMailboxBodySchema>;
export const connectionIdParamsSchema = z.object({ connectionId: idSchema });

/**
 * Connecting from the pane (docs/SYNC.md, "Connecting a mailbox"): the backend starts the
 * provider's authorization-code flow and answers the URL to open; the provider sends the browser
 * back to the callback, which finishes the connection on the server.
 */
export const beginMailboxAuthorizationBodySchema = z.object({ provider: mailboxProviderSchema }).strict();
export type BeginMailboxAuthorizationBody = z.infer<typeof beginMailboxAuthorizationBodySchema>;
export const mailboxAuthorizationSchema = z
  .object({
    /** The provider's consent page; open it in a browser window. Single use, bound to the caller. */
    authorizeUrl: z.url(),
    /** After this the callback refuses it; start again. */
    expiresAt: z.string(),
  })
  .meta({ id: "MailboxAuthorization" });
export type MailboxAuthorization = z.infer<typeof mailboxAuthorizationSchema>;

/** What a provider's redirect may carry (RFC 6749 §4.1.2 and §4.1.2.1); other parameters are ignored. */
export const mailboxCallbackQuerySchema = z.object({
  state: z.string().min(1).max(200).optional(),
  code: z.string().min(1).max(4000).optional(),
  error: z.string().min(1).max(200).optional(),
});
