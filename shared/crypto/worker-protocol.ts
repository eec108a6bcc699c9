// Encryption and decryption off the main thread, over a worker's message port.
//
// Streams (the reader's decryption): the caller's ReadableStream is transferred to the worker,
// piped through encryptStream/decryptStream there, and the result transferred back (transferable
// streams; no whole-file buffer on either side).
//
// Blobs (the pane's files): only a reference crosses. Structured cloning a Blob copies no bytes,
// so the worker reads the file itself, seals it (seal-blob.ts) into a Blob of ciphertext and hands
// that reference back, posting only progress in between. The page thread moves no chunks at all,
// which is what keeps its tasks short and the whole at raw WebCrypto speed.
//
// Keys: a passphrase's Argon2id (64 MiB, ~0.3–1 s of WebAssembly) would block the page's thread,
// so it runs here too; the link key's bytes cross once, as a copy, and come back as the message
// key. The message key crosses as a non-extractable CryptoKey (structured-cloneable), never as bytes.
import type { MessageKey } from "./keys";
import { messageKeyFrom, type PassphraseKdf } from "./passphrase";
import { sealBlobToBlob } from "./seal-blob";
import { decryptStream, encryptStream } from "./stream";

export type CryptoOperation = "encrypt" | "decrypt";

type Job =
  | { kind: "stream"; id: number; op: CryptoOperation; hkdf: CryptoKey; partIndex: number; input: ReadableStream<Uint8Array> }
  | { kind: "seal-blob"; id: number; hkdf: CryptoKey; partIndex: number; blob: Blob }
  | { kind: "derive"; id: number; linkKey: Uint8Array<ArrayBuffer>; passphrase?: { passphrase: string; kdf: PassphraseKdf } };

type Reply =
  | { kind: "stream"; id: number; output: ReadableStream<Uint8Array> }
  | { kind: "progress"; id: number; sealedBytes: number }
  | { kind: "sealed"; id: number; blob: Blob }
  | { kind: "key"; id: number; hkdf: CryptoKey }
  | { kind: "failed"; id: number; name: string; message: string };

/** The part of a worker's global scope or a MessagePort that the protocol needs. */
export interface JobPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent) => void): void;
  start?: () => void;
}

export interface CryptoRunner {
  run(op: CryptoOperation, key: MessageKey, input: ReadableStream<Uint8Array>, partIndex: number): ReadableStream<Uint8Array>;
  /** `blob` sealed as part `partIndex` (the format of encryptStream), as a Blob of ciphertext. */
  sealBlob(key: MessageKey, blob: Blob, partIndex: number, onProgress?: (sealedBytes: number) => void): Promise<Blob>;
  /** messageKeyFrom (passphrase.ts) off the page's thread; `linkKey` is zeroed here once sent. */
  deriveKey(linkKey: Uint8Array<ArrayBuffer>, passphrase?: { passphrase: string; kdf: PassphraseKdf }): Promise<MessageKey>;
}

/** Progress is reported at most this often: each report is a task (and a render) on the page's thread. */
const PROGRESS_INTERVAL_MS = 100;

function throttled(report: (sealedBytes: number) => void): (sealedBytes: number) => void {
  let last = -Infinity;
  return (sealedBytes) => {
    const now = performance.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    report(sealedBytes);
  };
}

/** Inside the worker: answers every job. */
export function serveCryptoJobs(port: JobPort): void {
  port.addEventListener("message", (event) => {
    const job = event.data as Job;
    // Errors are sent as name and message: neither carries key material or plaintext.
    const fail = (error: unknown) => {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      port.postMessage({ kind: "failed", id: job.id, name, message } satisfies Reply, []);
    };
    if (job.kind === "derive") {
      messageKeyFrom(job.linkKey, job.passphrase).then((key) => { port.postMessage({ kind: "key", id: job.id, hkdf: key.hkdf } satisfies Reply, []); }, fail);
      return;
    }
    const key: MessageKey = { hkdf: job.hkdf };
    if (job.kind === "stream") {
      const transform = job.op === "encrypt" ? encryptStream(key, { partIndex: job.partIndex }) : decryptStream(key, { partIndex: job.partIndex });
      const output = job.input.pipeThrough(transform).pipeThrough(rechunk());
      port.postMessage({ kind: "stream", id: job.id, output } satisfies Reply, [output]);
      return;
    }
    const onProgress = throttled((sealedBytes: number) => { port.postMessage({ kind: "progress", id: job.id, sealedBytes } satisfies Reply, []); });
    sealBlobToBlob(key, job.blob, { partIndex: job.partIndex, onProgress }).then((blob) => { port.postMessage({ kind: "sealed", id: job.id, blob } satisfies Reply, []); }, fail);
  });
  port.start?.();
}

interface Waiting {
  stream?: (output: ReadableStream<Uint8Array>) => void;
  progress?: (sealedBytes: number) => void;
  sealed?: (blob: Blob) => void;
  key?: (key: MessageKey) => void;
  failed?: (error: Error) => void;
}

/** On the page: each call posts a job and resolves with the worker's answer. */
export function workerRunner(port: JobPort): CryptoRunner {
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  port.addEventListener("message", (event) => {
    const reply = event.data as Reply;
    const w = waiting.get(reply.id);
    if (!w) return;
    if (reply.kind === "progress") {
      w.progress?.(reply.sealedBytes);
      return;
    }
    waiting.delete(reply.id);
    if (reply.kind === "stream") w.stream?.(reply.output);
    else if (reply.kind === "sealed") w.sealed?.(reply.blob);
    else if (reply.kind === "key") w.key?.({ hkdf: reply.hkdf });
    else w.failed?.(Object.assign(new Error(reply.message), { name: reply.name }));
  });
  port.start?.();
  return {
    run(op, key, input, partIndex) {
      const id = nextId++;
      const output = new Promise<ReadableStream<Uint8Array>>((resolve) => waiting.set(id, { stream: resolve }));
      port.postMessage({ kind: "stream", id, op, hkdf: key.hkdf, partIndex, input } satisfies Job, [input]);
      // A same-thread pass-through, so callers get a stream at once and backpressure still reaches the worker.
      const pass = new TransformStream<Uint8Array, Uint8Array>();
      void output.then((stream) => stream.pipeTo(pass.writable)).catch(() => undefined);
      return pass.readable;
    },
    sealBlob(key, blob, partIndex, onProgress) {
      const id = nextId++;
      return new Promise<Blob>((resolve, reject) => {
        waiting.set(id, { sealed: resolve, failed: reject, ...(onProgress ? { progress: onProgress } : {}) });
        port.postMessage({ kind: "seal-blob", id, hkdf: key.hkdf, partIndex, blob } satisfies Job, []);
      });
    },
    deriveKey(linkKey, passphrase) {
      const id = nextId++;
      return new Promise<MessageKey>((resolve, reject) => {
        waiting.set(id, { key: resolve, failed: reject });
        // postMessage copies the bytes; this thread's copy is zeroed at once, as messageKeyFrom would.
        port.postMessage({ kind: "derive", id, linkKey, ...(passphrase ? { passphrase } : {}) } satisfies Job, []);
        linkKey.fill(0);
      });
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
  sealBlob(key, blob, partIndex, onProgress) {
    return sealBlobToBlob(key, blob, { partIndex, ...(onProgress ? { onProgress: throttled(onProgress) } : {}) });
  },
  deriveKey: (linkKey, passphrase) => messageKeyFrom(linkKey, passphrase),
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
