import { createDecipheriv, hkdfSync, randomBytes, randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BlobDecryptor,
  BlobEncryptor,
  BlobIntegrityError,
  HEADER_LENGTH,
  RECORD_CIPHERTEXT_LENGTH,
  RECORD_PLAINTEXT_LENGTH,
  TAG_LENGTH,
  decryptBlob,
  encryptBlob,
  type BlobBinding,
} from "../../backend/storage/blob-format";

const KiB = 1024;
const dataKey = randomBytes(32);
const binding: BlobBinding = { orgId: randomUUID(), documentId: randomUUID(), version: 3 };

/** Distinct content per record, so a swapped or duplicated record would decrypt to wrong bytes. */
function pattern(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + Math.floor(i / RECORD_PLAINTEXT_LENGTH) * 101 + seed) & 0xff;
  return bytes;
}

function recordCount(size: number): number {
  return Math.max(1, Math.ceil(size / RECORD_PLAINTEXT_LENGTH));
}

/** Decrypts in chunks, returning all plaintext released before the first error. */
function decryptCollect(ciphertext: Buffer, key: Buffer = dataKey, bind: BlobBinding = binding, chunk = 10_000): { plaintext: Buffer; error: unknown } {
  const decryptor = new BlobDecryptor(key, bind);
  const out: Buffer[] = [];
  try {
    for (let offset = 0; offset < ciphertext.length; offset += chunk) out.push(...decryptor.update(ciphertext.subarray(offset, offset + chunk)));
    out.push(...decryptor.final());
    return { plaintext: Buffer.concat(out), error: undefined };
  } catch (error) {
    return { plaintext: Buffer.concat(out), error };
  }
}

function expectFailsAfter(ciphertext: Buffer, plaintext: Buffer, goodRecords: number, key?: Buffer, bind?: BlobBinding): void {
  const result = decryptCollect(ciphertext, key, bind);
  expect(result.error).toBeInstanceOf(BlobIntegrityError);
  // Exactly the records before the bad one, and not one byte from it onward.
  expect(result.plaintext.equals(plaintext.subarray(0, goodRecords * RECORD_PLAINTEXT_LENGTH))).toBe(true);
}

function flip(bytes: Buffer, position: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[position] = (copy[position] ?? 0) ^ 0x01;
  return copy;
}

function recordStart(index: number): number {
  return HEADER_LENGTH + index * RECORD_CIPHERTEXT_LENGTH;
}

