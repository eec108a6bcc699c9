// Sending an encrypted message from the pane: a fresh link key, the manifest (part 0) and every
// file (parts 1…) encrypted in the crypto worker record by record, uploaded part by part, then the
// upload completed. The key exists only here and in the returned link's fragment.
//
// Each part is uploaded as one Blob of ciphertext (held by the browser's blob store, which pages
// large blobs to disk, not by this page's heap). A streamed request body would avoid even that, but
// Chromium sends those only over HTTP/2 or later and the server speaks HTTP/1.1 (docs/ENCRYPTION.md).
import type { ApiClient } from "../api/client";
import { toBase64Url } from "../crypto/bytes";
import { ciphertextLength } from "../crypto/format";
import { encodeLinkKey, generateLinkKey } from "../crypto/keys";
import { encryptManifest } from "../crypto/manifest";
import { newPassphraseKdf } from "../crypto/passphrase";
import { cryptoRunner } from "../crypto/runner";
import type { CreateMessageBody } from "../protocol/messages";

export interface OutgoingFile {
  readonly name: string;
  readonly type: string;
  readonly blob: Blob;
}

export interface SendPolicy {
  readonly expiresInDays: number;
  readonly maxOpens: number | null;
  readonly recipients: readonly string[];
  readonly passphrase: string;
}

export interface SendProgress {
  readonly phase: "preparing" | "encrypting" | "uploading" | "done";
  /** Ciphertext bytes encrypted and uploaded so far, of `total`. */
  readonly done: number;
  readonly total: number;
}

/** A file that could not be read and encrypted, or whose upload the server or network refused; `cause` says why. */
export class PartSendError extends Error {
  override readonly name = "PartSendError";
  constructor(readonly fileName: string, readonly step: "encrypt" | "upload", override readonly cause: unknown) {
    super(`${step === "encrypt" ? "Encrypting" : "Uploading"} “${fileName}” failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export async function sendSecureMessage(input: { api: ApiClient; text: string; files: readonly OutgoingFile[]; policy: SendPolicy; onProgress?: (p: SendProgress) => void; signal?: AbortSignal }): Promise<{ id: string; link: string }> {
  const { api, files, policy } = input;
  const report = input.onProgress ?? (() => undefined);
  const total = files.reduce((sum, f) => sum + ciphertextLength(f.blob.size), 0);
  report({ phase: "preparing", done: 0, total });
  const linkKey = generateLinkKey();
  const fragment = encodeLinkKey(linkKey);
  const kdf = policy.passphrase ? newPassphraseKdf() : null;
  // In the worker: with a passphrase, Argon2id would otherwise hold this thread for up to a second.
  const key = await cryptoRunner().deriveKey(linkKey, kdf ? { passphrase: policy.passphrase, kdf } : undefined);
  const body: CreateMessageBody = {
    partCount: files.length + 1,
    expiresInDays: policy.expiresInDays,
    maxOpens: policy.maxOpens,
    recipients: [...policy.recipients],
    passphrase: kdf ? { algorithm: "argon2id", memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism, salt: toBase64Url(kdf.salt) } : null,
  };
  const options = input.signal ? { signal: input.signal } : {};
  const { message } = await api.createMessage(body, options);
  const manifest = await encryptManifest(key, { v: 1, text: input.text, files: files.map((f) => ({ name: f.name, type: f.type, size: f.blob.size })) });
  await api.uploadMessagePart(message.id, 0, new Blob([manifest]), options);
  let done = 0;
  for (const [i, file] of files.entries()) {
    const before = done;
    report({ phase: "encrypting", done, total });
    // The worker reads the file and seals it into a Blob of ciphertext; only progress and that
    // Blob's reference come back to this thread (shared/crypto/worker-protocol.ts).
    let sealed: Blob;
    try {
      sealed = await cryptoRunner().sealBlob(key, file.blob, i + 1, (sealedBytes) => { done = before + sealedBytes; report({ phase: "encrypting", done, total }); });
    } catch (error) {
      throw new PartSendError(file.name, "encrypt", error);
    }
    done = before + sealed.size;
    report({ phase: "uploading", done, total });
    try {
      await api.uploadMessagePart(message.id, i + 1, sealed, options);
    } catch (error) {
      throw new PartSendError(file.name, "upload", error);
    }
  }
  const completed = await api.completeMessage(message.id, options);
  report({ phase: "done", done: total, total });
  return { id: message.id, link: `${completed.url}#${fragment}` };
}

/** "a@x.com, b@y.org; c@z.net" → trimmed, non-empty addresses. */
export function parseRecipients(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The TanStack Query key of the sent-messages list (both views refresh it). */
export const sentMessagesKey = ["sent-messages"] as const;
