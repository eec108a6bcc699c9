import path from "node:path";
import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { TokenVerifier } from "../auth/token-verifier";
import type { Database } from "../db/database";
import type { KeyRing } from "../keys/key-ring";
import { BlobStore } from "../storage/blob-store";
import { MessageRepository } from "./message-repository";
import { MessageService } from "./message-service";
import { registerReaderPage } from "./reader-page";
import { messageRoutes } from "./routes";

export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Wires the messages module: ciphertext in its own BlobStore under DATA_DIR/messages, the routes,
 * and the sweep that deletes expired, revoked and opened-out ciphertext (at start and every five
 * minutes; readers also trigger deletion when they touch a gone message).
 */
export async function registerMessages(
  app: FastifyInstance,
  deps: { db: Database; keys: KeyRing; verifier: TokenVerifier; guard: preHandlerAsyncHookHandler[]; dataDir: string; readerDir: string; publicUrl: string; maxMessageBytes: number; now: () => Date },
): Promise<MessageService> {
  const blobs = new BlobStore({ root: path.join(deps.dataDir, "messages"), keyRing: deps.keys });
  const swept = await blobs.sweepTemporaryFiles();
  if (swept > 0) app.log.warn({ swept }, "removed partial message files left by an earlier crash");
  const service = new MessageService({ messages: new MessageRepository(deps.db, deps.now), blobs, keys: deps.keys, verifier: deps.verifier, publicUrl: deps.publicUrl, maxMessageBytes: deps.maxMessageBytes, now: deps.now });
  await app.register((scope, _options, done) => {
    messageRoutes(scope, { messages: service, guard: deps.guard, maxMessageBytes: deps.maxMessageBytes });
    done();
  });
  await registerReaderPage(app, deps.readerDir);

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
