import { randomBytes } from "node:crypto";
import fc from "fast-check";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cert, CertAccess } from "../../../shared/protocol/certs";
import { describeEachDatabase, type Dialect } from "../../support/databases";
import { NetworkWorld, type WorldUser } from "../../support/network-world";
import { TestIssuer } from "../../support/test-issuer";

/**
 * Model-based property test of DESIGN §2. Random organizations, locations and users, then a random
 * sequence of commands through the HTTP API; after every command, every (user, cert) pair and every
 * user's cert lists must agree with the small reference model below, which is written from DESIGN
 * §2 and deliberately shares no code with backend/access/policy.ts.
 *
 * Runs: 200 per dialect when CI is set; 40 otherwise, to keep local runs fast. FC_RUNS overrides
 * both, FC_SEED replays a failure (fast-check prints the seed, path and shrunk counterexample).
 */
const seed = Number(process.env.FC_SEED ?? Date.now());
const RUNS: Record<Dialect, number> = process.env.FC_RUNS
  ? { sqlite: Number(process.env.FC_RUNS), postgres: Number(process.env.FC_RUNS) }
  : process.env.CI
    ? { sqlite: 200, postgres: 200 }
    : { sqlite: 40, postgres: 40 };

// ---- The reference model (DESIGN §2) -------------------------------------------------------

interface ModelUser {
  w: WorldUser;
  orgId: string;
  writer: boolean;
  locations: Set<string>;
}

interface ModelCert {
  id: string;
  /** Amendments reach every viewer; a copy starts from the original's title and goes its own way. */
  title: string;
  /** The creator's locations, or the Sales Location alone. */
  owners: Set<string>;
  sharedToUsers: Set<string>;
  sharedToLocations: Set<string>;
  linkOn: boolean;
  /** Every public-link token the cert ever had; the last one is current while the link is on. */
  tokens: string[];
}

interface Model {
  users: ModelUser[];
  locations: { id: string; orgId: string }[];
  certs: ModelCert[];
}

const meets = (a: Set<string>, b: Set<string>) => [...a].some((x) => b.has(x));

/** What DESIGN §2 lets `user` do with `cert`; null: the user cannot even see it. */
function modelAccess(user: ModelUser, cert: ModelCert): CertAccess | null {
  // Creator side: members of an owning location, read live (late joiners in, leavers out).
  const owner = meets(cert.owners, user.locations);
  // Receiver side: shared to the user (or accepted through the public link), or to one of their locations.
  const receiver = cert.sharedToUsers.has(user.w.id) || meets(cert.sharedToLocations, user.locations);
  if (!owner && !receiver) return null;
  return {
    side: owner ? "owner" : "receiver",
    // Editing, sharing and the public link: creator side with Writer. Receivers never edit.
    canEdit: owner && user.writer,
    canShare: owner && user.writer,
    // A copy is a new cert in the copier's own organization: Writer and a location to own it.
    canCopy: user.writer && user.locations.size > 0,
    // Activity is the creator side's.
    canViewActivity: owner,
  };
}

/** 404 when the user cannot see the cert, 403 when the access lacks the right, else `ok`. */
function statusFor(access: CertAccess | null, allowed: (a: CertAccess) => boolean, ok: number): number {
  if (!access) return 404;
  return allowed(access) ? ok : 403;
}

// ---- Commands --------------------------------------------------------------------------------

/**
 * Who acts: an index into a pool of users. Preferring users who own or see the cert keeps runs
 * productive (a random user is usually refused); "any" keeps the refusals coming too.
 */
interface Who {
  prefer: "owner" | "viewer" | "any";
  index: number;
}

type Step =
  | { kind: "create"; actor: Who; sales: number | null }
  | { kind: "edit"; actor: Who; cert: number }
  | { kind: "shareUser"; actor: Who; cert: number; target: number }
  | { kind: "shareLocation"; actor: Who; cert: number; target: number }
  | { kind: "setLink"; actor: Who; cert: number; enabled: boolean }
  | { kind: "accept"; actor: Who; cert: number; linked: boolean; stale: boolean }
  | { kind: "copy"; actor: Who; cert: number }
  | { kind: "membership"; user: Who; cert: number; location: number; move: boolean }
  | { kind: "writer"; user: Who; cert: number; writer: boolean };

