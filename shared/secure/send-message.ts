// Sending an encrypted message from the pane: a fresh link key, the manifest (part 0) and every
// file (parts 1…) encrypted in the crypto worker record by record, uploaded part by part, then the
// upload completed. The key exists only here and in the returned link's fragment.
import type { ApiClient } from "../api/client";
import { toBase64Url } from "../crypto/bytes";
import { ciphertextLength } from "../crypto/format";
import { encodeLinkKey, generateLinkKey } from "../crypto/keys";
import { encryptManifest } from "../crypto/manifest";
import { messageKeyFrom, newPassphraseKdf } from "../crypto/passphrase";
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

export async function sendSecureMessage(input: { api: ApiClient; text: string; files: readonly OutgoingFile[]; policy: SendPolicy; onProgress?: (p: SendProgress) => void; signal?: AbortSignal }): Promise<{ id: string; link: string }> {
  const { api, files, policy } = input;
  const report = input.onProgress ?? (() => undefined);
  const total = files.reduce((sum, f) => sum + ciphertextLength(f.blob.size), 0);
  report({ phase: "preparing", done: 0, total });
  const linkKey = generateLinkKey();
  const fragment = encodeLinkKey(linkKey);
  const kdf = policy.passphrase ? newPassphraseKdf() : null;
  const key = await messageKeyFrom(linkKey, kdf ? { passphrase: policy.passphrase, kdf } : undefined);
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
    report({ phase: "encrypting", done, total });
    // The encrypted stream becomes a Blob (kept on disk by the browser when large), then uploads.
    const sealed = cryptoRunner().run("encrypt", key, file.blob.stream(), i + 1).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          done += chunk.length;
          report({ phase: "encrypting", done, total });
          controller.enqueue(chunk);
        },
      }),
    );
    const blob = await new Response(sealed).blob();
    report({ phase: "uploading", done, total });
    await api.uploadMessagePart(message.id, i + 1, blob, options);
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
