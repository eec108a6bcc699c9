// Encrypting one part straight from a Blob (a File the user picked, an attachment): the pane's
// path for files. It writes exactly the bytes encryptStream writes (format.ts; the golden tests
// compare the two), but it needs no TransformStream and holds back no record: a Blob's size is
// known up front, so the last record is known before it is read.
//
// Why not encryptStream: every chunk through a TransformStream costs promise and queue work, and
// awaiting one WebCrypto call at a time leaves the thread idle while WebCrypto hands the work to
// its own thread and back. Here the Blob is read as one stream (a browser feeds it through a data
// pipe without a round trip per slice), records are cut from its chunks (copied only when a record
// spans two chunks: a stream's chunks may be any size), and up to SEALS_IN_FLIGHT records are being sealed at once. Memory stays
// bounded: the chunk being cut, one partial record, and the records in flight.
import { randomBytes } from "./bytes";
import { NONCE_PREFIX_LENGTH, RECORD_PLAINTEXT_LENGTH, SALT_LENGTH, TAG_LENGTH, encodeHeader, recordNonce } from "./format";
import { derivePartKey, type MessageKey } from "./keys";
import type { EncryptOptions } from "./stream";

/** Records handed to WebCrypto before the first of them is awaited. */
export const SEALS_IN_FLIGHT = 4;

const ignore = (): undefined => undefined;

/**
 * The sealed stream of `blob` as part `options.partIndex`: the 28-byte header, then one
 * Uint8Array per record (ciphertext ‖ tag), in order. Stop early with `return()` on the iterator.
 */
export async function* sealBlob(key: MessageKey, blob: Blob, options: EncryptOptions): AsyncGenerator<Uint8Array<ArrayBuffer>, void, undefined> {
  const random = options.random ?? randomBytes;
  const header = encodeHeader(random(SALT_LENGTH), random(NONCE_PREFIX_LENGTH));
  const aes = await derivePartKey(key, header.salt, options.partIndex, "encrypt");
  yield header.bytes.slice();

  const size = blob.size;
  const records = Math.max(1, Math.ceil(size / RECORD_PLAINTEXT_LENGTH));
  const inFlight: Promise<Uint8Array<ArrayBuffer>>[] = [];
  let counter = 0;
  const seal = (plaintext: Uint8Array) => {
    const iv = recordNonce(header.noncePrefix, counter, counter === records - 1);
    counter++;
    // A rejected seal may not be awaited yet when an earlier one fails; `ignore` keeps it from
    // being reported as unhandled, and the await below still throws it.
    const sealed = globalThis.crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: header.bytes, tagLength: TAG_LENGTH * 8 }, aes, plaintext as Uint8Array<ArrayBuffer>).then((b) => new Uint8Array(b));
    sealed.catch(ignore);
    inFlight.push(sealed);
  };
  // A File edited on disk while it is read would otherwise give a ciphertext of other bytes.
  const changed = () => new Error("the file changed while it was being encrypted");

  let partial = new Uint8Array(RECORD_PLAINTEXT_LENGTH);
  let filled = 0;
  let read = 0;
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      read += value.length;
      if (read > size) throw changed();
      let at = 0;
      while (at < value.length) {
        // The record that ends the file may be short; every other one is full.
        const recordLength = Math.min(RECORD_PLAINTEXT_LENGTH, size - (read - value.length + at - filled));
        const n = Math.min(recordLength - filled, value.length - at);
        if (filled === 0 && n === recordLength) seal(value.subarray(at, at + n));
        else {
          partial.set(value.subarray(at, at + n), filled);
          filled += n;
          if (filled < recordLength) break;
          seal(partial.subarray(0, recordLength));
          // A fresh buffer, so a record in flight never shares memory with the next one.
          partial = new Uint8Array(RECORD_PLAINTEXT_LENGTH);
          filled = 0;
        }
        at += n;
        while (inFlight.length >= SEALS_IN_FLIGHT) yield await (inFlight.shift() as Promise<Uint8Array<ArrayBuffer>>);
      }
    }
  } finally {
    reader.releaseLock();
  }
  if (read !== size) throw changed();
  if (size === 0) seal(partial.subarray(0, 0));
  for (const sealed of inFlight) yield await sealed;
}

/**
 * Sealed records are gathered up to this many bytes, then made one Blob. Turning records into
 * Blobs and dropping them costs a copy and garbage collection per batch; measured in Chromium
 * (bench/messages.bench.ts, 20 MiB, on a busy 2-core machine), 16 MiB batches kept the pane at
 * the raw loop's speed where 4 MiB batches were 10–40 % slower. 16 MiB is still a fixed bound, whatever the file's size.
 */
export const BLOB_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * The whole sealed part as one Blob, built from 16 MiB Blobs as it goes: the bytes move into the
 * browser's blob store (which pages large blobs to disk) instead of staying in this thread's heap.
 * `onProgress` gets the ciphertext bytes sealed so far, after every record (callers throttle).
 */
export async function sealBlobToBlob(key: MessageKey, blob: Blob, options: EncryptOptions & { onProgress?: (sealedBytes: number) => void }): Promise<Blob> {
  const blobs: Blob[] = [];
  let batch: Uint8Array<ArrayBuffer>[] = [];
  let batchBytes = 0;
  let total = 0;
  for await (const chunk of sealBlob(key, blob, options)) {
    batch.push(chunk);
    batchBytes += chunk.length;
    total += chunk.length;
    options.onProgress?.(total);
    if (batchBytes >= BLOB_BATCH_BYTES) {
      blobs.push(new Blob(batch));
      batch = [];
      batchBytes = 0;
    }
  }
  if (blobs.length === 0) return new Blob(batch, { type: "application/octet-stream" });
  if (batch.length > 0) blobs.push(new Blob(batch));
  return new Blob(blobs, { type: "application/octet-stream" });
}
