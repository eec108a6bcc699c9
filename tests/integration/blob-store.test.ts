import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeyRing } from "../../backend/keys/key-ring";
import { HEADER_LENGTH, RECORD_CIPHERTEXT_LENGTH, RECORD_PLAINTEXT_LENGTH, TAG_LENGTH } from "../../backend/storage/blob-format";
import { BlobExistsError, BlobIntegrityError, BlobNotFoundError, BlobStore, BlobTooLargeError, type BlobKey } from "../../backend/storage/blob-store";
import { createTestDatabase, type TestDatabase } from "../support/databases";

const MiB = 1024 * 1024;

describe("blob store", () => {
  let database: (TestDatabase & { drop: () => Promise<void> }) | undefined;
  let store: BlobStore;
  let root: string;
  let orgId: string;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    orgId = randomUUID();
    await database.db.insertInto("organizations").values({ id: orgId, name: "Blob Org", created_at: new Date().toISOString() }).execute();
    root = path.join(database.dataDir, "blobs");
    store = new BlobStore({ root, keyRing: await KeyRing.open({ db: database.db, dataDir: database.dataDir }) });
  });
  afterAll(async () => {
    await database?.drop();
  });

  const newKey = (version = 1): BlobKey => ({ orgId, documentId: randomUUID(), version });
  const docDir = (key: BlobKey) => path.join(root, key.orgId, key.documentId);
  const filesIn = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);
  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  async function readAll(stream: Readable): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** Plaintext read until the stream fails, and the failure. */
  async function readUntilError(stream: Readable): Promise<{ plaintext: Buffer; error: unknown }> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
      return { plaintext: Buffer.concat(chunks), error: undefined };
    } catch (error) {
      return { plaintext: Buffer.concat(chunks), error };
    }
  }

  /** Deterministic, distinct content per chunk. */
  function chunk(index: number, size = RECORD_PLAINTEXT_LENGTH): Buffer {
    const seed = createHash("sha256").update(`chunk-${index}`).digest();
    const out = Buffer.alloc(size);
    for (let offset = 0; offset < size; offset += seed.length) seed.copy(out, offset);
    return out;
  }

  it("streams 5 MiB in and out with bounded memory, reporting the plaintext's size and sha256", async () => {
    const key = newKey();
    const chunks = (5 * MiB) / RECORD_PLAINTEXT_LENGTH;
    const expected = createHash("sha256");
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < chunks; i++) {
        if (i >= 2) {
          // The store must have encrypted and written what it read so far, not buffered it.
          const temp = filesIn(docDir(key)).find((name) => name.includes(".tmp-"));
          expect(temp).toBeDefined();
          expect(fs.statSync(path.join(docDir(key), temp ?? "")).size).toBeGreaterThanOrEqual(HEADER_LENGTH + (i - 2) * RECORD_CIPHERTEXT_LENGTH);
        }
        const bytes = chunk(i);
        expected.update(bytes);
        yield bytes;
        await Promise.resolve();
      }
    }
    const written = await store.put(key, source(), { maxBytes: 5 * MiB });
    expect(written).toEqual({ size: 5 * MiB, sha256: expected.digest("hex") });
    expect(filesIn(docDir(key))).toEqual(["1.blob"]);
    const file = path.join(docDir(key), "1.blob");
    expect(fs.statSync(file).size).toBe(HEADER_LENGTH + 5 * MiB + chunks * TAG_LENGTH);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(docDir(key)).mode & 0o777).toBe(0o700);

    const stream = await store.open(key);
    await sleep(20);
    // Not read ahead: at most about one record is buffered before anyone consumes.
    expect(stream.readableLength).toBeLessThanOrEqual(2 * RECORD_PLAINTEXT_LENGTH);
    const hash = createHash("sha256");
    let size = 0;
    for await (const part of stream as AsyncIterable<Buffer>) {
      expect(part.length).toBeLessThanOrEqual(RECORD_PLAINTEXT_LENGTH);
      expect(stream.readableLength).toBeLessThanOrEqual(2 * RECORD_PLAINTEXT_LENGTH);
      hash.update(part);
      size += part.length;
    }
    expect({ size, sha256: hash.digest("hex") }).toEqual(written);
  });

  it("round-trips an empty blob and a Readable source", async () => {
    const empty = newKey();
    expect(await store.put(empty, Readable.from([]), { maxBytes: 0 })).toEqual({ size: 0, sha256: sha256(Buffer.alloc(0)) });
    expect(await readAll(await store.open(empty))).toHaveLength(0);
    const small = newKey(7);
    const bytes = randomBytes(70_000);
    await store.put(small, Readable.from([bytes.subarray(0, 5), bytes.subarray(5)]), { maxBytes: bytes.length });
    expect((await readAll(await store.open(small))).equals(bytes)).toBe(true);
  });

  it("stops reading over maxBytes, throws BlobTooLargeError and leaves no file", async () => {
    const key = newKey();
    let produced = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        for (let i = 0; i < 100; i++) {
          produced += 1;
          yield chunk(i);
          await Promise.resolve();
        }
      } finally {
        closed = true;
      }
    }
    await expect(store.put(key, source(), { maxBytes: 100_000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(produced).toBe(2);
    expect(closed).toBe(true);
    expect(await store.exists(key)).toBe(false);
    expect(filesIn(docDir(key))).toEqual([]);
  });

  it("leaves neither a final nor a temp file when the source fails half-way", async () => {
    const key = newKey();
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 40; i++) {
        if (i === 20) throw new Error("client went away");
        yield chunk(i);
        await Promise.resolve();
      }
    }
    await expect(store.put(key, Readable.from(source()), { maxBytes: 10 * MiB })).rejects.toThrow("client went away");
    expect(await store.exists(key)).toBe(false);
    expect(filesIn(docDir(key))).toEqual([]);
    await expect(store.open(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("sweeps temp files left by a crash, and nothing else", async () => {
    const kept = newKey();
    await store.put(kept, Readable.from([Buffer.from("keep me")]), { maxBytes: 100 });
    fs.writeFileSync(path.join(docDir(kept), "2.blob.tmp-0123456789abcdef"), randomBytes(1000));
    const other = newKey();
    fs.mkdirSync(docDir(other), { recursive: true });
    fs.writeFileSync(path.join(docDir(other), "1.blob.tmp-deadbeef"), "");
    fs.writeFileSync(path.join(docDir(other), "notes.txt"), "not ours");
    expect(await store.sweepTemporaryFiles()).toBe(2);
    expect(filesIn(docDir(kept))).toEqual(["1.blob"]);
    expect(filesIn(docDir(other))).toEqual(["notes.txt"]);
    expect((await readAll(await store.open(kept))).toString()).toBe("keep me");
    expect(await store.sweepTemporaryFiles()).toBe(0);
  });

  it("never writes the plaintext: a canary is nowhere under the data dir", async () => {
    const canary = `CANARY-${randomBytes(12).toString("hex")}`;
    const single = Buffer.from(`start ${canary} end`);
    const large = Buffer.concat(Array.from({ length: 3000 }, () => Buffer.from(`${canary} `)));
    await store.put(newKey(), Readable.from([single]), { maxBytes: MiB });
    const key = newKey(2);
    await store.put(key, Readable.from([large]), { maxBytes: MiB });
    expect((await readAll(await store.open(key))).includes(canary)).toBe(true);

    const dataDir = database?.dataDir ?? "";
    const contains = (dir: string, needle: Buffer): string[] =>
      fs.readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.join(entry.parentPath, entry.name))
        .filter((file) => fs.readFileSync(file).includes(needle));
    expect(contains(dataDir, Buffer.from(canary))).toEqual([]);
    expect(contains(dataDir, Buffer.from(canary, "utf16le"))).toEqual([]);
    // Control: the search does find a canary where one is.
    const control = path.join(dataDir, "control.txt");
    fs.writeFileSync(control, single);
    expect(contains(dataDir, Buffer.from(canary))).toEqual([control]);
    fs.rmSync(control);
  });

  it("rejects ids that are not canonical UUIDs or positive integer versions, touching nothing", async () => {
    const before = fs.readdirSync(path.dirname(root)).sort();
    const good = newKey();
    const bad: BlobKey[] = [
      { ...good, orgId: "../../etc" },
      { ...good, orgId: `${good.orgId}/..` },
      { ...good, orgId: good.orgId.toUpperCase() },
      { ...good, documentId: ".." },
      { ...good, documentId: "a/b" },
      { ...good, documentId: "" },
      { ...good, version: 0 },
      { ...good, version: -1 },
      { ...good, version: 1.5 },
      { ...good, version: Number.NaN },
      { ...good, version: Number.POSITIVE_INFINITY },
      { ...good, version: "1/../../x" as unknown as number },
    ];
    for (const key of bad) {
      await expect(store.put(key, Readable.from([Buffer.from("x")]), { maxBytes: 10 })).rejects.toBeInstanceOf(TypeError);
      await expect(store.open(key)).rejects.toBeInstanceOf(TypeError);
      await expect(store.exists(key)).rejects.toBeInstanceOf(TypeError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(TypeError);
    }
    expect(fs.readdirSync(path.dirname(root)).sort()).toEqual(before);
  });

  it("rejects a blob moved to another document, version or organization before any plaintext", async () => {
    const key = newKey();
    await store.put(key, Readable.from([randomBytes(3 * RECORD_PLAINTEXT_LENGTH)]), { maxBytes: MiB });
    const otherOrg = randomUUID();
    await database?.db.insertInto("organizations").values({ id: otherOrg, name: "Other", created_at: new Date().toISOString() }).execute();
    for (const target of [{ ...key, documentId: randomUUID() }, { ...key, version: 2 }, { ...key, orgId: otherOrg }]) {
      fs.mkdirSync(docDir(target), { recursive: true });
      fs.copyFileSync(path.join(docDir(key), "1.blob"), path.join(docDir(target), `${target.version}.blob`));
      await expect(store.open(target)).rejects.toBeInstanceOf(BlobIntegrityError);
    }
  });

  it("errors the stream at a damaged record after releasing only the records before it", async () => {
    const key = newKey();
    const plaintext = randomBytes(4 * RECORD_PLAINTEXT_LENGTH + 10);
    await store.put(key, Readable.from([plaintext]), { maxBytes: MiB });
    const file = path.join(docDir(key), "1.blob");
    const original = fs.readFileSync(file);

    const damaged = Buffer.from(original);
    const position = HEADER_LENGTH + 2 * RECORD_CIPHERTEXT_LENGTH + 100;
    damaged[position] = (damaged[position] ?? 0) ^ 0x80;
    fs.writeFileSync(file, damaged);
    const tampered = await readUntilError(await store.open(key));
    expect(tampered.error).toBeInstanceOf(BlobIntegrityError);
    expect(tampered.plaintext.equals(plaintext.subarray(0, 2 * RECORD_PLAINTEXT_LENGTH))).toBe(true);

    fs.writeFileSync(file, original.subarray(0, HEADER_LENGTH + 3 * RECORD_CIPHERTEXT_LENGTH));
    const truncated = await readUntilError(await store.open(key));
    expect(truncated.error).toBeInstanceOf(BlobIntegrityError);
    expect(truncated.plaintext.equals(plaintext.subarray(0, 2 * RECORD_PLAINTEXT_LENGTH))).toBe(true);

    fs.writeFileSync(file, flipFirstRecord(original));
    await expect(store.open(key)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it("never replaces a blob: a second put of the same key fails, and of racing puts exactly one wins", async () => {
    const key = newKey();
    const first = await store.put(key, Readable.from([Buffer.from("first")]), { maxBytes: 100 });
    await expect(store.put(key, Readable.from([Buffer.from("second")]), { maxBytes: 100 })).rejects.toBeInstanceOf(BlobExistsError);
    expect((await readAll(await store.open(key))).toString()).toBe("first");
    expect(first.sha256).toBe(sha256(Buffer.from("first")));

    const raced = newKey();
    const bodies = Array.from({ length: 5 }, (_, i) => Buffer.alloc(200_000, i + 1));
    const results = await Promise.allSettled(bodies.map((body) => store.put(raced, Readable.from([body]), { maxBytes: MiB })));
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(BlobExistsError);
    expect(sha256(await readAll(await store.open(raced)))).toBe(won[0]?.sha256);
    expect(filesIn(docDir(raced))).toEqual(["1.blob"]);
  });

  it("reports existence and deletes idempotently", async () => {
    const key = newKey();
    expect(await store.exists(key)).toBe(false);
    await store.put(key, Readable.from([Buffer.from("x")]), { maxBytes: 1 });
    expect(await store.exists(key)).toBe(true);
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
    await store.delete(key);
    await expect(store.open(key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });
});

function flipFirstRecord(blob: Buffer): Buffer {
  const copy = Buffer.from(blob);
  copy[HEADER_LENGTH] = (copy[HEADER_LENGTH] ?? 0) ^ 0x01;
  return copy;
}
