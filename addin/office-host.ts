import {
  HostError,
  type BodyContent,
  type FileToAttach,
  type Host,
  type HostAuth,
  type HostCapabilities,
  type HostNotification,
  type HostTheme,
  type MailItem,
  type ReplyOptions,
  type Unsubscribe,
} from "../shared/host/host";
import { createAsyncLimiter, type AsyncLimiter } from "./office/async-limiter";
import { base64Length, base64ToBytes, blobToBase64, OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS } from "./office/base64";
import { detectOutlookFeatures, outlookCapabilities, themeFromOffice, type OutlookFeatures } from "./office/capabilities";
import { attachmentFormats, officeEnums } from "./office/enums";
import { composeItemSnapshot, isReadItem, readItemSnapshot, type OfficeItem } from "./office/item-snapshot";
import { officeCall } from "./office/office-call";

/**
 * `Host` for Outlook, on Office.js. It keeps a snapshot of the current item (so `getCurrentItem`
 * is synchronous and stable, as the pane's `useSyncExternalStore` needs), refreshes it on
 * `ItemChanged` (pinned pane; the new item may be null), and sends every async Office.js call
 * through one limiter (at most 3 at a time, Outlook's documented limit).
 */

/** The slice of the `Office` global the adapter uses; tests pass office-addin-mock objects. */
export interface OfficeLike {
  readonly context: {
    readonly mailbox: Pick<Office.Mailbox, "item" | "addHandlerAsync" | "removeHandlerAsync">;
    readonly requirements: Pick<Office.RequirementSetSupport, "isSetSupported">;
    readonly displayLanguage?: string;
    readonly officeTheme?: Pick<Office.OfficeTheme, "bodyBackgroundColor">;
    readonly ui?: Pick<Office.UI, "openBrowserWindow">;
  };
}

export interface OfficeHostOptions {
  readonly office: OfficeLike;
  readonly auth: HostAuth;
  /** Default: Outlook's limit of 3. */
  readonly limiter?: AsyncLimiter;
  /** Subscribe to ItemChanged (the pinned pane). Default true; the function file has no use for it. */
  readonly followSelection?: boolean;
}

/** The notification key: each new notification replaces the previous one instead of stacking. */
export const NOTIFICATION_KEY = "smartcert-status";
/** Outlook's info bar takes at most 150 characters. */
export const NOTIFICATION_MAX_CHARS = 150;
/** Icon id from the manifest's resources; Outlook requires one on informational messages. */
export const NOTIFICATION_ICON_ID = "Icon.16x16";

export class OfficeHost implements Host {
  readonly auth: HostAuth;
  readonly features: OutlookFeatures;
  readonly openInBrowser?: (url: string) => Promise<void>;

  readonly #office: OfficeLike;
  readonly #limiter: AsyncLimiter;
  readonly #listeners = new Set<(item: MailItem | null) => void>();
  #capabilities: HostCapabilities;
  #current: MailItem | null = null;
  /** Increments per item change, so a slow compose snapshot cannot overwrite a newer item. */
  #generation = 0;
  #composeCounter = 0;

  private constructor(options: OfficeHostOptions) {
    this.#office = options.office;
    this.auth = options.auth;
    this.#limiter = options.limiter ?? createAsyncLimiter();
    this.features = detectOutlookFeatures(options.office.context.requirements);
    this.#capabilities = outlookCapabilities(this.features);
    const ui = options.office.context.ui;
    if (this.features.openBrowserWindow && ui) {
      // Opens the system browser; Office gives no result, so a refusal surfaces only as an exception.
      this.openInBrowser = (url) =>
        new Promise<void>((resolve) => {
          ui.openBrowserWindow(url);
          resolve();
        }).catch((error: unknown) => {
          throw new HostError("failed", "Outlook could not open the browser.", { cause: error });
        });
    }
  }

  get capabilities(): HostCapabilities {
    return this.#capabilities;
  }

