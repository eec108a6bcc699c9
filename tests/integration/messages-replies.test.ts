import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { decryptManifest, encryptManifest } from "../../shared/crypto/manifest";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { decryptToBytes, encryptToBytes } from "../../shared/crypto/stream";
import { MAX_REPLIES_PER_CAPABILITY, MAX_REPLIES_PER_MESSAGE, type CreatedReplyDto, type OpenedMessageDto, type SentMessageDto } from "../../shared/protocol/messages";
import { REPLY_RATE_LIMIT_PER_IP } from "../../backend/messages/reply-routes";
import { describeEachDatabase } from "../support/databases";
import { NetworkWorld, type WorldUser } from "../support/network-world";
import { bearer } from "../support/test-app";
import { TestIssuer } from "../support/test-issuer";

/**
 * Secure replies through the real app on both databases: Open hands a reader the sender's name
 * and a reply capability; the capability creates a reply whose only recipient is the sender (the
 * server fills it in); an upload ticket lets the anonymous replier upload exactly that reply. A
 * forged, expired, exhausted or misdirected capability or ticket gets nothing, and no key reaches
 * the database, the blob store or the logs.
 */
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await TestIssuer.start("smartcert-replies");
});
afterAll(async () => {
  await issuer.stop();
});

const DAY = 24 * 60 * 60 * 1000;
let ipCounter = 0;
/** Every call gets its own client address unless a test pins one: the per-address reply limit is tested on its own. */
const freshIp = () => `10.0.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

describeEachDatabase("secure replies API", (current) => {
  let w: NetworkWorld;
  let sender: WorldUser;
  let colleague: WorldUser;
  let clock = new Date("2026-11-22T10:00:00.000Z");

  beforeAll(async () => {
    w = await NetworkWorld.create({ db: current().db, dataDir: current().dataDir, issuer, now: () => clock });
    const org = await w.org("Senders");
    const location = await w.location(org);
    sender = await w.user(org, [], [location], "Sally Sender");
    colleague = await w.user(org, ["admin", "writer"], [location]);
  });
  afterAll(async () => {
    await w.close();
  });
  beforeEach(() => {
    clock = new Date(clock.getTime() + 1000);
  });

  async function encrypted(text: string) {
    const linkKey = generateLinkKey();
    const fragment = encodeLinkKey(linkKey);
    const key = await messageKeyFrom(linkKey.slice());
    const file = Buffer.from(`attachment of ${text} `.repeat(2000));
    const manifest = await encryptManifest(key, { v: 1, text, files: [{ name: "reply.txt", type: "text/plain", size: file.length }] });
    return { fragment, key, file, manifest, content: await encryptToBytes(key, file, { partIndex: 1 }) };
  }

  async function send(policy: object = {}) {
    const m = await encrypted("The certificates you asked for.");
    const created = await w.request(sender, "POST", "/api/v1/messages", { partCount: 2, ...policy });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ message: SentMessageDto }>().message;
    for (const [index, bytes] of [m.manifest, m.content].entries()) {
      const put = await w.app.inject({ method: "PUT", url: `/api/v1/messages/${id}/parts/${index}`, headers: { ...bearer(sender.token), "content-type": "application/octet-stream" }, payload: Buffer.from(bytes) });
      expect(put.statusCode, put.body).toBe(200);
    }
    expect((await w.request(sender, "POST", `/api/v1/messages/${id}/complete`)).statusCode).toBe(200);
    return { id, fragment: m.fragment };
  }

  const open = (id: string, token?: string) => w.app.inject({ method: "POST", url: `/api/v1/messages/${id}/open`, headers: token ? bearer(token) : {}, remoteAddress: freshIp() });
  const openOk = async (id: string, token?: string) => {
    const response = await open(id, token);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<OpenedMessageDto>();
  };
  const createReply = (id: string, capability: string, body: object = {}, remoteAddress = freshIp()) =>
    w.app.inject({ method: "POST", url: `/api/v1/messages/${id}/replies`, payload: { capability, partCount: 2, ...body }, remoteAddress });
  const putReply = (replyId: string, index: number, ticket: string, bytes: Uint8Array) =>
    w.app.inject({ method: "PUT", url: `/api/v1/replies/${replyId}/parts/${index}?ticket=${encodeURIComponent(ticket)}`, headers: { "content-type": "application/octet-stream" }, payload: Buffer.from(bytes) });
  const completeReply = (replyId: string, ticket: string) => w.app.inject({ method: "POST", url: `/api/v1/replies/${replyId}/complete?ticket=${encodeURIComponent(ticket)}` });
  const part = (id: string, index: number, ticket: string) => w.app.inject({ method: "GET", url: `/api/v1/messages/${id}/parts/${index}?ticket=${encodeURIComponent(ticket)}` });
  const sentList = async (as = sender) => (await w.request(as, "GET", "/api/v1/messages")).json<{ items: SentMessageDto[] }>().items;

  /** What the reader page does: encrypt with a fresh key, create with the capability, upload with the ticket, complete. */
  async function reply(originalId: string, capability: string, text = "Thanks, received.") {
    const r = await encrypted(text);
    const created = await createReply(originalId, capability);
    expect(created.statusCode, created.body).toBe(201);
    const { reply: made, uploadTicket } = created.json<CreatedReplyDto>();
    expect((await putReply(made.id, 0, uploadTicket, r.manifest)).statusCode).toBe(200);
    expect((await putReply(made.id, 1, uploadTicket, r.content)).statusCode).toBe(200);
    const done = await completeReply(made.id, uploadTicket);
    expect(done.statusCode, done.body).toBe(200);
    return { ...r, id: made.id, url: made.url, uploadTicket, text };
  }

  it("a verified recipient replies; only the original's sender can open the reply, and the sender's list shows it", async () => {
    const original = await send({ recipients: ["buyer@customer.example"] });
    const buyer = await issuer.token({ sub: "buyer", email: "buyer@customer.example", expiresIn: 600 });
    const opened = await openOk(original.id, buyer);
    expect(opened.sender).toEqual({ displayName: "Sally Sender", email: sender.email });
    expect(opened.inReplyTo).toBeNull();
    expect(opened.reply).toMatchObject({ repliesLeft: MAX_REPLIES_PER_CAPABILITY });
    const capability = opened.reply?.token ?? "";

    const r = await reply(original.id, capability);
    expect(r.url).toMatch(new RegExp(`/m/${r.id}$`));
    // The reply requires sign-in, and only the sender's address opens it.
    expect((await w.app.inject({ method: "GET", url: `/api/v1/messages/${r.id}/envelope` })).json()).toMatchObject({ signInRequired: true, passphrase: null });
    expect((await open(r.id)).statusCode).toBe(401);
    expect((await open(r.id, buyer)).statusCode).toBe(403);
    const colleagueToken = await issuer.token({ sub: "colleague-x", email: colleague.email, expiresIn: 600 });
    expect((await open(r.id, colleagueToken)).statusCode).toBe(403);
    const readBySender = await openOk(r.id, sender.token);
    expect(readBySender).toMatchObject({ inReplyTo: original.id, reply: null, sender: null });
    const manifest = await decryptManifest(r.key, (await part(r.id, 0, readBySender.ticket)).rawPayload);
    expect(manifest.text).toBe(r.text);
    const file = await decryptToBytes(r.key, (await part(r.id, 1, readBySender.ticket)).rawPayload, { partIndex: 1 });
    expect(Buffer.from(file).equals(r.file)).toBe(true);

    // One recipient row — the sender's address, as the opens above show — whatever the replier sent.
    const recipients = await sql<{ email_index: string }>`select email_index from message_recipients where message_id = ${r.id}`.execute(current().db);
    expect(recipients.rows).toHaveLength(1);
    const listed = (await sentList()).find((m) => m.id === original.id);
    expect(listed?.replies).toEqual([expect.objectContaining({ id: r.id, status: "active", openCount: 1, from: "buyer@customer.example" })]);
    // The reply is listed under its original, never on its own, and to nobody else.
    expect((await sentList()).some((m) => m.id === r.id)).toBe(false);
    expect(await sentList(colleague)).toEqual([]);
  });

  it("the replier cannot choose recipients or address anyone but the sender", async () => {
    const original = await send();
    const { reply: cap, sender: who } = await openOk(original.id);
    expect(who?.email).toBe(sender.email);
    const withRecipients = await createReply(original.id, cap?.token ?? "", { recipients: ["attacker@evil.example"] });
    expect(withRecipients.statusCode).toBe(400);
    const r = await reply(original.id, cap?.token ?? "");
    const attacker = await issuer.token({ sub: "attacker", email: "attacker@evil.example", expiresIn: 600 });
    expect((await open(r.id, attacker)).statusCode).toBe(403);
    // An anonymous open (no sign-in on the original) records no replier: the sender sees "from" unknown.
    expect((await sentList()).find((m) => m.id === original.id)?.replies).toEqual([expect.objectContaining({ id: r.id, from: null })]);
  });

  it("forged, misdirected and malformed capabilities are refused and create nothing", async () => {
    const original = await send();
    const other = await send();
    const token = (await openOk(original.id)).reply?.token ?? "";
    const forged = `${token.slice(0, -4)}${token.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    const otherOpen = (await openOk(other.id)).reply?.token ?? "";
    const [, openId] = token.split(".");
    const swapped = `r1.${otherOpen.split(".")[1] ?? ""}.${token.split(".").slice(2).join(".")}`;
    for (const [capability, id] of [[forged, original.id], [token, other.id], [otherOpen, original.id], [swapped, original.id], ["r1.nope", original.id], [`r1.${openId ?? ""}.9999999999.${"A".repeat(43)}`, original.id]] as const) {
      const refused = await createReply(id, capability);
      expect(refused.statusCode, capability).toBe(403);
    }
    const count = await sql<{ n: number | string }>`select count(*) as n from messages where in_reply_to in (${original.id}, ${other.id})`.execute(current().db);
    expect(Number(count.rows[0]?.n)).toBe(0);
  });

  it("a capability allows a limited number of replies; a message a limited number in all", async () => {
    const original = await send();
    const token = (await openOk(original.id)).reply?.token ?? "";
    for (let i = 0; i < MAX_REPLIES_PER_CAPABILITY; i++) expect((await createReply(original.id, token)).statusCode).toBe(201);
    const exhausted = await createReply(original.id, token);
    expect(exhausted.statusCode).toBe(409);
    expect(exhausted.json()).toMatchObject({ title: "No more replies are allowed" });

    // Racing replies on fresh capabilities never overshoot the per-message limit.
    const capabilities = await Promise.all(Array.from({ length: Math.ceil(MAX_REPLIES_PER_MESSAGE / MAX_REPLIES_PER_CAPABILITY) + 1 }, async () => (await openOk(original.id)).reply?.token ?? ""));
    const attempts = await Promise.all(capabilities.flatMap((c) => Array.from({ length: MAX_REPLIES_PER_CAPABILITY }, () => createReply(original.id, c))));
    const created = attempts.filter((a) => a.statusCode === 201).length;
    expect(created).toBe(MAX_REPLIES_PER_MESSAGE - MAX_REPLIES_PER_CAPABILITY);
    expect(attempts.filter((a) => a.statusCode !== 201).every((a) => a.statusCode === 409)).toBe(true);
  });

  it("replies per client address are rate limited", async () => {
    const original = await send();
    const tokens = await Promise.all(Array.from({ length: 4 }, async () => (await openOk(original.id)).reply?.token ?? ""));
    const ip = "192.0.2.77";
    const codes: number[] = [];
    for (let i = 0; i <= REPLY_RATE_LIMIT_PER_IP; i++) codes.push((await createReply(original.id, tokens[i % tokens.length] ?? "", {}, ip)).statusCode);
    expect(codes.slice(0, REPLY_RATE_LIMIT_PER_IP).every((c) => c === 201 || c === 409)).toBe(true);
    expect(codes.at(-1)).toBe(429);
  });

  it("a capability expires with its message; revoking the original stops replies but keeps existing ones", async () => {
    const original = await send({ expiresInDays: 2 });
    const token = (await openOk(original.id)).reply?.token ?? "";
    const kept = await reply(original.id, token);
    expect((await w.request(sender, "POST", `/api/v1/messages/${original.id}/revoke`)).statusCode).toBe(200);
    expect((await createReply(original.id, token)).statusCode).toBe(410);
    expect((await w.app.inject({ method: "GET", url: `/api/v1/messages/${kept.id}/envelope` })).statusCode).toBe(200);
    expect((await sentList()).find((m) => m.id === original.id)).toMatchObject({ status: "revoked", replies: [expect.objectContaining({ id: kept.id, status: "active" })] });

    const later = await send({ expiresInDays: 1 });
    const laterToken = (await openOk(later.id)).reply?.token ?? "";
    clock = new Date(clock.getTime() + DAY + 1000);
    expect((await createReply(later.id, laterToken)).statusCode).toBe(403);
    // Replies obey their own expiry like any message, and the sender may revoke one.
    expect((await w.request(sender, "POST", `/api/v1/messages/${kept.id}/revoke`)).json()).toMatchObject({ status: "revoked" });
    expect((await open(kept.id, sender.token)).statusCode).toBe(410);
  });

  it("a reply's own policy: maximum opens and expiry, like any message", async () => {
    const original = await send();
    const token = (await openOk(original.id)).reply?.token ?? "";
    const r = await encrypted("Once only.");
    const created = (await createReply(original.id, token, { partCount: 1, maxOpens: 1, expiresInDays: 1 })).json<CreatedReplyDto>();
    expect(Date.parse(created.reply.expiresAt) - clock.getTime()).toBe(DAY);
    expect((await putReply(created.reply.id, 0, created.uploadTicket, r.manifest)).statusCode).toBe(200);
    expect((await completeReply(created.reply.id, created.uploadTicket)).statusCode).toBe(200);
    expect((await createReply(original.id, token, { expiresInDays: 31 })).statusCode).toBe(400);
    await openOk(created.reply.id, sender.token);
    expect((await open(created.reply.id, sender.token)).statusCode).toBe(410);
    expect((await sentList()).find((m) => m.id === original.id)?.replies?.find((x) => x.id === created.reply.id)).toMatchObject({ status: "opened-out", openCount: 1, maxOpens: 1 });
  });

  it("upload tickets: only for their reply, not forgeable, and the sender cannot upload into a reply", async () => {
    const original = await send();
    const token = (await openOk(original.id)).reply?.token ?? "";
    const a = (await createReply(original.id, token)).json<CreatedReplyDto>();
    const b = (await createReply(original.id, token)).json<CreatedReplyDto>();
    const bytes = new Uint8Array(64);
    expect((await putReply(b.reply.id, 0, a.uploadTicket, bytes)).statusCode).toBe(403);
    expect((await putReply(a.reply.id, 0, `${a.uploadTicket.slice(0, -2)}xx`, bytes)).statusCode).toBe(403);
    expect((await putReply(original.id, 0, a.uploadTicket, bytes)).statusCode).toBe(403);
    expect((await completeReply(a.reply.id, b.uploadTicket)).statusCode).toBe(403);
    const asSender = await w.app.inject({ method: "PUT", url: `/api/v1/messages/${a.reply.id}/parts/0`, headers: { ...bearer(sender.token), "content-type": "application/octet-stream" }, payload: Buffer.from(bytes) });
    expect(asSender.statusCode).toBe(404);
    expect((await w.request(sender, "POST", `/api/v1/messages/${a.reply.id}/complete`)).statusCode).toBe(404);
    // Not readable until completed, and completing needs every part.
    expect((await w.app.inject({ method: "GET", url: `/api/v1/messages/${a.reply.id}/envelope` })).statusCode).toBe(404);
    expect((await putReply(a.reply.id, 0, a.uploadTicket, bytes)).statusCode).toBe(200);
    expect((await completeReply(a.reply.id, a.uploadTicket)).statusCode).toBe(409);
    clock = new Date(clock.getTime() + 3 * 60 * 60 * 1000);
    expect((await putReply(a.reply.id, 1, a.uploadTicket, bytes)).statusCode).toBe(403);
  });

  it("no key of the original or the reply reaches the database, the blob store or the logs", async () => {
    const original = await send({ recipients: ["keys@customer.example"] });
    const reader = await issuer.token({ sub: "keys", email: "keys@customer.example", expiresIn: 600 });
    const r = await reply(original.id, (await openOk(original.id, reader)).reply?.token ?? "");
    await openOk(r.id, sender.token);
    const tables = ["messages", "message_parts", "message_recipients", "message_opens"] as const;
    const dump = JSON.stringify(await Promise.all(tables.map((t) => sql`select * from ${sql.table(t)}`.execute(current().db))));
    const logs = w.t.logs.join("\n");
    for (const fragment of [original.fragment, r.fragment]) {
      expect(dump).not.toContain(fragment);
      expect(logs).not.toContain(fragment);
      for (const file of await readdir(path.join(current().dataDir, "messages"), { recursive: true })) {
        const bytes = await readFile(path.join(current().dataDir, "messages", file)).catch(() => undefined);
        if (bytes) expect(bytes.includes(Buffer.from(fragment)), file).toBe(false);
      }
    }
    // Nor do capabilities or upload tickets get logged (they are bearer credentials).
    expect(logs).not.toContain(r.uploadTicket);
    expect(dump.toLowerCase()).not.toContain("customer.example");
  });
});