const n = fc.nat({ max: 99 });
// Two in three commands on certs hit the run's first cert, so that link on/off/on, accept-then-leave
// and the like happen to one cert often enough; the rest spread over all certs.
const certIndex = fc.oneof({ weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: n });
const who: fc.Arbitrary<Who> = fc.record({ prefer: fc.constantFrom("owner", "viewer", "any"), index: n });
const createArb: fc.Arbitrary<Step> = fc.record({ kind: fc.constant("create" as const), actor: who, sales: fc.option(n, { nil: null, freq: 2 }) });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: createArb },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("edit" as const), actor: who, cert: certIndex }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shareUser" as const), actor: who, cert: certIndex, target: n }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("shareLocation" as const), actor: who, cert: certIndex, target: n }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("setLink" as const), actor: who, cert: certIndex, enabled: fc.nat({ max: 2 }).map((x) => x > 0) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("accept" as const), actor: who, cert: certIndex, linked: fc.nat({ max: 3 }).map((x) => x > 0), stale: fc.nat({ max: 3 }).map((x) => x === 0) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("copy" as const), actor: who, cert: certIndex }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("membership" as const), user: who, cert: certIndex, location: n, move: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("writer" as const), user: who, cert: certIndex, writer: fc.boolean() }) },
);

interface OrgSpec {
  locations: number;
  users: { writer: boolean; memberships: [boolean, boolean] }[];
}
const orgArb: fc.Arbitrary<OrgSpec> = fc.record({
  // Two thirds of the organizations have two locations, so membership changes have somewhere to go.
  locations: fc.nat({ max: 2 }).map((x) => (x === 0 ? 1 : 2)),
  users: fc.array(fc.record({ writer: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), memberships: fc.tuple(fc.boolean(), fc.boolean()) }), { minLength: 1, maxLength: 2 }),
});
const worldArb = fc.array(orgArb, { minLength: 2, maxLength: 3 });
// 5–16 steps. The first one or two create certs and most runs then turn the first cert's public
// link on, so the random rest has something to share, accept, copy and lose.
const linkFirst: fc.Arbitrary<Step[]> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("setLink" as const), actor: fc.record({ prefer: fc.constant("owner" as const), index: n }), cert: fc.constant(0), enabled: fc.constant(true) }).map((s) => [s]) },
  { weight: 1, arbitrary: fc.constant<Step[]>([]) },
);
const stepsArb = fc
  .tuple(fc.array(createArb, { minLength: 1, maxLength: 2 }), linkFirst, fc.array(stepArb, { minLength: 4, maxLength: 13 }))
  .map(([creates, link, rest]) => [...creates, ...link, ...rest]);

const pick = <T>(items: readonly T[], index: number): T | undefined => items[index % Math.max(items.length, 1)];

/** The acting user: from the preferred pool (about `cert` when there is one), else from everyone. */
function resolve(model: Model, who: Who, cert: ModelCert | undefined): ModelUser | undefined {
  const pool = model.users.filter((u) => {
    if (who.prefer === "any") return true;
    if (!cert) return who.prefer === "owner" ? u.writer : model.certs.some((c) => modelAccess(u, c));
    const access = modelAccess(u, cert);
    return who.prefer === "owner" ? access?.side === "owner" : access !== null;
  });
  return pick(pool.length > 0 ? pool : model.users, who.index);
}

// ---- The test --------------------------------------------------------------------------------

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-access-model");
});
afterAll(async () => {
  await issuer.stop();
});

