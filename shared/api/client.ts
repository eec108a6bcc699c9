import { z } from "zod";
import {
  auditEventListSchema,
  certListSchema,
  certSchema,
  conversationSharesSchema,
  publicLinkPreviewSchema,
  publicLinkSchema,
  shareSchema,
  type Cert,
  type CertScope,
  type CreateCertBody,
  type PublicLinkPreview,
  type Share,
  type ShareCertBody,
  type UpdateCertBody,
} from "../protocol/certs";
import { clientConfigSchema, type ClientConfig } from "../protocol/client-config";
import { documentListSchema, documentUrlSchema, type DocumentDto } from "../protocol/documents";
import { completedReplySchema, createdMessageSchema, createdReplySchema, messageEnvelopeSchema, openedMessageSchema, partUploadResultSchema, sentMessageListSchema, sentMessageSchema, type CompletedReplyDto, type CreatedReplyDto, type CreateMessageBody, type CreateReplyBody, type MessageEnvelopeDto, type OpenedMessageDto, type SentMessageDto } from "../protocol/messages";
import { networkSearchResultSchema, userHandleSchema, type NetworkSearchResult, type UserHandle } from "../protocol/network";
import {
  locationListSchema,
  locationSchema,
  meSchema,
  userListSchema,
  userSchema,
  type CreateLocationBody,
  type InviteUserBody,
  type Location,
  type Me,
  type UpdateUserBody,
  type User,
} from "../protocol/organizations";
import { problemSchema } from "../protocol/problem";
import { changeListSchema, mailboxAuthorizationSchema, mailboxConnectionListSchema, mailboxConnectionSchema, streamTicketSchema, type ChangeList, type ConnectMailboxBody, type MailboxAuthorization, type MailboxConnection, type MailboxProvider, type StreamTicket } from "../protocol/sync";
import { ApiError, clientProblemTypes, createRequester, type ApiClientOptions, type RequestOptions } from "./http";
import { uploadDocument, type UploadOptions, type UploadResult } from "./upload";

/**
 * Typed client for the SmartCert HTTP API (`/api/v1`), one method per operationId. Every response
 * is parsed with the wire schema the backend validates with (shared/protocol), so a drift fails
 * loudly here rather than deep in the UI. Failures are `ApiError`s carrying an RFC 9457 Problem.
 */
export { ApiError, clientProblemTypes, isApiError, type ApiClientOptions, type RequestOptions } from "./http";

export interface ItemList<T> {
  readonly items: T[];
}

export type AuditEvent = z.infer<typeof auditEventListSchema>["items"][number];

export interface ApiClient {
  getClientConfig(options?: RequestOptions): Promise<ClientConfig>;
  getMe(options?: RequestOptions): Promise<Me>;
  listLocations(options?: RequestOptions): Promise<ItemList<Location>>;
  createLocation(body: CreateLocationBody, options?: RequestOptions): Promise<Location>;
  listUsers(options?: RequestOptions): Promise<ItemList<User>>;
  inviteUser(body: InviteUserBody, options?: RequestOptions): Promise<User>;
  updateUser(id: string, body: UpdateUserBody, options?: RequestOptions): Promise<User>;

  createCert(body: Partial<CreateCertBody> & { title: string }, options?: RequestOptions): Promise<Cert>;
  getCert(certId: string, options?: RequestOptions): Promise<Cert>;
  listCerts(query: { q?: string; scope?: CertScope; limit?: number; cursor?: string }, options?: RequestOptions): Promise<{ items: Cert[]; nextCursor: string | null }>;
  updateCert(certId: string, body: UpdateCertBody, options?: RequestOptions): Promise<Cert>;
  shareCert(certId: string, body: ShareCertBody, options?: RequestOptions): Promise<Share>;
  setPublicLink(certId: string, enabled: boolean, options?: RequestOptions): Promise<{ enabled: boolean; url: string | null }>;
  acceptPublicLink(token: string, options?: RequestOptions): Promise<Cert>;
  /** What a live public link shows before it is saved (no sign-in needed); 404 when it is off. */
  previewPublicLink(token: string, options?: RequestOptions): Promise<PublicLinkPreview>;
  /** The QR code of the cert's public link as SVG markup (409 when the link is off). */
  getCertQrSvg(certId: string, options?: RequestOptions): Promise<string>;
  copyCert(certId: string, options?: RequestOptions): Promise<Cert>;
  listCertActivity(certId: string, options?: RequestOptions): Promise<ItemList<AuditEvent>>;
  listSharesForConversation(conversationRef: string, options?: RequestOptions): Promise<ItemList<{ certId: string; title: string; sharedAt: string }>>;

