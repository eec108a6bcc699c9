/**
 * The contract between the task pane and the mailbox it runs in.
 *
 * The pane (shared/pane) only ever talks to a `Host`; each mailbox has one adapter that implements
 * it: `addin/` (Outlook, Office.js), `extension/` (Gmail, Chrome MV3) and `FakeHost`
 * (shared/host/fake-host.ts, the playground and tests). Host APIs (`Office`, `chrome`, `browser`)
 * never appear outside those adapters.
 *
 * Everything here is plain data (strings, numbers, arrays, Blobs) so an adapter may carry it over
 * `postMessage` between a content script and an extension frame.
 */

/** Stops a subscription. Calling it twice is harmless. */
export type Unsubscribe = () => void;

/** A mailbox address as the email shows it. `name` is the display name, when the email has one. */
export interface EmailAddress {
  readonly address: string;
  readonly name?: string;
}

/** What the host knows about an attachment without downloading it. */
export interface AttachmentInfo {
  /** Host-specific id, valid for the item it came from; pass it to `getAttachmentContent`. */
  readonly id: string;
  readonly name: string;
  /** MIME type as declared by the email (not sniffed), e.g. `application/pdf`. */
  readonly contentType: string;
  /** Size in bytes as reported by the host. */
  readonly size: number;
  /** True for images embedded in the body (signatures, logos) rather than attached files. */
  readonly isInline: boolean;
}

interface MailItemBase {
  /**
   * Identifies this item for the lifetime of the pane. Stable across item-changed events for the
   * same item; pass it back to item-scoped methods so the host can refuse when the user has moved
   * on to another item (`HostError` code `item-not-current`).
   */
  readonly key: string;
  /** The mailbox's own item id (Outlook REST/EWS id, Gmail message id); null for an unsaved draft. */
  readonly hostItemId: string | null;
  /** The conversation/thread id, when the host exposes one (null for a brand-new draft). */
  readonly conversationId: string | null;
  readonly subject: string;
  readonly to: readonly EmailAddress[];
  readonly cc: readonly EmailAddress[];
  readonly attachments: readonly AttachmentInfo[];
}

/** An email the user is reading. */
export interface ReadMailItem extends MailItemBase {
  readonly kind: "read";
  readonly hostItemId: string;
  /** RFC 5322 `Message-ID`, e.g. `<abc@example.com>`: the same in every mailbox that holds the email. */
  readonly internetMessageId: string;
  readonly from: EmailAddress;
  /** When the email arrived, ISO 8601 (`2026-11-20T09:15:00.000Z`). */
  readonly receivedAt: string;
}

/** An email the user is writing (new message, reply or forward). */
export interface ComposeMailItem extends MailItemBase {
  readonly kind: "compose";
  /** The email this draft replies to or forwards, when the host knows it. */
  readonly inReplyToInternetMessageId: string | null;
}

export type MailItem = ReadMailItem | ComposeMailItem;

/** Content to put into an email body. HTML must be built from escaped values (see the pane). */
export type BodyContent = { readonly html: string } | { readonly text: string };

export interface ReplyOptions {
  /** Initial body of the reply, above the quoted original. */
  readonly html: string;
  /** Reply to all recipients instead of only the sender. Default false. */
  readonly replyAll?: boolean;
  /** Files to attach to the reply. Hosts without `capabilities.attachToCompose` ignore this and say so via `HostError`. */
  readonly attachments?: readonly FileToAttach[];
}

export interface FileToAttach {
  readonly name: string;
  readonly content: Blob;
}

export type NotificationKind = "info" | "success" | "warning" | "error";

export interface HostNotification {
  readonly kind: NotificationKind;
  /** One short sentence; hosts may truncate (Outlook's info bar allows 150 characters). */
  readonly message: string;
}

/** The signed-in identity as the identity provider describes it. No tokens in here. */
export interface HostAccount {
  /** Provider subject identifier. */
  readonly subject: string;
  readonly email?: string;
  readonly name?: string;
}

export interface SignInOptions {
  /** Ask the provider to let the user choose or re-enter an account instead of reusing a session. */
  readonly forceAccountChoice?: boolean;
}

/**
 * How `signIn` ended. `redirecting` means the page is navigating to the identity provider and the
 * pane will be reloaded afterwards; `cancelled` means the user closed the dialog.
 */
export type SignInOutcome = "signed-in" | "redirecting" | "cancelled";

