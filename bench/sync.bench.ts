// The sync benchmark (`npm run bench -- sync`), on SQLite and (when reachable) PostgreSQL.
//
// 1. getChanges: a user who sees 100,000 certs (each created through the real tables, so the
//    triggers wrote 100,000 feed rows) asks for 1,000 changes. The service (ChangeService: head,
//    the feed query, certs with owners and receipts, the policy per cert) is timed against the raw
//    prepared query a hand-written endpoint would need at least — the same feed rows joined with
//    the cert columns, prepared once (better-sqlite3 `prepare`; on PostgreSQL a prepared statement on the
//    service's own driver, postgres.js) — in the same
//    run. Target: service ÷ raw ≤ 2.5 (medians of RUNS runs after a warm-up). Next to wall time,
//    steadier numbers when the machine is loaded: this process's CPU per call (the JS side: row
//    parsing, records, the policy) and, on PostgreSQL, the server's execution time of the
//    service's page statement and of the raw one (EXPLAIN ANALYZE, rows not sent).
// 2. Initial sync of 10,000 fake Graph messages through the real Graph client against the local
//    fake (in this process), the real engine and repository: messages per second, and heap/RSS
//    sampled every 20 ms to show memory stays flat while pages stream through.
import path from "node:path";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, sql, type CompiledQuery } from "kysely";
import pino from "pino";
import { CertRepository } from "../backend/certs/cert-repository";
import { CertService } from "../backend/certs/cert-service";
import { AuditRepository } from "../backend/certs/audit-repository";
import { ChangeRepository } from "../backend/changes/change-repository";
import { ChangeService, encodeCursor } from "../backend/changes/change-service";
import { PLAN_PER_RUN, SQLITE_FILE_NAME } from "../backend/db/database";
import { pipelinedPool } from "../backend/db/postgres-pool";
import type { DatabaseSchema } from "../backend/db/schema";
import { KeyRing } from "../backend/keys/key-ring";
import type { Principal } from "../backend/orgs/model";
import { GraphConnector } from "../backend/sync/connectors/graph";
import { SyncEngine } from "../backend/sync/engine";
import { SyncKey } from "../backend/sync/sync-key";
import { SyncRepository } from "../backend/sync/sync-repository";
import { createTestDatabase, postgresAvailability, type Dialect, type TestDatabase } from "../tests/support/databases";
import { FakeGraph } from "../tests/support/fake-graph";
import { writeResultsSection } from "./results-file";

const CERTS = Number(process.env.BENCH_SYNC_CERTS ?? 100_000);
const PAGE = 1000;
const RUNS = 15;
const MESSAGES = Number(process.env.BENCH_SYNC_MESSAGES ?? 10_000);
const TARGET_RATIO = 2.5;
const SECTION_START = "<!-- sync.bench.ts:start -->";
const SECTION_END = "<!-- sync.bench.ts:end -->";

interface FeedResult {
  dialect: Dialect;
  serviceMs: number;
  rawMs: number;
  serviceCpuMs: number;
  rawCpuMs: number;
  /** PostgreSQL only: server execution time of the service's page statement and the raw one. */
  server?: { pageMs: number; rawMs: number };
  items: number;
  seedSeconds: number;
}

async function seed(database: TestDatabase, count: number): Promise<{ user: Principal; orgId: string }> {
  const { db } = database;
  const orgId = randomUUID();
  const locationId = randomUUID();
  const userId = randomUUID();
  const now = new Date().toISOString();
  await db.insertInto("organizations").values({ id: orgId, name: "Bench Mill", created_at: now }).execute();
  await db.insertInto("locations").values({ id: locationId, org_id: orgId, name: "North", city: null, country: null, created_at: now }).execute();
  await db.insertInto("users").values({ id: userId, org_id: orgId, display_name: "Walt", is_admin: 0, is_writer: 1, created_at: now }).execute();
  await db.insertInto("user_locations").values({ user_id: userId, location_id: locationId }).execute();
  const batch = 500;
  for (let i = 0; i < count; i += batch) {
    const ids = Array.from({ length: Math.min(batch, count - i) }, () => randomUUID());
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("certs")
        .values(ids.map((id, k) => ({
          id, owner_org_id: orgId, title: `Plate ${i + k}`, po_numbers: `["PO-${i + k}"]`, heat_numbers: "[]", cert_numbers: "[]", product: null, standard: "EN 10204 3.1",
          metadata: "{}", search_text: `plate ${i + k}`, sales_location_id: null, copied_from: null, created_by: userId, created_at: now, updated_at: now,
        })))
        .execute();
      await trx.insertInto("cert_owner_locations").values(ids.map((id) => ({ cert_id: id, location_id: locationId }))).execute();
    });
  }
  return { user: { id: userId, orgId, displayName: "Walt", roles: ["writer"], locationIds: [locationId] }, orgId };
}

