// The byte layout of one encrypted stream (docs/ENCRYPTION.md "Stream format"): STREAM-style
// AES-256-GCM (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as in Tink's streaming AEAD.
//
//   header   = magic "SCMS" (4) ‖ version 0x01 (1) ‖ salt (16) ‖ nonce prefix (7)        = 28 bytes
//   record i = AES-256-GCM(part key, nonce = prefix ‖ uint32be(i) ‖ last ? 0x01 : 0x00,
//                          aad = header) over 64 KiB of plaintext (the last one 0..64 KiB)
//
// The counter in the nonce makes reordering, duplication and dropping records fail; the last-record
// flag makes truncation at a record boundary (and appending) fail; the header as AAD makes any header
// change fail. Nothing here touches keys: see keys.ts.

export const STREAM_MAGIC = Uint8Array.of(0x53, 0x43, 0x4d, 0x53); // "SCMS"
export const STREAM_VERSION = 1;
export const SALT_LENGTH = 16;
export const NONCE_PREFIX_LENGTH = 7;
export const HEADER_LENGTH = STREAM_MAGIC.length + 1 + SALT_LENGTH + NONCE_PREFIX_LENGTH;
export const RECORD_PLAINTEXT_LENGTH = 64 * 1024;
export const TAG_LENGTH = 16;
export const RECORD_CIPHERTEXT_LENGTH = RECORD_PLAINTEXT_LENGTH + TAG_LENGTH;
/** The counter is 32 bits: at most 2^32 records (256 TiB) per stream. */
export const MAX_RECORDS = 0x1_0000_0000;

/** Why a stream did not decrypt. Never carries plaintext or key material. */
export type IntegrityFailure = "not-a-message" | "unsupported-version" | "truncated" | "record-failed" | "too-long";

/** The stream is damaged, truncated, reordered, from another message or part, or the key (or passphrase) is wrong. */
export class MessageIntegrityError extends Error {
  constructor(readonly reason: IntegrityFailure) {
    super(`encrypted message does not decrypt (${reason}): the link, passphrase or data is wrong or damaged`);
    this.name = "MessageIntegrityError";
  }
}

export interface StreamHeader {
  salt: Uint8Array<ArrayBuffer>;
  noncePrefix: Uint8Array<ArrayBuffer>;
  /** The encoded header, the associated data of every record. */
  bytes: Uint8Array<ArrayBuffer>;
}

export function encodeHeader(salt: Uint8Array, noncePrefix: Uint8Array): StreamHeader {
  if (salt.length !== SALT_LENGTH || noncePrefix.length !== NONCE_PREFIX_LENGTH) throw new TypeError("salt or nonce prefix has the wrong length");
  const bytes = new Uint8Array(HEADER_LENGTH);
  bytes.set(STREAM_MAGIC, 0);
  bytes[STREAM_MAGIC.length] = STREAM_VERSION;
  bytes.set(salt, STREAM_MAGIC.length + 1);
  bytes.set(noncePrefix, STREAM_MAGIC.length + 1 + SALT_LENGTH);
  return decodeHeader(bytes);
}

/** Parses exactly HEADER_LENGTH bytes; the returned views are copies, so the input may be reused. */
export function decodeHeader(input: Uint8Array): StreamHeader {
  if (input.length !== HEADER_LENGTH) throw new MessageIntegrityError("truncated");
  for (let i = 0; i < STREAM_MAGIC.length; i++) {
    if (input[i] !== STREAM_MAGIC[i]) throw new MessageIntegrityError("not-a-message");
  }
  if (input[STREAM_MAGIC.length] !== STREAM_VERSION) throw new MessageIntegrityError("unsupported-version");
  const bytes = input.slice();
  const saltStart = STREAM_MAGIC.length + 1;
  return {
    bytes,
    salt: bytes.slice(saltStart, saltStart + SALT_LENGTH),
    noncePrefix: bytes.slice(saltStart + SALT_LENGTH, HEADER_LENGTH),
  };
}

export function recordNonce(prefix: Uint8Array, counter: number, last: boolean): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter >= MAX_RECORDS) throw new MessageIntegrityError("too-long");
  const nonce = new Uint8Array(NONCE_PREFIX_LENGTH + 5);
  nonce.set(prefix, 0);
  new DataView(nonce.buffer).setUint32(NONCE_PREFIX_LENGTH, counter, false);
  nonce[NONCE_PREFIX_LENGTH + 4] = last ? 1 : 0;
  return nonce;
}

/** Ciphertext length of a stream carrying `plaintextLength` bytes (for progress and size checks). */
export function ciphertextLength(plaintextLength: number): number {
  const records = Math.max(1, Math.ceil(plaintextLength / RECORD_PLAINTEXT_LENGTH));
  return HEADER_LENGTH + plaintextLength + records * TAG_LENGTH;
}
