import type { AttachmentInfo, ComposeMailItem, EmailAddress, MailItem, ReadMailItem } from "../../shared/host/host";
import type { AsyncLimiter } from "./async-limiter";
import { officeCall } from "./office-call";

/**
 * Reads Outlook's current item into the pane's plain `MailItem`. Read-mode fields are properties;
 * compose-mode fields (subject, recipients, attachments) need `getAsync` calls, so a compose
 * snapshot is asynchronous and goes through the call limiter.
 */

export type OfficeItem = Office.MessageRead | Office.MessageCompose;

/** Read mode exposes `subject` as a string; compose mode as an object with `getAsync`. */
export function isReadItem(item: OfficeItem): item is Office.MessageRead {
  return typeof item.subject === "string";
}

function address(details: Office.EmailAddressDetails): EmailAddress {
  const name = details.displayName.trim();
  return name && name !== details.emailAddress ? { address: details.emailAddress, name } : { address: details.emailAddress };
}

function attachment(details: Office.AttachmentDetails | Office.AttachmentDetailsCompose): AttachmentInfo {
  return {
    id: details.id,
    name: details.name,
    // The declared MIME type, as the Host contract asks. Office marks `contentType` deprecated in
    // favour of the file extension, but still fills it; compose-mode details have none.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- see above
    contentType: "contentType" in details && details.contentType ? details.contentType : "application/octet-stream",
    size: details.size,
    isInline: details.isInline,
  };
}

export function readItemSnapshot(item: Office.MessageRead): ReadMailItem {
  return {
    kind: "read",
    key: `read:${item.itemId}`,
    hostItemId: item.itemId,
    conversationId: item.conversationId || null,
    internetMessageId: item.internetMessageId,
    subject: item.subject,
    from: address(item.from),
    to: item.to.map(address),
    cc: item.cc.map(address),
    attachments: item.attachments.map(attachment),
    receivedAt: new Date(item.dateTimeCreated).toISOString(),
  };
}

export interface ComposeSnapshotOptions {
  readonly limiter: AsyncLimiter;
  /** Whether `getAttachmentsAsync` exists (Mailbox 1.8). */
  readonly canListAttachments: boolean;
  /** Identifies the compose form for the pane's lifetime (compose forms never change under a pane). */
  readonly key: string;
}

export async function composeItemSnapshot(item: Office.MessageCompose, options: ComposeSnapshotOptions): Promise<ComposeMailItem> {
  const { limiter } = options;
  const [subject, to, cc, attachments] = await Promise.all([
    limiter.run(() => officeCall<string>("read the subject", (callback) => { item.subject.getAsync(callback); })),
    limiter.run(() => officeCall<Office.EmailAddressDetails[]>("read the recipients", (callback) => { item.to.getAsync(callback); })),
    limiter.run(() => officeCall<Office.EmailAddressDetails[]>("read the Cc recipients", (callback) => { item.cc.getAsync(callback); })),
    options.canListAttachments
      ? limiter.run(() => officeCall<Office.AttachmentDetailsCompose[]>("list the attachments", (callback) => { item.getAttachmentsAsync(callback); }))
      : Promise.resolve([]),
  ]);
  return {
    kind: "compose",
    key: options.key,
    // Outlook gives a draft an id only once saved (getItemIdAsync, Mailbox 1.8); the pane needs none.
    hostItemId: null,
    conversationId: item.conversationId || null,
    subject,
    to: to.map(address),
    cc: cc.map(address),
    attachments: attachments.map(attachment),
    // Office.js does not expose the replied-to message's Internet message id in compose mode.
    inReplyToInternetMessageId: null,
  };
}

export type { MailItem };
