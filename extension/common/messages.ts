import { z } from "zod";

// Extension pages and content scripts run under `script-src 'self'` (no eval): tell zod not to
// probe for `new Function`, which would log a CSP violation on every start.
z.config({ jitless: true });

/**
 * Every message that crosses a boundary inside the extension, as zod schemas: each receiver parses
 * what it gets and drops (and logs) anything that does not match. Two channels:
 *
 * - runtime messages to the service worker (`workerRequestSchema`): sign-in and token questions from
 *   the sidebar page, view-miss reports from the content script;
 * - the port between the sidebar frame and the content script of its Gmail tab
 *   (`toContentSchema` / `toSidebarSchema`): the Host calls and the Gmail item.
 */

// --- service worker ---

export const workerRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("auth/get-token") }),
  z.object({ type: z.literal("auth/get-account") }),
  z.object({ type: z.literal("auth/sign-in"), forceAccountChoice: z.boolean().optional() }),
  z.object({ type: z.literal("auth/sign-out") }),
  /** The content script could not read the Gmail view; `reason` is one of our own miss codes, never content. */
  z.object({ type: z.literal("diagnostics/view-miss"), reason: z.string().max(200), view: z.string().max(40) }),
]);
export type WorkerRequest = z.infer<typeof workerRequestSchema>;

export const accountSchema = z.object({ subject: z.string(), email: z.string().optional(), name: z.string().optional() });

export const workerResponseSchemas = {
  "auth/get-token": z.object({ token: z.string().nullable() }),
  "auth/get-account": z.object({ account: accountSchema.nullable() }),
  "auth/sign-in": z.union([
    z.object({ outcome: z.enum(["signed-in", "cancelled"]) }),
    z.object({ error: z.string() }),
  ]),
  "auth/sign-out": z.object({ ok: z.literal(true) }),
  "diagnostics/view-miss": z.object({ ok: z.literal(true) }),
} as const satisfies Record<WorkerRequest["type"], z.ZodType>;

export type WorkerResponse<T extends WorkerRequest["type"]> = z.infer<(typeof workerResponseSchemas)[T]>;

// --- mail items (mirrors shared/host/host.ts, which is types only) ---

const emailAddressSchema = z.object({ address: z.string(), name: z.string().optional() });
const attachmentInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  isInline: z.boolean(),
});
const itemBase = {
  key: z.string(),
  conversationId: z.string().nullable(),
  subject: z.string(),
  to: z.array(emailAddressSchema).readonly(),
  cc: z.array(emailAddressSchema).readonly(),
  attachments: z.array(attachmentInfoSchema).readonly(),
};
export const mailItemSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("read"),
    ...itemBase,
    hostItemId: z.string(),
    internetMessageId: z.string(),
    from: emailAddressSchema,
    receivedAt: z.string(),
  }),
  z.object({
    kind: z.literal("compose"),
    ...itemBase,
    hostItemId: z.string().nullable(),
    inReplyToInternetMessageId: z.string().nullable(),
  }),
]);

// --- HTML for the compose body, as a tree (never an HTML string inside Gmail: Trusted Types) ---

export const allowedTags = ["p", "br", "strong", "b", "em", "i", "a", "span", "div", "ul", "ol", "li"] as const;
export type HtmlNode = string | { readonly tag: (typeof allowedTags)[number]; readonly href?: string; readonly children: readonly HtmlNode[] };
export const htmlNodeSchema: z.ZodType<HtmlNode> = z.lazy(() =>
  z.union([
    z.string(),
    z.object({
      tag: z.enum(allowedTags),
      href: z.url({ protocol: /^https?$/ }).optional(),
      children: z.array(htmlNodeSchema).max(500),
    }),
  ]),
);

// --- port: sidebar frame ⇄ content script ---

export const PANE_PORT_PREFIX = "smartcert-pane:";

export const paneCallSchema = z.discriminatedUnion("method", [
  z.object({ method: z.literal("getBodyText"), itemKey: z.string() }),
  z.object({ method: z.literal("getAttachment"), itemKey: z.string(), attachmentId: z.string() }),
  z.object({ method: z.literal("insertIntoCompose"), nodes: z.array(htmlNodeSchema).max(500) }),
  z.object({ method: z.literal("openReply"), nodes: z.array(htmlNodeSchema).max(500), replyAll: z.boolean() }),
]);
export type PaneCall = z.infer<typeof paneCallSchema>;

export const toContentSchema = z.object({ type: z.literal("call"), id: z.number().int(), call: paneCallSchema });
export type ToContent = z.infer<typeof toContentSchema>;

export const hostErrorCodeSchema = z.enum(["not-supported", "no-item", "item-not-current", "wrong-item-kind", "not-found", "failed"]);

export const toSidebarSchema = z.discriminatedUnion("type", [
  /** The current Gmail item (null: none, or a view the selectors could not read — then `miss` says why). */
  z.object({ type: z.literal("item"), item: mailItemSchema.nullable(), miss: z.string().nullable() }),
  z.object({ type: z.literal("result"), id: z.number().int(), text: z.string().optional(), contentType: z.string().optional() }),
  z.object({ type: z.literal("error"), id: z.number().int(), code: hostErrorCodeSchema, message: z.string() }),
  /** One piece of an attachment being streamed for call `id`, base64; the `result` for `id` ends it. */
  z.object({ type: z.literal("chunk"), id: z.number().int(), base64: z.string() }),
  /** A Gmail toolbar button was pressed. */
  z.object({ type: z.literal("command"), command: z.enum(["share-cert", "insert-cert", "send-securely"]) }),
]);
export type ToSidebar = z.infer<typeof toSidebarSchema>;
