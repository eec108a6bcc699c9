// Message keys (docs/ENCRYPTION.md "Keys"). A message has one 256-bit link key from the CSPRNG; it
// travels only in the link's fragment (https://HOST/m/ID#KEY), never to the server. Each stream (part)
// of the message is encrypted under its own key:
//
//   part key = HKDF-SHA256(ikm = message secret, salt = the stream header's 16-byte random salt,
//                          info = "smartcert:message:v1:part:" + partIndex)
//
// The random salt makes every stream's key unique even when the same message secret is reused, so
// the 7-byte nonce prefix never has to carry uniqueness alone; the part index in `info` stops a part
// from being swapped for another part of the same message. The message secret is the link key, or,
// with a passphrase, HKDF over both (passphrase.ts), so neither alone decrypts anything.
import { fromBase64Url, randomBytes, toBase64Url, utf8 } from "./bytes";

export const LINK_KEY_LENGTH = 32;
const PART_INFO_PREFIX = "smartcert:message:v1:part:";
export const MAX_PARTS = 1000;

/** The message secret as a non-extractable HKDF key: WebCrypto never hands its bytes back. */
export interface MessageKey {
  readonly hkdf: CryptoKey;
}

export function generateLinkKey(random: (length: number) => Uint8Array<ArrayBuffer> = randomBytes): Uint8Array<ArrayBuffer> {
  const key = random(LINK_KEY_LENGTH);
  if (key.length !== LINK_KEY_LENGTH) throw new TypeError("the random source returned the wrong length");
  return key;
}

/** The fragment form of a link key: 43 characters of unpadded base64url. */
export function encodeLinkKey(key: Uint8Array): string {
  if (key.length !== LINK_KEY_LENGTH) throw new TypeError("a link key is 32 bytes");
  return toBase64Url(key);
}

/** undefined when the text is not exactly a canonical 32-byte base64url key. */
export function decodeLinkKey(text: string): Uint8Array<ArrayBuffer> | undefined {
  const bytes = fromBase64Url(text);
  return bytes?.length === LINK_KEY_LENGTH ? bytes : undefined;
}

/** Imports secret bytes as the message key and zeroes the caller's copy. */
export async function importMessageSecret(secret: Uint8Array<ArrayBuffer>): Promise<MessageKey> {
  if (secret.length !== LINK_KEY_LENGTH) throw new TypeError("a message secret is 32 bytes");
  const hkdf = await globalThis.crypto.subtle.importKey("raw", secret, "HKDF", false, ["deriveKey", "deriveBits"]);
  secret.fill(0);
  return { hkdf };
}

export function assertPartIndex(partIndex: number): void {
  if (!Number.isSafeInteger(partIndex) || partIndex < 0 || partIndex >= MAX_PARTS) throw new RangeError(`part index must be an integer in [0, ${MAX_PARTS})`);
}

export async function derivePartKey(key: MessageKey, salt: Uint8Array<ArrayBuffer>, partIndex: number, usage: "encrypt" | "decrypt"): Promise<CryptoKey> {
  assertPartIndex(partIndex);
  return globalThis.crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt, info: utf8(`${PART_INFO_PREFIX}${partIndex}`) },
    key.hkdf,
    { name: "AES-GCM", length: 256 },
    false,
    [usage],
  );
}
