/**
 * Pre-fill for the create form: reference numbers written the usual ways in an email's subject and
 * body ("PO 4512", "heats 8H1234 and 8H1235", "Certificate no. BSM-2026-11873", "EN 10204").
 * Deliberately small and local to this view; the general extractor lives in shared/mail.
 */

export interface CertPrefill {
  readonly title: string;
  readonly poNumbers: readonly string[];
  readonly heatNumbers: readonly string[];
  readonly certNumbers: readonly string[];
  readonly standard: string;
}

/** A reference: letters, digits, dots, slashes and dashes, with at least one digit. */
const token = String.raw`[A-Za-z0-9][A-Za-z0-9./-]*`;
/** More references after the first: "8H1234, 8H1235 and 8H1236" (each with a digit, so "and cert no. 7" stays apart). */
const more = String.raw`(?:(?:\s*[,&]\s*|\s+/\s+|\s+(?:and|och)\s+)[A-Za-z./-]*\d[A-Za-z0-9./-]*)*`;
const numberWord = String.raw`(?:\s*(?:no\.?|nr\.?|number|#|nummer))?\s*[:#]?\s*`;

const patterns = {
  po: new RegExp(String.raw`\b(?:P\.?O\.?s?|purchase\s+orders?|order\s*no\.?|ordernummer|best\u00e4llning)${numberWord}(${token}${more})`, "gi"),
  heat: new RegExp(String.raw`\b(?:heats?|smältor|smälta)${numberWord}(${token}${more})`, "gi"),
  cert: new RegExp(String.raw`\b(?:cert(?:ificate)?s?|intyg)\s*(?:no\.?|nr\.?|number|#|nummer)\s*[:#]?\s*(${token}${more})`, "gi"),
};

const standardPattern = /\b(?:EN|ISO|ASTM|ASME|SS)[ -]?[A-Z]?\d{2,5}(?:-\d{1,3})?(?: \d\.\d)?\b/;

function collect(pattern: RegExp, text: string): string[] {
  const found = new Map<string, string>();
  for (const match of text.matchAll(pattern)) {
    const list = match[1] ?? "";
    for (const raw of list.split(/\s*[,&]\s*|\s+\/\s+|\s+(?:and|och)\s+/i)) {
      const value = raw.replace(/[./-]+$/, "");
      if (!/\d/.test(value) || value.length > 100) continue;
      const key = value.toUpperCase();
      if (!found.has(key)) found.set(key, value);
    }
  }
  return [...found.values()];
}

/** "RE: FW: Subject" → "Subject". */
export function stripReplyPrefixes(subject: string): string {
  return subject.replace(/^(?:\s*(?:re|fw|fwd|sv|vb|vs|aw|wg)\s*:\s*)+/i, "").trim();
}

export function extractReferences(text: string): Omit<CertPrefill, "title"> {
  return {
    poNumbers: collect(patterns.po, text),
    heatNumbers: collect(patterns.heat, text),
    certNumbers: collect(patterns.cert, text),
    standard: standardPattern.exec(text)?.[0] ?? "",
  };
}

export function prefillFromEmail(subject: string, body: string): CertPrefill {
  return { title: stripReplyPrefixes(subject), ...extractReferences(`${subject}\n${body}`) };
}

/** "4512, 4513" → ["4512", "4513"]: the form's comma-separated lists as the API wants them. */
export function splitList(value: string): string[] {
  return value
    .split(/[,;\n]/)
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
