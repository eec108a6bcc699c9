// Encryption and decryption off the main thread. The caller's ReadableStream is transferred to a
// worker, piped through encryptStream/decryptStream there, and the result transferred back, so the
// main thread only moves chunks (transferable streams; no whole-file buffer on either side). The
// message key crosses as a non-extractable CryptoKey (structured-cloneable), never as bytes.
import type { MessageKey } from "./keys";
import { decryptStream, encryptStream } from "./stream";

export type CryptoOperation = "encrypt" | "decrypt";

interface Job {
  id: number;
  op: CryptoOperation;
  hkdf: CryptoKey;
  partIndex: number;
  input: ReadableStream<Uint8Array>;
}

interface Reply {
  id: number;
  output: ReadableStream<Uint8Array>;
}

/** The part of a worker's global scope or a MessagePort that the protocol needs. */
export interface JobPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  start?: () => void;
}

export interface CryptoRunner {
  run(op: CryptoOperation, key: MessageKey, input: ReadableStream<Uint8Array>, partIndex: number): ReadableStream<Uint8Array>;
}

/** Inside the worker: answers every job with its transformed stream. */
export function serveCryptoJobs(port: JobPort): void {
  port.addEventListener("message", (event) => {
    const job = event.data as Job;
    const key: MessageKey = { hkdf: job.hkdf };
    const transform = job.op === "encrypt" ? encryptStream(key, { partIndex: job.partIndex }) : decryptStream(key, { partIndex: job.partIndex });
    const output = job.input.pipeThrough(transform).pipeThrough(rechunk());
    port.postMessage({ id: job.id, output } satisfies Reply, [output]);
  });
  port.start?.();
}

/** On the page: each run posts a job and hands back a stream that forwards the worker's output. */
export function workerRunner(port: JobPort): CryptoRunner {
  const waiting = new Map<number, (output: ReadableStream<Uint8Array>) => void>();
  let nextId = 0;
  port.addEventListener("message", (event) => {
    const reply = event.data as Reply;
    waiting.get(reply.id)?.(reply.output);
    waiting.delete(reply.id);
  });
  port.start?.();
  return {
    run(op, key, input, partIndex) {
      const id = nextId++;
      const output = new Promise<ReadableStream<Uint8Array>>((resolve) => waiting.set(id, resolve));
      port.postMessage({ id, op, hkdf: key.hkdf, partIndex, input } satisfies Job, [input]);
      // A same-thread pass-through, so callers get a stream at once and backpressure still reaches the worker.
      const pass = new TransformStream<Uint8Array, Uint8Array>();
      void output.then((stream) => stream.pipeTo(pass.writable)).catch(() => undefined);
      return pass.readable;
    },
  };
}

/**
 * Every chunk of a transferred stream is one message between threads (with a reply for
 * backpressure), so 64 KiB chunks spend more time in messaging than in AES. Batching into 1 MiB
 * chunks on both sides of the worker keeps the hops rare; memory stays bounded (one batch).
 */
export const BATCH_BYTES = 1024 * 1024;

export function rechunk(size = BATCH_BYTES): TransformStream<Uint8Array, Uint8Array> {
  let batch = new Uint8Array(size);
  let filled = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (filled === 0 && chunk.length >= size) {
        controller.enqueue(chunk);
        return;
      }
      let offset = 0;
      while (offset < chunk.length) {
        const n = Math.min(size - filled, chunk.length - offset);
        batch.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === size) {
          controller.enqueue(batch);
          batch = new Uint8Array(size);
          filled = 0;
        }
      }
    },
    flush(controller) {
      if (filled > 0) controller.enqueue(batch.subarray(0, filled));
    },
  });
}

/** The same work on the current thread, for where workers or transferable streams do not exist (Node tests, old browsers). */
export const inlineRunner: CryptoRunner = {
  run(op, key, input, partIndex) {
    return input.pipeThrough(op === "encrypt" ? encryptStream(key, { partIndex }) : decryptStream(key, { partIndex }));
  },
};

/** Whether this platform can transfer streams between threads. */
export function canTransferStreams(): boolean {
  try {
    const stream = new ReadableStream();
    structuredClone(stream, { transfer: [stream as unknown as Transferable] });
    return true;
  } catch {
    return false;
  }
}
