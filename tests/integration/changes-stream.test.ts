import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { StreamTicket } from "../../shared/protocol/sync";
import { describeEachDatabase } from "../support/databases";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { TestIssuer } from "../support/test-issuer";

/**
 * The change stream over real HTTP: ticket-authenticated (single use, signed), and it hints only
 * when something the listener can view changed.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-stream");
});
afterAll(async () => {
  await issuer.stop();
});

/** The events of an open stream as they arrive. */
class EventLog {
  readonly events: string[] = [];
  readonly #controller = new AbortController();

  static async open(url: string): Promise<{ status: number; log: EventLog; contentType: string | null }> {
    const log = new EventLog();
    const response = await fetch(url, { signal: log.#controller.signal, headers: { accept: "text/event-stream" } });
    if (response.ok && response.body) void log.#read(response.body);
    return { status: response.status, log, contentType: response.headers.get("content-type") };
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      const reader = body.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        buffer += decoder.decode(next.value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          if (name) this.events.push(name);
        }
      }
    } catch {
      // aborted by close()
    }
  }

  async waitFor(name: string, count: number, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.events.filter((e) => e === name).length < count) {
      if (Date.now() > until) throw new Error(`no ${count}× "${name}" within ${timeoutMs} ms; got ${this.events.join(",")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  close(): void {
    this.#controller.abort();
  }
}

describeEachDatabase("change stream", (current) => {
  let w: NetworkWorld;
  let base: string;
  let walt: WorldUser, ray: WorldUser, bea: WorldUser;
  let yard: string;

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
    const mill = await w.org("Mill");
    const north = await w.location(mill, "North");
    const buyer = await w.org("Buyer");
    yard = await w.location(buyer, "Yard");
    walt = await w.user(mill, ["writer"], [north], "Walt");
    ray = await w.user(buyer, [], [yard], "Ray");
    bea = await w.user(buyer, ["writer"], [yard], "Bea");
    await w.app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await w.close();
  });

  const ticket = async (as: WorldUser) => {
    const response = await w.request(as, "POST", "/api/v1/changes/stream-tickets");
    expect(response.statusCode, response.body).toBe(201);
    return response.json<StreamTicket>();
  };

  it("hints the listener only about certs they can view", async () => {
    const { ticket: t } = await ticket(ray);
    const { status, log, contentType } = await EventLog.open(`${base}/api/v1/changes/stream?ticket=${encodeURIComponent(t)}`);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/event-stream/);
    try {
      await log.waitFor("ready", 1);
      // Walt's own cert: Ray cannot view it, so no hint (two poll periods pass).
      const cert = (await w.request(walt, "POST", "/api/v1/certs", { title: "Not for Ray" })).json<{ id: string }>();
      await new Promise((r) => setTimeout(r, 2500));
      expect(log.events.filter((e) => e === "changed")).toEqual([]);
      // Shared to Ray's location: now it is his business.
      expect((await w.request(walt, "POST", `/api/v1/certs/${cert.id}/shares`, { locationId: yard })).statusCode).toBe(201);
      await log.waitFor("changed", 1);
    } finally {
      log.close();
    }
  });

  it("hints a member who joins a location with older certs, and none of its other members", async () => {
    const dock = await w.location(bea.orgId, "Dock");
    const cert = (await w.request(walt, "POST", "/api/v1/certs", { title: "Older, at the dock" })).json<{ id: string }>();
    expect((await w.request(walt, "POST", `/api/v1/certs/${cert.id}/shares`, { locationId: dock })).statusCode).toBe(201);
    const dora = await w.user(bea.orgId, [], [dock], "Dora");
    const [joiner, member] = await Promise.all([ray, dora].map(async (u) => EventLog.open((await ticket(u)).url.replace(/^https?:\/\/[^/]+/, base))));
    if (!joiner || !member) throw new Error("streams did not open");
    try {
      await joiner.log.waitFor("ready", 1);
      await member.log.waitFor("ready", 1);
      await w.setMembership(ray, [yard, dock]);
      await joiner.log.waitFor("changed", 1);
      // Two more poll periods: Dora, already at the dock, hears nothing of Ray's arrival.
      await new Promise((r) => setTimeout(r, 2500));
      expect(member.log.events.filter((e) => e === "changed")).toEqual([]);
    } finally {
      joiner.log.close();
      member.log.close();
    }
  });

  it("accepts a ticket once, only unaltered, and never without one", async () => {
    const { ticket: t, url } = await ticket(bea);
    expect(url).toContain("/api/v1/changes/stream?ticket=");
    const first = await EventLog.open(`${base}/api/v1/changes/stream?ticket=${encodeURIComponent(t)}`);
    expect(first.status).toBe(200);
    first.log.close();
    const again = await EventLog.open(`${base}/api/v1/changes/stream?ticket=${encodeURIComponent(t)}`);
    expect(again.status).toBe(401);
    const { ticket: t2 } = await ticket(bea);
    const [payload, signature] = t2.split(".");
    const forged = Buffer.from(JSON.stringify([walt.id, walt.orgId, Date.now() + 60_000, "x"])).toString("base64url");
    expect((await EventLog.open(`${base}/api/v1/changes/stream?ticket=${forged}.${signature ?? ""}`)).status).toBe(401);
    expect((await EventLog.open(`${base}/api/v1/changes/stream?ticket=${payload ?? ""}.AAAA`)).status).toBe(401);
    expect((await EventLog.open(`${base}/api/v1/changes/stream`)).status).toBe(400);
    expect((await w.request(null, "POST", "/api/v1/changes/stream-tickets")).statusCode).toBe(401);
  });

  it("accepts a ticket once across instances: a second server on the same database refuses it, and of racing redemptions one wins", async () => {
    const second = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
    try {
      await second.app.listen({ host: "127.0.0.1", port: 0 });
      const otherBase = `http://127.0.0.1:${(second.app.server.address() as AddressInfo).port}`;
      const { ticket: t } = await ticket(bea);
      const first = await EventLog.open(`${base}/api/v1/changes/stream?ticket=${encodeURIComponent(t)}`);
      expect(first.status).toBe(200);
      first.log.close();
      expect((await EventLog.open(`${otherBase}/api/v1/changes/stream?ticket=${encodeURIComponent(t)}`)).status).toBe(401);

      const { ticket: raced } = await ticket(bea);
      const attempts = await Promise.all([base, otherBase, base, otherBase].map((b) => EventLog.open(`${b}/api/v1/changes/stream?ticket=${encodeURIComponent(raced)}`)));
      expect(attempts.map((a) => a.status).sort()).toEqual([200, 401, 401, 401]);
      for (const a of attempts) a.log.close();
    } finally {
      await second.close();
    }
  });
});
