import type { AttachmentSource } from "./gmail-reader";

/**
 * Reads an attachment the way Gmail serves it to the signed-in user: its download URL from the
 * open message, fetched from the content script (same origin as Gmail, so with the user's session
 * cookies). No Gmail API, so no restricted OAuth scope. The bytes go to the sidebar in pieces as
 * they arrive, so a large file is never one giant message.
 */

/** Bytes per piece sent to the sidebar (before base64). */
export const CHUNK_BYTES = 256 * 1024;

export class AttachmentUnavailableError extends Error {
  override readonly name = "AttachmentUnavailableError";
}

export async function streamAttachment(source: AttachmentSource, onChunk: (bytes: Uint8Array) => void, fetchImpl: typeof fetch = fetch): Promise<void> {
  if ("unavailable" in source) throw new AttachmentUnavailableError(source.unavailable);
  let response: Response;
  try {
    response = await fetchImpl(source.url, { credentials: "include" });
  } catch {
    // Typically Gmail redirected to a download host the page's origin may not read (docs/GMAIL.md).
    throw new AttachmentUnavailableError("Gmail did not let the extension download this attachment.");
  }
  if (!response.ok || !response.body) throw new AttachmentUnavailableError(`Gmail answered ${response.status} for this attachment.`);
  const reader = response.body.getReader();
  let pending: Uint8Array = new Uint8Array(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (value) pending = concat(pending, value);
    while (pending.length >= CHUNK_BYTES || (done && pending.length > 0)) {
      onChunk(pending.slice(0, CHUNK_BYTES));
      pending = pending.slice(CHUNK_BYTES);
    }
    if (done) return;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
