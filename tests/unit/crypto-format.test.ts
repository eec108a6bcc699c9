// The message stream format (docs/ENCRYPTION.md): committed golden files, an independent decoder
// written from the documentation with node:crypto (so the docs and the code cannot drift apart),
// and every tamper case releasing no plaintext.
import { createDecipheriv, hkdfSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MessageIntegrityError, ciphertextLength } from "../../shared/crypto/format";
import { decodeLinkKey, encodeLinkKey, generateLinkKey } from "../../shared/crypto/keys";
import { decryptManifest, encryptManifest } from "../../shared/crypto/manifest";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { decryptStream, decryptToBytes, encryptToBytes, readAll } from "../../shared/crypto/stream";
import { encryptGolden } from "../fixtures/crypto/golden-encrypt";
import { GOLDEN_CASES, GOLDEN_DIR, goldenLinkKey, goldenPlaintext } from "../fixtures/crypto/golden-inputs";

const golden = (file: string) => readFile(path.join(GOLDEN_DIR, file));

/** docs/ENCRYPTION.md, step by step, with Node's own AES-GCM and HKDF. */
function decodeFromDocs(secret: Uint8Array, stream: Buffer, partIndex: number): Buffer {
  expect(stream.subarray(0, 5).toString("latin1")).toBe("SCMS\x01");
  const header = stream.subarray(0, 28);
  const salt = header.subarray(5, 21);
  const prefix = header.subarray(21, 28);
  const key = Buffer.from(hkdfSync("sha256", secret, salt, `smartcert:message:v1:part:${partIndex}`, 32));
  const out: Buffer[] = [];
  let offset = 28;
  for (let i = 0; ; i++) {
    const last = stream.length - offset <= 65_536 + 16;
    const record = stream.subarray(offset, last ? stream.length : offset + 65_536 + 16);
    const nonce = Buffer.concat([prefix, Buffer.from([i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, last ? 1 : 0])]);
    const decipher = createDecipheriv("aes-256-gcm", key, nonce).setAAD(header);
    decipher.setAuthTag(record.subarray(record.length - 16));
    out.push(decipher.update(record.subarray(0, record.length - 16)), decipher.final());
    if (last) return Buffer.concat(out);
    offset += record.length;
  }
}

async function goldenKey() {
  return messageKeyFrom(goldenLinkKey());
}

async function decryptAll(bytes: Uint8Array, partIndex: number, chunkSize = 10_000): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunkSize) controller.enqueue(bytes.slice(i, i + chunkSize));
      controller.close();
    },
  });
  return readAll(source.pipeThrough(decryptStream(await goldenKey(), { partIndex })), Number.MAX_SAFE_INTEGER);
}

describe("golden files", () => {
  for (const c of GOLDEN_CASES) {
    it(`${c.file}: encrypting the fixed inputs gives the committed bytes, which decrypt back`, async () => {
      const committed = await golden(c.file);
      expect(committed.length).toBe(ciphertextLength(c.plaintextLength));
      expect(Buffer.from(await encryptGolden(c)).equals(committed)).toBe(true);
      if (!c.passphrase) {
        expect(Buffer.from(await decryptAll(committed, c.partIndex)).equals(Buffer.from(goldenPlaintext(c.plaintextLength)))).toBe(true);
        // Without a passphrase the message secret is the link key itself.
        expect(decodeFromDocs(goldenLinkKey(), committed, c.partIndex).equals(Buffer.from(goldenPlaintext(c.plaintextLength)))).toBe(true);
      }
    });
  }
});

