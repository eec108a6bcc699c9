import path from "node:path";
import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { TokenVerifier } from "../auth/token-verifier";
import type { Database } from "../db/database";
import type { KeyRing } from "../keys/key-ring";
import { OrganizationRepository } from "../orgs/repository";
import { personalDataCipher } from "../orgs/personal-data";
import { BlobStore } from "../storage/blob-store";
import { MessageRepository } from "./message-repository";
import { MessageService } from "./message-service";
import { registerReaderPage } from "./reader-page";
import { ReplyRepository } from "./reply-repository";
import { replyRoutes } from "./reply-routes";
import { ReplyService } from "./reply-service";
import { messageRoutes } from "./routes";

export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Wires the messages module: ciphertext in its own BlobStore under DATA_DIR/messages, the routes,
 * and the sweep that deletes expired, revoked and opened-out ciphertext (at start and every five
 * minutes; readers also trigger deletion when they touch a gone message).
 */
export async function registerMessages(
  app: FastifyInstance,
  deps: {
    db: Database; keys: KeyRing; verifier: TokenVerifier; guard: preHandlerAsyncHookHandler[]; dataDir: string; readerDir: string; publicUrl: string; maxMessageBytes: number; now: () => Date;
    /** The OpenID issuer the reader signs recipients in with; its origin joins the reader's connect-src. */
    issuer?: string | undefined;
  },
): Promise<MessageService> {
  const blobs = new BlobStore({ root: path.join(deps.dataDir, "messages"), keyRing: deps.keys });
  const swept = await blobs.sweepTemporaryFiles();
  if (swept > 0) app.log.warn({ swept }, "removed partial message files left by an earlier crash");
  const messages = new MessageRepository(deps.db, deps.now);
  const replies = new ReplyRepository(deps.db, deps.now);
  // The sender's name and email come from the organizations module (email encrypted under the org key there).
  const users = new OrganizationRepository(deps.db, personalDataCipher(deps.keys), deps.now);
  const senders = async (orgId: string, userId: string) => {
    const user = await users.getUser(orgId, userId);
    return user ? { displayName: user.displayName, email: user.email } : undefined;
  };
  const service = new MessageService({ messages, replies, senders, blobs, keys: deps.keys, verifier: deps.verifier, publicUrl: deps.publicUrl, maxMessageBytes: deps.maxMessageBytes, now: deps.now });
  const replyService = new ReplyService({ service, messages, replies, keys: deps.keys, senders, publicUrl: deps.publicUrl, maxMessageBytes: deps.maxMessageBytes, now: deps.now });
  await app.register((scope, _options, done) => {
    messageRoutes(scope, { messages: service, guard: deps.guard, maxMessageBytes: deps.maxMessageBytes });
    replyRoutes(scope, { replies: replyService, maxMessageBytes: deps.maxMessageBytes });
    done();
  });
  await registerReaderPage(app, deps.readerDir, deps.issuer);

  const sweep = () => {
    service.sweep().then(
      (count) => { if (count > 0) app.log.info({ count }, "deleted the ciphertext of gone messages"); },
      (error: unknown) => { app.log.error({ err: error }, "message sweep failed"); },
    );
  };
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  timer.unref();
  app.addHook("onReady", (done) => {
    sweep();
    done();
  });
  app.addHook("onClose", (_instance, done) => {
    clearInterval(timer);
    done();
  });
  return service;
}
