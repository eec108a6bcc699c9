// The at-rest format of documents (docs/KEYS.md "Blob format"): AES-256-GCM in the STREAM
// construction, modelled on Tink's AES-GCM-HKDF streaming AEAD.
//
//   header  = magic "SCEB" (4) ‖ format version 0x01 (1) ‖ salt (32) ‖ nonce prefix (7)   = 44 bytes
//   key     = HKDF-SHA256(ikm = org data key, salt, info = "smartcert:blob:v1:" + orgId + ":" +
//             documentId + ":" + version)
//   record i = AES-256-GCM(key, nonce = prefix ‖ uint32be(i) ‖ last ? 0x01 : 0x00, aad = header)
//              over 64 KiB of plaintext (the last record 0..64 KiB), stored as ciphertext ‖ tag(16)
//
// Why a derived per-blob key rather than the org key directly: the ids in `info` bind the blob to
// its org/document/version without storing them (a moved file decrypts under the wrong key and fails
// at its first record), and the random salt makes every write's key unique, so rewriting the same
// version (a retried upload) can never repeat a (key, nonce) pair — with the org key directly, all of
// an org's blobs would share one key and only 56 random prefix bits would keep nonces apart. The
// nonce prefix is then redundant, kept so the construction matches the analysed one. Counter and
// last-record flag in the nonce make truncation, reordering, duplication and appending fail; the
// header as AAD makes any header change fail.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

export const BLOB_MAGIC = Buffer.from("SCEB", "ascii");
export const BLOB_FORMAT_VERSION = 1;
export const SALT_LENGTH = 32;
export const NONCE_PREFIX_LENGTH = 7;
export const HEADER_LENGTH = BLOB_MAGIC.length + 1 + SALT_LENGTH + NONCE_PREFIX_LENGTH;
export const RECORD_PLAINTEXT_LENGTH = 64 * 1024;
export const TAG_LENGTH = 16;
export const RECORD_CIPHERTEXT_LENGTH = RECORD_PLAINTEXT_LENGTH + TAG_LENGTH;
const MAX_RECORDS = 0xffff_ffff;
const KEY_LENGTH = 32;

/** The identity a blob is bound to. Ids must be canonical (see assertBlobBinding). */
export interface BlobBinding {
  orgId: string;
  documentId: string;
  version: number;
}

/** A blob that is truncated, reordered, tampered with, moved, or not in this format. */
export class BlobIntegrityError extends Error {
  constructor(message: string) {
    super(`blob integrity check failed: ${message}`);
    this.name = "BlobIntegrityError";
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const MAX_BLOB_VERSION = 2_147_483_647;

/** Lower-case UUIDs and a positive integer version: one spelling per blob, safe as path segments,
 * and free of ":" so the HKDF info string is unambiguous. */
export function assertBlobBinding(binding: BlobBinding): void {
  if (typeof binding.orgId !== "string" || !UUID_PATTERN.test(binding.orgId)) throw new TypeError("blob orgId must be a lower-case UUID");
  if (typeof binding.documentId !== "string" || !UUID_PATTERN.test(binding.documentId)) throw new TypeError("blob documentId must be a lower-case UUID");
  if (!Number.isSafeInteger(binding.version) || binding.version < 1 || binding.version > MAX_BLOB_VERSION) {
    throw new TypeError("blob version must be a positive integer");
  }
}

export function blobKeyInfo(binding: BlobBinding): string {
  return `smartcert:blob:v1:${binding.orgId}:${binding.documentId}:${binding.version}`;
}

function deriveBlobKey(dataKey: Uint8Array, salt: Uint8Array, binding: BlobBinding): Buffer {
  return Buffer.from(hkdfSync("sha256", dataKey, salt, blobKeyInfo(binding), KEY_LENGTH));
}

function recordNonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(NONCE_PREFIX_LENGTH + 5);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_LENGTH);
  nonce[NONCE_PREFIX_LENGTH + 4] = last ? 1 : 0;
  return nonce;
}