describe("blob format: round trips", () => {
  for (const size of [0, 1, 64 * KiB, 64 * KiB + 1, 1024 * KiB + 5]) {
    it(`round-trips ${size} bytes with the documented length`, () => {
      const plaintext = pattern(size);
      const ciphertext = encryptBlob(dataKey, binding, plaintext);
      expect(ciphertext.length).toBe(HEADER_LENGTH + size + recordCount(size) * TAG_LENGTH);
      expect(decryptBlob(dataKey, binding, ciphertext).equals(plaintext)).toBe(true);
      // Chunking of the ciphertext does not matter, including chunks that split records and header.
      for (const chunk of [1_000, RECORD_CIPHERTEXT_LENGTH, RECORD_CIPHERTEXT_LENGTH + 1, 3 * RECORD_CIPHERTEXT_LENGTH]) {
        const result = decryptCollect(ciphertext, dataKey, binding, chunk);
        expect(result.error).toBeUndefined();
        expect(result.plaintext.equals(plaintext)).toBe(true);
      }
    });
  }

  it("encodes an empty file as one empty final record and 64 KiB as one full final record", () => {
    expect(encryptBlob(dataKey, binding, Buffer.alloc(0)).length).toBe(HEADER_LENGTH + TAG_LENGTH);
    expect(encryptBlob(dataKey, binding, pattern(64 * KiB)).length).toBe(HEADER_LENGTH + RECORD_CIPHERTEXT_LENGTH);
  });

  it("never repeats ciphertext for the same plaintext and binding (fresh salt per write)", () => {
    const plaintext = pattern(1000);
    const a = encryptBlob(dataKey, binding, plaintext);
    const b = encryptBlob(dataKey, binding, plaintext);
    expect(a.subarray(5, HEADER_LENGTH).equals(b.subarray(5, HEADER_LENGTH))).toBe(false);
    expect(a.subarray(HEADER_LENGTH).equals(b.subarray(HEADER_LENGTH))).toBe(false);
    expect(decryptBlob(dataKey, binding, b).equals(plaintext)).toBe(true);
  });

  it("matches the byte layout documented in docs/KEYS.md", () => {
    const plaintext = pattern(70 * KiB);
    const blob = encryptBlob(dataKey, binding, plaintext);
    expect(blob.subarray(0, 4).toString("ascii")).toBe("SCEB");
    expect(blob[4]).toBe(1);
    const salt = blob.subarray(5, 37);
    const prefix = blob.subarray(37, 44);
    const info = `smartcert:blob:v1:${binding.orgId}:${binding.documentId}:${binding.version}`;
    const key = Buffer.from(hkdfSync("sha256", dataKey, salt, info, 32));
    const open = (index: number, last: boolean, record: Buffer): Buffer => {
      const nonce = Buffer.concat([prefix, Buffer.from([0, 0, 0, index, last ? 1 : 0])]);
      const decipher = createDecipheriv("aes-256-gcm", key, nonce);
      decipher.setAAD(blob.subarray(0, HEADER_LENGTH));
      decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
      return Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_LENGTH)), decipher.final()]);
    };
    const first = open(0, false, blob.subarray(recordStart(0), recordStart(1)));
    const second = open(1, true, blob.subarray(recordStart(1)));
    expect(Buffer.concat([first, second]).equals(plaintext)).toBe(true);
  });

  it("gives the same bytes however the plaintext is chunked, and decrypts however the ciphertext is chunked", () => {
    const plaintext = pattern(3 * RECORD_PLAINTEXT_LENGTH + 17);
    const fixedRandom = (size: number): Buffer => Buffer.alloc(size, 0x5a);
    const whole = new BlobEncryptor(dataKey, binding, fixedRandom);
    const expected = Buffer.concat([whole.update(plaintext), whole.final()]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: plaintext.length }), { maxLength: 8 }), (cuts) => {
        const points = [0, ...cuts.sort((x, y) => x - y), plaintext.length];
        const encryptor = new BlobEncryptor(dataKey, binding, fixedRandom);
        const parts = points.slice(1).map((end, i) => encryptor.update(plaintext.subarray(points[i], end)));
        const ciphertext = Buffer.concat([...parts, encryptor.final()]);
        expect(ciphertext.equals(expected)).toBe(true);
        const chunk = 1 + ((cuts[0] ?? 0) % 100_000);
        expect(decryptCollect(ciphertext, dataKey, binding, chunk).plaintext.equals(plaintext)).toBe(true);
      }),
      { numRuns: 25 },
    );
  });
});

