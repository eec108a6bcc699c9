/**
 * Original file names are untrusted metadata: kept only after sanitizing, never used to build a
 * storage path, and sent back only inside a properly encoded Content-Disposition header.
 */
const MAX_NAME_LENGTH = 200;

export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? "").split(/[\\/]/).pop() ?? "";
  const cleaned = base
    // Control characters (C0 and C1) and bidi controls (every Bidi_Control character: overrides,
    // embeddings, isolates and the ALM/LRM/RLM marks) can disguise an extension ("invoice‮fdp.exe").
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^\.+/, "");
  return cleaned.slice(0, MAX_NAME_LENGTH) || "document";
}

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export function sanitizeContentType(raw: string | undefined): string {
  const type = (raw ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return MIME_TYPE.test(type) ? type : "application/octet-stream";
}

/** RFC 6266 attachment header with an ASCII fallback and the UTF-8 name. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
