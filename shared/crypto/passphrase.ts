// The optional passphrase (docs/ENCRYPTION.md "Passphrase"). The passphrase is stretched with
// Argon2id (hash-wasm, a maintained WASM build of the reference implementation) and combined with the
// link key through HKDF, so the message secret needs both:
//
//   pass key = Argon2id(passphrase NFC-normalized UTF-8, salt (16 random bytes),
//                       m = 64 MiB, t = 3, p = 1, 32-byte output)
//   secret   = HKDF-SHA256(ikm = link key ‖ pass key, salt = the Argon2id salt,
//                          info = "smartcert:message:v1:passphrase")
//
// Parameters: RFC 9106 §4's second recommended option is m = 64 MiB, t = 3 (p = 4); WASM runs one
// lane at a time, so p = 1 keeps the cost of one derivation (~0.3–1 s) while the memory cost, which
// is what slows GPU guessing, stays at 64 MiB. The salt and parameters are not secret; the server
// stores them with the message so the reader can repeat the derivation. A reader accepts parameters
// only within KDF_LIMITS, so a hostile server can neither make it allocate gigabytes nor weaken the
// derivation unnoticed (a different derivation just yields a key that fails the first record).
import { argon2id } from "hash-wasm";
import { concatBytes, randomBytes, utf8 } from "./bytes";
import { LINK_KEY_LENGTH, importMessageSecret, type MessageKey } from "./keys";

export interface PassphraseKdf {
  algorithm: "argon2id";
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Uint8Array<ArrayBuffer>;
}

export const KDF_SALT_LENGTH = 16;
export const DEFAULT_KDF = { algorithm: "argon2id", memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 } as const;
export const KDF_LIMITS = { memoryKiB: { min: 19 * 1024, max: 256 * 1024 }, iterations: { min: 1, max: 10 }, parallelism: { min: 1, max: 4 } } as const;
const PASSPHRASE_INFO = "smartcert:message:v1:passphrase";

export function newPassphraseKdf(random: (length: number) => Uint8Array<ArrayBuffer> = randomBytes): PassphraseKdf {
  return { ...DEFAULT_KDF, salt: random(KDF_SALT_LENGTH) };
}

export function kdfWithinLimits(kdf: Omit<PassphraseKdf, "salt">): boolean {
  const within = (value: number, range: { min: number; max: number }) => Number.isSafeInteger(value) && value >= range.min && value <= range.max;
  return within(kdf.memoryKiB, KDF_LIMITS.memoryKiB) && within(kdf.iterations, KDF_LIMITS.iterations) && within(kdf.parallelism, KDF_LIMITS.parallelism);
}

/**
 * The message key for a link key, plus a passphrase when the message has one. The link key bytes
 * are zeroed once imported. Throws RangeError for KDF parameters outside KDF_LIMITS.
 */
export async function messageKeyFrom(linkKey: Uint8Array<ArrayBuffer>, passphrase?: { passphrase: string; kdf: PassphraseKdf }): Promise<MessageKey> {
  if (linkKey.length !== LINK_KEY_LENGTH) throw new TypeError("a link key is 32 bytes");
  if (!passphrase) return importMessageSecret(linkKey);
  const { kdf } = passphrase;
  if (!kdfWithinLimits(kdf) || kdf.salt.length !== KDF_SALT_LENGTH) throw new RangeError("passphrase parameters are outside the accepted limits");
  const passKey = await argon2id({
    password: utf8(passphrase.passphrase.normalize("NFC")),
    salt: kdf.salt,
    iterations: kdf.iterations,
    memorySize: kdf.memoryKiB,
    parallelism: kdf.parallelism,
    hashLength: 32,
    outputType: "binary",
  });
  const ikm = concatBytes(linkKey, passKey);
  linkKey.fill(0);
  passKey.fill(0);
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  ikm.fill(0);
  const secret = new Uint8Array(await subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: kdf.salt, info: utf8(PASSPHRASE_INFO) }, base, 256));
  return importMessageSecret(secret);
}
