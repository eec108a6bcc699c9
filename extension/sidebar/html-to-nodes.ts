import { safeHttpUrl } from "../../shared/actions/cert-html";
import { allowedTags, type HtmlNode } from "../common/messages";

/**
 * Turns the pane's HTML (built from escaped values, shared/actions/cert-html.ts) into the tree the
 * content script builds inside Gmail without parsing HTML there. Parsing happens here, in the
 * extension's own page; only allow-listed elements survive (others are replaced by their
 * children; scripts and styles disappear with their content), only http(s) link targets are
 * kept, and every other attribute is dropped.
 */
export function htmlToNodes(html: string, parser: DOMParser = new DOMParser()): HtmlNode[] {
  const doc = parser.parseFromString(html, "text/html");
  return convertChildren(doc.body);
}

const allowed = new Set<string>(allowedTags);
/** Elements dropped with their content (their text is code or markup, not words for the email). */
const dropped = new Set(["script", "style", "template", "noscript", "iframe", "object"]);

function convertChildren(parent: Node): HtmlNode[] {
  return [...parent.childNodes].flatMap((child) => convert(child));
}

function convert(node: Node): HtmlNode[] {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ? [node.textContent] : [];
  if (!(node instanceof Element)) return [];
  const tag = node.tagName.toLowerCase();
  if (dropped.has(tag)) return [];
  const children = convertChildren(node);
  if (!allowed.has(tag)) return children;
  const href = tag === "a" ? safeHttpUrl(node.getAttribute("href")) : null;
  return [{ tag: tag as (typeof allowedTags)[number], ...(href ? { href } : {}), children }];
}
