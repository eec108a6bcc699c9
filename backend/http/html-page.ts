/**
 * The server-rendered pages (the public-link preview, the dev provider's login page, the mailbox
 * callback page) are small, self-contained documents: one escaping rule and one document shell, so
 * none of them can forget `noindex`, the empty favicon (no request to /favicon.ico) or escaping.
 */

/** Escapes text for use in HTML element content and in double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A complete HTML document. `body` and `style`/`script` are trusted markup; the title is escaped. */
export function htmlDocument(page: { title: string; body: string; style?: string; script?: string }): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(page.title)}</title>
<link rel="icon" href="data:,">
${page.style === undefined ? "" : `<style>${page.style}</style>\n`}</head>
<body>
<main>
${page.body}
</main>
${page.script === undefined ? "" : `<script>${page.script}</script>\n`}</body>
</html>`;
}