  listDocuments(certId: string, options?: RequestOptions): Promise<ItemList<DocumentDto>>;
  getDocumentUrl(certId: string, documentId: string, version?: number, options?: RequestOptions): Promise<{ url: string; expiresAt: string }>;
  /** Multipart upload with progress and cancel (XMLHttpRequest: fetch reports no upload progress). */
  uploadDocument(certId: string, file: Blob, fileName: string, options?: UploadOptions): Promise<UploadResult>;

  searchNetwork(q: string, options?: RequestOptions): Promise<NetworkSearchResult>;
  /** The network user with exactly this email, or an ApiError with status 404. */
  lookupUserByEmail(email: string, options?: RequestOptions): Promise<UserHandle>;

  // Encrypted messages (docs/ENCRYPTION.md): ciphertext and policy only; the key never appears here.
  createMessage(body: CreateMessageBody, options?: RequestOptions): Promise<{ message: SentMessageDto; maxMessageBytes: number }>;
  /** One ciphertext part as the raw body (application/octet-stream). */
  uploadMessagePart(messageId: string, index: number, ciphertext: Blob, options?: RequestOptions): Promise<{ index: number; size: number; messageBytes: number }>;
  completeMessage(messageId: string, options?: RequestOptions): Promise<SentMessageDto>;
  revokeMessage(messageId: string, options?: RequestOptions): Promise<SentMessageDto>;
  listSentMessages(options?: RequestOptions): Promise<ItemList<SentMessageDto>>;
  /** For the reader before Open; counts nothing. */
  getMessageEnvelope(messageId: string, options?: RequestOptions): Promise<MessageEnvelopeDto>;
  /** The explicit Open (counts it); sends the bearer token when getToken has one (recipient sign-in). */
  openMessage(messageId: string, options?: RequestOptions): Promise<OpenedMessageDto>;
  /** A ciphertext part as a stream, with the ticket from openMessage. */
  downloadMessagePart(messageId: string, index: number, ticket: string, options?: RequestOptions): Promise<ReadableStream<Uint8Array>>;
  /** Secure replies (docs/MESSAGES.md): the capability comes from openMessage, the upload ticket from createReply. */
  createReply(messageId: string, body: CreateReplyBody, options?: RequestOptions): Promise<CreatedReplyDto>;
  uploadReplyPart(replyId: string, index: number, ciphertext: Blob, uploadTicket: string, options?: RequestOptions): Promise<{ index: number; size: number; messageBytes: number }>;
  completeReply(replyId: string, uploadTicket: string, options?: RequestOptions): Promise<CompletedReplyDto>;

  // Change feed and mailbox sync (docs/SYNC.md).
  /** Certs you can see that changed after `cursor` (absent: from the start; `latest`: only the head cursor). */
  getChanges(query: { cursor?: string; limit?: number; latest?: boolean }, options?: RequestOptions): Promise<ChangeList>;
  /** A 60-second, single-use ticket and the URL to open the change stream with EventSource. */
  createStreamTicket(options?: RequestOptions): Promise<StreamTicket>;
  listMailboxConnections(options?: RequestOptions): Promise<ItemList<MailboxConnection>>;
  connectMailbox(body: ConnectMailboxBody, options?: RequestOptions): Promise<MailboxConnection>;
  /** The provider's consent URL for connecting a mailbox; the provider's redirect finishes it on the server. */
  beginMailboxAuthorization(provider: MailboxProvider, options?: RequestOptions): Promise<MailboxAuthorization>;
  disconnectMailbox(connectionId: string, options?: RequestOptions): Promise<void>;
  syncMailbox(connectionId: string, options?: RequestOptions): Promise<void>;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { request, requestText, url, token } = createRequester(options);
  const binary = binaryTransport(options, url, token);
  const id = (value: string) => encodeURIComponent(value);
  const signal = (o?: RequestOptions) => o?.signal;