/** Sign-in as the host does it (MSAL/NAA in Outlook, chrome.identity in Gmail, OIDC redirect in the playground). */
export interface HostAuth {
  /**
   * A bearer token for the SmartCert API, or null when the user is not signed in (or the token
   * has expired and cannot be renewed silently). Never prompts the user.
   */
  getAccessToken(): Promise<string | null>;
  /** The signed-in account, or null when signed out. */
  getAccount(): Promise<HostAccount | null>;
  /** Interactive sign-in. Must be called from a user gesture (a click), since hosts may open a window. */
  signIn(options?: SignInOptions): Promise<SignInOutcome>;
  /** Forgets the local session (tokens); the next `signIn` asks the provider again. */
  signOut(): Promise<void>;
}

/**
 * What this host can do. Fixed for the lifetime of the pane (adapters feature-detect at start-up),
 * so the pane can hide actions up front instead of failing on click. Item-specific limits (a
 * compose action on a read item) still surface as `HostError`s.
 */
export interface HostCapabilities {
  /** Which adapter this is, for diagnostics and host-specific wording only; never branch logic on it. */
  readonly hostName: "outlook" | "gmail" | "playground";
  /** The pane follows the selected item (Outlook pinned pane, Gmail sidebar). */
  readonly itemChangedEvents: boolean;
  readonly bodyText: boolean;
  readonly attachmentContent: boolean;
  /** Insert HTML or text at the cursor of the item being composed. */
  readonly insertIntoCompose: boolean;
  /** Open a reply form (with HTML) on a read item. */
  readonly openReply: boolean;
  /** Attach files to the item being composed or to a reply being opened. */
  readonly attachToCompose: boolean;
  /** Show a notification in the host's own UI (otherwise the pane shows it itself). */
  readonly notifications: boolean;
}

/** The host UI's colour scheme; the pane picks the matching Fluent theme. */
export type HostTheme = "light" | "dark";

/** The mailbox as the pane sees it. */
export interface Host {
  readonly capabilities: HostCapabilities;
  readonly auth: HostAuth;

  /**
   * The host UI's language as a BCP 47 tag (`sv-SE`, `en-US`), e.g. Office's `displayLanguage` or
   * the browser's UI language. The pane shows the closest language it has (`sv-SE` → Swedish) and
   * falls back to English when this is missing or unknown. Read when the pane renders: a host that
   * lets it change must re-render `<App>` afterwards (the playground does).
   */
  readonly locale?: string;

  /** The host UI's colour scheme; the pane uses the light theme when this is missing. Read like `locale`. */
  readonly theme?: HostTheme;

  /**
   * The item the pane is about, or null when there is none (nothing selected, a folder view, a
   * calendar item). Returns the same object until the item changes, so it can back React's
   * `useSyncExternalStore` directly.
   */
  getCurrentItem(): MailItem | null;

  /**
   * Calls `listener` after the current item changed (to another item or to none). The value passed
   * is what `getCurrentItem()` now returns. Not called for the item current at subscription time.
   */
  onItemChanged(listener: (item: MailItem | null) => void): Unsubscribe;

  /** Plain-text body of the item with this key. Rejects with `item-not-current` if the user moved on. */
  getBodyText(itemKey: string): Promise<string>;

  /** Content of one attachment of the item with this key, typed with the attachment's content type. */
  getAttachmentContent(itemKey: string, attachmentId: string): Promise<Blob>;

  /** Inserts content at the cursor of the current compose item. Rejects with `wrong-item-kind` on a read item. */
  insertIntoCompose(content: BodyContent): Promise<void>;

  /** Attaches a file to the current compose item. */
  attachToCompose(file: FileToAttach): Promise<void>;

  /** Opens a reply form for the current read item with the given body. */
  openReply(options: ReplyOptions): Promise<void>;

  /** Shows a short notification in the host's UI. */
  notify(notification: HostNotification): Promise<void>;

  /**
   * Optional: opens an https (or, in development, http) URL in a browser window or tab outside the
   * pane, e.g. a mail provider's consent page, which refuses to be framed. Hosts that cannot do it
   * leave it out, and the pane shows the URL as a link for the user to open. Call it from a user
   * gesture (a click); rejects with `HostError` `failed` when the host (or a popup blocker) refused.
   */
  readonly openInBrowser?: (url: string) => Promise<void>;
}

export type HostErrorCode =
  /** The host cannot do this at all (see `capabilities`). */
  | "not-supported"
  /** There is no current item. */
  | "no-item"
  /** The item key given is not the current item any more. */
  | "item-not-current"
  /** A compose action on a read item, or the other way round. */
  | "wrong-item-kind"
  /** The attachment (or other referenced thing) does not exist on the item. */
  | "not-found"
  /** The host refused or failed; `message` says why, `cause` has the host's error. */
  | "failed";

/** The one error type `Host` methods reject with, so the pane can branch on `code`. */
export class HostError extends Error {
  override readonly name = "HostError";
  readonly code: HostErrorCode;

  constructor(code: HostErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isHostError(error: unknown): error is HostError {
  return error instanceof HostError;
}
