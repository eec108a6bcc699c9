import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { clientConfigSchema, type ClientConfig } from "../../shared/protocol/client-config";
import { healthSchema, readinessSchema } from "../../shared/protocol/health";
import { type Database, pingDatabase } from "../db/database";

/**
 * Routes that need no sign-in: probes, the OpenAPI document, and the pane's public config (which
 * names the mailbox providers the server can connect, never their client ids or secrets).
 */
export function systemRoutes(app: FastifyInstance, deps: { db: Database; clientConfig: ClientConfig }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get("/healthz", {
    schema: { operationId: "getHealth", tags: ["system"], summary: "The process is up", response: { 200: healthSchema } },
    handler: () => ({ status: "ok" as const }),
  });

  api.get("/readyz", {
    schema: { operationId: "getReadiness", tags: ["system"], summary: "The database is reachable", response: { 200: readinessSchema, 503: readinessSchema } },
    handler: async (_request, reply) => {
      const ok = await pingDatabase(deps.db);
      return reply
        .status(ok ? 200 : 503)
        .send({ status: ok ? ("ok" as const) : ("unavailable" as const), database: ok ? ("ok" as const) : ("unreachable" as const) });
    },
  });

  api.get("/api/v1/config", {
    schema: { operationId: "getClientConfig", tags: ["system"], summary: "Public configuration for the pane", response: { 200: clientConfigSchema } },
    handler: () => deps.clientConfig,
  });

  api.get("/api/v1/openapi.json", {
    schema: { operationId: "getOpenApiDocument", tags: ["system"], summary: "This API's OpenAPI 3.1 document", response: { 200: z.record(z.string(), z.unknown()) } },
    handler: () => app.swagger() as unknown as Record<string, unknown>,
  });
}
