/**
 * Base64 for Office.js, which takes and returns file content as base64 strings.
 *
 * Outlook's documented limit for `addFileAttachmentFromBase64Async` (and base64 reply-form
 * attachments) is 27,892,122 characters of base64, "about 25 MB" — the row "Base64-encoded string
 * of an attachment" in https://learn.microsoft.com/office/dev/add-ins/outlook/limits-for-activation-and-javascript-api-for-outlook-add-ins.
 */
export const OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS = 27_892_122;

/** Length of the base64 (with padding) of `byteLength` bytes: 4 characters per started 3 bytes. */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/** The largest file (bytes) whose base64 still fits Outlook's limit. */
export const OUTLOOK_MAX_ATTACHMENT_BYTES = Math.floor(OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS / 4) * 3;

export function bytesToBase64(bytes: Uint8Array): string {
  // Chunked so large files do not overflow the argument list of String.fromCharCode.
  const chunk = 0x8000;
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += chunk) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + chunk));
  }
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export async function blobToBase64(blob: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}