const RAW_SQL = (p: (n: number) => string) => `
  select c.seq, c.kind, c.target_user_id, c.target_location_id, certs.id, certs.owner_org_id, certs.title, certs.po_numbers, certs.heat_numbers,
         certs.cert_numbers, certs.product, certs.standard, certs.metadata, certs.sales_location_id, certs.copied_from, certs.created_by,
         certs.public_link_enabled, certs.public_link_generation, certs.revision, certs.created_at, certs.updated_at, o.name as owner_org_name
  from cert_changes c
  join certs on certs.id = c.cert_id
  join organizations o on o.id = certs.owner_org_id
  where c.seq > ${p(1)} and c.seq <= ${p(2)}
    and (exists (select 1 from cert_owner_locations ol where ol.cert_id = certs.id and ol.location_id in (${p(3)}))
      or exists (select 1 from cert_shares s where s.cert_id = certs.id and (s.target_user_id = ${p(4)} or s.target_location_id in (${p(5)}))))
  order by c.seq limit ${PAGE}`;

function medianOf(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Medians of wall time and of this process's CPU time (ms) per call, after a warm-up. */
async function median(times: number, work: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  for (let i = 0; i < 3; i++) await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < times; i++) {
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await work();
    wall.push(Number(process.hrtime.bigint() - start) / 1e6);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wallMs: medianOf(wall), cpuMs: medianOf(cpu) };
}

/**
 * The SQL and values of the service's page statement, as the repository sends them: read from a
 * logging Kysely on its own pool (the repository builds the statement; the bench never copies it).
 */
async function pageStatement(databaseUrl: string, user: Principal, after: number, upTo: number): Promise<CompiledQuery> {
  let page: CompiledQuery | undefined;
  const logged = new Kysely<DatabaseSchema>({
    dialect: new PostgresDialect({ pool: pipelinedPool({ url: databaseUrl, sharedConnections: 1, transactionConnections: 1, planPerRunMarker: PLAN_PER_RUN }) }),
    log: (event) => {
      if (event.level === "query" && event.query.sql.includes("cert_changes")) page = event.query;
    },
  });
  await new ChangeRepository(logged).visibleChanges(user, after, upTo, PAGE);
  await logged.destroy();
  if (!page) throw new Error("the page statement was not seen");
  return page;
}

/** Median server execution time (ms) of each statement, interleaved; TIMING OFF keeps per-node clock reads out. */
async function serverMedians(connection: postgres.Sql, statements: Record<string, { text: string; values: readonly unknown[] }>): Promise<Record<string, number>> {
  const samples: Record<string, number[]> = {};
  for (let run = 0; run < RUNS + 3; run++) {
    for (const [name, { text, values }] of Object.entries(statements)) {
      const rows = await connection.unsafe<{ "QUERY PLAN": [{ "Execution Time": number }] }[]>(`explain (analyze, timing off, format json) ${text}`, [...values] as postgres.ParameterOrJSON<never>[]);
      if (run >= 3) (samples[name] ??= []).push(rows[0]?.["QUERY PLAN"][0]["Execution Time"] ?? Number.NaN);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, medianOf(s)]));
}

