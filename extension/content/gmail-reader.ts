import type { AttachmentInfo, ComposeMailItem, EmailAddress, MailItem, ReadMailItem } from "../../shared/host/host";
import { findAll, findFirst, gmailSelectors, parseDownloadUrl, threadIdFromHash } from "./gmail-selectors";

/**
 * Reads what the user has open in Gmail — a thread's expanded message or a compose form — from the
 * URL and the DOM, through gmail-selectors.ts only. Pure with respect to its inputs (document, URL
 * fragment, the compose body the user last focused), so tests can run it against fixture pages.
 */

export type GmailView = "thread" | "compose" | "list";

/** Where an attachment's bytes come from, kept in the content script (never sent to the sidebar). */
export type AttachmentSource = { readonly url: string } | { readonly unavailable: string };

export interface GmailSnapshot {
  readonly view: GmailView;
  readonly item: MailItem | null;
  /** Why a thread/compose view could not be read (a fact from gmail-selectors.ts), else null. */
  readonly miss: string | null;
  /** The open message's body element (read items) or the compose body (compose items). */
  readonly bodyElement: Element | null;
  readonly attachmentSources: ReadonlyMap<string, AttachmentSource>;
}

export interface ReadOptions {
  readonly document: Document;
  readonly hash: string;
  /** The compose body the user focused last, if it is still in the page. */
  readonly focusedCompose: Element | null;
  /** Stable key for a compose body element (the same element keeps its key). */
  readonly composeKey: (body: Element) => string;
}

const none = (view: GmailView, miss: string | null): GmailSnapshot => ({ view, item: null, miss, bodyElement: null, attachmentSources: new Map() });

export function readGmailView(options: ReadOptions): GmailSnapshot {
  const threadId = threadIdFromHash(options.hash);
  const composeBodies = findAll(options.document, gmailSelectors.composeBody);
  if (composeBodies.length > 0) {
    const body = options.focusedCompose && composeBodies.includes(options.focusedCompose) ? options.focusedCompose : composeBodies.at(-1);
    if (body) return readCompose(body, threadId, options.composeKey(body));
  }
  if (threadId === null) return none("list", null);
  return readThread(options.document, threadId);
}

function readThread(doc: Document, threadToken: string): GmailSnapshot {
  const messages = findAll(doc, gmailSelectors.message);
  if (messages.length === 0) return none("thread", `no ${gmailSelectors.message.fact} found`);
  // The message the user reads is the last expanded one (collapsed messages have no body).
  const expanded = messages.filter((message) => findFirst(message, gmailSelectors.messageBody) !== null);
  const message = expanded.at(-1);
  if (!message) return none("thread", `no expanded message with a ${gmailSelectors.messageBody.fact}`);
  const bodyElement = findFirst(message, gmailSelectors.messageBody);

  const hostItemId = message.getAttribute("data-legacy-message-id") ?? message.getAttribute("data-message-id");
  if (!hostItemId) return none("thread", "message without a message id");
  const senderElement = findFirst(message, gmailSelectors.sender);
  const from = senderElement ? addressOf(senderElement) : null;
  if (!from) return none("thread", `no ${gmailSelectors.sender.fact} found`);

  const subjectElement = findFirst(doc, gmailSelectors.threadSubject);
  const conversationId =
    subjectElement?.getAttribute("data-legacy-thread-id") ?? subjectElement?.getAttribute("data-thread-perm-id") ?? threadToken;
  const dateTitle = findFirst(message, gmailSelectors.date)?.getAttribute("title") ?? "";
  const { attachments, sources } = readAttachments(message, hostItemId);

  const item: ReadMailItem = {
    kind: "read",
    key: `gmail:${hostItemId}`,
    hostItemId,
    // Gmail's page does not show the RFC 5322 Message-ID; only "Show original" has it.
    internetMessageId: "",
    conversationId,
    subject: text(subjectElement),
    from,
    // Gmail's collapsed header does not tell To from Cc, so every recipient is listed under To.
    to: findAll(message, gmailSelectors.recipient).map(addressOf).filter((a): a is EmailAddress => a !== null && a.address !== from.address),
    cc: [],
    receivedAt: isoDate(dateTitle),
    attachments,
  };
  return { view: "thread", item, miss: null, bodyElement, attachmentSources: sources };
}

function readCompose(body: Element, threadToken: string | null, key: string): GmailSnapshot {
  // The compose form: a dialog for new messages, the inline reply container in a thread.
  const form = body.closest("form, [role='dialog'], div.M9, table") ?? body.ownerDocument;
  const subject = findFirst(form, gmailSelectors.composeSubject);
  const item: ComposeMailItem = {
    kind: "compose",
    key,
    hostItemId: null,
    conversationId: threadToken,
    subject: subject instanceof HTMLInputElement ? subject.value : "",
    to: findAll(form, gmailSelectors.composeTo).map(addressOf).filter((a): a is EmailAddress => a !== null),
    cc: [],
    attachments: [],
    inReplyToInternetMessageId: null,
  };
  return { view: "compose", item, miss: null, bodyElement: body, attachmentSources: new Map() };
}

function readAttachments(message: Element, messageId: string): { attachments: AttachmentInfo[]; sources: Map<string, AttachmentSource> } {
  const attachments: AttachmentInfo[] = [];
  const sources = new Map<string, AttachmentSource>();
  findAll(message, gmailSelectors.attachment).forEach((chip, index) => {
    const id = `${messageId}:${index}`;
    const parsed = parseDownloadUrl(chip.getAttribute("download_url") ?? "");
    const name = parsed?.name ?? (chip.getAttribute("aria-label") || text(chip) || `attachment-${index + 1}`);
    attachments.push({ id, name, contentType: parsed?.contentType ?? "application/octet-stream", size: 0, isInline: false });
    sources.set(id, parsed ? { url: parsed.url } : { unavailable: "Gmail shows no download link for this attachment." });
  });
  return { attachments, sources };
}

function addressOf(element: Element): EmailAddress | null {
  const address = element.getAttribute("email")?.trim();
  if (!address?.includes("@")) return null;
  const name = element.getAttribute("name")?.trim() ?? text(element);
  return name && name !== address ? { address, name } : { address };
}

function text(element: Element | null | undefined): string {
  return (element?.textContent ?? "").replace(/\s+/gu, " ").trim();
}

/** Gmail's date title ("Fri, Nov 20, 2026, 9:15 AM") as ISO 8601; the epoch when it cannot be read. */
function isoDate(title: string): string {
  const ms = Date.parse(title.replace(/ at /u, " "));
  return new Date(Number.isNaN(ms) ? 0 : ms).toISOString();
}
