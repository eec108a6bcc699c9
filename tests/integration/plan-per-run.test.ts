import { sql } from "kysely";
import { expect, it } from "vitest";
import { ChangeRepository } from "../../backend/changes/change-repository";
import { PLAN_PER_RUN, openDatabase, type Database } from "../../backend/db/database";
import { describeEachDatabase } from "../support/databases";

/**
 * On PostgreSQL every parameterized statement is prepared under a name once per connection, and
 * after five runs may get a generic plan; a statement that ends with PLAN_PER_RUN is sent unnamed
 * instead, so it is planned with each run's values (docs/adr/0004). The change feed's page over a
 * long range is one; over a short range it stays named. On SQLite the comment changes nothing.
 */
describeEachDatabase("statements planned per run", (current, dialect) => {
  const named = (db: Database, name: string) => db.selectFrom("organizations").select("name").where("name", "=", name);

  it("answers the same with the marker, on one connection run after run", async () => {
    const { db } = current();
    await db.insertInto("organizations").values({ id: "00000000-0000-4000-8000-0000000000a1", name: "Per Run Mill", created_at: new Date().toISOString() }).execute();
    await db.connection().execute(async (conn) => {
      for (let run = 0; run < 8; run++) {
        const name = run % 2 === 0 ? "Per Run Mill" : "No Such Mill";
        const expected = run % 2 === 0 ? [{ name }] : [];
        expect(await named(conn, name).execute()).toEqual(expected);
        expect(await named(conn, name).modifyEnd(sql.raw(PLAN_PER_RUN)).execute()).toEqual(expected);
      }
    });
  });

  // SQLite has no named statements: this one exists on PostgreSQL only.
  if (dialect === "postgres") it("leaves marked statements unprepared on PostgreSQL, the change feed's long-range page among them", async () => {
    // One shared connection, so every statement below runs on the connection whose prepared
    // statements are read at the end (the pool spreads single statements otherwise: ADR 0005).
    const { databaseUrl, dataDir } = current();
    const conn = openDatabase({ databaseUrl, dataDir, databasePool: { shared: 1, transactions: 1 } });
    try {
      for (let run = 0; run < 6; run++) {
        await named(conn, "Per Run Mill").execute();
        await named(conn, "Per Run Mill").modifyEnd(sql.raw(PLAN_PER_RUN)).execute();
        // A long range (more than ten pages of rows) is planned per run; a short one stays named.
        await new ChangeRepository(conn).visibleChanges({ id: "00000000-0000-4000-8000-0000000000b1", locationIds: [] }, 0, 101, 10);
        await new ChangeRepository(conn).visibleChanges({ id: "00000000-0000-4000-8000-0000000000b1", locationIds: [] }, 0, 100, 10);
      }
      // generic_plans + custom_plans is a bigint: the driver hands it over as text.
      const prepared = await sql<{ statement: string; plans: string }>`select statement, generic_plans + custom_plans as plans from pg_prepared_statements`.execute(conn);
      const statements = prepared.rows.map((r) => r.statement);
      // The same query without the marker is prepared once and reused: the marker is what differs.
      // (The connection may have run it in the test before too.)
      const plain = prepared.rows.filter((r) => r.statement.startsWith(`select "name" from "organizations"`) && !r.statement.includes(PLAN_PER_RUN));
      expect(plain.length).toBe(1);
      expect(Number(plain[0]?.plans)).toBeGreaterThanOrEqual(6);
      expect(statements.filter((s) => s.includes(PLAN_PER_RUN))).toEqual([]);
      const feedPages = prepared.rows.filter((r) => r.statement.includes("cert_changes"));
      expect(feedPages.map((r) => Number(r.plans))).toEqual([6]);
    } finally {
      await conn.destroy();
    }
  });
});