  return {
    getClientConfig: (o) => request({ method: "GET", path: "/config", schema: clientConfigSchema, authenticated: false, signal: signal(o) }),
    getMe: (o) => request({ method: "GET", path: "/me", schema: meSchema, signal: signal(o) }),
    listLocations: (o) => request({ method: "GET", path: "/locations", schema: locationListSchema, signal: signal(o) }),
    createLocation: (body, o) => request({ method: "POST", path: "/locations", schema: locationSchema, body, signal: signal(o) }),
    listUsers: (o) => request({ method: "GET", path: "/users", schema: userListSchema, signal: signal(o) }),
    inviteUser: (body, o) => request({ method: "POST", path: "/users", schema: userSchema, body, signal: signal(o) }),
    updateUser: (userId, body, o) => request({ method: "PATCH", path: `/users/${id(userId)}`, schema: userSchema, body, signal: signal(o) }),

    createCert: (body, o) => request({ method: "POST", path: "/certs", schema: certSchema, body, signal: signal(o) }),
    getCert: (certId, o) => request({ method: "GET", path: `/certs/${id(certId)}`, schema: certSchema, signal: signal(o) }),
    listCerts: (query, o) => {
      const params = new URLSearchParams();
      const entries: [string, unknown][] = Object.entries(query);
      for (const [key, value] of entries) if ((typeof value === "string" && value !== "") || typeof value === "number") params.set(key, String(value));
      const qs = params.toString();
      return request({ method: "GET", path: `/certs${qs ? `?${qs}` : ""}`, schema: certListSchema, signal: signal(o) });
    },
    updateCert: (certId, body, o) => request({ method: "PATCH", path: `/certs/${id(certId)}`, schema: certSchema, body, signal: signal(o) }),
    shareCert: (certId, body, o) => request({ method: "POST", path: `/certs/${id(certId)}/shares`, schema: shareSchema, body, signal: signal(o) }),
    setPublicLink: (certId, enabled, o) => request({ method: "PUT", path: `/certs/${id(certId)}/public-link`, schema: publicLinkSchema, body: { enabled }, signal: signal(o) }),
    acceptPublicLink: (publicToken, o) => request({ method: "POST", path: "/public-links/accept", schema: certSchema, body: { token: publicToken }, signal: signal(o) }),
    previewPublicLink: (publicToken, o) => request({ method: "POST", path: "/public-links/preview", schema: publicLinkPreviewSchema, body: { token: publicToken }, authenticated: false, signal: signal(o) }),
    getCertQrSvg: (certId, o) => requestText({ method: "GET", path: `/certs/${id(certId)}/qr`, signal: signal(o) }),
    copyCert: (certId, o) => request({ method: "POST", path: `/certs/${id(certId)}/copy`, schema: certSchema, signal: signal(o) }),
    listCertActivity: (certId, o) => request({ method: "GET", path: `/certs/${id(certId)}/activity`, schema: auditEventListSchema, signal: signal(o) }),
    listSharesForConversation: (conversationRef, o) => request({ method: "POST", path: "/conversations/shares", schema: conversationSharesSchema, body: { conversationRef }, signal: signal(o) }),

    listDocuments: (certId, o) => request({ method: "GET", path: `/certs/${id(certId)}/documents`, schema: documentListSchema, signal: signal(o) }),
    getDocumentUrl: (certId, documentId, version, o) =>
      request({ method: "POST", path: `/certs/${id(certId)}/documents/${id(documentId)}/url`, schema: documentUrlSchema, body: version === undefined ? {} : { version }, signal: signal(o) }),
    uploadDocument: async (certId, file, fileName, o) => uploadDocument({ url: url(`/certs/${id(certId)}/documents`), token: await token(), file, fileName, ...o }),

    searchNetwork: (q, o) => request({ method: "GET", path: `/network/search?q=${encodeURIComponent(q)}`, schema: networkSearchResultSchema, signal: signal(o) }),
    lookupUserByEmail: (email, o) => request({ method: "POST", path: "/network/lookup-email", schema: userHandleSchema, body: { email }, signal: signal(o) }),

    createMessage: (body, o) => request({ method: "POST", path: "/messages", schema: createdMessageSchema, body, signal: signal(o) }),
    uploadMessagePart: (messageId, index, ciphertext, o) =>
      binary.send(`/messages/${id(messageId)}/parts/${index}`, ciphertext, signal(o)).then(async (r) => partUploadResultSchema.parse(await r.json())),
    completeMessage: (messageId, o) => request({ method: "POST", path: `/messages/${id(messageId)}/complete`, schema: sentMessageSchema, signal: signal(o) }),
    revokeMessage: (messageId, o) => request({ method: "POST", path: `/messages/${id(messageId)}/revoke`, schema: sentMessageSchema, signal: signal(o) }),
    listSentMessages: (o) => request({ method: "GET", path: "/messages", schema: sentMessageListSchema, signal: signal(o) }),
    getMessageEnvelope: (messageId, o) => request({ method: "GET", path: `/messages/${id(messageId)}/envelope`, schema: messageEnvelopeSchema, authenticated: false, signal: signal(o) }),
    openMessage: (messageId, o) => request({ method: "POST", path: `/messages/${id(messageId)}/open`, schema: openedMessageSchema, signal: signal(o) }),
    downloadMessagePart: (messageId, index, ticket, o) => binary.stream(`/messages/${id(messageId)}/parts/${index}?ticket=${encodeURIComponent(ticket)}`, signal(o)),
    createReply: (messageId, body, o) => request({ method: "POST", path: `/messages/${id(messageId)}/replies`, schema: createdReplySchema, body, authenticated: false, signal: signal(o) }),
    uploadReplyPart: (replyId, index, ciphertext, ticket, o) =>
      binary.send(`/replies/${id(replyId)}/parts/${index}?ticket=${encodeURIComponent(ticket)}`, ciphertext, signal(o)).then(async (r) => partUploadResultSchema.parse(await r.json())),
    completeReply: (replyId, ticket, o) => request({ method: "POST", path: `/replies/${id(replyId)}/complete?ticket=${encodeURIComponent(ticket)}`, schema: completedReplySchema, authenticated: false, signal: signal(o) }),

    getChanges: (query, o) => {
      const params = new URLSearchParams();
      if (query.cursor) params.set("cursor", query.cursor);
      if (query.limit !== undefined) params.set("limit", String(query.limit));
      if (query.latest) params.set("latest", "true");
      const qs = params.toString();
      return request({ method: "GET", path: `/changes${qs ? `?${qs}` : ""}`, schema: changeListSchema, signal: signal(o) });
    },
    createStreamTicket: (o) => request({ method: "POST", path: "/changes/stream-tickets", schema: streamTicketSchema, signal: signal(o) }),
    listMailboxConnections: (o) => request({ method: "GET", path: "/mailboxes", schema: mailboxConnectionListSchema, signal: signal(o) }),
    connectMailbox: (body, o) => request({ method: "POST", path: "/mailboxes", schema: mailboxConnectionSchema, body, signal: signal(o) }),
    beginMailboxAuthorization: (provider, o) => request({ method: "POST", path: "/mailboxes/authorizations", schema: mailboxAuthorizationSchema, body: { provider }, signal: signal(o) }),
    disconnectMailbox: async (connectionId, o) => {
      await request({ method: "POST", path: `/mailboxes/${id(connectionId)}/disconnect`, schema: z.object({ disconnected: z.literal(true) }), signal: signal(o) });
    },
    syncMailbox: async (connectionId, o) => {
      await request({ method: "POST", path: `/mailboxes/${id(connectionId)}/sync`, schema: z.object({ queued: z.literal(true) }), signal: signal(o) });
    },
  };
}

