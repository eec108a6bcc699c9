import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll, describe, it } from "vitest";
import { migrateToLatest, openDatabase, type Database } from "../../backend/db/database";

/**
 * Runs a suite once per database dialect. SQLite always runs (a temp file). PostgreSQL runs against
 * a throwaway database created for the suite and dropped after it, on the server named by
 * TEST_POSTGRES_URL (default: the local trust-auth server). When CI is set, an unreachable
 * PostgreSQL fails the run; otherwise the suite is reported as skipped with the reason.
 */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export type Dialect = "sqlite" | "postgres";

export interface TestDatabase {
  dialect: Dialect;
  db: Database;
  dataDir: string;
  /** The DATABASE_URL a separate process (server, CLI) would use; undefined for SQLite. */
  databaseUrl: string | undefined;
}

type Availability = { available: true } | { available: false; reason: string };

let availability: Promise<Availability> | undefined;

export function postgresAvailability(): Promise<Availability> {
  availability ??= (async () => {
    const client = postgres(POSTGRES_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => undefined });
    try {
      await client`select 1`;
      return { available: true } as const;
    } catch (error) {
      return { available: false, reason: `PostgreSQL at ${redactUrl(POSTGRES_ADMIN_URL)} is not reachable (${error instanceof Error ? error.message : String(error)})` } as const;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return availability;
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}

async function adminQuery(sql: string): Promise<void> {
  const client = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => undefined });
  try {
    await client.unsafe(sql);
  } finally {
    await client.end();
  }
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `smartcert-${prefix}-`));
}

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase & { drop: () => Promise<void> }> {
  const dataDir = tempDir(dialect);
  if (dialect === "sqlite") {
    const db = openDatabase({ databaseUrl: undefined, dataDir });
    await migrateToLatest(db);
    return {
      dialect, db, dataDir, databaseUrl: undefined,
      drop: async () => {
        await db.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `smartcert_test_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const db = openDatabase({ databaseUrl, dataDir });
  await migrateToLatest(db);
  return {
    dialect, db, dataDir, databaseUrl,
    drop: async () => {
      await db.destroy();
      await adminQuery(`drop database if exists ${name} with (force)`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `describe` once per dialect; `current()` returns that dialect's fresh, migrated database inside
 * tests and hooks. `dialect` lets a body register a test that only means something on one of them
 * (rather than registering it everywhere and skipping it).
 */
export function describeEachDatabase(title: string, body: (current: () => TestDatabase, dialect: Dialect) => void): void {
  describeOnDatabases(title, ["sqlite", "postgres"], body);
}

/** As describeEachDatabase, for a suite about one dialect's own machinery (its driver, its pool). */
export function describeOnDatabases(title: string, dialects: readonly Dialect[], body: (current: () => TestDatabase, dialect: Dialect) => void): void {
  for (const dialect of dialects) {
    describe(`${title} [${dialect}]`, async () => {
      if (dialect === "postgres") {
        const pgState = await postgresAvailability();
        if (!pgState.available) {
          if (process.env.CI) {
            it("needs PostgreSQL because CI is set", () => {
              throw new Error(`${pgState.reason}. CI runs the PostgreSQL suite; start PostgreSQL or set TEST_POSTGRES_URL.`);
            });
          } else {
            it.skip(`skipped: ${pgState.reason}`, () => undefined);
          }
          return;
        }
      }
      let database: (TestDatabase & { drop: () => Promise<void> }) | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await database?.drop();
      });
      body(() => {
        if (!database) throw new Error("test database not ready");
        return database;
      }, dialect);
    });
  }
}