async function benchFeed(database: TestDatabase): Promise<FeedResult> {
  const started = Date.now();
  const { user } = await seed(database, CERTS);
  // Fresh statistics after the bulk load, as autovacuum / a long-running database would have them.
  await sql`analyze`.execute(database.db);
  // …and with the bulk load's WAL written out: a checkpoint that started during the measured runs
  // would be billed to whichever side ran first (the service), not to the feed.
  if (database.dialect === "postgres") await sql`checkpoint`.execute(database.db);
  else await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
  const seedSeconds = (Date.now() - started) / 1000;
  const keys = await KeyRing.open({ db: database.db, dataDir: database.dataDir });
  const certRows = new CertRepository(database.db);
  const certs = new CertService({ certs: certRows, audit: new AuditRepository(database.db), keys, publicUrl: "http://localhost" });
  const changes = new ChangeService({ changes: new ChangeRepository(database.db), certs });
  const head = await changes.head();
  const after = Math.floor(head / 2);
  const cursor = encodeCursor(after);
  const location = user.locationIds[0] ?? "";
  let items = 0;
  const service = await median(RUNS, async () => {
    items = (await changes.getChanges(user, { cursor, limit: PAGE })).items.length;
  });
  let raw: { wallMs: number; cpuMs: number };
  let server: FeedResult["server"];
  if (database.dialect === "sqlite") {
    const file = new SQLite(path.join(database.dataDir, SQLITE_FILE_NAME), { readonly: true });
    const statement = file.prepare(RAW_SQL(() => "?"));
    raw = await median(RUNS, () => Promise.resolve(statement.all(after, head, location, user.id, location)));
    file.close();
  } else {
    const databaseUrl = database.databaseUrl ?? "";
    // One connection, so the session setting below applies to every run.
    const connection = postgres(databaseUrl, { max: 1, onnotice: () => undefined });
    // A named statement is parsed once; after five runs PostgreSQL may switch it to a generic plan
    // that ignores the actual cursor range (measured: 25× slower). Planning per run keeps the raw
    // side honest, as the service's page statement is planned per run too (PLAN_PER_RUN).
    await connection.unsafe("set plan_cache_mode = force_custom_plan");
    const text = RAW_SQL((n) => `$${n}`);
    const values = [after, head, location, user.id, location];
    raw = await median(RUNS, () => connection.unsafe(text, values, { prepare: true }));
    const page = await pageStatement(databaseUrl, user, after, head);
    const medians = await serverMedians(connection, { page: { text: page.sql, values: page.parameters }, raw: { text, values } });
    server = { pageMs: medians.page ?? Number.NaN, rawMs: medians.raw ?? Number.NaN };
    await connection.end();
  }
  return { dialect: database.dialect, serviceMs: service.wallMs, rawMs: raw.wallMs, serviceCpuMs: service.cpuMs, rawCpuMs: raw.cpuMs, ...(server ? { server } : {}), items, seedSeconds };
}

interface SyncResult {
  messages: number;
  seconds: number;
  heapStartMb: number;
  heapPeakMb: number;
  heapEndMb: number;
  rssPeakMb: number;
  quarters: number[];
}

async function benchSync(database: TestDatabase): Promise<SyncResult> {
  const graph = await FakeGraph.start();
  for (let i = 0; i < MESSAGES; i++) {
    graph.add({ conversationId: `conv-${i}`, subject: `Order ${i}`, body: `<p>Dear buyer, message ${i} ${"lorem ipsum ".repeat(40)}</p>`, attachments: [] });
  }
  const { user } = await seed(database, 0);
  const repo = new SyncRepository(database.db, () => new Date());
  const key = await SyncKey.load({ syncKeyFile: undefined, dataDir: database.dataDir });
  const connectionId = randomUUID();
  const code = graph.tokens.issueCode();
  const exchange = await fetch(graph.tokenUrl, { method: "POST", body: new URLSearchParams({ grant_type: "authorization_code", code, client_id: graph.tokens.clientId, client_secret: graph.tokens.clientSecret }) });
  const refresh = ((await exchange.json()) as { refresh_token: string }).refresh_token;
  await repo.upsertConnection({ id: connectionId, userId: user.id, provider: "graph", sealedRefreshToken: key.seal(refresh, connectionId), syncKeyId: key.id });
  const engine = new SyncEngine({
    repo, key, connectors: { graph: new GraphConnector({ baseUrl: graph.base, pageSize: 50 }) },
    oauth: { graph: { tokenUrl: graph.tokenUrl, clientId: graph.tokens.clientId, clientSecret: graph.tokens.clientSecret, scopes: [] } },
    loadUser: () => Promise.resolve(user), publicLinkOrigins: ["http://localhost"], log: pino({ level: "silent" }),
    actions: { acceptPublicLink: () => Promise.reject(new Error("no links")), canView: () => Promise.resolve(false), linkConversation: () => Promise.resolve() },
  });
  global.gc?.();
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  const heapStart = process.memoryUsage().heapUsed;
  let heapPeak = heapStart;
  let rssPeak = process.memoryUsage().rss;
  const quarters: number[] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed);
    rssPeak = Math.max(rssPeak, m.rss);
    const done = graph.requests.length * 50;
    if (quarters.length < 4 && done >= ((quarters.length + 1) * MESSAGES) / 4) quarters.push(mb(m.heapUsed));
  }, 20);
  const start = Date.now();
  const outcome = await engine.syncConnection(connectionId);
  const seconds = (Date.now() - start) / 1000;
  clearInterval(sampler);
  if (outcome.status !== "done" || outcome.messages !== MESSAGES) throw new Error(`sync ended ${outcome.status} after ${outcome.messages} messages`);
  const heapEnd = process.memoryUsage().heapUsed;
  await graph.stop();
  return { messages: outcome.messages, seconds, heapStartMb: mb(heapStart), heapPeakMb: mb(heapPeak), heapEndMb: mb(heapEnd), rssPeakMb: mb(rssPeak), quarters };
}

