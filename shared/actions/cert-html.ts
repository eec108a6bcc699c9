import type { Cert } from "../protocol/certs";

/**
 * The HTML the pane puts into an email for a cert: title, numbers and (when there is one) the link.
 * Built from escaped values only; the link must be http(s) or it is left out.
 */

export interface CertHtmlText {
  readonly intro: string;
  readonly po: string;
  readonly heat: string;
  readonly cert: string;
  readonly linkLabel: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The URL if it is an absolute http(s) URL, else null (no `javascript:` or `data:` in an href). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

type CertLike = Pick<Cert, "title" | "poNumbers" | "heatNumbers" | "certNumbers">;

export function certHtml(cert: CertLike, link: string | null, text: CertHtmlText): string {
  const numbers = [
    [text.po, cert.poNumbers],
    [text.heat, cert.heatNumbers],
    [text.cert, cert.certNumbers],
  ] as const;
  const lines = numbers.filter(([, values]) => values.length > 0).map(([label, values]) => `${escapeHtml(label)} ${values.map(escapeHtml).join(", ")}`);
  const url = safeHttpUrl(link);
  const parts = [
    `${escapeHtml(text.intro)} <strong>${escapeHtml(cert.title)}</strong>`,
    ...lines,
    ...(url ? [`<a href="${escapeHtml(url)}">${escapeHtml(text.linkLabel)}: ${escapeHtml(url)}</a>`] : []),
  ];
  return `<p>${parts.join("<br>")}</p>`;
}
