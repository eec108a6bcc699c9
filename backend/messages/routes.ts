import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Readable } from "node:stream";
import { z } from "zod";
import {
  createMessageBodySchema,
  createdMessageSchema,
  messageEnvelopeSchema,
  messageParamsSchema,
  messagePartParamsSchema,
  openedMessageSchema,
  partDownloadQuerySchema,
  partUploadResultSchema,
  sentMessageListSchema,
  sentMessageSchema,
} from "../../shared/protocol/messages";
import { problemSchema, problemTypes } from "../../shared/protocol/problem";
import { bearerToken, currentUser } from "../auth/authenticate";
import { ProblemError } from "../http/problem";
import { errorResponses, secured } from "../http/route-schemas";
import type { MessageService } from "./message-service";

const tags = ["messages"];

/** Ciphertext is opaque bytes: never rendered, sniffed, cached or given a referrer. */
const CIPHERTEXT_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
};

/**
 * Routes of encrypted messages. Registered in their own plugin scope because the part upload takes
 * the raw request stream (application/octet-stream) straight into the blob store: no body parser
 * buffers it, so the limit is MAX_MESSAGE_MB, not the JSON body limit.
 */
export function messageRoutes(scope: FastifyInstance, deps: { messages: MessageService; guard: preHandlerAsyncHookHandler[]; maxMessageBytes: number }): void {
  const api = scope.withTypeProvider<ZodTypeProvider>();
  const { messages, guard } = deps;
  scope.addContentTypeParser("application/octet-stream", (_request, payload, done) => {
    done(null, payload);
  });

  api.post("/api/v1/messages", {
    preHandler: guard,
    schema: { operationId: "createMessage", tags, security: secured, summary: "Create an encrypted message (policy only); upload its parts next", body: createMessageBodySchema, response: { 201: createdMessageSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const message = await messages.create(currentUser(request), request.body);
      return reply.status(201).send({ message, maxMessageBytes: deps.maxMessageBytes });
    },
  });

  api.put("/api/v1/messages/:messageId/parts/:index", {
    preHandler: guard,
    bodyLimit: deps.maxMessageBytes + 1,
    schema: {
      operationId: "uploadMessagePart", tags, security: secured, params: messagePartParamsSchema,
      summary: "Upload one ciphertext part as the raw body (application/octet-stream), streamed; 413 beyond MAX_MESSAGE_MB for the whole message",
      consumes: ["application/octet-stream"],
      response: { 200: partUploadResultSchema, ...errorResponses, 413: problemSchema, 415: problemSchema },
    },
    handler: async (request) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== "function") throw new ProblemError(415, problemTypes.badRequest, "Unsupported content type", "Send the part as application/octet-stream.");
      return messages.uploadPart(currentUser(request), request.params.messageId, request.params.index, body);
    },
  });

  api.post("/api/v1/messages/:messageId/complete", {
    preHandler: guard,
    schema: { operationId: "completeMessage", tags, security: secured, params: messageParamsSchema, summary: "Finish the upload: the link works from now on", response: { 200: sentMessageSchema, ...errorResponses } },
    handler: (request) => messages.complete(currentUser(request), request.params.messageId),
  });

  api.post("/api/v1/messages/:messageId/revoke", {
    preHandler: guard,
    schema: { operationId: "revokeMessage", tags, security: secured, params: messageParamsSchema, summary: "Revoke: the ciphertext is deleted at once", response: { 200: sentMessageSchema, ...errorResponses } },
    handler: (request) => messages.revoke(currentUser(request), request.params.messageId),
  });

  api.get("/api/v1/messages", {
    preHandler: guard,
    schema: { operationId: "listSentMessages", tags, security: secured, summary: "The caller's sent messages with status, opens and expiry", response: { 200: sentMessageListSchema, ...errorResponses } },
    handler: async (request) => ({ items: await messages.listSent(currentUser(request)) }),
  });

  // The reader's routes carry no membership guard: the link is the capability (its key never
  // reaches us); sign-in, when required, is checked by the service on Open.
  api.get("/api/v1/messages/:messageId/envelope", {
    schema: { operationId: "getMessageEnvelope", tags, params: messageParamsSchema, summary: "What the reader needs before Open; counts nothing", response: { 200: messageEnvelopeSchema, 404: problemSchema, 410: problemSchema } },
    handler: async (request, reply) => {
      const envelope = await messages.envelope(request.params.messageId);
      return reply.header("cache-control", "no-store").send(envelope);
    },
  });

  api.post("/api/v1/messages/:messageId/open", {
    schema: {
      operationId: "openMessage", tags, params: messageParamsSchema,
      summary: "The explicit Open: counts it (and records the verified identity when sign-in is required); returns a ticket for the parts",
      response: { 200: openedMessageSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 410: problemSchema },
    },
    handler: async (request, reply) => {
      const opened = await messages.open(request.params.messageId, bearerToken(request.headers.authorization));
      return reply.header("cache-control", "no-store").send(opened);
    },
  });

  api.get("/api/v1/messages/:messageId/parts/:index", {
    schema: {
      operationId: "downloadMessagePart", tags, params: messagePartParamsSchema, querystring: partDownloadQuerySchema, summary: "A ciphertext part, with the ticket from Open",
      response: { 200: z.unknown().meta({ description: "The ciphertext part" }), 403: problemSchema, 404: problemSchema, 410: problemSchema },
    },
    handler: async (request, reply) => {
      const part = await messages.openPart(request.params.messageId, request.params.index, request.query.ticket);
      return reply.headers({ ...CIPHERTEXT_HEADERS, "content-length": String(part.size) }).type("application/octet-stream").send(part.stream);
    },
  });
}