/**
 * Raw bytes for encrypted message parts: an octet-stream upload and a streamed download, with
 * problem+json failures as ApiError like every other call.
 */
function binaryTransport(options: ApiClientOptions, url: (path: string) => string, token: () => Promise<string | null>) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const checked = async (response: Response): Promise<Response> => {
    if (response.ok) return response;
    const parsed = problemSchema.safeParse(await response.json().catch(() => undefined));
    throw new ApiError(parsed.success ? { ...parsed.data, status: response.status } : { type: "about:blank", title: `HTTP ${response.status}`, status: response.status });
  };
  const call = async (path: string, init: RequestInit): Promise<Response> => {
    try {
      return await checked(await doFetch(url(path), init));
    } catch (error) {
      if (error instanceof ApiError || (error instanceof DOMException && error.name === "AbortError")) throw error;
      throw new ApiError({ type: clientProblemTypes.network, title: "The SmartCert service could not be reached.", status: 0 }, { cause: error });
    }
  };
  return {
    send: async (path: string, body: Blob, signal: AbortSignal | undefined) => {
      const bearer = await token();
      const headers: Record<string, string> = { "content-type": "application/octet-stream", accept: "application/json" };
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      return call(path, { method: "PUT", headers, body, ...(signal ? { signal } : {}) });
    },
    stream: async (path: string, signal: AbortSignal | undefined): Promise<ReadableStream<Uint8Array>> => {
      const response = await call(path, { method: "GET", ...(signal ? { signal } : {}) });
      if (!response.body) throw new ApiError({ type: clientProblemTypes.invalidResponse, title: "The SmartCert service sent an empty answer.", status: response.status });
      return response.body;
    },
  };
}