  /** Reads the current item, then subscribes to ItemChanged where supported. Call after `Office.onReady`. */
  static async create(options: OfficeHostOptions): Promise<OfficeHost> {
    const host = new OfficeHost(options);
    host.#current = await host.#snapshot(host.#officeItem());
    if (host.features.itemChanged && options.followSelection !== false) {
      try {
        await officeCall("follow the selected message", (callback) => {
          options.office.context.mailbox.addHandlerAsync(officeEnums.itemChanged, () => { void host.#itemChanged(); }, callback);
        });
      } catch {
        // Not pinnable here after all: the pane still works for the item it was opened on.
        host.#capabilities = { ...host.#capabilities, itemChangedEvents: false };
      }
    }
    return host;
  }

  get locale(): string | undefined {
    return this.#office.context.displayLanguage || undefined;
  }

  get theme(): HostTheme | undefined {
    try {
      return themeFromOffice(this.#office.context.officeTheme);
    } catch {
      return undefined; // officeTheme throws where the host does not implement it
    }
  }

  getCurrentItem(): MailItem | null {
    return this.#current;
  }

  onItemChanged(listener: (item: MailItem | null) => void): Unsubscribe {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async getBodyText(itemKey: string): Promise<string> {
    const item = this.#requireCurrent(itemKey);
    return this.#limiter.run(() =>
      officeCall<string>("read the message body", (callback) => { item.body.getAsync(officeEnums.coercionText, callback); }),
    );
  }

  async getAttachmentContent(itemKey: string, attachmentId: string): Promise<Blob> {
    this.#require("attachmentContent");
    const item = this.#requireCurrent(itemKey);
    const info = this.#current?.attachments.find((candidate) => candidate.id === attachmentId);
    if (!info) throw new HostError("not-found", "That attachment is not on this message.");
    const content = await this.#limiter.run(() =>
      officeCall<Office.AttachmentContent>(`read the attachment ${info.name}`, (callback) => { item.getAttachmentContentAsync(attachmentId, callback); }),
    );
    switch (content.format) {
      case attachmentFormats.base64: {
        const bytes = base64ToBytes(content.content);
        return new Blob([bytes.buffer as ArrayBuffer], { type: info.contentType });
      }
      case attachmentFormats.eml:
        return new Blob([content.content], { type: "message/rfc822" });
      case attachmentFormats.iCalendar:
        return new Blob([content.content], { type: "text/calendar" });
      default:
        // A cloud attachment (OneDrive/SharePoint link): there are no bytes to hand over.
        throw new HostError("not-supported", `${info.name} is a cloud attachment; download it in Outlook first.`);
    }
  }

  async insertIntoCompose(content: BodyContent): Promise<void> {
    const item = this.#requireCompose();
    const [data, coercionType] = "html" in content ? [content.html, officeEnums.coercionHtml] : [content.text, officeEnums.coercionText];
    await this.#limiter.run(() =>
      officeCall("insert into the message", (callback) => { item.body.setSelectedDataAsync(data, { coercionType }, callback); }),
    );
  }

  async attachToCompose(file: FileToAttach): Promise<void> {
    this.#require("attachToCompose");
    const item = this.#requireCompose();
    checkAttachmentSize(file);
    const base64 = await blobToBase64(file.content);
    await this.#limiter.run(() =>
      officeCall<string>(`attach ${file.name}`, (callback) => { item.addFileAttachmentFromBase64Async(base64, file.name, callback); }),
    );
  }

