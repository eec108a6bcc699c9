import type { HtmlNode } from "../common/messages";
import { findAll, findFirst, gmailSelectors, type SelectorList } from "./gmail-selectors";

/**
 * Writing into Gmail's compose bodies. Gmail enforces Trusted Types, and the HTML comes from
 * outside the page anyway, so nothing here parses HTML: the sidebar sends a tree of allow-listed
 * elements (common/messages.ts) and this builds it with `createElement` / `createTextNode`.
 */

/** Builds the nodes in `doc`. Links get only an http(s) `href` (the schema already checked it). */
export function buildFragment(doc: Document, nodes: readonly HtmlNode[]): DocumentFragment {
  const fragment = doc.createDocumentFragment();
  for (const node of nodes) fragment.append(buildNode(doc, node));
  return fragment;
}

function buildNode(doc: Document, node: HtmlNode): Node {
  if (typeof node === "string") return doc.createTextNode(node);
  const element = doc.createElement(node.tag);
  if (node.tag === "a" && node.href !== undefined) {
    element.setAttribute("href", node.href);
    element.setAttribute("target", "_blank");
    element.setAttribute("rel", "noopener noreferrer");
  }
  for (const child of node.children) element.append(buildNode(doc, child));
  return element;
}

/**
 * Inserts at the user's cursor when it is inside `body`, else at the start of the body (above the
 * quoted original in a reply). Gmail learns of the change through the `input` event, as after typing.
 */
export function insertAtCursor(body: Element, nodes: readonly HtmlNode[], savedRange: Range | null): void {
  const doc = body.ownerDocument;
  const fragment = buildFragment(doc, nodes);
  const last = fragment.lastChild;
  const selection = doc.getSelection();
  const live = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  const range = [live, savedRange].find((r) => r !== null && body.contains(r.commonAncestorContainer)) ?? null;
  if (range) {
    range.deleteContents();
    range.insertNode(fragment);
  } else {
    body.insertBefore(fragment, body.firstChild);
  }
  if (last && selection) {
    // Leave the cursor after the inserted content, so the user can keep typing.
    const after = doc.createRange();
    after.setStartAfter(last);
    after.collapse(true);
    selection.removeAllRanges();
    selection.addRange(after);
  }
  body.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
}

/** Clicks Gmail's own Reply (or Reply all) button of the open message and waits for the compose body. */
export async function openGmailReply(message: Element | null, replyAll: boolean, timeoutMs = 5000): Promise<Element> {
  const doc = message?.ownerDocument ?? document;
  const list: SelectorList = replyAll ? gmailSelectors.replyAllButton : gmailSelectors.replyButton;
  const button = (message && findFirst(message, list)) ?? findFirst(doc, list);
  if (!(button instanceof HTMLElement)) throw new Error(`Gmail's ${list.fact} was not found.`);
  const before = new Set(findAll(doc, gmailSelectors.composeBody));
  // Gmail's buttons act on the mouse sequence, not on `click` alone.
  for (const type of ["mousedown", "mouseup", "click"]) button.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const opened = findAll(doc, gmailSelectors.composeBody).find((body) => !before.has(body));
    if (opened) return opened;
    if (Date.now() > deadline) throw new Error("Gmail did not open a reply.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
