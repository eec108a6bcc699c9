import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { CertService } from "../certs/cert-service";
import { ShareRepository } from "../certs/share-repository";
import { CONVERSATION_PURPOSE, type ShareService } from "../certs/share-service";
import type { Database } from "../db/database";
import type { KeyRing } from "../keys/key-ring";
import type { OrganizationRepository } from "../orgs/repository";
import type { SyncConfig } from "./config";
import type { MailboxConnector } from "./connectors/connector";
import { GmailConnector } from "./connectors/gmail";
import { GraphConnector } from "./connectors/graph";
import { SyncEngine } from "./engine";
import type { RetryOptions } from "./retry";
import { MailboxAuthorizations } from "./authorization";
import { CALLBACK_PATH, syncRoutes } from "./routes";
import { InProcessQueue } from "./scheduler";
import { SyncKey } from "./sync-key";
import { SyncRepository } from "./sync-repository";
import { oauthClients, SYNC_JOB, SyncService, type SyncJob } from "./sync-service";

/**
 * Wires mailbox sync into the app (one call from app.ts): the sync key (loaded on first use, so a
 * server without providers creates no key file), the connectors, the engine, the in-process job
 * queue, the routes, and a clean stop on close.
 */
export function registerSync(
  app: FastifyInstance,
  deps: { db: Database; config: SyncConfig; dataDir: string; publicUrl: string; keys: KeyRing; certs: CertService; shares: ShareService; orgs: OrganizationRepository; guard: preHandlerAsyncHookHandler[]; now: () => Date; retry?: RetryOptions },
): { queue: InProcessQueue<SyncJob>; service: SyncService } {
  const repo = new SyncRepository(deps.db, deps.now);
  let key: Promise<SyncKey> | undefined;
  const loadKey = () => (key ??= SyncKey.load({ syncKeyFile: deps.config.syncKeyFile, dataDir: deps.dataDir }));
  const connectors: Partial<Record<"graph" | "gmail", MailboxConnector>> = {};
  if (deps.config.graph) connectors.graph = new GraphConnector({ baseUrl: deps.config.graph.baseUrl, pageSize: 50 });
  if (deps.config.gmail) connectors.gmail = new GmailConnector({ baseUrl: deps.config.gmail.baseUrl, pageSize: 100, concurrency: 8 });
  const oauth = oauthClients(deps.config);
  const conversationLinks = new ShareRepository(deps.db, deps.now);
  const queue = new InProcessQueue<SyncJob>(1);

  const engineFor = async () =>
    new SyncEngine({
      repo, key: await loadKey(), connectors, oauth, log: app.log.child({ module: "sync" }), publicLinkOrigins: [deps.publicUrl],
      loadUser: (orgId, userId) => deps.orgs.getUser(orgId, userId),
      actions: {
        acceptPublicLink: async (user, token) => (await deps.shares.acceptPublicLink(user, token)).cert.id,
        canView: async (user, certId) => (await deps.certs.tryView(user, certId)) !== undefined,
        linkConversation: async (user, conversationRef, certId) => conversationLinks.linkConversation(user.orgId, await deps.keys.orgHmac(user.orgId, CONVERSATION_PURPOSE, conversationRef), certId),
      },
      ...(deps.retry ? { retry: deps.retry } : {}),
    });
  let engine: SyncEngine | undefined;
  queue.process(SYNC_JOB, async ({ connectionId }) => {
    engine ??= await engineFor();
    await engine.syncConnection(connectionId);
  });
  const service = new SyncService({
    repo, key: loadKey, oauth, connectors, queue,
    emailOf: async (user) => (await deps.orgs.getUser(user.orgId, user.id))?.email,
    ...(deps.retry ? { retry: deps.retry } : {}),     intervalMs: deps.config.intervalMs, revokeUrls: { gmail: deps.config.googleRevokeUrl }, log: app.log.child({ module: "sync" }),
  });
  const authorizations = new MailboxAuthorizations({ db: deps.db, now: deps.now, clients: oauth, redirectUri: `${deps.publicUrl}${CALLBACK_PATH}` });
  syncRoutes(app, { service, authorizations, orgs: deps.orgs, guard: deps.guard });
  app.addHook("onReady", async () => {
    if (Object.keys(connectors).length > 0) await service.scheduleAll();
  });
  app.addHook("onClose", async () => {
    await queue.close();
  });
  return { queue, service };
}
