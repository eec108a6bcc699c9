import {
  HostError,
  type BodyContent,
  type FileToAttach,
  type Host,
  type HostAccount,
  type HostAuth,
  type HostCapabilities,
  type HostNotification,
  type HostTheme,
  type MailItem,
  type ReplyOptions,
  type SignInOutcome,
  type Unsubscribe,
} from "./host";

/**
 * An in-memory `Host` for the playground and tests: a mailbox of sample items, a selection that
 * emits item-changed events, and an "outbox" that records everything the pane asked the host to do
 * (insertions, replies, attachments, notifications) so it can be shown or asserted.
 */

/** A mailbox item plus the content a real host would fetch on request. */
export interface FakeMailboxItem {
  readonly item: MailItem;
  readonly bodyText: string;
  /** Attachment bytes by `AttachmentInfo.id`. */
  readonly attachmentContent?: Readonly<Record<string, Uint8Array>>;
}

export type OutboxEntry =
  | { readonly kind: "inserted"; readonly itemKey: string; readonly content: BodyContent }
  | { readonly kind: "attached"; readonly itemKey: string; readonly name: string; readonly type: string; readonly size: number }
  | {
      readonly kind: "reply-opened";
      readonly itemKey: string;
      readonly html: string;
      readonly replyAll: boolean;
      readonly attachments: readonly { readonly name: string; readonly type: string; readonly size: number }[];
    }
  | { readonly kind: "notified"; readonly notification: HostNotification };

export interface FakeHostOptions {
  readonly mailbox: readonly FakeMailboxItem[];
  /** Key of the item selected at start; default none. */
  readonly initialItemKey?: string | null;
  /** Sign-in to delegate to; default an in-memory fake (see `createFakeAuth`). */
  readonly auth?: HostAuth;
  /** Override individual capabilities (e.g. to test how the pane degrades). */
  readonly capabilities?: Partial<Omit<HostCapabilities, "hostName">>;
  /** The host UI's language (BCP 47, e.g. `sv-SE`); default none, so the pane shows English. */
  readonly locale?: string;
  /** The host UI's colour scheme; default none, so the pane is light. */
  readonly theme?: HostTheme;
  /**
   * How `openInBrowser` opens a URL: default a new window with `window.open` (the playground);
   * a function for tests; `false` for a host without the capability.
   */
  readonly openInBrowser?: ((url: string) => void) | false;
}

const allCapabilities: HostCapabilities = {
  hostName: "playground",
  itemChangedEvents: true,
  bodyText: true,
  attachmentContent: true,
  insertIntoCompose: true,
  openReply: true,
  attachToCompose: true,
  notifications: true,
};

type Listener<T> = (value: T) => void;

export class FakeHost implements Host {
  readonly capabilities: HostCapabilities;
  readonly auth: HostAuth;
  readonly openInBrowser?: (url: string) => Promise<void>;

  readonly #mailbox: ReadonlyMap<string, FakeMailboxItem>;
  readonly #itemListeners = new Set<Listener<MailItem | null>>();
  readonly #outboxListeners = new Set<Listener<readonly OutboxEntry[]>>();
  #current: MailItem | null = null;
  #outbox: readonly OutboxEntry[] = [];
  readonly #displayListeners = new Set<() => void>();
  #locale: string | undefined;
  #theme: HostTheme | undefined;

  constructor(options: FakeHostOptions) {
    this.#locale = options.locale;
    this.#theme = options.theme;
    this.capabilities = { ...allCapabilities, ...options.capabilities };
    this.auth = options.auth ?? createFakeAuth();
    this.#mailbox = new Map(options.mailbox.map((entry) => [entry.item.key, entry]));
    if (options.initialItemKey != null) this.#current = this.#entry(options.initialItemKey).item;
    if (options.openInBrowser !== false) {
      const open = options.openInBrowser ?? openWindow;
      this.openInBrowser = (url) => settle(() => { open(url); });
    }
  }

  // --- playground controls (not part of Host) ---

