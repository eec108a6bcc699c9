import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cert } from "../../../shared/protocol/certs";
import { describeEachDatabase } from "../../support/databases";
import { NetworkWorld, type WorldUser } from "../../support/network-world";
import { TestIssuer } from "../../support/test-issuer";

/** The cert API end to end through HTTP: create, read, search, page, amend, share, link, copy, audit. */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("certs API", (current) => {
  let w: NetworkWorld;
  let mill: { org: string; north: string; south: string };
  let buyer: { org: string; yard: string };
  let writer: WorldUser, southWriter: WorldUser, reader: WorldUser, buyerWriter: WorldUser, buyerReader: WorldUser;

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
    const millOrg = await w.org("Mill");
    mill = { org: millOrg, north: await w.location(millOrg, "North Works"), south: await w.location(millOrg, "South Sales") };
    const buyerOrg = await w.org("Buyer");
    buyer = { org: buyerOrg, yard: await w.location(buyerOrg, "Receiving Yard") };
    writer = await w.user(mill.org, ["writer"], [mill.north, mill.south], "Walt");
    southWriter = await w.user(mill.org, ["writer"], [mill.south], "Sally");
    reader = await w.user(mill.org, [], [mill.north], "Rita");
    buyerWriter = await w.user(buyer.org, ["writer"], [buyer.yard], "Bea");
    buyerReader = await w.user(buyer.org, [], [buyer.yard], "Ray");
  });
  afterAll(async () => {
    await w.close();
  });

  const create = async (as: WorldUser, body: object) => {
    const response = await w.request(as, "POST", "/api/v1/certs", body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Cert>();
  };

  it("creates a cert owned by all of the creator's locations, or by the Sales Location", async () => {
    const all = await create(writer, { title: "Plate S355", poNumbers: ["4512"], heatNumbers: ["8H1234"], metadata: { grade: "S355J2" } });
    expect(all.ownerLocationIds.sort()).toEqual([mill.north, mill.south].sort());
    expect(all.access).toEqual({ side: "owner", canEdit: true, canShare: true, canCopy: true, canViewActivity: true });
    const sales = await create(writer, { title: "Sales only", salesLocationId: mill.south });
    expect(sales.ownerLocationIds).toEqual([mill.south]);
    // North's reader does not see a cert owned by South only.
    expect((await w.request(reader, "GET", `/api/v1/certs/${sales.id}`)).statusCode).toBe(404);
    expect((await w.request(reader, "GET", `/api/v1/certs/${all.id}`)).json<Cert>().access).toMatchObject({ side: "owner", canEdit: false });
  });

  it("refuses creation without Writer, or with a Sales Location that is not the creator's", async () => {
    expect((await w.request(reader, "POST", "/api/v1/certs", { title: "x" })).statusCode).toBe(403);
    expect((await w.request(southWriter, "POST", "/api/v1/certs", { title: "x", salesLocationId: mill.north })).statusCode).toBe(403);
    expect((await w.request(writer, "POST", "/api/v1/certs", { title: "" })).statusCode).toBe(400);
  });

  it("searches and pages through visible certs", async () => {
    for (let i = 0; i < 5; i++) await create(southWriter, { title: `Batch ${i}`, heatNumbers: [`HX-${i}`], standard: "EN 10204 3.1" });
    const page1 = (await w.request(southWriter, "GET", "/api/v1/certs?q=en%2010204&limit=2")).json<{ items: Cert[]; nextCursor: string | null }>();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).not.toBeNull();
    const seen = [...page1.items];
    let cursor = page1.nextCursor;
    while (cursor) {
      const next = (await w.request(southWriter, "GET", `/api/v1/certs?q=en%2010204&limit=2&cursor=${cursor}`)).json<{ items: Cert[]; nextCursor: string | null }>();
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    expect(seen.map((c) => c.title).sort()).toEqual(["Batch 0", "Batch 1", "Batch 2", "Batch 3", "Batch 4"]);
    const byHeat = (await w.request(southWriter, "GET", "/api/v1/certs?q=hx-3")).json<{ items: Cert[] }>();
    expect(byHeat.items.map((c) => c.title)).toEqual(["Batch 3"]);
    const byMetadata = (await w.request(writer, "GET", "/api/v1/certs?q=s355j2")).json<{ items: Cert[] }>();
    expect(byMetadata.items.map((c) => c.title)).toEqual(["Plate S355"]);
    expect((await w.request(writer, "GET", "/api/v1/certs?cursor=garbage")).statusCode).toBe(400);
    expect((await w.request(buyerWriter, "GET", "/api/v1/certs?q=batch")).json<{ items: Cert[] }>().items).toEqual([]);
  });

  it("shares to a location of another organization, permanently and read-only", async () => {
    const cert = await create(writer, { title: "For the buyer", poNumbers: ["PO-77"] });
    const shared = await w.request(writer, "POST", `/api/v1/certs/${cert.id}/shares`, { locationId: buyer.yard, conversationRef: "thread-abc" });
    expect(shared.statusCode, shared.body).toBe(201);
    expect(shared.json()).toMatchObject({ target: { kind: "location", locationId: buyer.yard, name: "Receiving Yard" } });

    const received = (await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).json<Cert>();
    expect(received.access).toEqual({ side: "receiver", canEdit: false, canShare: false, canCopy: false, canViewActivity: false });
    expect(received.publicLink).toBeNull();
    expect((await w.request(buyerReader, "GET", "/api/v1/certs?scope=received")).json<{ items: Cert[] }>().items.map((c) => c.id)).toContain(cert.id);
    expect((await w.request(buyerReader, "GET", "/api/v1/certs?scope=owned")).json<{ items: Cert[] }>().items).toEqual([]);

    const amend = await w.request(buyerWriter, "PATCH", `/api/v1/certs/${cert.id}`, { title: "Mine now" });
    expect(amend.statusCode).toBe(403);
    expect((await w.request(buyerWriter, "GET", `/api/v1/certs/${cert.id}/activity`)).statusCode).toBe(403);

    // The owner amends; the receiver sees the amendment.
    expect((await w.request(writer, "PATCH", `/api/v1/certs/${cert.id}`, { title: "For the buyer (rev 2)" })).statusCode).toBe(200);
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).json<Cert>()).toMatchObject({ title: "For the buyer (rev 2)", revision: 2 });

    const thread = await w.request(writer, "POST", "/api/v1/conversations/shares", { conversationRef: "thread-abc" });
    expect(thread.json()).toMatchObject({ items: [{ certId: cert.id }] });
    expect((await w.request(writer, "POST", "/api/v1/conversations/shares", { conversationRef: "other" })).json()).toEqual({ items: [] });
    // Another organization asking about the same conversation id learns nothing.
    expect((await w.request(buyerWriter, "POST", "/api/v1/conversations/shares", { conversationRef: "thread-abc" })).json()).toEqual({ items: [] });

    const activity = (await w.request(writer, "GET", `/api/v1/certs/${cert.id}/activity`)).json<{ items: { type: string }[] }>();
    expect(activity.items.map((e) => e.type)).toEqual(["created", "shared", "updated"]);
  });

  it("commits a share and its audit event together: a failed audit write leaves no share", async () => {
    const cert = await create(writer, { title: "All or nothing" });
    const { db, dialect } = current();
    // A trigger that refuses the "shared" audit event stands in for a crash between the two writes.
    if (dialect === "sqlite") {
      await sql`create trigger refuse_shared_event before insert on audit_events when new.type = 'shared' begin select raise(abort, 'refused for the test'); end`.execute(db);
    } else {
      await sql`create function refuse_shared_event() returns trigger language plpgsql as $$ begin if new.type = 'shared' then raise exception 'refused for the test'; end if; return new; end $$`.execute(db);
      await sql`create trigger refuse_shared_event before insert on audit_events for each row execute function refuse_shared_event()`.execute(db);
    }
    try {
      const refused = await w.request(writer, "POST", `/api/v1/certs/${cert.id}/shares`, { locationId: buyer.yard, conversationRef: "thread-atomic" });
      expect(refused.statusCode).toBe(500);
    } finally {
      if (dialect === "sqlite") await sql`drop trigger refuse_shared_event`.execute(db);
      else {
        await sql`drop trigger refuse_shared_event on audit_events`.execute(db);
        await sql`drop function refuse_shared_event()`.execute(db);
      }
    }
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(404);
    expect((await w.request(writer, "POST", "/api/v1/conversations/shares", { conversationRef: "thread-atomic" })).json()).toEqual({ items: [] });

    expect((await w.request(writer, "POST", `/api/v1/certs/${cert.id}/shares`, { locationId: buyer.yard })).statusCode).toBe(201);
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(200);
    const activity = (await w.request(writer, "GET", `/api/v1/certs/${cert.id}/activity`)).json<{ items: { type: string }[] }>();
    expect(activity.items.map((e) => e.type)).toEqual(["created", "shared"]);
  });

  it("answers 404 for unknown targets and for certs the caller cannot see", async () => {
    const cert = await create(writer, { title: "Private" });
    expect((await w.request(writer, "POST", `/api/v1/certs/${cert.id}/shares`, { userId: "6a1f0d36-0000-4000-8000-000000000000" })).statusCode).toBe(404);
    const foreign = await w.request(buyerWriter, "GET", `/api/v1/certs/${cert.id}`);
    const unknown = await w.request(buyerWriter, "GET", "/api/v1/certs/6a1f0d36-0000-4000-8000-000000000000");
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(unknown.json());
    expect((await w.request(buyerWriter, "POST", `/api/v1/certs/${cert.id}/shares`, { userId: buyerWriter.id })).statusCode).toBe(404);
    expect((await w.request(writer, "POST", `/api/v1/certs/${cert.id}/shares`, { userId: buyerWriter.id, locationId: buyer.yard })).statusCode).toBe(400);
  });

  it("runs the public link: preview without access, accept, turn off keeps receivers, QR", async () => {
    const cert = await create(writer, { title: "Linked cert", heatNumbers: ["LNK-1"] });
    expect((await w.request(writer, "GET", `/api/v1/certs/${cert.id}/qr`)).statusCode).toBe(409);
    const on = await w.request(writer, "PUT", `/api/v1/certs/${cert.id}/public-link`, { enabled: true });
    const url = on.json<{ url: string }>().url;
    expect(url).toMatch(/\/p\/[A-Za-z0-9_-]{20,}$/);
    const token = url.split("/p/")[1] ?? "";

    const preview = await w.app.inject({ method: "GET", url: `/p/${token}` });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain("Linked cert");
    expect(preview.body).toContain("LNK-1");
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(404);
    const json = await w.request(null, "POST", "/api/v1/public-links/preview", { token });
    expect(json.json()).toEqual({ title: "Linked cert", ownerOrgName: expect.stringContaining("Mill") as string, poNumbers: [], heatNumbers: ["LNK-1"], certNumbers: [], documentNames: [] });
    // Previews grant nothing.
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(404);

    const accepted = await w.request(buyerReader, "POST", "/api/v1/public-links/accept", { token });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<Cert>().access.side).toBe("receiver");

    const svg = await w.request(writer, "GET", `/api/v1/certs/${cert.id}/qr`);
    expect(svg.headers["content-type"]).toContain("image/svg+xml");
    expect(svg.body).toContain("<svg");
    const png = await w.request(writer, "GET", `/api/v1/certs/${cert.id}/qr?format=png`);
    expect(png.headers["content-type"]).toBe("image/png");
    expect(png.rawPayload.subarray(1, 4).toString()).toBe("PNG");
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}/qr`)).statusCode).toBe(403);

    expect((await w.request(writer, "PUT", `/api/v1/certs/${cert.id}/public-link`, { enabled: false })).json()).toEqual({ enabled: false, url: null });
    expect((await w.app.inject({ method: "GET", url: `/p/${token}` })).statusCode).toBe(404);
    expect((await w.request(null, "POST", "/api/v1/public-links/preview", { token })).statusCode).toBe(404);
    expect((await w.request(buyerWriter, "POST", "/api/v1/public-links/accept", { token })).statusCode).toBe(404);
    // Turning the link off stops new receivers only: Ray keeps the cert, Bea never got it.
    expect((await w.request(buyerReader, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(200);
    expect((await w.request(buyerWriter, "GET", `/api/v1/certs/${cert.id}`)).statusCode).toBe(404);
    // Turned on again, the link is a new URL: the old token stays dead.
    const again = (await w.request(writer, "PUT", `/api/v1/certs/${cert.id}/public-link`, { enabled: true })).json<{ url: string }>();
    expect(again.url).not.toBe(url);
    expect((await w.request(buyerWriter, "POST", "/api/v1/public-links/accept", { token })).statusCode).toBe(404);
  });
});
