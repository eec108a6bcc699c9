import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { CertService } from "../certs/cert-service";
import type { Database } from "../db/database";
import type { KeyRing } from "../keys/key-ring";
import type { OrganizationRepository } from "../orgs/repository";
import { ChangeRepository } from "./change-repository";
import { ChangeService } from "./change-service";
import { ChangeStreams, DEFAULT_STREAM_OPTIONS, type ChangeStreamOptions } from "./change-stream";
import { changeRoutes } from "./routes";
import { StreamTickets } from "./stream-tickets";

/** Wires the change feed into the app (one call from app.ts). */
export function registerChangeFeed(
  app: FastifyInstance,
  deps: { db: Database; certs: CertService; orgs: OrganizationRepository; keys: KeyRing; guard: preHandlerAsyncHookHandler[]; publicUrl: string; now: () => Date; streamOptions?: Partial<ChangeStreamOptions> },
): ChangeService {
  const changes = new ChangeService({ changes: new ChangeRepository(deps.db), certs: deps.certs });
  const options = { ...DEFAULT_STREAM_OPTIONS, ...deps.streamOptions };
  const streams = new ChangeStreams(changes, (orgId, userId) => deps.orgs.getUser(orgId, userId), app.log, options);
  // preClose, not onClose: open event streams would otherwise keep the server from closing.
  app.addHook("preClose", (done) => {
    streams.closeAll();
    done();
  });
  changeRoutes(app, { changes, tickets: new StreamTickets(deps.keys, deps.db, deps.now), streams, guard: deps.guard, publicUrl: deps.publicUrl, maxStreamsPerUser: options.maxStreamsPerUser });
  return changes;
}
