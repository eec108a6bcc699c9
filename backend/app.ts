import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { ClientConfig } from "../shared/protocol/client-config";
import { createAuthenticate } from "./auth/authenticate";
import { TokenVerifier, type TokenVerifierOptions } from "./auth/token-verifier";
import { LOCAL_OIDC_CLIENT_ID, type AppConfig } from "./config";
import type { Database } from "./db/database";
import { loggerOptions } from "./http/logger";
import { installProblemHandlers } from "./http/problem";
import { perUserRateLimit, registerSecurity } from "./http/security";
import { systemRoutes } from "./http/system-routes";
import { registerWebApp } from "./http/web-app";
import { OrganizationRepository } from "./orgs/repository";
import { organizationRoutes } from "./orgs/routes";
import { OrganizationService } from "./orgs/service";

/**
 * Builds the HTTP application from its configuration and an open, migrated database. Nothing here
 * listens or reads the environment, so tests build as many isolated apps as they need.
 */
export interface AppDependencies {
  config: AppConfig;
  db: Database;
  /** Where logs go; stdout when absent. Tests pass a stream to check what gets logged. */
  logStream?: DestinationStream;
  verifierOptions?: TokenVerifierOptions;
}

export async function buildApp({ config, db, logStream, verifierOptions }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logStream ? { ...loggerOptions(config.logLevel), stream: logStream } : loggerOptions(config.logLevel),
    bodyLimit: config.bodyLimitBytes,
    // A request id from the client is not trusted; Fastify generates its own.
    requestIdHeader: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "SmartCert Inbox API", version: "1.0.0", description: "The backend of the SmartCert Inbox task pane." },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await registerSecurity(app, config);

  const orgRepository = new OrganizationRepository(db);
  const authenticate = createAuthenticate(new TokenVerifier(config.oidcIssuers, verifierOptions), orgRepository);
  const guard = [authenticate, perUserRateLimit(app, config)];

  systemRoutes(app, {
    db,
    clientConfig: {
      apiBase: `${config.publicUrl}/api/v1`,
      oidc: clientOidcSettings(config),
    },
  });
  organizationRoutes(app, { service: new OrganizationService(orgRepository), guard });

  if (config.localOidc) {
    // Loaded only when enabled, so a production process never even imports the dev provider.
    const { registerDevIdentityProvider } = await import("./oidc/mount");
    await registerDevIdentityProvider(app, config);
  }
  await registerWebApp(app, config.webDir);
  return app;
}

/** The pane signs in with the first configured issuer; its audience is the pane's client id. */
function clientOidcSettings(config: AppConfig): ClientConfig["oidc"] {
  const primary = config.oidcIssuers[0];
  return {
    issuer: primary?.issuer ?? `${config.publicUrl}/oidc`,
    clientId: primary?.audience ?? LOCAL_OIDC_CLIENT_ID,
    scopes: ["openid", "email", "profile"],
  };
}
