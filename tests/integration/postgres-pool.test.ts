import { sql } from "kysely";
import { expect, it } from "vitest";
import { openDatabase, type Database } from "../../backend/db/database";
import postgres from "postgres";
import { POSTGRES_ADMIN_URL, describeOnDatabases } from "../support/databases";

/**
 * The PostgreSQL pool (backend/db/postgres-pool.ts, ADR 0005): single statements pipelined over a
 * few shared connections, each transaction on a connection of its own from BEGIN to COMMIT or
 * ROLLBACK. Run against a real server with deliberately small pools so that pipelining and waiting
 * for a transaction connection actually happen.
 */
describeOnDatabases("PostgreSQL connection pool", ["postgres"], (current) => {
  const withPool = async (pool: { shared: number; transactions: number }, body: (db: Database) => Promise<void>) => {
    const { databaseUrl, dataDir } = current();
    const db = openDatabase({ databaseUrl, dataDir, databasePool: pool });
    try {
      await body(db);
    } finally {
      await db.destroy();
    }
  };

  it("answers each of many concurrent statements with its own result, a failing one alone failing", async () => {
    await withPool({ shared: 2, transactions: 1 }, async (db) => {
      const results = await Promise.allSettled(
        Array.from({ length: 300 }, (_, i) =>
          i === 150
            ? sql`select 1 / ${i - 150}::int as n`.execute(db) // division by zero, mid-pipeline
            : sql<{ n: number }>`select ${i}::int * 2 as n, pg_backend_pid() as pid`.execute(db),
        ),
      );
      results.forEach((result, i) => {
        if (i === 150) {
          expect(result.status).toBe("rejected");
          expect(String((result as PromiseRejectedResult).reason)).toMatch(/division by zero/);
        } else {
          expect(result.status === "fulfilled" && (result.value.rows[0] as { n: number }).n).toBe(i * 2);
        }
      });
      // Both shared connections carried statements (the fewest-in-flight choice spreads them).
      const pids = new Set(results.flatMap((r) => (r.status === "fulfilled" ? [(r.value.rows[0] as { pid: number }).pid] : [])));
      expect(pids.size).toBe(2);
    });
  });

  it("runs a transaction on one connection, sees its own writes, and undoes them on rollback", async () => {
    await withPool({ shared: 2, transactions: 2 }, async (db) => {
      await sql`create table pool_probe (id int primary key, owner int)`.execute(db);
      // Several statements pipelined elsewhere meanwhile must not land inside the transaction.
      const noise = Array.from({ length: 50 }, () => sql`select 1`.execute(db));
      const pids = await db.transaction().execute(async (tx) => {
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) {
          await sql`insert into pool_probe values (${i}, pg_backend_pid())`.execute(tx);
          const count = await sql<{ n: number }>`select count(*)::int as n, pg_backend_pid() as pid from pool_probe`.execute(tx);
          expect(count.rows[0]?.n).toBe(i + 1);
          seen.push((count.rows[0] as unknown as { pid: number }).pid);
        }
        return new Set(seen);
      });
      await Promise.all(noise);
      expect(pids.size).toBe(1);
      const failed = db.transaction().execute(async (tx) => {
        await sql`insert into pool_probe values (100, 0)`.execute(tx);
        await sql`insert into pool_probe values (100, 0)`.execute(tx); // duplicate key
      });
      await expect(failed).rejects.toThrow(/duplicate key/);
      const rows = await sql<{ n: number }>`select count(*)::int as n from pool_probe`.execute(db);
      expect(rows.rows[0]?.n).toBe(5);
      await sql`drop table pool_probe`.execute(db);
    });
  });

  it("queues transactions when all their connections are taken, first come first served, and frees a connection after an error", async () => {
    await withPool({ shared: 1, transactions: 1 }, async (db) => {
      const order: string[] = [];
      let releaseFirst: () => void = () => undefined;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      const first = db.transaction().execute(async (tx) => {
        order.push("first began");
        await sql`select 1`.execute(tx);
        await firstHolds;
        order.push("first ends");
      });
      // Let the first one take the only transaction connection.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const failing = db.transaction().execute(async (tx) => {
        order.push("second began");
        await sql`select no_such_column from pg_class`.execute(tx);
      });
      const third = db.transaction().execute(async (tx) => {
        order.push("third began");
        await sql`select 1`.execute(tx);
      });
      // Single statements are not held up by the busy transaction connection.
      expect((await sql<{ n: number }>`select 7 as n`.execute(db)).rows[0]?.n).toBe(7);
      expect(order).toEqual(["first began"]);
      releaseFirst();
      await first;
      await expect(failing).rejects.toThrow(/no_such_column/);
      await third;
      expect(order).toEqual(["first began", "first ends", "second began", "third began"]);
    });
  });

  it("replaces a connection the server terminated, shared or reserved, without taking the process down", async () => {
    await withPool({ shared: 1, transactions: 1 }, async (db) => {
      const pidOf = async (on: Database) => (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(on)).rows[0]?.pid ?? 0;
      const sharedPid = await pidOf(db);
      const transactionPid = await db.transaction().execute((tx) => pidOf(tx));
      const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => undefined });
      try {
        // What a server restart or an operator's pg_terminate_backend does to idle connections.
        await admin`select pg_terminate_backend(pid) from pg_stat_activity where pid in (${sharedPid}, ${transactionPid})`;
      } finally {
        await admin.end();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const newSharedPid = await pidOf(db);
      expect(newSharedPid).not.toBe(sharedPid);
      const newTransactionPid = await db.transaction().execute((tx) => pidOf(tx));
      expect(newTransactionPid).not.toBe(transactionPid);
    });
  });
});