  async openReply(options: ReplyOptions): Promise<void> {
    const item = this.#requireRead();
    const files = options.attachments ?? [];
    if (files.length > 0 && !this.features.base64ReplyAttachments) {
      throw new HostError("not-supported", "This Outlook cannot attach files to a reply it opens; attach them in the reply yourself.");
    }
    for (const file of files) checkAttachmentSize(file);
    const attachments: Office.ReplyFormAttachment[] = await Promise.all(
      files.map(async (file) => ({ type: officeEnums.attachmentBase64, name: file.name, base64file: await blobToBase64(file.content) })),
    );
    const formData: Office.ReplyFormData = { htmlBody: options.html, ...(attachments.length > 0 ? { attachments } : {}) };
    const replyAll = options.replyAll === true;
    if (this.features.replyFormAsync) {
      await this.#limiter.run(() =>
        officeCall("open the reply", (callback) => {
          if (replyAll) item.displayReplyAllFormAsync(formData, callback);
          else item.displayReplyFormAsync(formData, callback);
        }),
      );
      return;
    }
    try {
      if (replyAll) item.displayReplyAllForm(formData);
      else item.displayReplyForm(formData);
    } catch (error) {
      throw new HostError("failed", `Outlook could not open the reply: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  async notify(notification: HostNotification): Promise<void> {
    const item = this.#officeItem();
    if (!item) throw new HostError("no-item", "There is no message to show the notification on.");
    const message = truncate(notification.message, NOTIFICATION_MAX_CHARS);
    const details: Office.NotificationMessageDetails =
      notification.kind === "error"
        ? { type: officeEnums.errorMessage, message }
        : { type: officeEnums.informationalMessage, message, icon: NOTIFICATION_ICON_ID, persistent: false };
    await this.#limiter.run(() =>
      officeCall("show a notification", (callback) => { item.notificationMessages.replaceAsync(NOTIFICATION_KEY, details, callback); }),
    );
  }

  // --- internals ---

  #officeItem(): OfficeItem | null {
    return (this.#office.context.mailbox.item as OfficeItem | null | undefined) ?? null;
  }

  async #snapshot(item: OfficeItem | null): Promise<MailItem | null> {
    if (item === null) return null;
    if (isReadItem(item)) return readItemSnapshot(item);
    this.#composeCounter++;
    return composeItemSnapshot(item, { limiter: this.#limiter, canListAttachments: this.features.attachments, key: `compose:${this.#composeCounter}` });
  }

  async #itemChanged(): Promise<void> {
    const generation = ++this.#generation;
    let next: MailItem | null;
    try {
      next = await this.#snapshot(this.#officeItem());
    } catch {
      next = null; // an item we cannot read is shown as no item rather than a stale one
    }
    if (generation !== this.#generation) return;
    if (next?.key !== undefined && next.key === this.#current?.key) return;
    this.#current = next;
    for (const listener of [...this.#listeners]) listener(next);
  }

  #require(capability: keyof Omit<HostCapabilities, "hostName">): void {
    if (!this.capabilities[capability]) throw new HostError("not-supported", "This version of Outlook cannot do that.");
  }

  #requireCurrent(itemKey: string): OfficeItem {
    const item = this.#officeItem();
    if (this.#current === null || item === null) throw new HostError("no-item", "No message is selected.");
    if (this.#current.key !== itemKey) throw new HostError("item-not-current", "That message is no longer selected.");
    return item;
  }

  #requireRead(): Office.MessageRead {
    const item = this.#officeItem();
    if (item === null) throw new HostError("no-item", "No message is selected.");
    if (!isReadItem(item)) throw new HostError("wrong-item-kind", "This needs a message you are reading, not one you are writing.");
    return item;
  }

  #requireCompose(): Office.MessageCompose {
    const item = this.#officeItem();
    if (item === null) throw new HostError("no-item", "No message is open.");
    if (isReadItem(item)) throw new HostError("wrong-item-kind", "This needs a message you are writing; open a reply or a new message first.");
    return item;
  }
}

/** Refuses files over Outlook's base64 limit before encoding them, with a message the user can act on. */
export function checkAttachmentSize(file: FileToAttach): void {
  if (base64Length(file.content.size) > OUTLOOK_MAX_ATTACHMENT_BASE64_CHARS) {
    const mb = (file.content.size / 1_048_576).toFixed(1);
    throw new HostError("failed", `${file.name} is ${mb} MB; Outlook attaches files up to about 25 MB. Share it as a SmartCert link instead.`);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
