import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { inspect } from "node:util";
import type { KyselyPlugin } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../backend/db/database";
import { KeyEncryptionKey, publishWithoutReplacing } from "../../backend/keys/key-encryption-key";
import { FieldDecryptionError, KeyRing } from "../../backend/keys/key-ring";
import { describeEachDatabase, tempDir as makeTempDir } from "../support/databases";

const createdDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  createdDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of createdDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Counts INSERTs into org_keys, to prove a concurrency test really raced. */
function countingInserts(db: Database): { db: Database; count: () => number } {
  let inserts = 0;
  const plugin: KyselyPlugin = {
    transformQuery: ({ node }) => {
      if (node.kind === "InsertQueryNode" && node.into?.table.identifier.name === "org_keys") inserts += 1;
      return node;
    },
    transformResult: ({ result }) => Promise.resolve(result),
  };
  return { db: db.withPlugin(plugin), count: () => inserts };
}

describeEachDatabase("key ring", (current) => {
  const ring = (db: Database = current().db) => KeyRing.open({ db, dataDir: current().dataDir });
  const newOrg = async (): Promise<string> => {
    const id = randomUUID();
    await current().db.insertInto("organizations").values({ id, name: `Org ${id.slice(0, 8)}`, created_at: new Date().toISOString() }).execute();
    return id;
  };
  const keyRows = (orgId: string) => current().db.selectFrom("org_keys").selectAll().where("org_id", "=", orgId).execute();
  const extraConnections: Database[] = [];
  afterAll(async () => {
    for (const db of extraConnections) await db.destroy();
  });

  it("creates an organization's data key once, wrapped, and returns it from every instance", async () => {
    const orgId = await newOrg();
    const first = await (await ring()).dataKey(orgId);
    expect(first).toHaveLength(32);
    const again = await (await ring()).dataKey(orgId);
    expect(again.equals(first)).toBe(true);
    const rows = await keyRows(orgId);
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row?.kek_id).toBe((await ring()).kekId);
    expect(Buffer.from(row?.wrapped_key ?? "", "base64").includes(first)).toBe(false);
    expect((await (await ring()).dataKey(await newOrg())).equals(first)).toBe(false);
  });

  it("returns a copy, so a caller cannot corrupt the cached key", async () => {
    const keys = await ring();
    const orgId = await newOrg();
    const key = await keys.dataKey(orgId);
    const expected = Buffer.from(key);
    key.fill(0);
    expect((await keys.dataKey(orgId)).equals(expected)).toBe(true);
  });

  it("ends concurrent first use — many instances on two connections — with one key", async () => {
    const second = openDatabase({ databaseUrl: current().databaseUrl, dataDir: current().dataDir });
    extraConnections.push(second);
    const counters = [countingInserts(current().db), countingInserts(second)];
    const rings = await Promise.all(Array.from({ length: 6 }, (_, i) => ring(counters[i % 2]?.db)));
    const orgIds = await Promise.all(Array.from({ length: 4 }, () => newOrg()));
    for (const orgId of orgIds) {
      const keys = await Promise.all(rings.map((r) => r.dataKey(orgId)));
      for (const key of keys) expect(key.equals(keys[0] ?? Buffer.alloc(0))).toBe(true);
      expect(await keyRows(orgId)).toHaveLength(1);
    }
    // More inserts than organizations: the insert-if-absent path really lost races.
    expect(counters.reduce((sum, c) => sum + c.count(), 0)).toBeGreaterThan(orgIds.length);
  });

  it("shares one load between concurrent calls within an instance", async () => {
    const counter = countingInserts(current().db);
    const keys = await ring(counter.db);
    const orgId = await newOrg();
    const results = await Promise.all(Array.from({ length: 10 }, () => keys.dataKey(orgId)));
    expect(new Set(results.map((k) => k.toString("hex"))).size).toBe(1);
    expect(counter.count()).toBe(1);
  });

  it("does not cache a failure: an unknown organization fails, then works once it exists", async () => {
    const keys = await ring();
    const orgId = randomUUID();
    await expect(keys.dataKey(orgId)).rejects.toThrow();
    await current().db.insertInto("organizations").values({ id: orgId, name: "Late", created_at: new Date().toISOString() }).execute();
    expect(await keys.dataKey(orgId)).toHaveLength(32);
  });

  it("refuses a key wrapped by another KEK, or a wrapped key moved between organizations, without replacing it", async () => {
    const orgId = await newOrg();
    await (await ring()).dataKey(orgId);
    const [before] = await keyRows(orgId);
    // Another KEK cannot even open the ring (the HMAC root is wrapped by this one)…
    await expect(KeyRing.open({ db: current().db, dataDir: tempDir("other-kek") })).rejects.toThrow(/hmac-root is wrapped by KEK .* but KEK_FILE/);
    // …and a data key recorded under another KEK id is refused, not replaced.
    await current().db.updateTable("org_keys").set({ kek_id: "some-other-kek" }).where("org_id", "=", orgId).execute();
    await expect((await ring()).dataKey(orgId)).rejects.toThrow(/wrapped by KEK some-other-kek, but KEK_FILE/);
    expect(await keyRows(orgId)).toEqual([{ ...before, kek_id: "some-other-kek" }]);

    const victim = await newOrg();
    await (await ring()).dataKey(victim);
    await current().db.updateTable("org_keys").set({ wrapped_key: before?.wrapped_key ?? "" }).where("org_id", "=", victim).execute();
    await expect((await ring()).dataKey(victim)).rejects.toThrow(/does not unwrap/);
  });

  it("encrypts fields: round trip, fresh ciphertext each time, bound to organization and context", async () => {
    const keys = await ring();
    const orgId = await newOrg();
    const values = ["", "person@example.com", "Zoë Ångström 🧪 <x@y.z>"];
    for (const value of values) {
      const sealed = await keys.encryptField(orgId, "email:u1", value);
      // base64url of format version 0x01 ‖ IV(12) ‖ ciphertext ‖ tag(16)
      expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
      const bytes = Buffer.from(sealed, "base64url");
      expect(bytes[0]).toBe(1);
      expect(bytes).toHaveLength(1 + 12 + Buffer.byteLength(value) + 16);
      expect(await (await ring()).decryptField(orgId, "email:u1", sealed)).toBe(value);
      expect(await keys.encryptField(orgId, "email:u1", value)).not.toBe(sealed);
    }
    const sealed = await keys.encryptField(orgId, "email:u1", "person@example.com");
    expect(sealed).not.toContain("person");
    await expect(keys.decryptField(orgId, "email:u2", sealed)).rejects.toThrow(FieldDecryptionError);
    await expect(keys.decryptField(await newOrg(), "email:u1", sealed)).rejects.toThrow(FieldDecryptionError);
    const flipped = `${sealed.slice(0, 20)}${sealed[20] === "A" ? "B" : "A"}${sealed.slice(21)}`;
    await expect(keys.decryptField(orgId, "email:u1", flipped)).rejects.toThrow(FieldDecryptionError);
    await expect(keys.decryptField(orgId, "email:u1", sealed.slice(0, -2))).rejects.toThrow(FieldDecryptionError);
    await expect(keys.decryptField(orgId, "email:u1", "not base64 !")).rejects.toThrow(FieldDecryptionError);
  });

  it("computes org HMACs per organization and purpose, and global HMACs per KEK and purpose", async () => {
    const keys = await ring();
    const a = await newOrg();
    const b = await newOrg();
    const mac = await keys.orgHmac(a, "conversation-ref", "thread-1");
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await ring()).orgHmac(a, "conversation-ref", "thread-1")).toBe(mac);
    expect(await keys.orgHmac(b, "conversation-ref", "thread-1")).not.toBe(mac);
    expect(await keys.orgHmac(a, "other-purpose", "thread-1")).not.toBe(mac);
    expect(await keys.orgHmac(a, "conversation-ref", "thread-2")).not.toBe(mac);
    await expect(keys.orgHmac(a, "Bad Purpose", "x")).rejects.toThrow(/purpose/);

    const global = keys.globalHmac("email-index", "a@example.com");
    expect(global).toMatch(/^[0-9a-f]{64}$/);
    expect((await ring()).globalHmac("email-index", "a@example.com")).toBe(global);
    expect(keys.globalHmac("public-link", "a@example.com")).not.toBe(global);
    expect(keys.globalHmac("email-index", "a@example.com", "base64url")).toBe(Buffer.from(global, "hex").toString("base64url"));
    expect(() => keys.globalHmac("Bad Purpose", "x")).toThrow(/purpose/);

    const urlMac = keys.globalHmac("document-url", "doc:1:99", "base64url");
    expect(keys.verifyGlobalHmac("document-url", "doc:1:99", urlMac, "base64url")).toBe(true);
    expect(keys.verifyGlobalHmac("document-url", "doc:2:99", urlMac, "base64url")).toBe(false);
    expect(keys.verifyGlobalHmac("public-link", "doc:1:99", urlMac, "base64url")).toBe(false);
    expect(keys.verifyGlobalHmac("document-url", "doc:1:99", `${urlMac.slice(0, -1)}${urlMac.endsWith("A") ? "B" : "A"}`, "base64url")).toBe(false);
    expect(keys.verifyGlobalHmac("document-url", "doc:1:99", urlMac.slice(1), "base64url")).toBe(false);
    expect(keys.verifyGlobalHmac("document-url", "doc:1:99", "", "base64url")).toBe(false);
  });

  it("keys global HMACs by a random root stored wrapped by the KEK: one per database, unchanged by restarts", async () => {
    const keys = await ring();
    const global = keys.globalHmac("email-index", "a@example.com");
    const rows = await current().db.selectFrom("global_keys").selectAll().execute();
    expect(rows.map((r) => ({ name: r.name, kek_id: r.kek_id }))).toEqual([{ name: "hmac-root", kek_id: keys.kekId }]);
    // Wrapped: version ‖ IV ‖ ciphertext ‖ tag, never the 32 raw bytes.
    expect(Buffer.from(rows[0]?.wrapped_key ?? "", "base64").length).toBeGreaterThan(32);
    // Concurrent opens on a second connection find the same root.
    const other = openDatabase({ databaseUrl: current().databaseUrl, dataDir: current().dataDir });
    extraConnections.push(other);
    const rings = await Promise.all(Array.from({ length: 6 }, (_, i) => ring(i % 2 === 0 ? current().db : other)));
    expect(new Set(rings.map((r) => r.globalHmac("email-index", "a@example.com")))).toEqual(new Set([global]));

    // Another database (here: this one with its root removed) gets another random root.
    const saved = rows[0];
    await current().db.deleteFrom("global_keys").execute();
    try {
      expect((await ring()).globalHmac("email-index", "a@example.com")).not.toBe(global);
    } finally {
      await current().db.deleteFrom("global_keys").execute();
      if (saved) await current().db.insertInto("global_keys").values(saved).execute();
    }
    expect((await ring()).globalHmac("email-index", "a@example.com")).toBe(global);
  });

  it("refuses to invent an HMAC root for a database that already has users (their email index would stop matching)", async () => {
    const saved = await current().db.selectFrom("global_keys").selectAll().execute();
    const orgId = await newOrg();
    const userId = randomUUID();
    await current().db.insertInto("users").values({ id: userId, org_id: orgId, display_name: "Old", is_admin: 0, is_writer: 0, created_at: new Date().toISOString() }).execute();
    await current().db.insertInto("user_personal").values({ user_id: userId, email_ciphertext: "x", email_index: `legacy-${userId}` }).execute();
    await current().db.deleteFrom("global_keys").execute();
    try {
      await expect(ring()).rejects.toThrow(/has users but no hmac-root.*before migration 0008/);
      expect(await current().db.selectFrom("global_keys").selectAll().execute()).toEqual([]);
    } finally {
      await current().db.deleteFrom("user_personal").where("user_id", "=", userId).execute();
      await current().db.deleteFrom("users").where("id", "=", userId).execute();
      for (const row of saved) await current().db.insertInto("global_keys").values(row).execute();
    }
  });

  it("crypto-shreds: after destroyDataKey, earlier ciphertexts never decrypt again", async () => {
    const keys = await ring();
    const orgId = await newOrg();
    const sealed = await keys.encryptField(orgId, "email:u1", "gone@example.com");
    await keys.destroyDataKey(orgId);
    expect(await keyRows(orgId)).toHaveLength(0);
    await expect(keys.decryptField(orgId, "email:u1", sealed)).rejects.toThrow(FieldDecryptionError);
    await expect((await ring()).decryptField(orgId, "email:u1", sealed)).rejects.toThrow(FieldDecryptionError);
  });

  it("keeps key material out of inspect and JSON", async () => {
    const keys = await ring();
    const orgId = await newOrg();
    const dataKey = await keys.dataKey(orgId);
    const kekFile = JSON.parse(fs.readFileSync(path.join(current().dataDir, "keys", "kek.key"), "utf8")) as { key: string };
    const shown = `${inspect(keys, { showHidden: true, depth: 10 })} ${JSON.stringify(keys)}`;
    for (const secret of [kekFile.key, Buffer.from(kekFile.key, "base64").toString("hex"), dataKey.toString("base64"), dataKey.toString("hex")]) {
      expect(shown).not.toContain(secret);
    }
  });
});

