import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cert } from "../../shared/protocol/certs";
import type { ChangeKind, ChangeList } from "../../shared/protocol/sync";
import { describeEachDatabase } from "../support/databases";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { TestIssuer } from "../support/test-issuer";

/**
 * getChanges against the access rules, on both databases: every person's feed holds exactly the
 * certs they can view (compared with listCerts and getCert, the rules' own answers), with what
 * happened from their point of view; paging and concurrent writers neither lose nor repeat rows.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-changes");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("change feed", (current) => {
  let w: NetworkWorld;
  let walt: WorldUser, sally: WorldUser, rita: WorldUser, bea: WorldUser, ray: WorldUser, xena: WorldUser, lena: WorldUser;
  let everyone: WorldUser[];
  let buyer: string, north: string, south: string, yard: string;
  const starts = new Map<string, string>();

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
    const mill = await w.org("Mill");
    north = await w.location(mill, "North Works");
    south = await w.location(mill, "South Sales");
    buyer = await w.org("Buyer");
    yard = await w.location(buyer, "Receiving Yard");
    const third = await w.org("Third");
    const thirdLoc = await w.location(third, "Elsewhere");
    walt = await w.user(mill, ["writer"], [north, south], "Walt");
    sally = await w.user(mill, ["writer"], [south], "Sally");
    rita = await w.user(mill, [], [north], "Rita");
    bea = await w.user(buyer, ["writer"], [yard], "Bea");
    ray = await w.user(buyer, [], [yard], "Ray");
    xena = await w.user(third, ["writer"], [thirdLoc], "Xena");
    lena = await w.user(third, [], [thirdLoc], "Lena");
    everyone = [walt, sally, rita, bea, ray, xena, lena];
    for (const u of everyone) starts.set(u.id, (await changes(u, "latest=true")).cursor);
  });
  afterAll(async () => {
    await w.close();
  });

  async function changes(as: WorldUser, query: string): Promise<ChangeList> {
    const response = await w.request(as, "GET", `/api/v1/changes?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<ChangeList>();
  }

  /** Follows the feed from `cursor` to the end, `limit` rows at a time. */
  async function drain(as: WorldUser, cursor: string, limit: number): Promise<{ kinds: Map<string, Set<ChangeKind>>; titles: Map<string, string>; cursor: string }> {
    const kinds = new Map<string, Set<ChangeKind>>();
    const titles = new Map<string, string>();
    let next = cursor;
    for (let page = 0; page < 1000; page++) {
      const answer = await changes(as, `cursor=${next}&limit=${limit}`);
      for (const item of answer.items) {
        kinds.set(item.cert.id, new Set([...(kinds.get(item.cert.id) ?? []), ...item.kinds]));
        titles.set(item.cert.id, item.cert.title);
      }
      next = answer.cursor;
      if (!answer.hasMore) return { kinds, titles, cursor: next };
    }
    throw new Error("the feed never caught up");
  }

  const create = async (as: WorldUser, body: object) => {
    const response = await w.request(as, "POST", "/api/v1/certs", body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Cert>();
  };

  it("shows each person exactly the certs they can view, with what happened from their side", async () => {
    const plate = await create(walt, { title: "Plate" });
    const sales = await create(sally, { title: "Sales only" });
    const hidden = await create(xena, { title: "Third's own" });
    expect((await w.request(walt, "POST", `/api/v1/certs/${plate.id}/shares`, { locationId: (await yardOf(bea)) })).statusCode).toBe(201);
    expect((await w.request(walt, "PATCH", `/api/v1/certs/${sales.id}`, { title: "Sales only (rev 2)" })).statusCode).toBe(200);
    expect((await w.request(sally, "POST", `/api/v1/certs/${sales.id}/shares`, { userId: bea.id })).statusCode).toBe(201);
    const link = (await w.request(walt, "PUT", `/api/v1/certs/${plate.id}/public-link`, { enabled: true })).json<{ url: string }>();
    const token = link.url.split("/p/")[1] ?? "";
    expect((await w.request(lena, "POST", "/api/v1/public-links/accept", { token })).statusCode).toBe(200);

    const feeds = new Map(await Promise.all(everyone.map(async (u) => [u.id, await drain(u, starts.get(u.id) ?? "", 2)] as const)));
    const kindsOf = (u: WorldUser, certId: string) => [...(feeds.get(u.id)?.kinds.get(certId) ?? [])].sort();

    // The rules' own answer: exactly the certs listCerts shows, and getCert answers 200 for each.
    for (const u of everyone) {
      const listed = (await w.request(u, "GET", "/api/v1/certs?limit=100")).json<{ items: Cert[] }>().items.map((c) => c.id).sort();
      const fed = [...(feeds.get(u.id)?.kinds.keys() ?? [])].sort();
      expect(fed, `feed of ${u.id}`).toEqual(listed);
      for (const certId of fed) expect((await w.request(u, "GET", `/api/v1/certs/${certId}`)).statusCode).toBe(200);
    }
    expect(kindsOf(walt, plate.id)).toEqual(["created", "shared", "updated"]);
    expect(kindsOf(walt, sales.id)).toEqual(["created", "shared", "updated"]);
    expect(kindsOf(rita, plate.id)).toEqual(["created", "shared", "updated"]);
    expect(feeds.get(rita.id)?.kinds.has(sales.id)).toBe(false);
    // Receivers learn they received; never who else did (Lena's link acceptance is not in Bea's feed).
    expect(kindsOf(bea, plate.id)).toEqual(["created", "received", "updated"]);
    expect(kindsOf(bea, sales.id)).toEqual(["created", "received", "updated"]);
    expect(kindsOf(ray, plate.id)).toEqual(["created", "received", "updated"]);
    expect(feeds.get(ray.id)?.kinds.has(sales.id)).toBe(false);
    expect(kindsOf(lena, plate.id)).toEqual(["created", "received", "updated"]);
    expect(feeds.get(lena.id)?.kinds.has(hidden.id)).toBe(true);
    expect(feeds.get(xena.id)?.kinds.has(plate.id)).toBe(false);
    expect(feeds.get(bea.id)?.titles.get(sales.id)).toBe("Sales only (rev 2)");

    // Caught up: the returned cursor gives nothing new.
    for (const u of everyone) {
      const again = await changes(u, `cursor=${feeds.get(u.id)?.cursor ?? ""}`);
      expect(again).toMatchObject({ items: [], hasMore: false });
    }
  });

  it("pages with any page size to the same answer, and rejects a forged cursor", async () => {
    const one = await drain(walt, starts.get(walt.id) ?? "", 1);
    const big = await drain(walt, starts.get(walt.id) ?? "", 1000);
    expect([...one.kinds.keys()].sort()).toEqual([...big.kinds.keys()].sort());
    expect(one.cursor).toBe(big.cursor);
    expect((await w.request(walt, "GET", "/api/v1/changes?cursor=not-a-cursor")).statusCode).toBe(400);
    expect((await w.request(walt, "GET", `/api/v1/changes?cursor=${Buffer.from("c1.-4").toString("base64url")}`)).statusCode).toBe(400);
    expect((await w.request(null, "GET", "/api/v1/changes")).statusCode).toBe(401);
  });

  it("loses and repeats nothing while writers commit concurrently with the reader", { timeout: 20_000 }, async () => {
    const start = (await changes(sally, "latest=true")).cursor;
    const titles = Array.from({ length: 40 }, (_, i) => `Concurrent ${i}`);
    const seen = new Map<string, number>();
    let cursor = start;
    const writing = Promise.all(titles.map((title, i) => create(i % 2 === 0 ? sally : walt, { title, salesLocationId: undefined })));
    const state = { done: false };
    void writing.finally(() => (state.done = true)).catch(() => undefined);
    // Read in small pages while the writes land; then once more after the last commit.
    while (!state.done) {
      const page = await changes(sally, `cursor=${cursor}&limit=3`);
      for (const item of page.items) if (item.kinds.includes("created")) seen.set(item.cert.title, (seen.get(item.cert.title) ?? 0) + 1);
      cursor = page.cursor;
      // A reader polls; it also lets the writers' I/O run between pages.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await writing;
    const rest = await drain(sally, cursor, 3);
    for (const title of rest.titles.values()) seen.set(title, (seen.get(title) ?? 0) + 1);
    // Walt's certs are owned by North and South, so Sally (South) sees every one of them, once.
    expect([...seen.keys()].sort()).toEqual([...titles].sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it("announces a location's older certs to whoever joins it, as 'joined', and to no one else", { timeout: 20_000 }, async () => {
    const dock = await w.location(buyer, "Dock");
    const plate = await create(walt, { title: "Older plate" }); // owned by North and South
    const coil = await create(sally, { title: "Older coil" }); // owned by South only
    expect((await w.request(walt, "POST", `/api/v1/certs/${plate.id}/shares`, { locationId: yard })).statusCode).toBe(201);
    expect((await w.request(walt, "POST", `/api/v1/certs/${plate.id}/shares`, { locationId: dock })).statusCode).toBe(201);
    expect((await w.request(sally, "POST", `/api/v1/certs/${coil.id}/shares`, { locationId: dock })).statusCode).toBe(201);
    const listed = async (u: WorldUser) => {
      const ids: string[] = [];
      for (let cursor: string | null = ""; cursor !== null; ) {
        const page: { items: Cert[]; nextCursor: string | null } = (await w.request(u, "GET", `/api/v1/certs?limit=100${cursor ? `&cursor=${cursor}` : ""}`)).json();
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      }
      return ids.sort();
    };
    // Cursors after the certs and shares, before anyone joins: the joins must be all that is new.
    const before = new Map(await Promise.all(everyone.map(async (u) => [u.id, (await changes(u, "latest=true")).cursor] as const)));
    const listedBefore = new Map(await Promise.all(everyone.map(async (u) => [u.id, await listed(u)] as const)));

    // Rita (North) joins South: the coil is news; the plate she saw through North is not.
    await w.setMembership(rita, [north, south]);
    // Ray (Yard) joins Dock too, keeping Yard: the coil is news; the plate came to Yard already,
    // and keeping Yard must not announce Yard's certs again.
    await w.setMembership(ray, [yard, dock]);
    // Nora arrives in Yard and Dock at once (one insert of two rows): the plate, received by both,
    // and the coil are news to her, the plate once.
    const cursorBeforeNora = (await changes(bea, "latest=true")).cursor;
    const nora = await w.user(buyer, [], [yard, dock], "Nora");

    for (const u of everyone) {
      const feed = await drain(u, before.get(u.id) ?? "", 1);
      const gained = (await listed(u)).filter((id) => !(listedBefore.get(u.id) ?? []).includes(id));
      expect([...feed.kinds.keys()].sort(), `feed of ${u.id} after the joins`).toEqual(gained);
      for (const kinds of feed.kinds.values()) expect([...kinds]).toEqual(["joined"]);
    }
    // (South's earlier certs are news to Rita as well; the loop above compared all of them.)
    const ritaFeed = await drain(rita, before.get(rita.id) ?? "", 5);
    expect(ritaFeed.kinds.has(coil.id)).toBe(true);
    expect(ritaFeed.kinds.has(plate.id)).toBe(false);
    expect([...(await drain(ray, before.get(ray.id) ?? "", 5)).kinds.keys()]).toEqual([coil.id]);
    const noraFeed = await drain(nora, cursorBeforeNora, 1);
    expect(noraFeed.kinds.has(plate.id) && noraFeed.kinds.has(coil.id)).toBe(true);
    expect([...noraFeed.kinds.keys()].sort()).toEqual(await listed(nora));
    for (const kinds of noraFeed.kinds.values()) expect([...kinds]).toEqual(["joined"]);

    // And the whole history still equals listCerts for everyone.
    for (const u of [...everyone, nora]) {
      // Nora has no start cursor: hers is the beginning of the feed.
      const fed = [...(await drain(u, starts.get(u.id) ?? Buffer.from("c1.0").toString("base64url"), 100)).kinds.keys()].sort();
      expect(fed, `feed of ${u.id} from the start`).toEqual(await listed(u));
    }
  });

  async function yardOf(user: WorldUser): Promise<string> {
    const me = (await w.request(user, "GET", "/api/v1/me")).json<{ user: { locationIds: string[] } }>();
    const yard = me.user.locationIds[0];
    if (!yard) throw new Error("user without a location");
    return yard;
  }
});
