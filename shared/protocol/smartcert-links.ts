/**
 * SmartCert links in text, shared by the pane (shared/mail/references.ts re-exports these) and the
 * sync backend, which may import only shared/protocol. Pure: no host, no API, no DOM.
 * - public link `<origin>/p/<token>`: grants receiving to whoever signs in and accepts it;
 * - private link `<origin>/certs/<cert id>`: names a cert, grants nothing (DESIGN §2).
 */
export interface PublicLinkReference {
  readonly url: string;
  readonly token: string;
}

export interface PrivateLinkReference {
  readonly url: string;
  readonly certId: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function bases(origins: readonly string[]): string[] {
  return origins.map((o) => o.replace(/\/+$/, "")).filter((b) => b !== "");
}

/** SmartCert public links (`<origin>/p/<token>`) for any of the given origins, without duplicates. */
export function findPublicLinks(text: string, origins: readonly string[]): PublicLinkReference[] {
  const result: PublicLinkReference[] = [];
  const seen = new Set<string>();
  for (const base of bases(origins)) {
    const pattern = new RegExp(`${escapeRegExp(base)}/p/([A-Za-z0-9_-]{16,200})(?![A-Za-z0-9_-])`, "gi");
    for (const match of text.matchAll(pattern)) {
      const token = match[1] ?? "";
      if (seen.has(token)) continue;
      seen.add(token);
      result.push({ url: `${base}/p/${token}`, token });
    }
  }
  return result;
}

/** SmartCert private links (`<origin>/certs/<uuid>`), without duplicates; ids lower-cased. */
export function findPrivateLinks(text: string, origins: readonly string[]): PrivateLinkReference[] {
  const result: PrivateLinkReference[] = [];
  const seen = new Set<string>();
  for (const base of bases(origins)) {
    const pattern = new RegExp(`${escapeRegExp(base)}/certs/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-z-])`, "gi");
    for (const match of text.matchAll(pattern)) {
      const certId = (match[1] ?? "").toLowerCase();
      if (seen.has(certId)) continue;
      seen.add(certId);
      result.push({ url: `${base}/certs/${certId}`, certId });
    }
  }
  return result;
}
