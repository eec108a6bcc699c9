import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../backend/app";
import { loadConfig, type AppConfig, type IssuerConfig } from "../../backend/config";
import type { Database } from "../../backend/db/database";

/**
 * Builds the real app for `app.inject` tests against a given database, trusting the given issuers.
 * Logs are captured in memory so tests can assert what is (not) written.
 */
export interface TestApp {
  app: FastifyInstance;
  config: AppConfig;
  logs: string[];
}

export async function createTestApp(options: {
  db: Database;
  dataDir: string;
  issuers: IssuerConfig[];
  env?: Record<string, string>;
  /** The app's clock (signed URL expiry, timestamps). */
  now?: () => Date;
}): Promise<TestApp> {
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: options.dataDir,
    OIDC_ISSUERS: JSON.stringify(options.issuers),
    LOCAL_OIDC: "false",
    LOG_LEVEL: "info",
    WEB_DIR: `${options.dataDir}/no-web`,
    ...options.env,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString("utf8"));
      callback();
    },
  });
  const app = await buildApp({ config, db: options.db, logStream, verifierOptions: { jwksCooldownMs: 200 }, ...(options.now ? { now: options.now } : {}) });
  await app.ready();
  return { app, config, logs };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
