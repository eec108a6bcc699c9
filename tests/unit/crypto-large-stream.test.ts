// 200 MiB through encrypt → decrypt as streams, and sealed from a file-backed Blob (the pane's
// path), checking the bytes (SHA-256 of what went in and came out) and that memory stays bounded: the pipeline never holds more than a few records, so
// heap and RSS growth must stay far below the 400 MiB a whole-file buffer (plain + cipher) needs.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ciphertextLength } from "../../shared/crypto/format";
import { generateLinkKey } from "../../shared/crypto/keys";
import { messageKeyFrom } from "../../shared/crypto/passphrase";
import { sealBlob } from "../../shared/crypto/seal-blob";
import { decryptStream, encryptStream } from "../../shared/crypto/stream";
import { tempDir } from "../support/databases";

const MiB = 1024 * 1024;
const TOTAL = 200 * MiB;
const CHUNK = MiB; // Not a multiple of the record size would also do; see crypto-format's chunk test.

describe("a 200 MiB stream", () => {
  it("round-trips with bounded memory", async () => {
    const key = await messageKeyFrom(generateLinkKey());
    const inHash = createHash("sha256");
    const outHash = createHash("sha256");
    let produced = 0;
    let cipherBytes = 0;
    let received = 0;
    const pattern = new Uint8Array(CHUNK);
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (produced >= TOTAL) {
          controller.close();
          return;
        }
        // Different bytes in every chunk, so a reordered or repeated record would change the hash.
        const view = new DataView(pattern.buffer);
        for (let i = 0; i < CHUNK; i += 4096) view.setUint32(i, produced + i);
        const chunk = pattern.slice();
        inHash.update(chunk);
        produced += chunk.length;
        controller.enqueue(chunk);
      },
    }, { highWaterMark: 1 });
    const countCipher = new TransformStream<Uint8Array, Uint8Array>({ transform(chunk, c) { cipherBytes += chunk.length; c.enqueue(chunk); } });

    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed + before.arrayBuffers;
    const sample = () => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
    };
    const timer = setInterval(sample, 20);
    const started = performance.now();
    try {
      await source
        .pipeThrough(encryptStream(key, { partIndex: 1 }))
        .pipeThrough(countCipher)
        .pipeThrough(decryptStream(key, { partIndex: 1 }))
        .pipeTo(new WritableStream({ write(chunk) { received += chunk.length; outHash.update(chunk); sample(); } }));
    } finally {
      clearInterval(timer);
    }
    const seconds = (performance.now() - started) / 1000;
    const rssGrowth = (peakRss - before.rss) / MiB;
    const heapGrowth = (peakHeap - before.heapUsed - before.arrayBuffers) / MiB;
    console.log(`200 MiB encrypt+decrypt: ${seconds.toFixed(1)} s, peak RSS growth ${rssGrowth.toFixed(1)} MiB, peak heap+ArrayBuffer growth ${heapGrowth.toFixed(1)} MiB`);

    expect(received).toBe(TOTAL);
    expect(cipherBytes).toBe(ciphertextLength(TOTAL));
    expect(outHash.digest("hex")).toBe(inHash.digest("hex"));
    // Generous bounds for GC timing, yet a quarter of one whole-file buffer.
    expect(heapGrowth).toBeLessThan(64);
    expect(rssGrowth).toBeLessThan(96);
  }, 120_000);

  // The pane's path for files: sealBlob reads a File-like Blob slice by slice. A file-backed Blob
  // (fs.openAsBlob) keeps the 200 MiB on disk, so only what the sealer holds shows up in memory.
  it("seals a 200 MiB file-backed Blob with bounded memory, and it decrypts to the same bytes", async () => {
    const dir = tempDir("crypto-large-blob");
    const file = path.join(dir, "large.bin");
    const inHash = createHash("sha256");
    const fd = fs.openSync(file, "w");
    const pattern = new Uint8Array(CHUNK);
    const view = new DataView(pattern.buffer);
    for (let written = 0; written < TOTAL; written += CHUNK) {
      for (let i = 0; i < CHUNK; i += 4096) view.setUint32(i, written + i + 1);
      inHash.update(pattern);
      fs.writeSync(fd, pattern);
    }
    fs.closeSync(fd);
    try {
      const blob = await fs.openAsBlob(file);
      const key = await messageKeyFrom(generateLinkKey());
      const outHash = createHash("sha256");
      let cipherBytes = 0;
      let received = 0;
      const sealed = sealBlob(key, blob, { partIndex: 2 });
      const source = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await sealed.next();
          if (next.done) controller.close();
          else {
            cipherBytes += next.value.length;
            controller.enqueue(next.value);
          }
        },
      }, { highWaterMark: 1 });

      global.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      const sample = () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };
      const timer = setInterval(sample, 20);
      try {
        await source.pipeThrough(decryptStream(key, { partIndex: 2 })).pipeTo(new WritableStream({ write(chunk) { received += chunk.length; outHash.update(chunk); sample(); } }));
      } finally {
        clearInterval(timer);
      }
      const rssGrowth = (peakRss - before.rss) / MiB;
      console.log(`200 MiB sealBlob+decrypt: peak RSS growth ${rssGrowth.toFixed(1)} MiB`);
      expect(received).toBe(TOTAL);
      expect(cipherBytes).toBe(ciphertextLength(TOTAL));
      expect(outHash.digest("hex")).toBe(inHash.digest("hex"));
      expect(rssGrowth).toBeLessThan(96);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