describeEachDatabase("access model (DESIGN §2, property)", (current) => {
  let w: NetworkWorld;
  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer });
  });
  afterAll(async () => {
    await w.close();
  });

  /** The status of the command's API call, tallied per command to show how productive runs are. */
  let lastStatus: number | undefined;
  const takeStatus = (): number | undefined => {
    const status = lastStatus;
    lastStatus = undefined;
    return status;
  };
  const outcomes = new Map<string, number>();
  const call = async (as: WorldUser, method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: object): Promise<LightMyRequestResponse> => {
    const response = await w.request(as, method, url, payload);
    lastStatus = response.statusCode;
    return response;
  };
  const tokenOf = (url: string | null) => (url ? (url.split("/p/")[1] ?? "") : null);

  /** Fresh organizations for every run: runs share the app and database but nothing else. */
  async function setUp(spec: OrgSpec[]): Promise<Model> {
    const model: Model = { users: [], locations: [], certs: [] };
    for (const org of spec) {
      const orgId = await w.org("Prop");
      const locs: string[] = [];
      for (let i = 0; i < org.locations; i++) locs.push(await w.location(orgId));
      model.locations.push(...locs.map((id) => ({ id, orgId })));
      for (const u of org.users) {
        const chosen = locs.filter((_, i) => u.memberships[i]);
        const locations = chosen.length > 0 ? chosen : locs.slice(0, 1);
        const user = await w.user(orgId, u.writer ? ["writer"] : [], locations);
        model.users.push({ w: user, orgId, writer: u.writer, locations: new Set(locations) });
      }
    }
    return model;
  }

  /** Plays one command on the API and on the model; they must agree on the outcome. */
  async function play(model: Model, step: Step): Promise<void> {
    if (step.kind === "membership" || step.kind === "writer") {
      // The user is picked among those who own or see `cert` (when preferred), so changes matter.
      const user = resolve(model, step.user, pick(model.certs, step.cert));
      if (!user) return;
      if (step.kind === "writer") {
        await w.orgs.updateUser(user.orgId, user.w.id, { roles: step.writer ? ["writer"] : [] });
        user.writer = step.writer;
        return;
      }
      const own = model.locations.filter((l) => l.orgId === user.orgId);
      const location = pick(own, step.location);
      if (!location) return;
      // Toggle one location, or move: that location becomes the user's only one.
      const next = new Set(step.move ? [location.id] : user.locations);
      if (!step.move && next.has(location.id)) next.delete(location.id);
      else next.add(location.id);
      // A user is a member of one or more locations (DESIGN §2; the admin API refuses none).
      if (next.size === 0) return;
      await w.setMembership(user.w, [...next]);
      user.locations = next;
      return;
    }
    if (step.kind === "create") {
      const actor = resolve(model, step.actor, undefined);
      if (!actor) return;
      // The Sales Location is one of the creator's organization's locations, not always theirs.
      const sales = step.sales === null ? undefined : pick(model.locations.filter((l) => l.orgId === actor.orgId), step.sales)?.id;
      // Creating needs Writer; a Sales Location must be one of the creator's locations.
      const allowed = actor.writer && actor.locations.size > 0 && (sales === undefined || actor.locations.has(sales));
      const response = await call(actor.w, "POST", "/api/v1/certs", { title: "Prop cert", ...(sales ? { salesLocationId: sales } : {}) });
      expect(response.statusCode, response.body).toBe(allowed ? 201 : 403);
      if (!allowed) return;
      const cert = response.json<Cert>();
      const owners = new Set(sales ? [sales] : actor.locations);
      expect(new Set(cert.ownerLocationIds)).toEqual(owners);
      model.certs.push({ id: cert.id, title: "Prop cert", owners, sharedToUsers: new Set(), sharedToLocations: new Set(), linkOn: false, tokens: [] });
      return;
    }
    // Accepting mostly targets a cert whose link is on, or nothing would ever be accepted.
    const linked = step.kind === "accept" && step.linked ? model.certs.filter((c) => c.linkOn) : [];
    const cert = pick(linked.length > 0 ? linked : model.certs, step.cert);
    const actor = resolve(model, step.actor, cert);
    if (!cert || !actor) return;
    const access = modelAccess(actor, cert);
    const base = `/api/v1/certs/${cert.id}`;
    switch (step.kind) {
      case "edit": {
        const title = `Amended ${randomBytes(4).toString("hex")}`;
        const response = await call(actor.w, "PATCH", base, { title });
        const expected = statusFor(access, (a) => a.canEdit, 200);
        expect(response.statusCode, response.body).toBe(expected);
        if (expected === 200) cert.title = title;
        return;
      }
      case "shareUser":
      case "shareLocation": {
        const target = step.kind === "shareUser" ? pick(model.users, step.target)?.w.id : pick(model.locations, step.target)?.id;
        if (!target) return;
        const response = await call(actor.w, "POST", `${base}/shares`, step.kind === "shareUser" ? { userId: target } : { locationId: target });
        const expected = statusFor(access, (a) => a.canShare, 201);
        expect(response.statusCode, response.body).toBe(expected);
        if (expected === 201) (step.kind === "shareUser" ? cert.sharedToUsers : cert.sharedToLocations).add(target);
        return;
      }
      case "setLink": {
        const response = await call(actor.w, "PUT", `${base}/public-link`, { enabled: step.enabled });
        const expected = statusFor(access, (a) => a.canShare, 200);
        expect(response.statusCode, response.body).toBe(expected);
        if (expected !== 200) return;
        const link = response.json<{ enabled: boolean; url: string | null }>();
        expect(link.enabled).toBe(step.enabled);
        const token = tokenOf(link.url);
        if (!step.enabled) expect(token).toBeNull();
        else if (cert.linkOn) expect(token).toBe(cert.tokens.at(-1)); // already on: the same link
        else {
          // Turned on (again): a new link; no earlier token comes back to life.
          expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
          expect(cert.tokens).not.toContain(token);
          cert.tokens.push(token ?? "");
        }
        cert.linkOn = step.enabled;
        return;
      }
      case "accept": {
        // The current token, an earlier one, or (for a cert never linked) one that never existed.
        const token = (step.stale ? cert.tokens.at(-2) : cert.tokens.at(-1)) ?? randomBytes(32).toString("base64url");
        const live = cert.linkOn && token === cert.tokens.at(-1);
        const response = await call(actor.w, "POST", "/api/v1/public-links/accept", { token });
        expect(response.statusCode, response.body).toBe(live ? 200 : 404);
        // Opening a live public link makes the user a receiver, in perpetuity.
        if (live) cert.sharedToUsers.add(actor.w.id);
        return;
      }
      case "copy": {
        const response = await call(actor.w, "POST", `${base}/copy`);
        const expected = statusFor(access, (a) => a.canCopy, 201);
        expect(response.statusCode, response.body).toBe(expected);
        if (expected !== 201) return;
        const copy = response.json<Cert>();
        expect(copy.copiedFrom).toBe(cert.id);
        expect(new Set(copy.ownerLocationIds)).toEqual(actor.locations);
        model.certs.push({ id: copy.id, title: cert.title, owners: new Set(actor.locations), sharedToUsers: new Set(), sharedToLocations: new Set(), linkOn: false, tokens: [] });
        return;
      }
    }
  }

  /**
   * After every command: every (user, cert) pair and every user's lists agree with the model.
   * The checks run concurrently, but all of them settle before a failure is reported, so no
   * request of a failed run is still in flight while fast-check shrinks.
   */
  async function agree(model: Model, after: string): Promise<void> {
    const checks = model.users.flatMap((user) => [...model.certs.map((cert) => agreeOnCert(user, cert, after)), agreeOnLists(model, user, after)]);
    const failed = (await Promise.allSettled(checks)).find((r) => r.status === "rejected");
    if (failed) throw failed.reason as Error;
  }

  async function agreeOnCert(user: ModelUser, cert: ModelCert, after: string): Promise<void> {
    const expected = modelAccess(user, cert);
    const response = await w.request(user.w, "GET", `/api/v1/certs/${cert.id}`);
    const what = `${after}: getCert(${cert.id}) as ${user.w.id}`;
    expect(response.statusCode, `${what}: ${response.body}`).toBe(expected ? 200 : 404);
    if (!expected) return;
    const got = response.json<Cert>();
    expect(got.access, what).toEqual(expected);
    expect(got.title, what).toBe(cert.title);
    if (expected.side === "receiver") expect(got.publicLink, what).toBeNull();
    else expect({ enabled: got.publicLink?.enabled, token: tokenOf(got.publicLink?.url ?? null) }, what).toEqual({ enabled: cert.linkOn, token: cert.linkOn ? (cert.tokens.at(-1) ?? null) : null });
  }

  async function agreeOnLists(model: Model, user: ModelUser, after: string): Promise<void> {
    const visible = model.certs.map((cert) => ({ id: cert.id, access: modelAccess(user, cert) }));
    const expected = {
      all: visible.filter((v) => v.access).map((v) => v.id).sort(),
      owned: visible.filter((v) => v.access?.side === "owner").map((v) => v.id).sort(),
      received: visible.filter((v) => v.access?.side === "receiver").map((v) => v.id).sort(),
    };
    for (const scope of ["all", "owned", "received"] as const) {
      const response = await w.request(user.w, "GET", `/api/v1/certs?scope=${scope}&limit=100`);
      expect(response.statusCode, response.body).toBe(200);
      const page = response.json<{ items: Cert[]; nextCursor: string | null }>();
      expect(page.nextCursor).toBeNull();
      expect(page.items.map((c) => c.id).sort(), `${after}: listCerts(scope=${scope}) as ${user.w.id}`).toEqual(expected[scope]);
    }
  }

  it("agrees with the reference model after every command", async () => {
    const dialect = current().dialect;
    const numRuns = RUNS[dialect];
    console.log(`access model [${dialect}]: seed=${seed} numRuns=${numRuns} (replay with FC_SEED=${seed})`);
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(worldArb, stepsArb, async (spec, steps) => {
        const model = await setUp(spec);
        for (const [i, step] of steps.entries()) {
          takeStatus();
          await play(model, step);
          const outcome = `${step.kind} ${takeStatus() ?? (step.kind === "membership" || step.kind === "writer" ? "done" : "skipped")}`;
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          await agree(model, `after step ${i} ${JSON.stringify(step)}`);
        }
      }),
      { seed, numRuns },
    );
    console.log(`access model [${dialect}]: ${numRuns} runs in ${((Date.now() - started) / 1000).toFixed(1)} s; command outcomes: ${[...outcomes].sort().map(([k, v]) => `${k}×${v}`).join(", ")}`);
  }, 15 * 60_000);
});
