import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Readable } from "node:stream";
import {
  completedReplySchema,
  createdReplySchema,
  createReplyBodySchema,
  messageParamsSchema,
  partUploadResultSchema,
  replyParamsSchema,
  replyPartParamsSchema,
  replyTicketQuerySchema,
} from "../../shared/protocol/messages";
import { problemSchema, problemTypes } from "../../shared/protocol/problem";
import { ProblemError } from "../http/problem";
import type { ReplyService } from "./reply-service";

const tags = ["messages"];
/** New replies per client address per minute: the capability limits replies per open, this limits bursts. */
export const REPLY_RATE_LIMIT_PER_IP = 10;

/**
 * Routes of secure replies. None carries the membership guard: the replier need not have an
 * account. Creating needs the reply capability from Open; uploading and completing need the
 * upload ticket that creating returned. Registered in the messages scope, whose octet-stream
 * parser hands part uploads over as streams.
 */
export function replyRoutes(scope: FastifyInstance, deps: { replies: ReplyService; maxMessageBytes: number }): void {
  const api = scope.withTypeProvider<ZodTypeProvider>();
  const limit = scope.createRateLimit({ max: REPLY_RATE_LIMIT_PER_IP, timeWindow: "1 minute", keyGenerator: (request: FastifyRequest) => `reply:ip:${request.ip}` });

  api.post("/api/v1/messages/:messageId/replies", {
    preHandler: async (request, reply) => {
      const result = await limit(request);
      if (!result.isAllowed && result.isExceeded) {
        void reply.header("retry-after", String(result.ttlInSeconds));
        throw new ProblemError(429, problemTypes.rateLimited, "Too many replies; slow down and retry later", `Retry after ${result.ttlInSeconds} seconds.`);
      }
    },
    schema: {
      operationId: "createReply", tags, params: messageParamsSchema, body: createReplyBodySchema,
      summary: "Reply securely: with the reply capability from Open, create a reply whose only recipient is the message's sender; upload its parts next",
      response: { 201: createdReplySchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema, 429: problemSchema },
    },
    handler: async (request, reply) => reply.status(201).header("cache-control", "no-store").send(await deps.replies.create(request.params.messageId, request.body)),
  });

  api.put("/api/v1/replies/:replyId/parts/:index", {
    bodyLimit: deps.maxMessageBytes + 1,
    schema: {
      operationId: "uploadReplyPart", tags, params: replyPartParamsSchema, querystring: replyTicketQuerySchema, consumes: ["application/octet-stream"],
      summary: "Upload one ciphertext part of a reply as the raw body, with the upload ticket from createReply",
      response: { 200: partUploadResultSchema, 400: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema },
    },
    handler: async (request) => {
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== "function") throw new ProblemError(415, problemTypes.badRequest, "Unsupported content type", "Send the part as application/octet-stream.");
      return deps.replies.uploadPart(request.params.replyId, request.params.index, request.query.ticket, body);
    },
  });

  api.post("/api/v1/replies/:replyId/complete", {
    schema: {
      operationId: "completeReply", tags, params: replyParamsSchema, querystring: replyTicketQuerySchema,
      summary: "Finish a reply's upload: its link works from now on (for the original's sender, signed in)",
      response: { 200: completedReplySchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
    },
    handler: (request) => deps.replies.complete(request.params.replyId, request.query.ticket),
  });
}
