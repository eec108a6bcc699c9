import { buildApp } from "./app";
import { openKeyRing } from "./keys/from-config";
import { ConfigError, loadConfig } from "./config";
import { migrateToLatest, openDatabase } from "./db/database";
import { personalDataCipher } from "./orgs/personal-data";
import { OrganizationRepository } from "./orgs/repository";
import { seedDemo } from "./seed/seed-demo";

/**
 * The process entry point: configuration, database (migrated), demo seed outside production,
 * then listen. SIGINT/SIGTERM close the server (in-flight requests finish) and the database.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const db = openDatabase(config);
  await migrateToLatest(db);
  const keys = await openKeyRing(db, config);
  if (config.seedDemo) await seedDemo(new OrganizationRepository(db, personalDataCipher(keys)));

  const app = await buildApp({ config, db, keys });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, "shutting down");
    app
      .close()
      .then(() => db.destroy())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error("Shutdown failed:", error);
        process.exit(1);
      });
  };
  process.on("SIGINT", () => { stop("SIGINT"); });
  process.on("SIGTERM", () => { stop("SIGTERM"); });

  await app.listen({ host: config.host, port: config.port });
  const lines = [
    "",
    `SmartCert Inbox is running (${config.nodeEnv}, ${config.databaseUrl ? "PostgreSQL" : `SQLite in ${config.dataDir}`})`,
    `  Playground:     ${config.publicUrl}/`,
    `  API:            ${config.publicUrl}/api/v1  (OpenAPI: ${config.publicUrl}/api/v1/openapi.json)`,
    config.localOidc ? `  OpenID provider: ${config.publicUrl}/oidc  (development only)` : undefined,
    `  Health:         ${config.publicUrl}/healthz, ${config.publicUrl}/readyz`,
    "Press Ctrl-C to stop.",
    "",
  ];
  process.stdout.write(lines.filter((l) => l !== undefined).join("\n") + "\n");
}

main().catch((error: unknown) => {
  console.error("SmartCert Inbox failed to start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
