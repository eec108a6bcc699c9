import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  beginMailboxAuthorizationBodySchema,
  connectionIdParamsSchema,
  connectMailboxBodySchema,
  mailboxAuthorizationSchema,
  mailboxConnectionListSchema,
  mailboxConnectionSchema,
} from "../../shared/protocol/sync";
import { currentUser } from "../auth/authenticate";
import type { OrganizationRepository } from "../orgs/repository";
import { errorResponses, secured } from "../http/route-schemas";
import type { MailboxAuthorizations } from "./authorization";
import { completeAuthorization } from "./callback";
import { sendCallbackPage } from "./callback-page";
import type { SyncService } from "./sync-service";

/** HTTP edge of mailbox sync: schemas in, service call, schemas out. */
const tags = ["sync"];
/** Where providers send the browser back; register exactly this URL at each provider. */
export const CALLBACK_PATH = "/api/v1/mailboxes/callback";

export function syncRoutes(app: FastifyInstance, deps: { service: SyncService; authorizations: MailboxAuthorizations; orgs: OrganizationRepository; guard: preHandlerAsyncHookHandler[] }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { service, guard } = deps;

  api.post("/api/v1/mailboxes/authorizations", {
    preHandler: guard,
    schema: {
      operationId: "beginMailboxAuthorization", tags, summary: "Start connecting a mailbox: the provider's consent URL (state and PKCE kept on the server, 10 minutes, single use)",
      security: secured, body: beginMailboxAuthorizationBodySchema, response: { 201: mailboxAuthorizationSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.status(201).header("cache-control", "no-store").send(await deps.authorizations.begin(currentUser(request), request.body.provider)),
  });

  // No bearer token: the browser arrives here from the provider. The query is validated (zod) in
  // completeAuthorization so that every failure is an HTML page for a person, not problem+json.
  api.get(CALLBACK_PATH, {
    schema: { operationId: "completeMailboxAuthorization", tags, summary: "The providers' redirect target: finishes connecting and answers an HTML page" },
    handler: async (request, reply) => sendCallbackPage(reply, await completeAuthorization(request.query, { authorizations: deps.authorizations, service, orgs: deps.orgs, log: request.log })),
  });

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
