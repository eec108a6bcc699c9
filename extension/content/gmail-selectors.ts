/**
 * Every fact about Gmail's DOM the extension relies on, in one place. Gmail ships new class names
 * without notice, so each fact lists selectors tried in order: Gmail's obfuscated class names
 * first (precise, but they change), then attribute- and ARIA-based fallbacks (rarer to change).
 * When none matches, the reader reports a miss (to the service worker's log) and the sidebar says
 * plainly that it cannot read the view; nothing here may throw.
 *
 * Dates say when each fact was last checked against Gmail's web client (see docs/GMAIL.md for the
 * list, and update both together).
 */

export interface SelectorList {
  /** What the selectors find, for miss reports. */
  readonly fact: string;
  readonly selectors: readonly string[];
}

const list = (fact: string, ...selectors: string[]): SelectorList => ({ fact, selectors });

export const gmailSelectors = {
  // 2026-11-22: a message in a thread is `div.adn.ads` carrying `data-message-id="#msg-f:<decimal>"`
  // and `data-legacy-message-id="<hex>"`; the fallback keys on those attributes alone.
  message: list("message", "div.adn.ads[data-message-id]", "[data-legacy-message-id]", "[data-message-id]"),
  // 2026-11-22: an expanded message shows its body in `div.a3s` (with `aiL`); collapsed ones have none.
  // `div.ii.gt` (the body's wrapper) has kept its name for years; Gmail renders bodies in `div[dir]`.
  messageBody: list("message body", "div.a3s.aiL", "div.a3s", "div.ii.gt > div", "div[dir='ltr']"),
  // 2026-11-22: the thread subject is `h2.hP`, which carries `data-thread-perm-id="thread-f:<decimal>"`
  // and `data-legacy-thread-id="<hex>"`.
  threadSubject: list("thread subject", "h2.hP", "h2[data-thread-perm-id]", "h2[data-legacy-thread-id]"),
  // 2026-11-22: the sender is `span.gD` with `email` and `name` attributes, inside the message header.
  // Fallback: the `[email]` element in the header's `h3`.
  sender: list("sender", "span.gD[email]", "h3 [email]"),
  // 2026-11-22: recipients are `span.g2` with `email` (and `name`) attributes.
  // Fallback: every `[email][data-hovercard-id]` outside the sender's `h3`.
  recipient: list("recipients", "span.g2[email]", "[email][data-hovercard-id]:not(h3 *)"),
  // 2026-11-22: the date is `span.g3` (role gridcell) whose `title` holds the full date and time.
  date: list("date", "span.g3[title]", "span[role='gridcell'][title]"),
  // 2026-11-22: attachment chips are `span.aZo` (inside `div.aQH`) with
  // `download_url="<mime>:<file name>:<https URL>"` (a chip without it is listed as unavailable);
  // the fallback is any element with that attribute.
  attachment: list("attachments", "span.aZo", "[download_url]"),
  // 2026-11-22: the action bar under the open message (Reply / Forward) is `div.amn`; the "Share cert"
  // button goes at its end. Fallback: the parent of the Reply button (see below).
  messageToolbar: list("message toolbar", "div.amn"),
  // 2026-11-22: "Reply" is `span.ams.bkH` in `div.amn`; the fallback is the ARIA/tooltip label.
  replyButton: list("reply button", "span.ams.bkH", "[role='button'][data-tooltip='Reply']", "[role='button'][aria-label='Reply']"),
  replyAllButton: list("reply-all button", "span.ams.bkI", "[role='button'][data-tooltip='Reply all']", "[role='button'][aria-label='Reply all']"),
  // 2026-11-22: a compose body is `div.Am.Al.editable[contenteditable=true]` with role textbox and
  // `aria-label="Message Body"`; new messages open in `div[role=dialog]`, replies inline in `div.M9`.
  composeBody: list("compose body", "div.Am.Al.editable[contenteditable='true']", "div[contenteditable='true'][role='textbox'][aria-label='Message Body']", "div[contenteditable='true'][g_editable='true']"),
  // 2026-11-22: the compose form's Send button is `div.T-I.aoO` (role button, tooltip "Send …"); the
  // "Insert cert" button goes right after the cell that holds it.
  composeSendButton: list("compose send button", "div.T-I.aoO[role='button']", "[role='button'][data-tooltip^='Send']", "[role='button'][aria-label^='Send']"),
  // 2026-11-22: the compose subject input is `input[name=subjectbox]`.
  composeSubject: list("compose subject", "input[name='subjectbox']", "input[aria-label='Subject']"),
  // 2026-11-22: chosen recipients are `[email]` chips inside the To row (`div[name=to]` / `div.afZ`).
  composeTo: list("compose recipients", "div[name='to'] [email]", "[aria-label^='To'] [email]"),
} as const satisfies Record<string, SelectorList>;

/** The first element matching any selector of the list, tried in order. */
export function findFirst(root: ParentNode, entry: SelectorList): Element | null {
  for (const selector of entry.selectors) {
    const found = root.querySelector(selector);
    if (found) return found;
  }
  return null;
}

/** All elements matched by the first selector of the list that matches anything. */
export function findAll(root: ParentNode, entry: SelectorList): Element[] {
  for (const selector of entry.selectors) {
    const found = [...root.querySelectorAll(selector)];
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * Gmail's URL fragment for an open thread: `#<view>/<thread id>`, e.g. `#inbox/FMfcgz…` or
 * `#label/Suppliers/FMfcgz…` (2026-11-22). Returns the thread token, or null for list views.
 */
export function threadIdFromHash(hash: string): string | null {
  const parts = decodeURIComponent(hash.replace(/^#/u, "")).split("?")[0]?.split("/") ?? [];
  const last = parts.at(-1) ?? "";
  // Thread tokens are long base64-ish strings (FMfcgz…) or 16 hex digits (legacy ids).
  return parts.length >= 2 && /^(?:[A-Za-z0-9_-]{16,}|[0-9a-f]{16})$/u.test(last) ? last : null;
}

/** `download_url` is `<mime type>:<file name>:<URL>`; the file name may itself contain colons. */
export function parseDownloadUrl(value: string): { contentType: string; name: string; url: string } | null {
  const first = value.indexOf(":");
  const urlStart = value.search(/:https:\/\//u);
  if (first <= 0 || urlStart <= first) return null;
  const url = URL.parse(value.slice(urlStart + 1));
  if (url?.protocol !== "https:") return null;
  return { contentType: value.slice(0, first), name: value.slice(first + 1, urlStart), url: url.href };
}
