import { safeHttpUrl } from "../../shared/actions/cert-html";
import { allowedTags, type HtmlNode } from "../common/messages";

/**
 * Turns the pane's HTML (built from escaped values, shared/actions/cert-html.ts) into the tree the
 * content script builds inside Gmail without parsing HTML there. Parsing happens here, in the
 * extension's own page; only allow-listed elements survive (others are replaced by their
 * children), only http(s) link targets are kept, and every other attribute is dropped.
 */
export function htmlToNodes(html: string, parser: DOMParser = new DOMParser()): HtmlNode[] {
  const doc = parser.parseFromString(html, "text/html");
  return convertChildren(doc.body);
}

const allowed = new Set<string>(allowedTags);

function convertChildren(parent: Node): HtmlNode[] {
  return [...parent.childNodes].flatMap((child) => convert(child));
}

function convert(node: Node): HtmlNode[] {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ? [node.textContent] : [];
  if (!(node instanceof Element)) return [];
  const tag = node.tagName.toLowerCase();
  const children = convertChildren(node);
  if (!allowed.has(tag)) return children;
  const href = tag === "a" ? safeHttpUrl(node.getAttribute("href")) : null;
  return [{ tag: tag as (typeof allowedTags)[number], ...(href ? { href } : {}), children }];
}