/**
 * Incremental encryption. Holds back up to one record of plaintext: a full record is only sealed
 * as non-final once more plaintext arrives, so an exact multiple of 64 KiB ends with a full final
 * record and an empty input is a single empty final record.
 */
export class BlobEncryptor {
  readonly #key: Buffer;
  readonly #header: Buffer;
  readonly #prefix: Buffer;
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #index = 0;
  #headerWritten = false;
  #finished = false;

  constructor(dataKey: Uint8Array, binding: BlobBinding, random: (size: number) => Buffer = randomBytes) {
    assertBlobBinding(binding);
    const salt = random(SALT_LENGTH);
    this.#prefix = random(NONCE_PREFIX_LENGTH);
    this.#header = Buffer.concat([BLOB_MAGIC, Buffer.of(BLOB_FORMAT_VERSION), salt, this.#prefix]);
    this.#key = deriveBlobKey(dataKey, salt, binding);
  }

  /** Ciphertext ready to be written (possibly empty). */
  update(plaintext: Uint8Array): Buffer {
    if (this.#finished) throw new Error("BlobEncryptor: update after final");
    const out = this.#start();
    let offset = 0;
    while (offset < plaintext.length) {
      // More plaintext exists, so a full pending record is not the last one.
      if (this.#pendingLength === RECORD_PLAINTEXT_LENGTH) out.push(this.#seal(false));
      const take = Math.min(RECORD_PLAINTEXT_LENGTH - this.#pendingLength, plaintext.length - offset);
      // A copy: the caller may reuse its buffer.
      this.#pending.push(Buffer.from(plaintext.subarray(offset, offset + take)));
      this.#pendingLength += take;
      offset += take;
    }
    return Buffer.concat(out);
  }

  final(): Buffer {
    if (this.#finished) throw new Error("BlobEncryptor: final called twice");
    const out = this.#start();
    out.push(this.#seal(true));
    this.#finished = true;
    this.#key.fill(0);
    return Buffer.concat(out);
  }

  #start(): Buffer[] {
    if (this.#headerWritten) return [];
    this.#headerWritten = true;
    return [this.#header];
  }

  #seal(last: boolean): Buffer {
    if (this.#index >= MAX_RECORDS) throw new Error("BlobEncryptor: blob exceeds the record counter");
    const plaintext = Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingLength = 0;
    const cipher = createCipheriv("aes-256-gcm", this.#key, recordNonce(this.#prefix, this.#index, last));
    cipher.setAAD(this.#header);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    this.#index += 1;
    return sealed;
  }
}

/**
 * Incremental decryption. Returns only plaintext of records whose tag verified. A record is opened
 * as non-final only once a byte after it has arrived; whatever remains at final() is the last record.
 * After the first failure every further call throws.
 */
export class BlobDecryptor {
  readonly #dataKey: Buffer;
  readonly #binding: BlobBinding;
  #header: Buffer | undefined;
  #prefix: Buffer | undefined;
  #key: Buffer | undefined;
  #buffered: Buffer[] = [];
  #bufferedLength = 0;
  #index = 0;
  #state: "open" | "failed" | "finished" = "open";

  constructor(dataKey: Uint8Array, binding: BlobBinding) {
    assertBlobBinding(binding);
    this.#dataKey = Buffer.from(dataKey);
    this.#binding = { ...binding };
  }

  update(ciphertext: Uint8Array): Buffer[] {
    this.#assertOpen();
    if (ciphertext.length > 0) {
      this.#buffered.push(Buffer.from(ciphertext));
      this.#bufferedLength += ciphertext.length;
    }
    return this.#guard(() => {
      const out: Buffer[] = [];
      if (!this.#key && this.#bufferedLength >= HEADER_LENGTH) this.#readHeader();
      while (this.#key && this.#bufferedLength > RECORD_CIPHERTEXT_LENGTH) {
        out.push(this.#open(this.#take(RECORD_CIPHERTEXT_LENGTH), false));
      }
      return out;
    });
  }

  final(): Buffer[] {
    this.#assertOpen();
    return this.#guard(() => {
      if (!this.#key) {
        if (this.#bufferedLength < HEADER_LENGTH) throw new BlobIntegrityError("the header is truncated");
        this.#readHeader();
      }
      if (this.#bufferedLength < TAG_LENGTH) throw new BlobIntegrityError(`the blob is truncated at record ${this.#index}`);
      const last = this.#open(this.#take(this.#bufferedLength), true);
      this.#state = "finished";
      this.#wipe();
      return [last];
    });
  }

  #guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      this.#state = "failed";
      this.#buffered = [];
      this.#wipe();
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#state === "failed") throw new BlobIntegrityError("the blob already failed verification");
    if (this.#state === "finished") throw new Error("BlobDecryptor: used after final");
  }

  #take(length: number): Buffer {
    const all = this.#buffered.length === 1 ? (this.#buffered[0] as Buffer) : Buffer.concat(this.#buffered);
    const rest = all.subarray(length);
    this.#buffered = rest.length > 0 ? [rest] : [];
    this.#bufferedLength = rest.length;
    return all.subarray(0, length);
  }

  #readHeader(): void {
    const header = Buffer.from(this.#take(HEADER_LENGTH));
    if (!header.subarray(0, BLOB_MAGIC.length).equals(BLOB_MAGIC)) throw new BlobIntegrityError("not a SmartCert blob (bad magic)");
    const version = header[BLOB_MAGIC.length];
    if (version !== BLOB_FORMAT_VERSION) throw new BlobIntegrityError(`unsupported blob format version ${version ?? "?"}`);
    const salt = header.subarray(BLOB_MAGIC.length + 1, BLOB_MAGIC.length + 1 + SALT_LENGTH);
    this.#prefix = header.subarray(HEADER_LENGTH - NONCE_PREFIX_LENGTH);
    this.#header = header;
    this.#key = deriveBlobKey(this.#dataKey, salt, this.#binding);
  }

  #open(record: Buffer, last: boolean): Buffer {
    const key = this.#key;
    const header = this.#header;
    const prefix = this.#prefix;
    if (!key || !header || !prefix) throw new BlobIntegrityError("no header");
    if (this.#index >= MAX_RECORDS) throw new BlobIntegrityError("too many records");
    const decipher = createDecipheriv("aes-256-gcm", key, recordNonce(prefix, this.#index, last));
    decipher.setAAD(header);
    decipher.setAuthTag(record.subarray(record.length - TAG_LENGTH));
    let plaintext: Buffer;
    try {
      // update() yields unauthenticated bytes; they are returned only after final() verified the tag.
      plaintext = Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_LENGTH)), decipher.final()]);
    } catch {
      throw new BlobIntegrityError(
        `record ${this.#index} does not authenticate (tampered, truncated, reordered, or a blob of another organization, document or version)`,
      );
    }
    this.#index += 1;
    return plaintext;
  }

  #wipe(): void {
    this.#key?.fill(0);
    this.#dataKey.fill(0);
  }
}

/** Whole-buffer helpers, for small values and tests. */
export function encryptBlob(dataKey: Uint8Array, binding: BlobBinding, plaintext: Uint8Array): Buffer {
  const encryptor = new BlobEncryptor(dataKey, binding);
  return Buffer.concat([encryptor.update(plaintext), encryptor.final()]);
}

export function decryptBlob(dataKey: Uint8Array, binding: BlobBinding, ciphertext: Uint8Array): Buffer {
  const decryptor = new BlobDecryptor(dataKey, binding);
  return Buffer.concat([...decryptor.update(ciphertext), ...decryptor.final()]);
}
