import { afterAll, beforeAll, expect, it } from "vitest";
import { CertRepository } from "../../../backend/certs/cert-repository";
import { describeEachDatabase } from "../../support/databases";
import { NetworkWorld, type WorldUser } from "../../support/network-world";
import { TestIssuer } from "../../support/test-issuer";

/**
 * getCert reads the signed-in principal and the cert in one statement (`principalWithCert`), where
 * every other route reads the principal (`findPrincipalByIdentity`) and then the cert
 * (`getWithReceipt`). The one statement must read exactly what the two do, for every kind of
 * viewer, and the route must keep authentication's other duties: binding a first sign-in to its
 * invitation, and counting against the same per-user limit as every other route.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-get-cert-one-statement");
});
afterAll(async () => {
  await issuer.stop();
});

/** Above what the setup's writer sends (seven writes). */
const PER_USER_LIMIT = 12;

describeEachDatabase("getCert's one statement", (current) => {
  let w: NetworkWorld;
  let users: WorldUser[];
  let certIds: string[];
  let northLocation: string;

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, env: { RATE_LIMIT_PER_USER: String(PER_USER_LIMIT) } });
    const mill = await w.org("Mill");
    const [north, south] = [await w.location(mill, "North"), await w.location(mill, "South")];
    northLocation = north;
    const buyer = await w.org("Buyer");
    const yard = await w.location(buyer, "Yard");
    const writer = await w.user(mill, ["writer"], [north, south], "Walt");
    const southOnly = await w.user(mill, ["admin"], [south], "Sam");
    const nowhere = await w.user(mill, [], [], "Nora");
    const buyerInYard = await w.user(buyer, ["writer"], [yard], "Bea");
    const buyerNowhere = await w.user(buyer, [], [], "Bob");
    users = [writer, southOnly, nowhere, buyerInYard, buyerNowhere];
    const create = async (body: object) => ((await w.request(writer, "POST", "/api/v1/certs", body)).json<{ id: string }>()).id;
    const both = await create({ title: "Owned by both locations" });
    const southSales = await create({ title: "Sales Location South", salesLocationId: south });
    const toUser = await create({ title: "Shared to a buyer" });
    const toLocation = await create({ title: "Shared to the yard" });
    expect((await w.request(writer, "POST", `/api/v1/certs/${toUser}/shares`, { userId: buyerNowhere.id })).statusCode).toBe(201);
    expect((await w.request(writer, "POST", `/api/v1/certs/${toLocation}/shares`, { locationId: yard })).statusCode).toBe(201);
    expect((await w.request(writer, "POST", `/api/v1/certs/${toLocation}/shares`, { userId: buyerInYard.id })).statusCode).toBe(201);
    certIds = [both, southSales, toUser, toLocation, "00000000-0000-4000-8000-00000000dead"];
  });
  afterAll(async () => {
    await w.close();
  });

  it("reads the same principal, cert, owners and receipt as the two statements, for every viewer and cert", async () => {
    const repository = new CertRepository(current().db);
    // Every user signs in once first, so each identity is bound.
    for (const user of users) expect((await w.request(user, "GET", "/api/v1/me")).statusCode).toBe(200);
    let compared = 0;
    for (const user of users) {
      const subject = `sub-${user.id}`;
      const principal = await w.orgs.findPrincipalByIdentity(issuer.config.issuer, subject);
      expect(principal?.id).toBe(user.id);
      for (const certId of certIds) {
        const separately = principal && (await repository.getWithReceipt(certId, principal));
        const together = await repository.principalWithCert(issuer.config.issuer, subject, certId);
        expect(together).toEqual({ principal, found: separately ?? null });
        compared++;
      }
    }
    expect(compared).toBe(users.length * certIds.length);
    expect(await repository.principalWithCert(issuer.config.issuer, "sub-nobody", certIds[0] ?? "")).toBeUndefined();
  });

  it("binds a first sign-in to its invitation when getCert is the first request, then answers by the rules", async () => {
    const newcomer = await w.user(users[0]?.orgId ?? "", [], [northLocation], "Newcomer");
    expect(await w.orgs.findPrincipalByIdentity(issuer.config.issuer, `sub-${newcomer.id}`)).toBeUndefined();
    // Not yet bound: the one statement finds no principal, authentication binds the invitation and
    // the cert is read the usual way. A member of North sees the cert North owns.
    const seen = await w.request(newcomer, "GET", `/api/v1/certs/${certIds[0] ?? ""}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<{ title: string }>().title).toBe("Owned by both locations");
    expect((await w.orgs.findPrincipalByIdentity(issuer.config.issuer, `sub-${newcomer.id}`))?.id).toBe(newcomer.id);
    // …and not the cert whose Sales Location is South.
    expect((await w.request(newcomer, "GET", `/api/v1/certs/${certIds[1] ?? ""}`)).statusCode).toBe(404);
  });

  it("counts getCert against the same per-user limit as every other API route", async () => {
    const user = await w.user(users[0]?.orgId ?? "", [], [], "Limited");
    const answers: number[] = [];
    for (let i = 0; i < PER_USER_LIMIT / 2 + 1; i++) {
      answers.push((await w.request(user, "GET", `/api/v1/certs/${certIds[0] ?? ""}`)).statusCode);
      answers.push((await w.request(user, "GET", "/api/v1/certs?scope=all&limit=5")).statusCode);
    }
    // PER_USER_LIMIT requests a minute across both routes; the next ones, whichever route, are refused.
    expect(answers.slice(0, PER_USER_LIMIT).every((status) => status !== 429)).toBe(true);
    expect(answers.slice(PER_USER_LIMIT)).toEqual([429, 429]);
  });
});
