import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, expect, it, vi } from "vitest";
import { encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { decryptManifest, encryptManifest } from "../../shared/crypto/manifest";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { decryptToBytes, encryptToBytes } from "../../shared/crypto/stream";
import type { OpenedMessageDto, SentMessageDto } from "../../shared/protocol/messages";
import { describeEachDatabase } from "../support/databases";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { bearer } from "../support/test-app";
import { TestIssuer } from "../support/test-issuer";

/**
 * Encrypted messages through the real app on both databases: real ciphertext from shared/crypto,
 * streamed part uploads, the scanner-safe envelope, counted opens, recipients, revoke, expiry and
 * the size cap. The server must never hold the key or a recipient's email in plain text.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-messages");
});
afterAll(async () => {
  await issuer.stop();
});

const DAY = 24 * 60 * 60 * 1000;

describeEachDatabase("encrypted messages API", (current) => {
  let w: NetworkWorld;
  let small: NetworkWorld;
  let sender: WorldUser;
  let colleague: WorldUser;
  let clock = new Date("2026-11-22T10:00:00.000Z");

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, now: () => clock });
    small = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, env: { MAX_MESSAGE_MB: "1" }, now: () => clock });
    const org = await w.org("Senders");
    const location = await w.location(org);
    sender = await w.user(org, [], [location]);
    colleague = await w.user(org, ["admin", "writer"], [location]);
  });
  afterAll(async () => {
    await small.close();
    await w.close();
  });
  beforeEach(() => {
    clock = new Date(clock.getTime() + 1000);
  });

  const put = (as: WorldUser, id: string, index: number, bytes: Uint8Array, world = w) =>
    world.app.inject({ method: "PUT", url: `/api/v1/messages/${id}/parts/${index}`, headers: { ...bearer(as.token), "content-type": "application/octet-stream" }, payload: Buffer.from(bytes) });

  /** Encrypts a manifest and one file, uploads both and completes: what the pane does. */
  async function send(policy: object = {}, text = "The certificates you asked for.") {
    const linkKey = generateLinkKey();
    const fragment = encodeLinkKey(linkKey);
    const key = await messageKeyFrom(linkKey.slice());
    const file = Buffer.from("%PDF-1.7 heat 4711 ".repeat(10_000));
    const manifest = await encryptManifest(key, { v: 1, text, files: [{ name: "cert 4711.pdf", type: "application/pdf", size: file.length }] });
    const content = await encryptToBytes(key, file, { partIndex: 1 });
    const created = await w.request(sender, "POST", "/api/v1/messages", { partCount: 2, ...policy });
    expect(created.statusCode, created.body).toBe(201);
    const message = (created.json<{ message: SentMessageDto }>()).message;
    expect((await put(sender, message.id, 0, manifest)).statusCode).toBe(200);
    expect((await put(sender, message.id, 1, content)).statusCode).toBe(200);
    const completed = await w.request(sender, "POST", `/api/v1/messages/${message.id}/complete`);
    expect(completed.statusCode, completed.body).toBe(200);
    return { id: message.id, key, fragment, file, text, url: message.url };
  }

  const envelope = (id: string) => w.app.inject({ method: "GET", url: `/api/v1/messages/${id}/envelope` });
  const open = (id: string, token?: string) => w.app.inject({ method: "POST", url: `/api/v1/messages/${id}/open`, headers: token ? bearer(token) : {} });
  const part = (id: string, index: number, ticket: string) => w.app.inject({ method: "GET", url: `/api/v1/messages/${id}/parts/${index}?ticket=${encodeURIComponent(ticket)}` });
  const sent = async (id: string) => ((await w.request(sender, "GET", "/api/v1/messages")).json<{ items: SentMessageDto[] }>()).items.find((m) => m.id === id);
  const messageFiles = async (id: string) => (await readdir(path.join(current().dataDir, "messages"), { recursive: true })).filter((f) => f.includes(id) && f.endsWith(".blob"));

  it("send → envelope → open → download → decrypt, with the open counted once", async () => {
    const m = await send();
    expect(m.url).toMatch(new RegExp(`/m/${m.id}$`));
    for (let i = 0; i < 3; i++) expect((await envelope(m.id)).statusCode).toBe(200);
    expect(await sent(m.id)).toMatchObject({ status: "active", openCount: 0, opens: [], partCount: 2 });

    const opened = await open(m.id);
    expect(opened.statusCode, opened.body).toBe(200);
    const { ticket, envelope: env } = opened.json<OpenedMessageDto>();
    expect(env.partSizes).toHaveLength(2);
    const manifest = await decryptManifest(m.key, (await part(m.id, 0, ticket)).rawPayload);
    expect(manifest).toMatchObject({ text: m.text, files: [{ name: "cert 4711.pdf" }] });
    const file = await decryptToBytes(m.key, (await part(m.id, 1, ticket)).rawPayload, { partIndex: 1 });
    expect(Buffer.from(file).equals(m.file)).toBe(true);

    const listed = await sent(m.id);
    expect(listed).toMatchObject({ status: "active", openCount: 1, opens: [{ recipient: null }] });
  });

  it("ciphertext needs the ticket from Open: a GET without one gets nothing and counts nothing", async () => {
    const m = await send({ maxOpens: 1 });
    expect((await w.app.inject({ method: "GET", url: `/api/v1/messages/${m.id}/parts/0` })).statusCode).toBe(400);
    expect((await part(m.id, 0, "1999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).statusCode).toBe(403);
    expect((await w.app.inject({ method: "GET", url: `/api/v1/messages/${m.id}/open` })).statusCode).toBe(404);
    expect((await sent(m.id))?.openCount).toBe(0);
    const { ticket } = (await open(m.id)).json<OpenedMessageDto>();
    // A ticket is bound to its message.
    const other = await send();
    expect((await part(other.id, 0, ticket)).statusCode).toBe(403);
  });

  it("max opens: concurrent opens never exceed the limit, then the message is gone", async () => {
    const m = await send({ maxOpens: 2 });
    const results = await Promise.all(Array.from({ length: 6 }, () => open(m.id)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(2);
    expect(results.filter((r) => r.statusCode === 410)).toHaveLength(4);
    expect((await envelope(m.id)).statusCode).toBe(410);
    expect(await sent(m.id)).toMatchObject({ status: "opened-out", openCount: 2 });
  });

  it("recipients: sign-in required, only a verified listed email opens, and the open records who", async () => {
    const m = await send({ recipients: ["Reader@Customer.example", "other@customer.example"] });
    expect((await envelope(m.id)).json()).toMatchObject({ signInRequired: true });
    expect((await open(m.id)).statusCode).toBe(401);
    const stranger = await issuer.token({ sub: "stranger", email: "stranger@customer.example", expiresIn: 600 });
    expect((await open(m.id, stranger)).statusCode).toBe(403);
    const unverified = await issuer.token({ sub: "reader-unverified", email: "reader@customer.example", emailVerified: false, expiresIn: 600 });
    expect((await open(m.id, unverified)).statusCode).toBe(403);
    expect((await open(m.id, "not-a-jwt")).statusCode).toBe(401);
    const reader = await issuer.token({ sub: "reader", email: "reader@customer.example", expiresIn: 600 });
    expect((await open(m.id, reader)).statusCode).toBe(200);
    const listed = await sent(m.id);
    expect(listed?.recipients).toEqual(["other@customer.example", "reader@customer.example"]);
    expect(listed?.opens).toEqual([expect.objectContaining({ recipient: "reader@customer.example" })]);

    // Never in plain text in the database.
    const rows = await sql<Record<string, unknown>>`select * from message_recipients`.execute(current().db);
    const opensRows = await sql<Record<string, unknown>>`select * from message_opens`.execute(current().db);
    expect(JSON.stringify([rows.rows, opensRows.rows]).toLowerCase()).not.toContain("customer.example");
  });

  it("only the sender manages a message; others get 404", async () => {
    const m = await send();
    expect((await w.request(colleague, "POST", `/api/v1/messages/${m.id}/revoke`)).statusCode).toBe(404);
    expect((await put(colleague, m.id, 0, new Uint8Array(10))).statusCode).toBe(404);
    expect(((await w.request(colleague, "GET", "/api/v1/messages")).json<{ items: unknown[] }>()).items).toEqual([]);
    expect((await w.request(null, "GET", "/api/v1/messages")).statusCode).toBe(401);
  });

  it("revoke deletes the ciphertext at once and the link stops working", async () => {
    const m = await send();
    expect(await messageFiles(m.id)).toHaveLength(2);
    const revoked = await w.request(sender, "POST", `/api/v1/messages/${m.id}/revoke`);
    expect(revoked.json()).toMatchObject({ status: "revoked" });
    expect(await messageFiles(m.id)).toHaveLength(0);
    expect((await envelope(m.id)).statusCode).toBe(410);
    expect((await open(m.id)).statusCode).toBe(410);
  });

  it("expiry: 7 days by default, at most 30; an expired message is gone and its ciphertext deleted on access", async () => {
    const m = await send();
    const listed = await sent(m.id);
    expect(Date.parse(listed?.expiresAt ?? "") - Date.parse(listed?.createdAt ?? "")).toBe(7 * DAY);
    expect((await w.request(sender, "POST", "/api/v1/messages", { partCount: 1, expiresInDays: 31 })).statusCode).toBe(400);
    clock = new Date(clock.getTime() + 7 * DAY + 1000);
    expect((await envelope(m.id)).statusCode).toBe(410);
    expect(await messageFiles(m.id)).toHaveLength(0);
    expect((await sent(m.id))?.status).toBe("expired");
  });

  it("uploads: parts in range, once each, all present before complete; not readable while uploading", async () => {
    const created = (await w.request(sender, "POST", "/api/v1/messages", { partCount: 2 })).json<{ message: SentMessageDto }>();
    const id = created.message.id;
    expect((await envelope(id)).statusCode).toBe(404);
    expect((await put(sender, id, 2, new Uint8Array(100))).statusCode).toBe(400);
    expect((await put(sender, id, 0, new Uint8Array(100))).statusCode).toBe(200);
    expect((await put(sender, id, 0, new Uint8Array(100))).statusCode).toBe(409);
    expect((await w.request(sender, "POST", `/api/v1/messages/${id}/complete`)).statusCode).toBe(409);
    const json = await w.app.inject({ method: "PUT", url: `/api/v1/messages/${id}/parts/1`, headers: { ...bearer(sender.token), "content-type": "application/json" }, payload: "{}" });
    expect(json.statusCode).toBe(415);
  });

  it("MAX_MESSAGE_MB caps the whole message: 413 beyond it, nothing kept of the refused part", async () => {
    const create = await small.request(sender, "POST", "/api/v1/messages", { partCount: 2 });
    const { message, maxMessageBytes } = create.json<{ message: SentMessageDto; maxMessageBytes: number }>();
    expect(maxMessageBytes).toBe(1024 * 1024);
    expect((await put(sender, message.id, 0, new Uint8Array(700_000), small)).statusCode).toBe(200);
    const refused = await put(sender, message.id, 1, new Uint8Array(400_000), small);
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ type: "urn:smartcert:problem:payload-too-large" });
    expect(await messageFiles(message.id)).toHaveLength(1);
    expect((await put(sender, message.id, 1, new Uint8Array(300_000), small)).statusCode).toBe(200);
  });

  it("a passphrase message hands out its public KDF parameters; the link key is nowhere on the server", async () => {
    const kdf = { algorithm: "argon2id", memoryKiB: 65_536, iterations: 3, parallelism: 1, salt: "MDEyMzQ1Njc4OWFiY2RlZg" };
    const m = await send({ passphrase: kdf });
    expect((await envelope(m.id)).json()).toMatchObject({ passphrase: kdf });
    expect((await sent(m.id))?.passphraseRequired).toBe(true);
    const tables = ["messages", "message_parts", "message_recipients", "message_opens"] as const;
    const dump = await Promise.all(tables.map((t) => sql`select * from ${sql.table(t)}`.execute(current().db)));
    expect(JSON.stringify(dump)).not.toContain(m.fragment);
    for (const file of await messageFiles(m.id)) {
      expect((await readFile(path.join(current().dataDir, "messages", file))).includes(Buffer.from(m.fragment))).toBe(false);
    }
  });

  it("the sweep deletes gone messages' ciphertext without anyone opening them", async () => {
    const expired = await send();
    const opened = await send({ maxOpens: 1 });
    expect((await open(opened.id)).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 8 * DAY);
    // A fresh app sweeps when it becomes ready (and every five minutes after).
    const restarted = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, now: () => clock });
    try {
      await vi.waitFor(async () => {
        expect(await messageFiles(expired.id)).toHaveLength(0);
        expect(await messageFiles(opened.id)).toHaveLength(0);
      }, { timeout: 5000 });
    } finally {
      await restarted.close();
    }
  });
});