describe("tampering releases no plaintext", () => {
  const file = "three-records-part2.scms"; // records at 28, 28+65552, 28+2*65552 (short, last)
  const record = 65_536 + 16;
  const cases: [string, (b: Buffer) => Buffer][] = [
    ["flipped bit in the header salt", (b) => flip(b, 10)],
    ["flipped bit in the nonce prefix", (b) => flip(b, 25)],
    ["flipped bit in a record body", (b) => flip(b, 28 + record + 100)],
    ["flipped bit in a tag", (b) => flip(b, b.length - 1)],
    ["truncated at a record boundary", (b) => b.subarray(0, 28 + 2 * record)],
    ["truncated inside a record", (b) => b.subarray(0, b.length - 5)],
    ["truncated to the header", (b) => b.subarray(0, 28)],
    ["truncated inside the header", (b) => b.subarray(0, 20)],
    ["records 0 and 1 swapped", (b) => Buffer.concat([b.subarray(0, 28), b.subarray(28 + record, 28 + 2 * record), b.subarray(28, 28 + record), b.subarray(28 + 2 * record)])],
    ["record 0 duplicated", (b) => Buffer.concat([b.subarray(0, 28 + record), b.subarray(28, 28 + record), b.subarray(28 + record)])],
    ["bytes appended", (b) => Buffer.concat([b, Buffer.alloc(16)])],
    ["wrong magic", (b) => Buffer.concat([Buffer.from("XCMS"), b.subarray(4)])],
    ["unknown version", (b) => { const c = Buffer.from(b); c[4] = 2; return c; }],
  ];
  for (const [name, damage] of cases) {
    it(name, async () => {
      const damaged = damage(await golden(file));
      await expect(decryptToBytes(await goldenKey(), damaged, { partIndex: 2 })).rejects.toBeInstanceOf(MessageIntegrityError);
    });
  }

  it("a damaged record stops the stream before that record's plaintext is released", async () => {
    const damaged = flip(await golden(file), 28 + record + 100);
    const released: Uint8Array[] = [];
    const sink = new WritableStream<Uint8Array>({ write(chunk) { released.push(chunk); } });
    const source = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(damaged); c.close(); } });
    await expect(source.pipeThrough(decryptStream(await goldenKey(), { partIndex: 2 })).pipeTo(sink)).rejects.toBeInstanceOf(MessageIntegrityError);
    // Only record 0 (verified) came out; nothing of record 1 or later.
    expect(released.reduce((n, c) => n + c.length, 0)).toBe(65_536);
  });

  it("the wrong part index, the wrong key or another stream's header fails", async () => {
    const bytes = await golden(file);
    await expect(decryptToBytes(await goldenKey(), bytes, { partIndex: 1 })).rejects.toBeInstanceOf(MessageIntegrityError);
    await expect(decryptToBytes(await messageKeyFrom(generateLinkKey()), bytes, { partIndex: 2 })).rejects.toBeInstanceOf(MessageIntegrityError);
    // Same key and part, fresh salt and prefix: its header does not fit these records.
    const other = await encryptToBytes(await goldenKey(), goldenPlaintext(10), { partIndex: 2 });
    await expect(decryptToBytes(await goldenKey(), Buffer.concat([other.subarray(0, 28), bytes.subarray(28)]), { partIndex: 2 })).rejects.toBeInstanceOf(MessageIntegrityError);
  });
});

describe("streams and keys", () => {
  it("fresh keys, salts and prefixes: the same plaintext never encrypts the same way twice", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const a = await encryptToBytes(key, goldenPlaintext(100), { partIndex: 0 });
    const b = await encryptToBytes(key, goldenPlaintext(100), { partIndex: 0 });
    expect(Buffer.from(a.subarray(5, 28)).equals(Buffer.from(b.subarray(5, 28)))).toBe(false);
    expect(Buffer.from(await decryptToBytes(key, b, { partIndex: 0 })).equals(Buffer.from(goldenPlaintext(100)))).toBe(true);
  });

  it("chunk boundaries do not matter, down to one byte per chunk", async () => {
    const bytes = await golden("three-records-part2.scms");
    for (const size of [7, 28, 65_552, 65_553, 200_000]) {
      expect(Buffer.from(await decryptAll(bytes, 2, size)).equals(Buffer.from(goldenPlaintext(150_000)))).toBe(true);
    }
    const small = await encryptToBytes(await goldenKey(), goldenPlaintext(1000), { partIndex: 2 });
    expect(Buffer.from(await decryptAll(small, 2, 1)).equals(Buffer.from(goldenPlaintext(1000)))).toBe(true);
    const tiny = await golden("empty-part0.scms");
    expect((await decryptAll(tiny, 0, 1)).length).toBe(0);
  });

  it("link keys: 43 base64url characters, strictly parsed", () => {
    const key = generateLinkKey();
    const text = encodeLinkKey(key);
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeLinkKey(text)).toEqual(key);
    expect(decodeLinkKey(text.slice(1))).toBeUndefined();
    expect(decodeLinkKey(`${text}=`)).toBeUndefined();
    expect(decodeLinkKey(text.replace(/.$/, "%"))).toBeUndefined();
  });

  it("the manifest round-trips and is all-or-nothing", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const manifest = { v: 1 as const, text: "Hej! Certifikaten bifogas. ✓", files: [{ name: "cert.pdf", type: "application/pdf", size: 12 }] };
    const sealed = await encryptManifest(key, manifest);
    expect(await decryptManifest(key, sealed)).toEqual(manifest);
    await expect(decryptManifest(key, flip(Buffer.from(sealed), 40))).rejects.toBeInstanceOf(MessageIntegrityError);
  });

  it("rejects non-byte chunks", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const source = new ReadableStream<unknown>({ start(c) { c.enqueue("text"); c.close(); } });
    await expect(readAll(source.pipeThrough(decryptStream(key, { partIndex: 0 }) as unknown as TransformStream<unknown, Uint8Array>), 100)).rejects.toThrow(TypeError);
  });
});

function flip(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