  /** All items, in mailbox order. */
  get items(): readonly MailItem[] {
    return [...this.#mailbox.values()].map((entry) => entry.item);
  }

  /** Selects an item (or none) as a user would, emitting item-changed if it differs. */
  select(itemKey: string | null): void {
    const next = itemKey === null ? null : this.#entry(itemKey).item;
    if (next === this.#current) return;
    this.#current = next;
    for (const listener of [...this.#itemListeners]) listener(next);
  }

  /** Everything the pane asked the host to do, oldest first. Same array until something is added. */
  get outbox(): readonly OutboxEntry[] {
    return this.#outbox;
  }

  onOutboxChanged(listener: Listener<readonly OutboxEntry[]>): Unsubscribe {
    this.#outboxListeners.add(listener);
    return () => this.#outboxListeners.delete(listener);
  }

  /** Switches the host UI's language, as a user changing the mailbox's language would. */
  setLocale(locale: string | undefined): void {
    if (locale === this.#locale) return;
    this.#locale = locale;
    for (const listener of [...this.#displayListeners]) listener();
  }

  /** Switches the host UI's colour scheme. */
  setTheme(theme: HostTheme | undefined): void {
    if (theme === this.#theme) return;
    this.#theme = theme;
    for (const listener of [...this.#displayListeners]) listener();
  }

  /** Calls `listener` after `setLocale` or `setTheme` changed something (so the playground can re-render the pane). */
  onDisplayChanged(listener: () => void): Unsubscribe {
    this.#displayListeners.add(listener);
    return () => this.#displayListeners.delete(listener);
  }

  /** The plain-text body, for the playground's reading view. */
  bodyOf(itemKey: string): string {
    return this.#entry(itemKey).bodyText;
  }

  // --- Host ---

  get locale(): string | undefined {
    return this.#locale;
  }

  get theme(): HostTheme | undefined {
    return this.#theme;
  }

  getCurrentItem(): MailItem | null {
    return this.#current;
  }

  onItemChanged(listener: (item: MailItem | null) => void): Unsubscribe {
    this.#itemListeners.add(listener);
    return () => this.#itemListeners.delete(listener);
  }

  getBodyText(itemKey: string): Promise<string> {
    return settle(() => {
      this.#require("bodyText");
      return this.#currentEntry(itemKey).bodyText;
    });
  }

  getAttachmentContent(itemKey: string, attachmentId: string): Promise<Blob> {
    return settle(() => {
      this.#require("attachmentContent");
      const entry = this.#currentEntry(itemKey);
      const info = entry.item.attachments.find((a) => a.id === attachmentId);
      const bytes = entry.attachmentContent?.[attachmentId];
      if (!info || !bytes) throw new HostError("not-found", `No attachment ${attachmentId} on this item.`);
      // A copy, so callers cannot mutate the sample bytes.
      return new Blob([bytes.slice()], { type: info.contentType });
    });
  }

  insertIntoCompose(content: BodyContent): Promise<void> {
    return settle(() => {
      this.#require("insertIntoCompose");
      const item = this.#currentOfKind("compose");
      this.#record({ kind: "inserted", itemKey: item.key, content });
    });
  }

  attachToCompose(file: FileToAttach): Promise<void> {
    return settle(() => {
      this.#require("attachToCompose");
      const item = this.#currentOfKind("compose");
      this.#record({ kind: "attached", itemKey: item.key, name: file.name, type: file.content.type, size: file.content.size });
    });
  }

  openReply(options: ReplyOptions): Promise<void> {
    return settle(() => {
      this.#require("openReply");
      const item = this.#currentOfKind("read");
      if (options.attachments?.length) this.#require("attachToCompose");
      this.#record({
        kind: "reply-opened",
        itemKey: item.key,
        html: options.html,
        replyAll: options.replyAll ?? false,
        attachments: (options.attachments ?? []).map((f) => ({ name: f.name, type: f.content.type, size: f.content.size })),
      });
    });
  }

  notify(notification: HostNotification): Promise<void> {
    return settle(() => {
      this.#require("notifications");
      this.#record({ kind: "notified", notification });
    });
  }

  // --- internals ---

  #entry(itemKey: string): FakeMailboxItem {
    const entry = this.#mailbox.get(itemKey);
    if (!entry) throw new HostError("not-found", `No item ${itemKey} in the sample mailbox.`);
    return entry;
  }

  #currentEntry(itemKey: string): FakeMailboxItem {
    if (this.#current === null) throw new HostError("no-item", "No item is selected.");
    if (this.#current.key !== itemKey) throw new HostError("item-not-current", "That item is no longer selected.");
    return this.#entry(itemKey);
  }

  #currentOfKind<K extends MailItem["kind"]>(kind: K): Extract<MailItem, { kind: K }> {
    const item = this.#current;
    if (item === null) throw new HostError("no-item", "No item is selected.");
    if (item.kind !== kind) throw new HostError("wrong-item-kind", `This needs a ${kind} item; the current one is ${item.kind}.`);
    return item as Extract<MailItem, { kind: K }>;
  }

  #require(capability: keyof Omit<HostCapabilities, "hostName">): void {
    if (!this.capabilities[capability]) throw new HostError("not-supported", `This host cannot ${capability}.`);
  }

  #record(entry: OutboxEntry): void {
    this.#outbox = [...this.#outbox, entry];
    for (const listener of [...this.#outboxListeners]) listener(this.#outbox);
  }
}

/**
 * The playground's way out of the pane: a new window. Without `noopener` so that a blocked popup is
 * noticed (null), then the opener is dropped so the provider's page cannot reach back into ours.
 */
function openWindow(url: string): void {
  const opened = window.open(url, "_blank", "popup,width=520,height=680");
  if (!opened) throw new HostError("failed", "The browser blocked the new window.");
  opened.opener = null;
}

/** Runs `fn` and turns its result or exception into a promise, so Host methods never throw synchronously. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => {
    resolve(fn());
  });
}

/**
 * An in-memory `HostAuth`: signed out until `signIn`, then hands out a fixed token. For tests and
 * for running the playground without an identity provider.
 */
export function createFakeAuth(options: { account?: HostAccount; token?: string; signedIn?: boolean } = {}): HostAuth {
  const account = options.account ?? { subject: "fake-user", email: "ada.admin@demo-metals.example", name: "Ada Admin" };
  const token = options.token ?? "fake-token";
  let signedIn = options.signedIn ?? false;
  return {
    getAccessToken: () => Promise.resolve(signedIn ? token : null),
    getAccount: () => Promise.resolve(signedIn ? account : null),
    signIn: (): Promise<SignInOutcome> => {
      signedIn = true;
      return Promise.resolve("signed-in");
    },
    signOut: () => {
      signedIn = false;
      return Promise.resolve();
    },
  };
}
