import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import { pipelinedPool } from "./postgres-pool";
import type { DatabaseSchema } from "./schema";
import { migrationProvider } from "./migrations/index";

export type Database = Kysely<DatabaseSchema>;

export interface DatabaseOptions {
  /** postgres:// URL; when absent, the embedded SQLite file `smartcert.sqlite` under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL connections (ADR 0005); defaults as in config.ts. */
  databasePool?: { shared: number; transactions: number } | undefined;
}

export const SQLITE_FILE_NAME = "smartcert.sqlite";

/** Opens the database for either dialect. SQLite runs in WAL mode with foreign keys on and a busy
 * timeout, so the operator CLI can write while the server is running. */
export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    const { shared, transactions } = options.databasePool ?? { shared: 4, transactions: 6 };
    const pool = pipelinedPool({ url: options.databaseUrl, sharedConnections: shared, transactionConnections: transactions, planPerRunMarker: PLAN_PER_RUN });
    return new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = new SQLite(path.join(options.dataDir, SQLITE_FILE_NAME));
  file.pragma("journal_mode = WAL");
  file.pragma("foreign_keys = ON");
  file.pragma("busy_timeout = 5000");
  file.pragma("synchronous = NORMAL");
  return new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * A comment to end a statement with (Kysely: `.modifyEnd(sql.raw(PLAN_PER_RUN))`) when PostgreSQL
 * should plan it with each run's values. A named statement gets a generic plan after five runs,
 * one that cannot see the actual values; for range scans whose best plan depends on them (the
 * change feed over a long range: docs/adr/0004) that plan measured 1.8–2.1× slower. Planning per
 * run costs a parse and a plan every time, so mark only such statements. SQLite ignores it.
 */
export const PLAN_PER_RUN = "/* plan per run */";

/**
 * Kysely prepares every query anew, and preparing is a large part of a small query's cost in
 * SQLite. Queries are built from a fixed set of shapes (values are parameters), so caching the
 * prepared statement by SQL text is safe; the one connection runs statements one at a time.
 */
function withStatementCache(file: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = (source: string): SQLite.Statement => {
    let statement = cache.get(source);
    if (statement === undefined) {
      statement = file.prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next();
        if (oldest.done !== true) cache.delete(oldest.value);
      }
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(file, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Database): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`);
  }
}

/** Readiness probe: a trivial round trip. */
export async function pingDatabase(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
