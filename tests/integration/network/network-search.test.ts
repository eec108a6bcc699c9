import { afterAll, beforeAll, expect, it } from "vitest";
import { problemTypes } from "../../../shared/protocol/problem";
import { describeEachDatabase } from "../../support/databases";
import { NetworkWorld, type WorldUser } from "../../support/network-world";
import { TestIssuer } from "../../support/test-issuer";

/** Finding people to share with: names and ids only; exact email lookup through the blind index. */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-api");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("network search and email lookup", (current) => {
  let w: NetworkWorld;
  let asker: WorldUser;
  let target: WorldUser;
  let targetLocation: string;

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, env: { LOOKUP_RATE_LIMIT_PER_USER: "5" } });
    const a = await w.org("Askers");
    asker = await w.user(a, ["writer"], [await w.location(a)], "Asker");
    const t = await w.org("Zircon Tubes");
    targetLocation = await w.location(t, "Zircon Hub");
    target = await w.user(t, [], [targetLocation], "Zelda Zircon");
  });
  afterAll(async () => {
    await w.close();
  });

  it("finds companies, locations and users by name, without personal data", async () => {
    const response = await w.request(asker, "GET", "/api/v1/network/search?q=zirc");
    expect(response.statusCode).toBe(200);
    const result = response.json<{ companies: { name: string }[]; locations: { id: string; orgName: string }[]; users: { id: string; displayName: string }[] }>();
    expect(result.companies.map((c) => c.name)).toEqual([expect.stringContaining("Zircon Tubes")]);
    expect(result.locations.map((l) => l.id)).toEqual([targetLocation]);
    expect(result.users).toEqual([expect.objectContaining({ id: target.id, displayName: "Zelda Zircon" })]);
    expect(response.body).not.toContain("@");
    expect((await w.request(asker, "GET", "/api/v1/network/search?q=%25_%25")).json()).toEqual({ companies: [], locations: [], users: [] });
    expect((await w.request(asker, "GET", "/api/v1/network/search?q=z")).statusCode).toBe(400);
    expect((await w.request(null, "GET", "/api/v1/network/search?q=zirc")).statusCode).toBe(401);
  });

  it("looks up an exact email address (case-insensitive) and nothing else", async () => {
    const found = await w.request(asker, "POST", "/api/v1/network/lookup-email", { email: target.email.toUpperCase() });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ userId: target.id, displayName: "Zelda Zircon", orgName: expect.stringContaining("Zircon Tubes") as string, locations: [{ id: targetLocation, name: "Zircon Hub" }] });
    expect(found.body).not.toContain(target.email);
    const partial = await w.request(asker, "POST", "/api/v1/network/lookup-email", { email: target.email.replace(/^user/, "usr") });
    expect(partial.statusCode).toBe(404);
    expect(partial.json()).toMatchObject({ type: problemTypes.notFound });
  });

  it("rate-limits lookups per user", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await w.request(asker, "POST", "/api/v1/network/lookup-email", { email: `nobody${i}@example.com` })).statusCode);
    expect(statuses).toContain(429);
  });
});
