// The primitive: WebCrypto AES-256-GCM (what shared/crypto uses through globalThis.crypto) against
// published known-answer vectors — McGrew & Viega's GCM specification (the NIST proposal, test
// cases 13, 14 and 16) and one NIST CAVP gcmEncryptExtIV256 vector.
import { describe, expect, it } from "vitest";

interface Vector { name: string; key: string; iv: string; aad: string; plaintext: string; ciphertext: string; tag: string }

const vectors: Vector[] = [
  { name: "GCM spec test case 13 (empty)", key: "00".repeat(32), iv: "00".repeat(12), aad: "", plaintext: "", ciphertext: "", tag: "530f8afbc74536b9a963b4f1c4cb738b" },
  { name: "GCM spec test case 14", key: "00".repeat(32), iv: "00".repeat(12), aad: "", plaintext: "00".repeat(16), ciphertext: "cea7403d4d606b6e074ec5d3baf39d18", tag: "d0d1c8a799996bf0265b98b5d48ab919" },
  {
    name: "GCM spec test case 16 (with AAD)",
    key: "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
    iv: "cafebabefacedbaddecaf888",
    aad: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
    plaintext: "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
    ciphertext: "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
    tag: "76fc6ece0f4e1768cddf8853bb2d551b",
  },
  {
    name: "NIST CAVP gcmEncryptExtIV256 (96-bit IV, AAD)",
    key: "83688deb4af8007f9b713b47cfa6c73e35ea7a3aa4ecdb414dded03bf7a0fd3a",
    iv: "0b459724904e010a46901cf3",
    aad: "794a14ccd178c8ebfd1379dc704c5e208f9d8424",
    plaintext: "33d893a2114ce06fc15d55e454cf90c3",
    ciphertext: "cc66bee423e3fcd4c0865715e9586696",
    tag: "0fb291bd3dba94a1dfd8b286cfb97ac5",
  },
];

const hex = (text: string) => Uint8Array.from(Buffer.from(text, "hex"));
const toHex = (bytes: ArrayBuffer) => Buffer.from(bytes).toString("hex");

describe("AES-256-GCM known answers (WebCrypto)", () => {
  for (const v of vectors) {
    it(v.name, async () => {
      const subtle = globalThis.crypto.subtle;
      const key = await subtle.importKey("raw", hex(v.key), "AES-GCM", false, ["encrypt", "decrypt"]);
      const params = { name: "AES-GCM", iv: hex(v.iv), additionalData: hex(v.aad), tagLength: 128 };
      expect(toHex(await subtle.encrypt(params, key, hex(v.plaintext)))).toBe(v.ciphertext + v.tag);
      expect(toHex(await subtle.decrypt(params, key, hex(v.ciphertext + v.tag)))).toBe(v.plaintext);
      const flipped = hex(v.ciphertext + v.tag);
      flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
      await expect(subtle.decrypt(params, key, flipped)).rejects.toThrow();
    });
  }
});
