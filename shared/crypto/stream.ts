// Streaming encryption and decryption of one part of a message (format.ts), as TransformStreams
// over bytes. Memory is bounded by one record (64 KiB + tag) plus the chunk being processed:
// WebCrypto seals or opens one record at a time and each transform awaits it, so backpressure
// reaches the source.
//
// The decryptor never enqueues plaintext before its record's tag verified. It cannot know a record
// is the last until the input ends, so it holds back one full record: a full buffer followed by more
// bytes is a non-final record; whatever remains at the end is opened as the final one. A stream cut
// at a record boundary therefore fails (its last record was sealed as non-final), as does any
// reordering, duplication, appended data or flipped bit. Records before the damage have been
// released by then; callers that must show nothing from a damaged part read it whole with
// decryptToBytes, and downloads abort on the stream error.
import { randomBytes } from "./bytes";
import { HEADER_LENGTH, MessageIntegrityError, NONCE_PREFIX_LENGTH, RECORD_CIPHERTEXT_LENGTH, RECORD_PLAINTEXT_LENGTH, SALT_LENGTH, TAG_LENGTH, decodeHeader, encodeHeader, recordNonce, type StreamHeader } from "./format";
import { derivePartKey, type MessageKey } from "./keys";

export interface EncryptOptions {
  /** Index of this part within its message (0 = the manifest); bound into the key. */
  partIndex: number;
  /** The CSPRNG by default; tests inject a fixed source to produce golden files. */
  random?: (length: number) => Uint8Array<ArrayBuffer>;
}

/** Fills a fixed buffer from arbitrary chunks; `onFull` runs when it is full AND more bytes follow. */
class RecordBuffer {
  readonly bytes: Uint8Array<ArrayBuffer>;
  filled = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }
  async push(chunk: Uint8Array, onFull: (record: Uint8Array<ArrayBuffer>) => Promise<void>): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.filled === this.bytes.length) {
        await onFull(this.bytes);
        this.filled = 0;
      }
      const n = Math.min(this.bytes.length - this.filled, chunk.length - offset);
      this.bytes.set(chunk.subarray(offset, offset + n), this.filled);
      this.filled += n;
      offset += n;
    }
  }
  get contents(): Uint8Array<ArrayBuffer> {
    return this.bytes.subarray(0, this.filled);
  }
}

/** Realm-independent: bytes from another realm (a frame, jsdom) are not `instanceof` this Uint8Array. */
function assertBytes(chunk: unknown): asserts chunk is Uint8Array {
  if (!ArrayBuffer.isView(chunk) || Object.prototype.toString.call(chunk) !== "[object Uint8Array]") throw new TypeError("encrypted streams carry bytes (Uint8Array) only");
}

export function encryptStream(key: MessageKey, options: EncryptOptions): TransformStream<Uint8Array, Uint8Array> {
  const random = options.random ?? randomBytes;
  const buffer = new RecordBuffer(RECORD_PLAINTEXT_LENGTH);
  let header: StreamHeader;
  let aes: CryptoKey;
  let counter = 0;
  // WebCrypto copies its input before resolving, so the buffer may be refilled afterwards.
  const seal = async (plaintext: Uint8Array<ArrayBuffer>, last: boolean): Promise<Uint8Array> => {
    const iv = recordNonce(header.noncePrefix, counter, last);
    counter++;
    return new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: header.bytes, tagLength: TAG_LENGTH * 8 }, aes, plaintext));
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    async start(controller) {
      header = encodeHeader(random(SALT_LENGTH), random(NONCE_PREFIX_LENGTH));
      aes = await derivePartKey(key, header.salt, options.partIndex, "encrypt");
      controller.enqueue(header.bytes.slice());
    },
    async transform(chunk, controller) {
      assertBytes(chunk);
      await buffer.push(chunk, async (record) => { controller.enqueue(await seal(record, false)); });
    },
    async flush(controller) {
      controller.enqueue(await seal(buffer.contents, true));
    },
  });
}

export function decryptStream(key: MessageKey, options: { partIndex: number }): TransformStream<Uint8Array, Uint8Array> {
  const headerBuffer = new RecordBuffer(HEADER_LENGTH);
  const buffer = new RecordBuffer(RECORD_CIPHERTEXT_LENGTH);
  let header: StreamHeader | undefined;
  let aes: CryptoKey | undefined;
  let counter = 0;
  const open = async (ciphertext: Uint8Array<ArrayBuffer>, last: boolean): Promise<Uint8Array> => {
    if (!header || !aes) throw new MessageIntegrityError("truncated");
    if (ciphertext.length < TAG_LENGTH) throw new MessageIntegrityError("truncated");
    const iv = recordNonce(header.noncePrefix, counter, last);
    counter++;
    try {
      return new Uint8Array(await globalThis.crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: header.bytes, tagLength: TAG_LENGTH * 8 }, aes, ciphertext));
    } catch {
      throw new MessageIntegrityError("record-failed");
    }
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      assertBytes(chunk);
      let rest = chunk;
      if (!header) {
        const need = HEADER_LENGTH - headerBuffer.filled;
        await headerBuffer.push(rest.subarray(0, need), () => Promise.resolve());
        rest = rest.subarray(need);
        if (headerBuffer.filled < HEADER_LENGTH) return;
        header = decodeHeader(headerBuffer.bytes);
        aes = await derivePartKey(key, header.salt, options.partIndex, "decrypt");
      }
      await buffer.push(rest, async (record) => { controller.enqueue(await open(record, false)); });
    },
    async flush(controller) {
      if (!header) throw new MessageIntegrityError("truncated");
      controller.enqueue(await open(buffer.contents, true));
    },
  });
}

/** Reads a whole stream into one buffer: for small parts (the manifest) that must be all-or-nothing. */
export async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      throw new RangeError(`more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export async function encryptToBytes(key: MessageKey, plaintext: Uint8Array, options: EncryptOptions): Promise<Uint8Array<ArrayBuffer>> {
  return readAll(streamOf(plaintext).pipeThrough(encryptStream(key, options)), Number.MAX_SAFE_INTEGER);
}

/** All or nothing: either the whole part verified, or MessageIntegrityError and no bytes. */
export async function decryptToBytes(key: MessageKey, ciphertext: Uint8Array, options: { partIndex: number; maxBytes?: number }): Promise<Uint8Array<ArrayBuffer>> {
  return readAll(streamOf(ciphertext).pipeThrough(decryptStream(key, options)), options.maxBytes ?? Number.MAX_SAFE_INTEGER);
}
