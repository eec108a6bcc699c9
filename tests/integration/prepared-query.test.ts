import { expect, it } from "vitest";
import type { Database } from "../../backend/db/database";
import { PreparedQuery } from "../../backend/db/prepared-query";
import { OrganizationRepository } from "../../backend/orgs/repository";
import { describeEachDatabase } from "../support/databases";
import { testCipher } from "../support/keys";

/**
 * PreparedQuery reuses SQL compiled once per shape: it must answer exactly what building the query
 * anew would, for every call's values and list lengths, keep the builder's constants, and refuse
 * a builder that changes an argument on its way into the SQL.
 */
describeEachDatabase("prepared queries", (current) => {
  const locationsNamed = (db: Database, orgId: string, names: readonly string[], minimumLength: number) =>
    db
      .selectFrom("locations")
      .select(["name"])
      .where("org_id", "=", orgId)
      .where("name", "in", names)
      // A constant next to the arguments: it must stay a constant in every later call.
      .where((eb) => eb(eb.fn("length", ["name"]), ">=", minimumLength))
      .where("city", "<>", "never-a-city")
      .orderBy("name");

  // One PreparedQuery for both suites, as in production code: it must keep the dialects apart.
  const prepared = new PreparedQuery(locationsNamed);

  it("answers like the query built anew, for other values and other list lengths", async () => {
    const { db, dataDir } = current();
    const repo = new OrganizationRepository(db, await testCipher(db, dataDir));
    const org = await repo.createOrganization("Prepared Org");
    const other = await repo.createOrganization("Other Prepared Org");
    for (const name of ["Alpha", "Beta", "Gamma", "Delta"]) await repo.createLocation(org.id, { name, city: "x" });
    await repo.createLocation(other.id, { name: "Alpha", city: "x" });

    const calls: [string, string[], number][] = [
      [org.id, ["Alpha", "Beta"], 1],
      [org.id, ["Gamma", "Delta"], 5], // same shape, new values: "Gamma" has 5 letters, "Delta" 5
      [org.id, ["Gamma", "Delta"], 6], // the number is an argument too
      [other.id, ["Alpha", "Beta"], 1],
      [org.id, ["Alpha", "Beta", "Gamma"], 1], // a new shape
      [org.id, ["Delta"], 1],
      [org.id, ["Nope"], 1],
    ];
    for (const [orgId, names, minimum] of calls) {
      const expected = await locationsNamed(db, orgId, names, minimum).execute();
      expect(await prepared.execute(db, orgId, names, minimum)).toEqual(expected);
    }
    expect(await prepared.execute(db, org.id, ["Gamma", "Delta"], 6)).toEqual([]);
    expect((await prepared.execute(db, org.id, ["Gamma", "Delta"], 5)).map((r) => r.name)).toEqual(["Delta", "Gamma"]);
  });

  it("refuses a builder that transforms an argument instead of passing it as a parameter", async () => {
    const { db } = current();
    const containing = new PreparedQuery((database: Database, name: string) =>
      database.selectFrom("locations").select("name").where("name", "like", `%${name}%`),
    );
    await expect(containing.execute(db, "Alpha")).rejects.toThrow(/did not reach the SQL as a parameter unchanged/);
  });
});
