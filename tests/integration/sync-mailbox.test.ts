import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Cert } from "../../shared/protocol/certs";
import type { ChangeList, MailboxConnection } from "../../shared/protocol/sync";
import { describeEachDatabase } from "../support/databases";
import { FakeGmail } from "../support/fake-gmail";
import { FakeGraph } from "../support/fake-graph";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { TestIssuer } from "../support/test-issuer";

/**
 * Mailbox sync end to end on both databases: the real app, connected through its API with an OAuth
 * code from the fake provider, syncing through the real Graph and Gmail client libraries against
 * local fakes. Received public links are filed (the user becomes a receiver, the conversation is
 * linked), paging, 429 + Retry-After, expired cursors and revoked consent behave, and — the privacy
 * proof — no subject, body, attachment name or content, conversation id or refresh token reaches
 * the database, DATA_DIR or the logs.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-sync");
});
afterAll(async () => {
  await issuer.stop();
});

const canaries: string[] = [];
function canary(where: string): string {
  const value = `CANARY${where}${canaries.length}X${Math.random().toString(36).slice(2, 10)}`;
  canaries.push(value);
  return value;
}

describeEachDatabase("mailbox sync", (current) => {
  let w: NetworkWorld;
  let walt: WorldUser, bea: WorldUser, gus: WorldUser;
  // Fresh mailboxes per database: each run starts from an empty provider.
  let graph: FakeGraph;
  let gmail: FakeGmail;

  beforeAll(async () => {
    [graph, gmail] = await Promise.all([FakeGraph.start(), FakeGmail.start()]);
    w = await NetworkWorld.create({
      db: current().db, dataDir: current().dataDir, issuer,
      env: {
        GRAPH_BASE_URL: graph.base, GRAPH_TOKEN_URL: graph.tokenUrl, GRAPH_CLIENT_ID: graph.tokens.clientId, GRAPH_CLIENT_SECRET: graph.tokens.clientSecret,
        GMAIL_BASE_URL: gmail.base, GOOGLE_TOKEN_URL: gmail.tokenUrl, GOOGLE_CLIENT_ID: gmail.tokens.clientId, GOOGLE_CLIENT_SECRET: gmail.tokens.clientSecret,
        SYNC_INTERVAL_SECONDS: "3600",
      },
    });
    const mill = await w.org("Mill");
    const north = await w.location(mill, "North");
    const buyer = await w.org("Buyer");
    const yard = await w.location(buyer, "Yard");
    walt = await w.user(mill, ["writer"], [north], "Walt");
    bea = await w.user(buyer, [], [yard], "Bea");
    gus = await w.user(buyer, [], [yard], "Gus");
  });
  afterAll(async () => {
    await w.close();
    await Promise.all([graph.stop(), gmail.stop()]);
  });

  async function publicCert(title: string): Promise<{ cert: Cert; url: string }> {
    const cert = (await w.request(walt, "POST", "/api/v1/certs", { title })).json<Cert>();
    const link = (await w.request(walt, "PUT", `/api/v1/certs/${cert.id}/public-link`, { enabled: true })).json<{ url: string }>();
    return { cert, url: link.url };
  }

  function mail(link: string | null) {
    return {
      subject: `Certificates for PO 4512 ${canary("SUBJECT")}`,
      body: `<p>Dear buyer, ${canary("BODY")} see ${link ?? "nothing"} regards</p>`,
      attachments: [{ name: `${canary("ATTNAME")}.pdf`, content: `%PDF-1.7 ${canary("ATTDATA")}` }],
    };
  }

  async function connection(as: WorldUser, provider: "graph" | "gmail"): Promise<MailboxConnection> {
    const list = (await w.request(as, "GET", "/api/v1/mailboxes")).json<{ items: MailboxConnection[] }>();
    const found = list.items.find((c) => c.provider === provider);
    if (!found) throw new Error(`no ${provider} connection`);
    return found;
  }

  /** Waits until a sync after `since` finished (or the connection needs the user). */
  async function synced(as: WorldUser, provider: "graph" | "gmail", since: string | null): Promise<MailboxConnection> {
    for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
      const c = await connection(as, provider);
      if (c.status === "needs-user" || (c.lastSyncAt !== null && c.lastSyncAt !== since)) return c;
    }
    throw new Error("sync did not finish");
  }

  const canView = async (as: WorldUser, certId: string) => (await w.request(as, "GET", `/api/v1/certs/${certId}`)).statusCode === 200;
  const inThread = async (as: WorldUser, ref: string) => (await w.request(as, "POST", "/api/v1/conversations/shares", { conversationRef: ref })).json<{ items: { certId: string }[] }>().items.map((i) => i.certId);

  it("Graph: files received public links from a whole mailbox, page by page, then incrementally", { timeout: 60_000 }, async () => {
    const first = await publicCert("Plate for Bea");
    const conversation = `conv-${canary("CONV")}`;
    graph.add({ conversationId: conversation, ...mail(first.url) });
    for (let i = 0; i < 120; i++) graph.add({ conversationId: `noise-${i}`, ...mail(null) });
    const start = (await w.request(bea, "GET", "/api/v1/changes?latest=true")).json<ChangeList>().cursor;

    graph.tokens.account = bea.email;
    const connected = await w.request(bea, "POST", "/api/v1/mailboxes", { provider: "graph", code: graph.tokens.issueCode(), redirectUri: "https://localhost/callback" });
    expect(connected.statusCode, connected.body).toBe(201);
    let status = await synced(bea, "graph", null);
    expect(status).toMatchObject({ status: "active", lastError: null, failures: [] });
    expect(await canView(bea, first.cert.id)).toBe(true);
    expect(await inThread(bea, conversation)).toEqual([first.cert.id]);
    expect(await canView(gus, first.cert.id)).toBe(false);
    const feed = (await w.request(bea, "GET", `/api/v1/changes?cursor=${start}`)).json<ChangeList>();
    expect(feed.items.find((i) => i.cert.id === first.cert.id)?.kinds).toContain("received");
    // Three pages of 50. What the docs ask of each call: Prefer applies to its own request only, so
    // every call carries IdType="ImmutableId" and odata.maxpagesize; $select goes on the first call
    // only (the state tokens carry it), and the links' own path (mailfolders('<id>')) is followed.
    const deltaCalls = graph.requests.filter((r) => /\/messages\/delta\?/.test(r.path));
    expect(deltaCalls.length).toBe(3);
    for (const call of deltaCalls) expect([call.method, call.preferences.get("idtype"), call.preferences.get("odata.maxpagesize")]).toEqual(["GET", "ImmutableId", "50"]);
    expect(new URL(deltaCalls[0]?.path ?? "", graph.base).searchParams.get("$select")).toBe("subject,body,conversationId,lastModifiedDateTime");
    expect(deltaCalls.slice(1).map((c) => [c.path.includes("/me/mailfolders('"), c.path.includes("$skiptoken="), c.path.includes("$select")])).toEqual([[true, true, false], [true, true, false]]);

    // Incremental, through a 429 with a fractional Retry-After (the throttling page's sample is 2.128):
    // the Graph client's RetryHandler waits and retries, marking the retry with Retry-Attempt.
    const second = await publicCert("Bar for Bea");
    graph.add({ conversationId: "conv-2", ...mail(second.url) });
    graph.throttle(1, 1.5);
    const before = Date.now();
    expect((await w.request(bea, "POST", `/api/v1/mailboxes/${status.id}/sync`)).statusCode).toBe(202);
    status = await synced(bea, "graph", status.lastSyncAt);
    expect(status.lastError).toBeNull();
    expect(Date.now() - before).toBeGreaterThanOrEqual(1500);
    expect(await canView(bea, second.cert.id)).toBe(true);
    const incremental = graph.requests.filter((r) => r.path.includes("$deltatoken="));
    expect(incremental.map((r) => r.retryAttempt)).toEqual([null, "1"]);
    expect(incremental.every((r) => r.preferences.get("idtype") === "ImmutableId")).toBe(true);

    // An expired delta token (410 Gone + Location): a full resync that neither loses nor repeats work.
    const third = await publicCert("Tube for Bea");
    graph.add({ conversationId: "conv-3", ...mail(third.url) });
    graph.expireDeltaTokens("gone");
    const beforeReset = graph.requests.length;
    await w.request(bea, "POST", `/api/v1/mailboxes/${status.id}/sync`);
    status = await synced(bea, "graph", status.lastSyncAt);
    expect(status.lastError).toBeNull();
    expect(await canView(bea, third.cert.id)).toBe(true);
    // The resync starts over with the initial request ($select again), not the Location URL.
    expect(graph.requests.slice(beforeReset).filter((r) => r.path.includes("$select=")).length).toBe(1);
    const pairs = await current().db.selectFrom("sync_messages").select((eb) => eb.fn.countAll().as("n")).where("connection_id", "=", status.id).executeTakeFirstOrThrow();
    expect(Number(pairs.n)).toBe(123);
    const received = (await w.request(walt, "GET", `/api/v1/certs/${first.cert.id}/activity`)).json<{ items: { type: string }[] }>().items.filter((e) => e.type === "received-through-link");
    expect(received).toHaveLength(1);

    // A link whose cert's public link was turned off fails by name only, and is listed.
    const closed = await publicCert("Closed again");
    await w.request(walt, "PUT", `/api/v1/certs/${closed.cert.id}/public-link`, { enabled: false });
    const failing = graph.add({ conversationId: "conv-4", ...mail(closed.url) });
    await w.request(bea, "POST", `/api/v1/mailboxes/${status.id}/sync`);
    status = await synced(bea, "graph", status.lastSyncAt);
    expect(status.failures).toEqual([{ recordId: failing.id, errorName: "LinkNotFound", failedAt: expect.any(String) as string }]);

    // Consent revoked at the provider: the connection needs the user.
    graph.tokens.revokeAll();
    await w.request(bea, "POST", `/api/v1/mailboxes/${status.id}/sync`);
    status = await synced(bea, "graph", status.lastSyncAt);
    expect(status).toMatchObject({ status: "needs-user", lastError: "ConsentRevoked" });
    // Nobody else sees or removes Bea's connection; Bea can, and its sync state goes with it.
    expect((await w.request(gus, "POST", `/api/v1/mailboxes/${status.id}/sync`)).statusCode).toBe(404);
    expect((await w.request(gus, "POST", `/api/v1/mailboxes/${status.id}/disconnect`)).statusCode).toBe(404);
    expect((await w.request(bea, "POST", `/api/v1/mailboxes/${status.id}/disconnect`)).statusCode).toBe(200);
    expect((await w.request(bea, "GET", "/api/v1/mailboxes")).json()).toEqual({ items: [] });
    const left = await current().db.selectFrom("sync_messages").select((eb) => eb.fn.countAll().as("n")).where("connection_id", "=", status.id).executeTakeFirstOrThrow();
    expect(Number(left.n)).toBe(0);
  });

  it("Gmail: full sync with paging, history, 404 on expired history, 403 and 429 rate limits", { timeout: 60_000 }, async () => {
    const first = await publicCert("Coil for Gus");
    const thread = `thread-${canary("THREAD")}`;
    gmail.add({ threadId: thread, ...mail(first.url) });
    for (let i = 0; i < 130; i++) gmail.add({ threadId: `t-${i}`, ...mail(null) });
    // Gmail also reports rate limits as 403 userRateLimitExceeded, without Retry-After: backed off
    // (here by the connect's own profile read, which checks the mailbox is Gus's).
    gmail.throttle(1, { status: 403, reason: "userRateLimitExceeded" });
    gmail.tokens.account = gus.email;
    expect((await w.request(gus, "POST", "/api/v1/mailboxes", { provider: "gmail", code: gmail.tokens.issueCode(), redirectUri: "https://localhost/callback" })).statusCode).toBe(201);
    let status = await synced(gus, "gmail", null);
    expect(status).toMatchObject({ status: "active", lastError: null });
    expect(await canView(gus, first.cert.id)).toBe(true);
    expect(await inThread(gus, thread)).toEqual([first.cert.id]);
    const query = (r: string) => new URL(r, gmail.base).searchParams;
    // What the full sync sent: the profile's historyId first (the connect read the profile once
    // before, for the mailbox's address), two list pages of 100, and every message read once with
    // format=full.
    expect(gmail.profileHistoryIds).toHaveLength(2);
    const lists = gmail.requests.filter((r) => r.startsWith("/gmail/v1/users/me/messages?"));
    expect(lists.map((r) => [query(r).get("maxResults"), query(r).has("pageToken")])).toEqual([["100", false], ["100", true]]);
    const gets = gmail.requests.filter((r) => /^\/gmail\/v1\/users\/me\/messages\/[^/?]+\?/.test(r));
    expect(gets).toHaveLength(131);
    expect(gets.every((r) => query(r).get("format") === "full")).toBe(true);

    // Incremental: history from the profile's historyId, messageAdded only; a 429 with Retry-After
    // is waited out; a message deleted before we read it (404 on get) is not a failure.
    const second = await publicCert("Sheet for Gus");
    gmail.add({ threadId: "t-new", ...mail(second.url) });
    gmail.remove(gmail.add({ threadId: "t-gone", ...mail(null) }).id);
    gmail.throttle(1, { status: 429, retryAfterSeconds: 1 });
    const before = Date.now();
    await w.request(gus, "POST", `/api/v1/mailboxes/${status.id}/sync`);
    status = await synced(gus, "gmail", status.lastSyncAt);
    expect(status).toMatchObject({ lastError: null, failures: [] });
    expect(Date.now() - before).toBeGreaterThanOrEqual(1000);
    expect(await canView(gus, second.cert.id)).toBe(true);
    const histories = gmail.requests.filter((r) => r.startsWith("/gmail/v1/users/me/history?")).map(query);
    expect(histories.length).toBeGreaterThanOrEqual(1);
    for (const h of histories) expect([h.get("startHistoryId"), h.getAll("historyTypes")]).toEqual([gmail.profileHistoryIds[1], ["messageAdded"]]);

    const third = await publicCert("Wire for Gus");
    gmail.add({ threadId: "t-newer", ...mail(third.url) });
    gmail.expireHistory();
    await w.request(gus, "POST", `/api/v1/mailboxes/${status.id}/sync`);
    status = await synced(gus, "gmail", status.lastSyncAt);
    expect(status.lastError).toBeNull();
    expect(await canView(gus, third.cert.id)).toBe(true);
  });

  it("privacy proof: no canary or refresh token in the database, under DATA_DIR, or in the logs", async () => {
    const secrets = [...canaries, ...graph.tokens.refreshTokens, ...gmail.tokens.refreshTokens];
    expect(canaries.length).toBeGreaterThan(500);
    const db = current();
    const hits: string[] = [];
    const scan = (where: string, bytes: Buffer) => {
      for (const secret of secrets) if (bytes.includes(secret)) hits.push(`${where}: ${secret.slice(0, 24)}`);
    };
    // Every file under DATA_DIR: the SQLite file and its WAL, keys, blobs.
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const files = walk(db.dataDir);
    if (db.dialect === "sqlite") expect(files.some((f) => f.endsWith("smartcert.sqlite-wal"))).toBe(true);
    for (const file of files) scan(file, fs.readFileSync(file));
    if (db.dialect === "postgres") {
      const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public'`.execute(db.db);
      for (const { table_name } of tables.rows) {
        const rows = await sql`select * from ${sql.table(table_name)}`.execute(db.db);
        scan(`table ${table_name}`, Buffer.from(JSON.stringify(rows.rows)));
      }
    }
    scan("logs", Buffer.from(w.t.logs.join("\n")));
    expect(hits).toEqual([]);
    // The proof is not vacuous: the sync did store its pairs and sealed tokens.
    const stored = await db.db.selectFrom("mailbox_connections").select(["refresh_token"]).execute();
    expect(stored.every((r) => r.refresh_token.startsWith("s1."))).toBe(true);
  });
});