describe("blob format: tampering", () => {
  // Three records: two full, one of 1000 bytes.
  const plaintext = pattern(2 * RECORD_PLAINTEXT_LENGTH + 1000);
  const blob = encryptBlob(dataKey, binding, plaintext);
  const records = [0, 1, 2].map((i) => blob.subarray(recordStart(i), i === 2 ? blob.length : recordStart(i + 1)));
  const header = blob.subarray(0, HEADER_LENGTH);
  const [r0, r1, r2] = records as [Buffer, Buffer, Buffer];

  it("decrypts the untampered blob (control)", () => {
    const result = decryptCollect(blob);
    expect(result.error).toBeUndefined();
    expect(result.plaintext.equals(plaintext)).toBe(true);
  });

  it("rejects a flipped bit in every header byte, releasing no plaintext", () => {
    for (let position = 0; position < HEADER_LENGTH; position++) expectFailsAfter(flip(blob, position), plaintext, 0);
  });

  it("rejects a flipped byte in the ciphertext or tag of each record, releasing only earlier records", () => {
    for (const [index, record] of records.entries()) {
      const start = recordStart(index);
      const bodyEnd = start + record.length - TAG_LENGTH;
      const positions = [start, start + 1, Math.floor((start + bodyEnd) / 2), bodyEnd - 1];
      for (let tagByte = 0; tagByte < TAG_LENGTH; tagByte++) positions.push(bodyEnd + tagByte);
      for (const position of positions) expectFailsAfter(flip(blob, position), plaintext, index);
    }
  });

  it("rejects truncation at each record boundary, mid-record and inside the header", () => {
    expectFailsAfter(blob.subarray(0, recordStart(1)), plaintext, 0);
    expectFailsAfter(blob.subarray(0, recordStart(2)), plaintext, 1); // the last record dropped
    expectFailsAfter(blob.subarray(0, blob.length - 1), plaintext, 2);
    expectFailsAfter(blob.subarray(0, recordStart(2) + TAG_LENGTH - 1), plaintext, 2);
    expectFailsAfter(blob.subarray(0, HEADER_LENGTH), plaintext, 0);
    expectFailsAfter(blob.subarray(0, 10), plaintext, 0);
    expectFailsAfter(Buffer.alloc(0), plaintext, 0);
  });

  it("rejects swapped, duplicated and appended records", () => {
    expectFailsAfter(Buffer.concat([header, r1, r0, r2]), plaintext, 0);
    expectFailsAfter(Buffer.concat([header, r0, r2, r1]), plaintext, 1);
    expectFailsAfter(Buffer.concat([header, r0, r0, r1, r2]), plaintext, 1);
    expectFailsAfter(Buffer.concat([header, r0, r1, r1, r2]), plaintext, 2);
    expectFailsAfter(Buffer.concat([blob, r2]), plaintext, 2);
    expectFailsAfter(Buffer.concat([blob, Buffer.alloc(1)]), plaintext, 2);
  });

  it("rejects a record spliced in from another blob of the same binding", () => {
    const other = encryptBlob(dataKey, binding, pattern(plaintext.length, 99));
    expectFailsAfter(Buffer.concat([header, r0, other.subarray(recordStart(1), recordStart(2)), r2]), plaintext, 1);
  });

  it("rejects the blob under another organization, document, version or key, releasing no plaintext", () => {
    expectFailsAfter(blob, plaintext, 0, dataKey, { ...binding, orgId: randomUUID() });
    expectFailsAfter(blob, plaintext, 0, dataKey, { ...binding, documentId: randomUUID() });
    expectFailsAfter(blob, plaintext, 0, dataKey, { ...binding, version: binding.version + 1 });
    expectFailsAfter(blob, plaintext, 0, randomBytes(32), binding);
  });

  it("fails on any single flipped bit anywhere (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: blob.length - 1 }), fc.integer({ min: 0, max: 7 }), (position, bit) => {
        const copy = Buffer.from(blob);
        copy[position] = (copy[position] ?? 0) ^ (1 << bit);
        const badRecord = position < HEADER_LENGTH ? 0 : Math.floor((position - HEADER_LENGTH) / RECORD_CIPHERTEXT_LENGTH);
        expectFailsAfter(copy, plaintext, badRecord);
      }),
      { numRuns: 200 },
    );
  });

  it("stays failed after an error", () => {
    const decryptor = new BlobDecryptor(dataKey, binding);
    expect(() => decryptor.update(flip(blob, 0))).toThrow(BlobIntegrityError);
    expect(() => decryptor.update(Buffer.alloc(1))).toThrow(BlobIntegrityError);
    expect(() => decryptor.final()).toThrow(BlobIntegrityError);
  });

  it("rejects non-canonical bindings", () => {
    const bad: BlobBinding[] = [
      { ...binding, orgId: "../etc" },
      { ...binding, orgId: binding.orgId.toUpperCase() },
      { ...binding, documentId: `${binding.documentId}:1` },
      { ...binding, version: 0 },
      { ...binding, version: 1.5 },
      { ...binding, version: Number.NaN },
    ];
    for (const b of bad) {
      expect(() => new BlobEncryptor(dataKey, b)).toThrow(TypeError);
      expect(() => new BlobDecryptor(dataKey, b)).toThrow(TypeError);
    }
  });
});