describe("key-encryption key file", () => {
  const writeKeyFile = (file: string, body: unknown, mode = 0o600): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof body === "string" ? body : JSON.stringify(body), { mode });
    fs.chmodSync(file, mode);
  };
  const validBody = () => ({ v: 1, id: "kek-test", key: randomBytes(32).toString("base64") });

  it("creates DATA_DIR/keys/kek.key 0600 in a 0700 directory on first start, and reuses it", async () => {
    const dataDir = tempDir("kek-create");
    const first = await KeyEncryptionKey.load({ dataDir });
    const file = path.join(dataDir, "keys", "kek.key");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { v: number; id: string; key: string };
    expect(stored.v).toBe(1);
    expect(stored.id).toBe(first.id);
    expect(Buffer.from(stored.key, "base64")).toHaveLength(32);
    const second = await KeyEncryptionKey.load({ dataDir });
    expect(second.id).toBe(first.id);
    const probe = randomBytes(32);
    expect(second.unwrap(first.wrap(probe, "probe"), "probe")).toEqual(probe);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["kek.key"]);
  });

  it("ends concurrent first starts with one key and no temp files", async () => {
    const dataDir = tempDir("kek-race");
    const keks = await Promise.all(Array.from({ length: 8 }, () => KeyEncryptionKey.load({ dataDir })));
    expect(new Set(keks.map((k) => k.id)).size).toBe(1);
    const probe = randomBytes(32);
    const wrapped = keks[0]?.wrap(probe, "probe") ?? Buffer.alloc(0);
    for (const kek of keks) expect(kek.unwrap(wrapped, "probe")).toEqual(probe);
    expect(fs.readdirSync(path.join(dataDir, "keys"))).toEqual(["kek.key"]);
  });

  it("publishes key files without ever replacing one (what makes a racing first start end with one key)", async () => {
    const dir = tempDir("kek-publish");
    const file = path.join(dir, "kek.key");
    fs.writeFileSync(path.join(dir, "a.tmp"), "winner");
    fs.writeFileSync(path.join(dir, "b.tmp"), "loser");
    expect(await publishWithoutReplacing(path.join(dir, "a.tmp"), file)).toBe(true);
    expect(await publishWithoutReplacing(path.join(dir, "b.tmp"), file)).toBe(false);
    expect(fs.readFileSync(file, "utf8")).toBe("winner");
    expect(fs.readFileSync(path.join(dir, "b.tmp"), "utf8")).toBe("loser");
  });

  it("uses an explicit KEK_FILE, and never generates one that is missing", async () => {
    const dir = tempDir("kek-explicit");
    const file = path.join(dir, "secret", "kek.json");
    await expect(KeyEncryptionKey.load({ kekFile: file, dataDir: dir })).rejects.toThrow(/^KEK_FILE .*kek\.json: does not exist/);
    expect(fs.existsSync(file)).toBe(false);
    writeKeyFile(file, validBody(), 0o400);
    expect((await KeyEncryptionKey.load({ kekFile: file, dataDir: dir })).id).toBe("kek-test");
  });

  it("rejects group- or other-accessible permissions, naming KEK_FILE", async () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      const dir = tempDir("kek-perm");
      const file = path.join(dir, "kek.json");
      writeKeyFile(file, validBody(), mode);
      await expect(KeyEncryptionKey.load({ kekFile: file, dataDir: dir })).rejects.toThrow(new RegExp(`^KEK_FILE ${file}: permissions 0${mode.toString(8)}`));
    }
    const dataDir = tempDir("kek-perm-default");
    await KeyEncryptionKey.load({ dataDir });
    fs.chmodSync(path.join(dataDir, "keys", "kek.key"), 0o644);
    await expect(KeyEncryptionKey.load({ dataDir })).rejects.toThrow(/^KEK_FILE .*kek\.key: permissions/);
  });

  it("rejects a key of the wrong length or a malformed file, naming KEK_FILE", async () => {
    const cases: [unknown, RegExp][] = [
      [{ v: 1, id: "k", key: randomBytes(16).toString("base64") }, /key is 16 bytes, expected 32/],
      [{ v: 1, id: "k", key: randomBytes(33).toString("base64") }, /key is 33 bytes, expected 32/],
      [{ v: 1, id: "k", key: "!!!not-base64!!!" }, /not valid base64/],
      [{ v: 2, id: "k", key: randomBytes(32).toString("base64") }, /version/],
      [{ v: 1, id: "bad id/..", key: randomBytes(32).toString("base64") }, /invalid id/],
      ["not json", /not JSON/],
    ];
    for (const [body, message] of cases) {
      const dir = tempDir("kek-bad");
      const file = path.join(dir, "kek.json");
      writeKeyFile(file, body);
      const load = KeyEncryptionKey.load({ kekFile: file, dataDir: dir });
      await expect(load).rejects.toThrow(/^KEK_FILE /);
      await expect(load).rejects.toThrow(message);
    }
  });
});
