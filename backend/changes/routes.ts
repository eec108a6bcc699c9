import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { changeListSchema, getChangesQuerySchema, streamQuerySchema, streamTicketSchema } from "../../shared/protocol/sync";
import { currentUser } from "../auth/authenticate";
import { toCertDto } from "../certs/routes";
import { problemTypes } from "../../shared/protocol/problem";
import { ProblemError, problems } from "../http/problem";
import { errorResponses, secured } from "../http/route-schemas";
import type { ChangeService } from "./change-service";
import type { ChangeStreams } from "./change-stream";
import type { StreamTickets } from "./stream-tickets";

/** HTTP edge of the change feed: getChanges, stream tickets, and the SSE stream itself. */
const tags = ["changes"];

export function changeRoutes(
  app: FastifyInstance,
  deps: { changes: ChangeService; tickets: StreamTickets; streams: ChangeStreams; guard: preHandlerAsyncHookHandler[]; publicUrl: string; maxStreamsPerUser: number },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { changes, tickets, streams, guard } = deps;

  api.get("/api/v1/changes", {
    preHandler: guard,
    schema: { operationId: "getChanges", tags, summary: "Certs you can see that changed since a cursor", security: secured, querystring: getChangesQuerySchema, response: { 200: changeListSchema, ...errorResponses } },
    handler: async (request) => {
      const page = await changes.getChanges(currentUser(request), request.query);
      return { items: page.items.map((i) => ({ cert: toCertDto(i.view), kinds: i.kinds })), cursor: page.cursor, hasMore: page.hasMore };
    },
  });

  api.post("/api/v1/changes/stream-tickets", {
    preHandler: guard,
    schema: { operationId: "createStreamTicket", tags, summary: "A 60-second, single-use ticket to open the change stream", security: secured, response: { 201: streamTicketSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const user = currentUser(request);
      const { ticket, expiresAt } = tickets.issue({ userId: user.id, orgId: user.orgId });
      void reply.header("cache-control", "no-store");
      return reply.status(201).send({ ticket, url: `${deps.publicUrl}/api/v1/changes/stream?ticket=${encodeURIComponent(ticket)}`, expiresAt: expiresAt.toISOString() });
    },
  });

  api.get("/api/v1/changes/stream", {
    schema: {
      operationId: "openChangeStream", tags, summary: "Server-sent events: `changed` hints (no content); authenticated by a stream ticket", querystring: streamQuerySchema,
      response: { 200: z.unknown().meta({ description: "text/event-stream" }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const claims = await tickets.redeem(request.query.ticket);
      if (!claims) throw problems.unauthenticated("The stream ticket is not valid, expired or already used. Ask for a new one (createStreamTicket).");
      if (streams.countFor(claims.userId) >= deps.maxStreamsPerUser) throw new ProblemError(429, problemTypes.rateLimited, "Too many open change streams", "Close another pane first.");
      // Hijacked: Fastify's onSend hooks will not run, so the headers set so far (CORS, security
      // headers) are copied onto the raw response by hand.
      reply.hijack();
      const headers = Object.fromEntries(Object.entries(reply.getHeaders()).filter((e): e is [string, string | number | string[]] => e[1] !== undefined));
      reply.raw.writeHead(200, {
        ...headers,
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      await streams.open(claims, reply.raw);
    },
  });
}
