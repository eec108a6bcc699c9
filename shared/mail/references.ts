/**
 * Finds what an email refers to: PO, heat and cert numbers ("PO 4512", "PO#4512", "heats 8H1234
 * and 8H1235", "cert no. C-77") and SmartCert public links (`<origin>/p/<token>`) in its subject
 * and body. Pure functions: no host, no API, no DOM.
 */

import { findPublicLinks, type PublicLinkReference } from "../protocol/smartcert-links";

export type ReferenceKind = "po" | "heat" | "cert";

export interface NumberReference {
  readonly kind: ReferenceKind;
  /** As written in the email (trimmed of surrounding punctuation). */
  readonly value: string;
}

// The link parser lives in shared/protocol so the sync backend uses the very same one.
export { findPublicLinks, type PublicLinkReference };

export interface EmailReferences {
  readonly numbers: readonly NumberReference[];
  readonly publicLinks: readonly PublicLinkReference[];
}

export interface EmailText {
  readonly subject: string;
  readonly body: string;
}

/** A reference number: starts and ends with a letter or digit, contains a digit, may hold - / . inside. */
const VALUE = String.raw`(?=[A-Za-z0-9./-]*\d)[A-Za-z0-9](?:[A-Za-z0-9./-]{0,38}[A-Za-z0-9])?`;
/** "no.", "nr", "number", "#", ":" or "-" between the keyword and the number. */
const MARKER = String.raw`(?:\s*(?:no\.?|nr\.?|num\.?|number|numbers|nos\.?)(?![A-Za-z]))?\s*[#:-]?\s*`;
/** More numbers after the first: "8H1234, 8H1235 and 8H1236". */
const MORE = String.raw`(?:\s*(?:,|&|\band\b|\bor\b)\s*${VALUE}(?![A-Za-z0-9]))*`;

const KEYWORDS: Readonly<Record<ReferenceKind, string>> = {
  po: String.raw`(?:\bP\.?O\.?s?|\bpurchase\s+orders?)`,
  heat: String.raw`\bheats?`,
  cert: String.raw`\b(?:cert(?:ificate)?s?)`,
};

const patterns: readonly (readonly [ReferenceKind, RegExp])[] = (Object.keys(KEYWORDS) as ReferenceKind[]).map((kind) => [
  kind,
  new RegExp(String.raw`${KEYWORDS[kind]}(?![A-Za-z])${MARKER}(${VALUE})(?![A-Za-z0-9])(${MORE})`, "gi"),
]);
const valueInList = new RegExp(`${VALUE}(?![A-Za-z0-9])`, "g");

/** The comparable form of a reference number: upper case, no spaces. */
export function normalizeReference(value: string): string {
  return value.replace(/\s+/g, "").toUpperCase();
}

/** PO, heat and cert numbers in `text`, in order of first appearance, without duplicates. */
export function findNumberReferences(text: string): NumberReference[] {
  const found: { kind: ReferenceKind; value: string; at: number }[] = [];
  for (const [kind, pattern] of patterns) {
    for (const match of text.matchAll(pattern)) {
      const first = match[1] ?? "";
      const rest = match[2] ?? "";
      const at = match.index;
      found.push({ kind, value: first, at });
      for (const more of rest.matchAll(valueInList)) found.push({ kind, value: more[0], at: at + 1 });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const result: NumberReference[] = [];
  for (const { kind, value } of found) {
    const key = `${kind}:${normalizeReference(value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ kind, value });
  }
  return result;
}

/** Everything the email refers to, subject first. */
export function findReferences(email: EmailText, options: { readonly publicLinkOrigins: readonly string[] }): EmailReferences {
  const text = `${email.subject}\n${email.body}`;
  return { numbers: findNumberReferences(text), publicLinks: findPublicLinks(text, options.publicLinkOrigins) };
}

/** The numbers a cert carries, by kind. */
export interface NumberedCert {
  readonly poNumbers: readonly string[];
  readonly heatNumbers: readonly string[];
  readonly certNumbers: readonly string[];
}

/** Whether the cert carries exactly this number (normalized) in the field of the reference's kind. */
export function certMatchesReference(cert: NumberedCert, reference: NumberReference): boolean {
  const numbers = reference.kind === "po" ? cert.poNumbers : reference.kind === "heat" ? cert.heatNumbers : cert.certNumbers;
  const wanted = normalizeReference(reference.value);
  return numbers.some((n) => normalizeReference(n) === wanted);
}
