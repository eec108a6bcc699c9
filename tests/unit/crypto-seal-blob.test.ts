// sealBlob, the pane's path for files: the committed golden files and encryptStream's bytes at every
// record and read boundary, decryptable by the stream decryptor; a file that changes while it is
// read; and the same work across a real MessageChannel as the crypto worker does it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ciphertextLength } from "../../shared/crypto/format";
import { generateLinkKey } from "../../shared/crypto/keys";
import { messageKeyFrom, type PassphraseKdf } from "../../shared/crypto/passphrase";
import { SEALS_IN_FLIGHT, sealBlob, sealBlobToBlob } from "../../shared/crypto/seal-blob";
import { decryptToBytes, encryptToBytes } from "../../shared/crypto/stream";
import { inlineRunner, serveCryptoJobs, workerRunner } from "../../shared/crypto/worker-protocol";
import { goldenKdf } from "../fixtures/crypto/golden-encrypt";
import { GOLDEN_CASES, GOLDEN_DIR, GOLDEN_PASSPHRASE, goldenLinkKey, goldenPlaintext, goldenRandom } from "../fixtures/crypto/golden-inputs";

const MiB = 1024 * 1024;
const bytesOf = async (blob: Blob) => new Uint8Array(await blob.arrayBuffer());

describe("sealBlob", () => {
  for (const c of GOLDEN_CASES) {
    it(`${c.file}: the fixed inputs sealed from a Blob give the committed bytes`, async () => {
      const kdf: PassphraseKdf | undefined = c.passphrase ? goldenKdf() : undefined;
      const key = await messageKeyFrom(goldenLinkKey(), kdf ? { passphrase: GOLDEN_PASSPHRASE, kdf } : undefined);
      const sealed = await sealBlobToBlob(key, new Blob([goldenPlaintext(c.plaintextLength)]), { partIndex: c.partIndex, random: goldenRandom() });
      expect(Buffer.from(await bytesOf(sealed)).equals(await readFile(path.join(GOLDEN_DIR, c.file)))).toBe(true);
    }, 30_000);
  }

  // Around the record size, the number of records kept in flight and larger sizes.
  const R = 65_536;
  const sizes = [1, R - 1, R, R + 1, SEALS_IN_FLIGHT * R, SEALS_IN_FLIGHT * R + 7, MiB - 1, MiB, MiB + 1, 3 * MiB + 12_345];
  it("writes exactly encryptStream's bytes at every boundary, and they decrypt back", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    for (const size of sizes) {
      const plain = goldenPlaintext(size);
      const progress: number[] = [];
      const sealed = await bytesOf(await sealBlobToBlob(key, new Blob([plain]), { partIndex: 4, random: goldenRandom(), onProgress: (n) => progress.push(n) }));
      const streamed = await encryptToBytes(key, plain, { partIndex: 4, random: goldenRandom() });
      expect(sealed.length, `size ${size}`).toBe(ciphertextLength(size));
      expect(Buffer.from(sealed).equals(Buffer.from(streamed)), `size ${size}`).toBe(true);
      expect(Buffer.from(await decryptToBytes(key, sealed, { partIndex: 4 })).equals(Buffer.from(plain)), `size ${size}`).toBe(true);
      expect(progress.at(-1)).toBe(sealed.length);
    }
  }, 60_000);

  it("uses a fresh salt (so a fresh part key) on every call without a fixed source", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const blob = new Blob([goldenPlaintext(1000)]);
    const [a, b] = await Promise.all([sealBlobToBlob(key, blob, { partIndex: 1 }), sealBlobToBlob(key, blob, { partIndex: 1 })]);
    expect(Buffer.from(await bytesOf(a)).subarray(5, 28).equals(Buffer.from(await bytesOf(b)).subarray(5, 28))).toBe(false);
  });

  /** A Blob whose size says `size` but whose stream delivers `bytes` in chunks of `chunk` (any size, as a real stream may). */
  const oddBlob = (size: number, bytes: Uint8Array, chunk: number) => ({
    size,
    stream: () => new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += chunk) c.enqueue(bytes.slice(i, i + chunk));
        c.close();
      },
    }),
  }) as unknown as Blob;

  it("cuts records from chunks of any size, including ones that span records", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const plain = goldenPlaintext(5 * R + 333);
    const expected = await encryptToBytes(key, plain, { partIndex: 1, random: goldenRandom() });
    for (const chunk of [1000, R - 1, R + 1, 3 * R + 5, plain.length]) {
      const sealed = await bytesOf(await sealBlobToBlob(key, oddBlob(plain.length, plain, chunk), { partIndex: 1, random: goldenRandom() }));
      expect(Buffer.from(sealed).equals(Buffer.from(expected)), `chunks of ${chunk}`).toBe(true);
    }
  });

  it("refuses a file that shrank or grew while it was read", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const plain = goldenPlaintext(3 * MiB);
    const drain = async (blob: Blob) => { let n = 0; for await (const chunk of sealBlob(key, blob, { partIndex: 1 })) n += chunk.length; return n; };
    // A File truncated on disk after it was picked: its size says 3 MiB, its stream ends early.
    await expect(drain(oddBlob(plain.length, plain.subarray(0, MiB), R))).rejects.toThrow(/changed while it was being encrypted/);
    await expect(drain(oddBlob(MiB, plain, R))).rejects.toThrow(/changed while it was being encrypted/);
  });

  it("runs across a MessageChannel as in the crypto worker: only progress and the sealed Blob come back", async () => {
    const channel = new MessageChannel();
    serveCryptoJobs(channel.port2);
    const runner = workerRunner(channel.port1);
    try {
      const key = await messageKeyFrom(generateLinkKey());
      const plain = goldenPlaintext(2 * MiB + 99);
      const progress: number[] = [];
      const sealed = await runner.sealBlob(key, new Blob([plain]), 2, (n) => progress.push(n));
      expect(sealed.size).toBe(ciphertextLength(plain.length));
      expect(Buffer.from(await decryptToBytes(key, await bytesOf(sealed), { partIndex: 2 })).equals(Buffer.from(plain))).toBe(true);
      for (const n of progress) expect(n).toBeLessThanOrEqual(sealed.size);
      // A failure in the worker arrives as an error with its name and message (the part index is out of range).
      await expect(runner.sealBlob(key, new Blob([plain]), 5000, () => undefined)).rejects.toSatisfy((e: unknown) => e instanceof Error && e.name === "RangeError" && /part index/.test(e.message));
      // The inline runner is the same code on this thread.
      expect((await inlineRunner.sealBlob(key, new Blob([plain]), 2)).size).toBe(sealed.size);
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  });
});
