// A secure reply from the reader (docs/MESSAGES.md): the same format as every message — a fresh
// link key, the manifest as part 0, each file as its own stream — encrypted here, uploaded with
// the upload ticket that createReply returned for the reply capability from Open. The server
// fills in the only recipient (the original's sender); the key exists only in the returned link.
import type { ApiClient } from "../api/client";
import { encodeLinkKey, generateLinkKey } from "../crypto/keys";
import { encryptManifest } from "../crypto/manifest";
import { messageKeyFrom } from "../crypto/passphrase";
import { cryptoRunner } from "../crypto/runner";

export interface ReplyInput {
  /** A client that sends no bearer token: replying needs none, so the reader's ID token stays home. */
  api: ApiClient;
  messageId: string;
  capability: string;
  text: string;
  files: readonly File[];
  onProgress?: (done: number, of: number) => void;
}

export async function sendReply(input: ReplyInput): Promise<{ link: string; expiresAt: string }> {
  const { api, files } = input;
  const linkKey = generateLinkKey();
  const fragment = encodeLinkKey(linkKey);
  const key = await messageKeyFrom(linkKey);
  const created = await api.createReply(input.messageId, { capability: input.capability, partCount: files.length + 1 });
  const { id } = created.reply;
  const manifest = await encryptManifest(key, { v: 1, text: input.text, files: files.map((f) => ({ name: f.name, type: f.type, size: f.size })) });
  await api.uploadReplyPart(id, 0, new Blob([manifest]), created.uploadTicket);
  for (const [i, file] of files.entries()) {
    input.onProgress?.(i, files.length);
    // The encrypted stream becomes a Blob (kept on disk by the browser when large), then uploads.
    const sealed = await new Response(cryptoRunner().run("encrypt", key, file.stream(), i + 1)).blob();
    await api.uploadReplyPart(id, i + 1, sealed, created.uploadTicket);
  }
  const done = await api.completeReply(id, created.uploadTicket);
  input.onProgress?.(files.length, files.length);
  return { link: `${done.url}#${fragment}`, expiresAt: done.expiresAt };
}

/** A mailto: link that hands the reply link to the reader's own mail program, addressed to the sender. */
export function mailtoSender(sender: { email: string }, link: string): string {
  const subject = "Secure reply";
  const body = `I replied securely. Open the reply here (sign in with ${sender.email}):\n\n${link}\n`;
  return `mailto:${encodeURIComponent(sender.email).replace(/%40/g, "@")}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}
