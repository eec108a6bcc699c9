import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { connectionIdParamsSchema, connectMailboxBodySchema, mailboxConnectionListSchema, mailboxConnectionSchema } from "../../shared/protocol/sync";
import { currentUser } from "../auth/authenticate";
import { errorResponses, secured } from "../http/route-schemas";
import type { SyncService } from "./sync-service";

/** HTTP edge of mailbox sync: schemas in, service call, schemas out. */
const tags = ["sync"];

export function syncRoutes(app: FastifyInstance, deps: { service: SyncService; guard: preHandlerAsyncHookHandler[] }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { service, guard } = deps;

  api.get("/api/v1/mailboxes", {
    preHandler: guard,
    schema: { operationId: "listMailboxConnections", tags, summary: "Your connected mailboxes: status, last sync, failed records (14 days)", security: secured, response: { 200: mailboxConnectionListSchema, ...errorResponses } },
    handler: async (request) => ({ items: await service.list(currentUser(request)) }),
  });

  api.post("/api/v1/mailboxes", {
    preHandler: guard,
    schema: { operationId: "connectMailbox", tags, summary: "Connect a mailbox with an OAuth authorization code (offline access)", security: secured, body: connectMailboxBodySchema, response: { 201: mailboxConnectionSchema, ...errorResponses } },
    handler: async (request, reply) => reply.status(201).send(await service.connect(currentUser(request), request.body)),
  });

  // POST …/disconnect rather than DELETE: the typed client's transport speaks GET/POST/PATCH/PUT.
  api.post("/api/v1/mailboxes/:connectionId/disconnect", {
    preHandler: guard,
    schema: { operationId: "disconnectMailbox", tags, summary: "Disconnect a mailbox and forget its sync state", security: secured, params: connectionIdParamsSchema, response: { 200: z.object({ disconnected: z.literal(true) }), ...errorResponses } },
    handler: async (request) => {
      await service.disconnect(currentUser(request), request.params.connectionId);
      return { disconnected: true as const };
    },
  });

  api.post("/api/v1/mailboxes/:connectionId/sync", {
    preHandler: guard,
    schema: { operationId: "syncMailbox", tags, summary: "Sync a mailbox now", security: secured, params: connectionIdParamsSchema, response: { 202: z.object({ queued: z.literal(true) }), ...errorResponses } },
    handler: async (request, reply) => {
      await service.syncNow(currentUser(request), request.params.connectionId);
      return reply.status(202).send({ queued: true as const });
    },
  });
}
