// Part 0 of every message: the manifest, the encrypted JSON that carries the text and the file list
// (names, types, sizes). File names live only here, so the server never learns them; part i (i ≥ 1)
// is the content of files[i - 1]. The reader decrypts the manifest whole (all or nothing) before
// showing anything.
import { z } from "zod";
import { MAX_PARTS, type MessageKey } from "./keys";
import { decryptToBytes, encryptToBytes, type EncryptOptions } from "./stream";

export const MAX_MANIFEST_BYTES = 2 * 1024 * 1024;

export const messageManifestSchema = z.object({
  v: z.literal(1),
  text: z.string().max(1_000_000),
  files: z
    .array(z.object({ name: z.string().min(1).max(255), type: z.string().max(255), size: z.number().int().nonnegative() }))
    .max(MAX_PARTS - 1),
});
export type MessageManifest = z.infer<typeof messageManifestSchema>;

export async function encryptManifest(key: MessageKey, manifest: MessageManifest, options: Omit<EncryptOptions, "partIndex"> = {}): Promise<Uint8Array<ArrayBuffer>> {
  const json = new TextEncoder().encode(JSON.stringify(messageManifestSchema.parse(manifest)));
  if (json.length > MAX_MANIFEST_BYTES) throw new RangeError("the message text is too long");
  return encryptToBytes(key, json, { ...options, partIndex: 0 });
}

/** Throws MessageIntegrityError for a wrong key or damaged data, TypeError for a well-encrypted but invalid manifest. */
export async function decryptManifest(key: MessageKey, ciphertext: Uint8Array): Promise<MessageManifest> {
  const json = await decryptToBytes(key, ciphertext, { partIndex: 0, maxBytes: MAX_MANIFEST_BYTES });
  const parsed = messageManifestSchema.safeParse(JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json)));
  if (!parsed.success) throw new TypeError("the message manifest is not valid");
  return parsed.data;
}
