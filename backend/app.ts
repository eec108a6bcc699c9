import path from "node:path";
import multipart from "@fastify/multipart";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { DestinationStream } from "pino";
import type { ClientConfig } from "../shared/protocol/client-config";
import { createAuthenticate, type PrincipalLoader } from "./auth/authenticate";
import { registerCodeExchange } from "./auth/code-exchange";
import { TokenVerifier, type TokenVerifierOptions } from "./auth/token-verifier";
import { AuditRepository } from "./certs/audit-repository";
import { CertRepository } from "./certs/cert-repository";
import { CertService } from "./certs/cert-service";
import { publicLinkPage } from "./certs/public-link-page";
import { certRoutes } from "./certs/routes";
import { registerChangeFeed } from "./changes/index";
import { enabledMailboxProviders } from "./sync/config";
import { registerSync } from "./sync/index";
import { ShareRepository } from "./certs/share-repository";
import { ShareService } from "./certs/share-service";
import { LOCAL_OIDC_CLIENT_ID, type AppConfig } from "./config";
import type { Database } from "./db/database";
import { DocumentRepository } from "./documents/document-repository";
import { DocumentService } from "./documents/document-service";
import { documentRoutes } from "./documents/routes";
import { OneLinePerRequest, loggerOptions } from "./http/logger";
import { registerMessages } from "./messages/index";
import { installProblemHandlers } from "./http/problem";
import { perUserRateLimit, registerSecurity } from "./http/security";
import { systemRoutes } from "./http/system-routes";
import { registerWebApp } from "./http/web-app";
import { openKeyRing } from "./keys/from-config";
import type { KeyRing } from "./keys/key-ring";
import { DirectoryRepository } from "./network/directory-repository";
import { NetworkService } from "./network/network-service";
import { networkRoutes } from "./network/routes";
import { personalDataCipher } from "./orgs/personal-data";
import { OrganizationRepository } from "./orgs/repository";
import { organizationRoutes } from "./orgs/routes";
import { OrganizationService } from "./orgs/service";
import { BlobStore } from "./storage/blob-store";

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
  now?: () => Date;
  /** The key ring, when the caller already opened one (main, for the demo seed). */
  keys?: KeyRing;
}

export async function buildApp({ config, db, logStream, verifierOptions, now, keys: givenKeys }: AppDependencies): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logStream ? { ...loggerOptions(config.logLevel), stream: logStream } : loggerOptions(config.logLevel),
    logController: new OneLinePerRequest(),
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
  // One file per request; the +1 lets the blob store, not the parser, notice an oversized file.
  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes + 1, files: 1, fields: 10, parts: 11 } });

  const keys = givenKeys ?? (await openKeyRing(db, config));
  const blobs = new BlobStore({ root: path.join(config.dataDir, "blobs"), keyRing: keys });
  const swept = await blobs.sweepTemporaryFiles();
  if (swept > 0) app.log.warn({ swept }, "removed partial document files left by an earlier crash");

  const clock = now ?? (() => new Date());
  const orgRepository = new OrganizationRepository(db, personalDataCipher(keys), clock);
  const verifier = new TokenVerifier(config.oidcIssuers, verifierOptions);
  const authenticate = createAuthenticate(verifier, orgRepository);
  // One per-user limiter for every guard, so all API routes count against the same limit.
  const perUserLimit = perUserRateLimit(app, config.rateLimitPerUser);
  const guard = [authenticate, perUserLimit];
  /** A guard whose authentication also reads the route's data with the principal (getCert). */
  const guardLoading = (load: PrincipalLoader) => [createAuthenticate(verifier, orgRepository, load), perUserLimit];

  const audit = new AuditRepository(db, clock);
  const documentRepository = new DocumentRepository(db, clock);
  const directory = new DirectoryRepository(db);
  const certs = new CertService({ certs: new CertRepository(db, clock), audit, keys, publicUrl: config.publicUrl });
  const documents = new DocumentService({ certs, documents: documentRepository, blobs, audit, keys, publicUrl: config.publicUrl, maxUploadBytes: config.maxUploadBytes, now: clock });
  const shares = new ShareService({
    db,
    certs,
    shares: new ShareRepository(db, clock),
    directory,
    audit,
    keys,
    copyDocuments: (from, to, actor) => documents.copyDocuments(from, to, actor),
  });

  systemRoutes(app, { db, clientConfig: { apiBase: `${config.publicUrl}/api/v1`, oidc: clientOidcSettings(config), mailboxProviders: enabledMailboxProviders(config.sync) } });
  if (config.codeExchange) {
    const { issuer, clientId } = clientOidcSettings(config);
    registerCodeExchange(app, { issuer, clientId, ...config.codeExchange, verifier });
  }
  organizationRoutes(app, { service: new OrganizationService(orgRepository), guard });
  certRoutes(app, { certs, shares, guard, guardLoading });
  documentRoutes(app, { documents, guard });
  await registerMessages(app, { db, keys, verifier, guard, dataDir: config.dataDir, readerDir: path.join(path.dirname(config.webDir), "reader"), publicUrl: config.publicUrl, maxMessageBytes: config.maxMessageBytes, now: clock, issuer: clientOidcSettings(config).issuer });
  registerChangeFeed(app, { db, certs, orgs: orgRepository, keys, guard, publicUrl: config.publicUrl, now: clock });
  registerSync(app, { db, config: config.sync, dataDir: config.dataDir, publicUrl: config.publicUrl, keys, certs, shares, orgs: orgRepository, guard, now: clock });
  networkRoutes(app, { service: new NetworkService(directory, personalDataCipher(keys)), guard, lookupLimit: perUserRateLimit(app, config.lookupRateLimitPerUser, "lookup") });
  publicLinkPage(app, { certs, documents: documentRepository, publicUrl: config.publicUrl });

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
    codeExchange: config.codeExchange ? "backend" : "client",
  };
}
