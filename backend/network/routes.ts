import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { lookupUserByEmailBodySchema, networkSearchResultSchema, searchNetworkQuerySchema, userHandleSchema } from "../../shared/protocol/network";
import { errorResponses, secured } from "../http/route-schemas";
import type { NetworkService } from "./network-service";

export function networkRoutes(app: FastifyInstance, deps: { service: NetworkService; guard: preHandlerAsyncHookHandler[]; lookupLimit: preHandlerAsyncHookHandler }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get("/api/v1/network/search", {
    preHandler: deps.guard,
    schema: { operationId: "searchNetwork", tags: ["network"], summary: "Companies, locations and users by name (no personal data)", security: secured, querystring: searchNetworkQuerySchema, response: { 200: networkSearchResultSchema, ...errorResponses } },
    handler: (request) => deps.service.search(request.query.q),
  });

  // POST so the email address never appears in a URL, and so in access logs.
  api.post("/api/v1/network/lookup-email", {
    preHandler: [...deps.guard, deps.lookupLimit],
    schema: { operationId: "lookupUserByEmail", tags: ["network"], summary: "The network user with exactly this email address", security: secured, body: lookupUserByEmailBodySchema, response: { 200: userHandleSchema, ...errorResponses } },
    handler: (request) => deps.service.lookupByEmail(request.body.email),
  });
}