function render(feed: FeedResult[], sync: SyncResult | undefined, skipped: string[]): string {
  const lines = [SECTION_START, "", `## Sync and change feed (\`bench/sync.bench.ts\`, ${new Date().toISOString().slice(0, 10)})`, ""];
  lines.push(`getChanges of ${PAGE} rows for a user who sees ${CERTS.toLocaleString("en")} certs, median of ${RUNS} runs; raw = the same rows joined with the cert columns by one prepared statement.`, "");
  lines.push("| database | getChanges (ms) | raw prepared query (ms) | ratio | target | items | bench CPU per call, getChanges / raw (ms) | server execution, page / raw statement (ms) |", "|---|---|---|---|---|---|---|---|");
  for (const f of feed) {
    const ratio = f.serviceMs / f.rawMs;
    const server = f.server ? `${f.server.pageMs.toFixed(1)} / ${f.server.rawMs.toFixed(1)}` : "— (in process)";
    lines.push(`| ${f.dialect} | ${f.serviceMs.toFixed(1)} | ${f.rawMs.toFixed(1)} | ${ratio.toFixed(2)} | ≤ ${TARGET_RATIO} ${ratio <= TARGET_RATIO ? "✅" : "❌"} | ${f.items} | ${f.serviceCpuMs.toFixed(1)} / ${f.rawCpuMs.toFixed(1)} | ${server} |`);
  }
  lines.push("", "CPU per call is this process's (the JS side, and SQLite's work on SQLite); the server column is PostgreSQL's EXPLAIN ANALYZE execution time, rows not sent. Both move less with the machine's load than wall time.");
  for (const s of skipped) lines.push("", `- ${s}`);
  if (sync) {
    lines.push("", `Initial sync of ${sync.messages.toLocaleString("en")} fake Graph messages (SQLite; real Graph client against the in-process fake, pages of 50, no links):`, "");
    lines.push("| messages/s | seconds | heap start → peak → end (MB) | heap after each quarter of the pages (MB) | RSS peak (MB) |", "|---|---|---|---|---|");
    lines.push(`| ${Math.round(sync.messages / sync.seconds)} | ${sync.seconds.toFixed(1)} | ${sync.heapStartMb} → ${sync.heapPeakMb} → ${sync.heapEndMb} | ${sync.quarters.join(", ")} | ${sync.rssPeakMb} |`);
    lines.push("", "- The fake mailbox (all messages) lives in the same process, so its memory is in these numbers too.");
  }
  lines.push("", SECTION_END);
  return lines.join("\n");
}

function writeResults(section: string): void {
  writeResultsSection(section, SECTION_START, SECTION_END);
}

async function main(): Promise<void> {
  const wanted = (process.env.BENCH_DATABASES ?? "sqlite,postgres").split(",");
  const feed: FeedResult[] = [];
  const skipped: string[] = [];
  let sync: SyncResult | undefined;
  for (const dialect of ["sqlite", "postgres"] as const) {
    if (!wanted.includes(dialect)) continue;
    if (dialect === "postgres") {
      const state = await postgresAvailability();
      if (!state.available) {
        skipped.push(`PostgreSQL skipped: ${state.reason}`);
        continue;
      }
    }
    const database = await createTestDatabase(dialect);
    try {
      const result = await benchFeed(database);
      const server = result.server ? `; server: page ${result.server.pageMs.toFixed(1)} ms, raw ${result.server.rawMs.toFixed(1)} ms` : "";
      process.stdout.write(`${dialect}: getChanges ${result.serviceMs.toFixed(1)} ms, raw ${result.rawMs.toFixed(1)} ms, ratio ${(result.serviceMs / result.rawMs).toFixed(2)}; CPU here ${result.serviceCpuMs.toFixed(1)} / ${result.rawCpuMs.toFixed(1)} ms${server} (seeded in ${result.seedSeconds.toFixed(0)} s)\n`);
      feed.push(result);
    } finally {
      await database.drop();
    }
  }
  if (wanted.includes("sqlite")) {
    const database = await createTestDatabase("sqlite");
    try {
      sync = await benchSync(database);
      process.stdout.write(`sync: ${sync.messages} messages in ${sync.seconds.toFixed(1)} s, heap peak ${sync.heapPeakMb} MB\n`);
    } finally {
      await database.drop();
    }
  }
  writeResults(render(feed, sync, skipped));
}

await main();
