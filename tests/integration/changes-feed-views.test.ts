import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cert } from "../../shared/protocol/certs";
import type { ChangeList } from "../../shared/protocol/sync";
import { describeEachDatabase } from "../support/databases";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { TestIssuer } from "../support/test-issuer";

/**
 * The feed reads a cert's owning locations and the caller's receipts in the same statement as its
 * rows (correlated subqueries per row), not the way getCert reads them. Whatever the path, each
 * item must be exactly the cert getCert answers the same person: owners in the same order, the
 * same side and rights, the public link only for the owner side — on both databases, for owners,
 * receivers by location, by user, by both, through the public link, and across organizations.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-changes-views");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("change feed items equal getCert", (current) => {
  let w: NetworkWorld;
  let everyone: WorldUser[];

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
  });
  afterAll(async () => {
    await w.close();
  });

  const send = async (as: WorldUser, method: "POST" | "PATCH" | "PUT", url: string, body: object, status: number) => {
    const response = await w.request(as, method, url, body);
    expect(response.statusCode, response.body).toBe(status);
    return response;
  };

  it("gives every person, in every page size, the cert getCert gives them", { timeout: 30_000 }, async () => {
    const mill = await w.org("Mill");
    const north = await w.location(mill, "North Works");
    const south = await w.location(mill, "South Sales");
    const buyer = await w.org("Buyer");
    const yard = await w.location(buyer, "Receiving Yard");
    const dock = await w.location(buyer, "Dock");
    const third = await w.org("Third");
    const elsewhere = await w.location(third, "Elsewhere");
    const walt = await w.user(mill, ["writer"], [north, south], "Walt");
    const sally = await w.user(mill, ["writer"], [south], "Sally");
    const rita = await w.user(mill, [], [north], "Rita");
    const bea = await w.user(buyer, ["writer"], [yard, dock], "Bea");
    const ray = await w.user(buyer, [], [yard], "Ray");
    const xena = await w.user(third, ["writer"], [elsewhere], "Xena");
    const lena = await w.user(third, [], [elsewhere], "Lena");
    everyone = [walt, sally, rita, bea, ray, xena, lena];

    // Owned by North and South (Walt's locations): two owners whose order must match getCert's.
    const plate = (await send(walt, "POST", "/api/v1/certs", { title: "Plate" }, 201)).json<Cert>();
    const coil = (await send(sally, "POST", "/api/v1/certs", { title: "Coil" }, 201)).json<Cert>();
    const bar = (await send(xena, "POST", "/api/v1/certs", { title: "Bar" }, 201)).json<Cert>();
    // Bea receives the plate through both her locations and directly: every receipt kind at once.
    await send(walt, "POST", `/api/v1/certs/${plate.id}/shares`, { locationId: yard }, 201);
    await send(walt, "POST", `/api/v1/certs/${plate.id}/shares`, { locationId: dock }, 201);
    await send(walt, "POST", `/api/v1/certs/${plate.id}/shares`, { userId: bea.id }, 201);
    await send(sally, "POST", `/api/v1/certs/${coil.id}/shares`, { userId: bea.id }, 201);
    // Another organization's cert received by South: Walt and Sally are receivers of it.
    await send(xena, "POST", `/api/v1/certs/${bar.id}/shares`, { locationId: south }, 201);
    const link = (await send(walt, "PUT", `/api/v1/certs/${plate.id}/public-link`, { enabled: true }, 200)).json<{ url: string }>();
    await send(lena, "POST", "/api/v1/public-links/accept", { token: link.url.split("/p/")[1] ?? "" }, 200);
    await send(walt, "PATCH", `/api/v1/certs/${coil.id}`, { title: "Coil (rev 2)" }, 200);

    const fromStart = Buffer.from("c1.0").toString("base64url");
    for (const u of everyone) {
      const expected = new Map<string, Cert>();
      for (const limit of [1, 3, 1000]) {
        const items = await drain(u, fromStart, limit);
        // No cert missing either: the feed (a cert recurs on later pages) covers what listCerts shows.
        const listed = (await w.request(u, "GET", "/api/v1/certs?limit=100")).json<{ items: Cert[] }>().items.map((c) => c.id).sort();
        expect([...new Set(items.map((c) => c.id))].sort(), `feed of ${u.id}`).toEqual(listed);
        for (const cert of items) {
          let viewed = expected.get(cert.id);
          if (!viewed) {
            const response = await w.request(u, "GET", `/api/v1/certs/${cert.id}`);
            expect(response.statusCode, response.body).toBe(200);
            viewed = response.json<Cert>();
            expected.set(cert.id, viewed);
          }
          expect(cert, `${cert.title} in the feed of ${u.id} (pages of ${limit})`).toEqual(viewed);
        }
      }
    }
    // The cases the scenario is for actually occurred.
    const waltsPlate = (await drain(walt, fromStart, 1000)).find((c) => c.id === plate.id);
    expect(waltsPlate?.ownerLocationIds.length).toBe(2);
    expect(waltsPlate?.publicLink?.url).toBeTruthy();
    expect((await drain(walt, fromStart, 1000)).find((c) => c.id === bar.id)?.access.side).toBe("receiver");
    expect((await drain(bea, fromStart, 1000)).find((c) => c.id === plate.id)).toMatchObject({ access: { side: "receiver" }, publicLink: null });
    expect([...new Set((await drain(lena, fromStart, 1000)).map((c) => c.id))].sort()).toEqual([plate.id, bar.id].sort());
  });

  /** Every item of the feed from `cursor` to the end, `limit` rows at a time. */
  async function drain(as: WorldUser, cursor: string, limit: number): Promise<Cert[]> {
    const certs: Cert[] = [];
    let next = cursor;
    for (let page = 0; page < 1000; page++) {
      const response = await w.request(as, "GET", `/api/v1/changes?cursor=${next}&limit=${limit}`);
      expect(response.statusCode, response.body).toBe(200);
      const answer = response.json<ChangeList>();
      certs.push(...answer.items.map((item) => item.cert));
      next = answer.cursor;
      if (!answer.hasMore) return certs;
    }
    throw new Error("the feed never caught up");
  }
});
