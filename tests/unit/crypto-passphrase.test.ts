// The optional passphrase: Argon2id (hash-wasm) combined with the link key through HKDF, so the
// link alone, the passphrase alone, or either one wrong decrypts nothing.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MessageIntegrityError } from "../../shared/crypto/format";
import { generateLinkKey } from "../../shared/crypto/keys";
import { DEFAULT_KDF, KDF_LIMITS, kdfWithinLimits, messageKeyFrom, newPassphraseKdf } from "../../shared/crypto/passphrase";
import { decryptToBytes, encryptToBytes } from "../../shared/crypto/stream";
import { goldenKdf } from "../fixtures/crypto/golden-encrypt";
import { GOLDEN_DIR, GOLDEN_PASSPHRASE, goldenLinkKey, goldenPlaintext } from "../fixtures/crypto/golden-inputs";

const plaintext = goldenPlaintext(1000);
const decrypts = async (key: Awaited<ReturnType<typeof messageKeyFrom>>, bytes: Uint8Array) => Buffer.from(await decryptToBytes(key, bytes, { partIndex: 0 }));

describe("passphrase", () => {
  it("the committed passphrase golden file needs both the link key and the passphrase", async () => {
    const sealed = await readFile(path.join(GOLDEN_DIR, "passphrase-part0.scms"));
    const both = await messageKeyFrom(goldenLinkKey(), { passphrase: GOLDEN_PASSPHRASE, kdf: goldenKdf() });
    expect((await decrypts(both, sealed)).equals(Buffer.from(plaintext))).toBe(true);

    const linkOnly = await messageKeyFrom(goldenLinkKey());
    await expect(decrypts(linkOnly, sealed)).rejects.toBeInstanceOf(MessageIntegrityError);
    const wrongPassphrase = await messageKeyFrom(goldenLinkKey(), { passphrase: `${GOLDEN_PASSPHRASE}!`, kdf: goldenKdf() });
    await expect(decrypts(wrongPassphrase, sealed)).rejects.toBeInstanceOf(MessageIntegrityError);
    const wrongLink = await messageKeyFrom(generateLinkKey(), { passphrase: GOLDEN_PASSPHRASE, kdf: goldenKdf() });
    await expect(decrypts(wrongLink, sealed)).rejects.toBeInstanceOf(MessageIntegrityError);
    const otherSalt = await messageKeyFrom(goldenLinkKey(), { passphrase: GOLDEN_PASSPHRASE, kdf: { ...goldenKdf(), salt: new Uint8Array(16) } });
    await expect(decrypts(otherSalt, sealed)).rejects.toBeInstanceOf(MessageIntegrityError);
  });

  it("the passphrase is Unicode-normalized (NFC), so the same words typed differently still open", async () => {
    const link = generateLinkKey();
    const kdf = newPassphraseKdf();
    const sealed = await encryptToBytes(await messageKeyFrom(link.slice(), { passphrase: "Å\u0301sa", kdf }), plaintext, { partIndex: 0 });
    const decomposed = await messageKeyFrom(link, { passphrase: "A\u030a\u0301sa", kdf });
    expect((await decrypts(decomposed, sealed)).equals(Buffer.from(plaintext))).toBe(true);
  });

  it("uses the documented Argon2id parameters and refuses parameters outside the limits", async () => {
    expect(DEFAULT_KDF).toEqual({ algorithm: "argon2id", memoryKiB: 65_536, iterations: 3, parallelism: 1 });
    expect(kdfWithinLimits(DEFAULT_KDF)).toBe(true);
    const huge = { ...newPassphraseKdf(), memoryKiB: KDF_LIMITS.memoryKiB.max + 1 };
    const weak = { ...newPassphraseKdf(), memoryKiB: 8 };
    await expect(messageKeyFrom(generateLinkKey(), { passphrase: "x", kdf: huge })).rejects.toThrow(RangeError);
    await expect(messageKeyFrom(generateLinkKey(), { passphrase: "x", kdf: weak })).rejects.toThrow(RangeError);
  });

  it("zeroes the caller's link key once it is imported", async () => {
    const link = generateLinkKey();
    await messageKeyFrom(link);
    expect(link.every((b) => b === 0)).toBe(true);
  });
});
