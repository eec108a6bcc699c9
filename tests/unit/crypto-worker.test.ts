// The worker protocol over a real MessageChannel: streams and the non-extractable key are
// transferred to the serving side and the result comes back as a stream, as with a Web Worker.
import { describe, expect, it } from "vitest";
import { MessageIntegrityError } from "../../shared/crypto/format";
import { generateLinkKey } from "../../shared/crypto/keys";
import { messageKeyFrom, newPassphraseKdf } from "../../shared/crypto/passphrase";
import { decryptToBytes, encryptToBytes, readAll } from "../../shared/crypto/stream";
import { canTransferStreams, inlineRunner, serveCryptoJobs, workerRunner } from "../../shared/crypto/worker-protocol";
import { goldenPlaintext } from "../fixtures/crypto/golden-inputs";

const streamOf = (bytes: Uint8Array) => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes); c.close(); } });

describe("crypto runner", () => {
  it("encrypts on the far side of a MessageChannel and decrypts inline to the same bytes", async () => {
    expect(canTransferStreams()).toBe(true);
    const channel = new MessageChannel();
    serveCryptoJobs(channel.port2);
    const runner = workerRunner(channel.port1);
    try {
      const key = await messageKeyFrom(generateLinkKey());
      const plain = goldenPlaintext(300_000);
      const sealed = await readAll(runner.run("encrypt", key, streamOf(plain), 3), 1e9);
      expect(sealed.length).toBe(300_000 + 28 + 5 * 16);
      const opened = await readAll(inlineRunner.run("decrypt", key, streamOf(sealed), 3), 1e9);
      expect(Buffer.from(opened).equals(Buffer.from(plain))).toBe(true);

      sealed[1000] = (sealed[1000] ?? 0) ^ 1;
      await expect(readAll(runner.run("decrypt", key, streamOf(sealed), 3), 1e9)).rejects.toSatisfy((e: unknown) => e instanceof Error && /does not decrypt/.test(e.message));
      await expect(readAll(inlineRunner.run("decrypt", key, streamOf(sealed), 3), 1e9)).rejects.toBeInstanceOf(MessageIntegrityError);
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  });

  it("derives a passphrase message's key on the far side (Argon2id off the page's thread), equal to the inline derivation", async () => {
    const channel = new MessageChannel();
    serveCryptoJobs(channel.port2);
    const runner = workerRunner(channel.port1);
    try {
      const linkKey = generateLinkKey();
      const kdf = newPassphraseKdf();
      const sent = linkKey.slice();
      const remote = await runner.deriveKey(sent, { passphrase: "blue harbour 42", kdf });
      // This thread's copy of the link key was zeroed once it was posted.
      expect(sent.every((b) => b === 0)).toBe(true);
      const sealed = await encryptToBytes(remote, goldenPlaintext(1000), { partIndex: 0 });
      const local = await messageKeyFrom(linkKey.slice(), { passphrase: "blue harbour 42", kdf });
      expect(Buffer.from(await decryptToBytes(local, sealed, { partIndex: 0 })).equals(Buffer.from(goldenPlaintext(1000)))).toBe(true);
      // Another passphrase derives another key; bad parameters fail with their own error.
      const wrong = await runner.deriveKey(linkKey.slice(), { passphrase: "blue harbour 43", kdf });
      await expect(decryptToBytes(wrong, sealed, { partIndex: 0 })).rejects.toBeInstanceOf(MessageIntegrityError);
      await expect(runner.deriveKey(linkKey.slice(), { passphrase: "x", kdf: { ...kdf, memoryKiB: 1 } })).rejects.toSatisfy((e: unknown) => e instanceof Error && e.name === "RangeError");
    } finally {
      channel.port1.close();
      channel.port2.close();
    }
  }, 60_000);
});
