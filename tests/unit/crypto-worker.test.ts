// The worker protocol over a real MessageChannel: streams and the non-extractable key are
// transferred to the serving side and the result comes back as a stream, as with a Web Worker.
import { describe, expect, it } from "vitest";
import { MessageIntegrityError } from "../../shared/crypto/format";
import { generateLinkKey } from "../../shared/crypto/keys";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { readAll } from "../../shared/crypto/stream";
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
});
