import browser, { type Runtime, type Tabs } from "webextension-polyfill";
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
} from "../../shared/host/host";
import { escapeHtml } from "../../shared/actions/cert-html";
import { fromBase64 } from "../common/base64";
import { PANE_PORT_PREFIX, toSidebarSchema, type PaneCall, type ToContent } from "../common/messages";
import { htmlToNodes } from "./html-to-nodes";

/**
 * The pane's `Host` for Gmail, living in the sidebar frame (extension origin). Item and mailbox
 * actions go over a runtime port to the content script of the same tab, which reads and writes
 * Gmail's DOM; sign-in goes to the service worker (ExtensionAuth). Everything crossing the port is
 * validated (common/messages.ts).
 */

const capabilities: HostCapabilities = {
  hostName: "gmail",
  itemChangedEvents: true,
  bodyText: true,
  attachmentContent: true,
  insertIntoCompose: true,
  openReply: true,
  // Gmail has no documented way to attach files to a draft from a page script.
  attachToCompose: false,
  // Notifications would put API data into Gmail's DOM; the pane shows them itself.
  notifications: false,
};

interface PendingCall {
  readonly resolve: (value: { text?: string; contentType?: string; chunks: Uint8Array<ArrayBuffer>[] }) => void;
  readonly reject: (error: HostError) => void;
  readonly chunks: Uint8Array<ArrayBuffer>[];
}

export type GmailCommand = "share-cert" | "insert-cert" | "send-securely";

export class PortHost implements Host {
  readonly capabilities = capabilities;
  readonly auth: HostAuth;
  readonly locale: string;
  readonly theme: HostTheme;

  readonly #port: Runtime.Port;
  readonly #pending = new Map<number, PendingCall>();
  readonly #itemListeners = new Set<(item: MailItem | null) => void>();
  readonly #missListeners = new Set<(miss: string | null) => void>();
  readonly #commandListeners = new Set<(command: GmailCommand) => void>();
  /**
   * A new tab next to Gmail: the sidebar is an extension page, which may call tabs.create without
   * the "tabs" permission. (A provider's consent page refuses to be framed in the sidebar.)
   */
  readonly openInBrowser = async (url: string): Promise<void> => {
    try {
      await browser.tabs.create({ url, active: true });
    } catch (error) {
      throw new HostError("failed", "The browser did not open a new tab.", { cause: error });
    }
  };
  #item: MailItem | null = null;
  #miss: string | null = null;
  #nextId = 1;
  #closed = false;

  private constructor(port: Runtime.Port, auth: HostAuth, locale: string, theme: HostTheme) {
    this.#port = port;
    this.auth = auth;
    this.locale = locale;
    this.theme = theme;
    port.onMessage.addListener((message: unknown) => {
      this.#receive(message);
    });
    port.onDisconnect.addListener(() => {
      this.#closed = true;
      for (const call of this.#pending.values()) call.reject(new HostError("failed", "Gmail's page went away (reloaded or closed)."));
      this.#pending.clear();
    });
  }

  /** Connects to the content script of the tab this frame is in; `sessionId` is this frame's URL fragment. */
  static async connect(sessionId: string, auth: HostAuth): Promise<PortHost> {
    // Typed as always present, but undefined outside a tab (e.g. sidebar.html opened on its own).
    const tab = (await browser.tabs.getCurrent()) as Tabs.Tab | undefined;
    if (tab?.id === undefined) throw new Error("The SmartCert sidebar must run inside a Gmail tab.");
    const port = browser.tabs.connect(tab.id, { name: `${PANE_PORT_PREFIX}${sessionId}`, frameId: 0 });
    const theme: HostTheme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
    return new PortHost(port, auth, browser.i18n.getUILanguage(), theme);
  }

  /** Why the current Gmail view could not be read, or null. */
  get miss(): string | null {
    return this.#miss;
  }

  onMissChanged(listener: (miss: string | null) => void): Unsubscribe {
    this.#missListeners.add(listener);
    return () => this.#missListeners.delete(listener);
  }

  /** The user pressed one of our buttons in Gmail's toolbars. */
  onCommand(listener: (command: GmailCommand) => void): Unsubscribe {
    this.#commandListeners.add(listener);
    return () => this.#commandListeners.delete(listener);
  }

  getCurrentItem(): MailItem | null {
    return this.#item;
  }

  onItemChanged(listener: (item: MailItem | null) => void): Unsubscribe {
    this.#itemListeners.add(listener);
    return () => this.#itemListeners.delete(listener);
  }

  async getBodyText(itemKey: string): Promise<string> {
    return (await this.#call({ method: "getBodyText", itemKey })).text ?? "";
  }

  async getAttachmentContent(itemKey: string, attachmentId: string): Promise<Blob> {
    const result = await this.#call({ method: "getAttachment", itemKey, attachmentId });
    return new Blob(result.chunks, { type: result.contentType ?? "application/octet-stream" });
  }

  async insertIntoCompose(content: BodyContent): Promise<void> {
    const nodes = "html" in content ? htmlToNodes(content.html) : htmlToNodes(`<p>${escapeHtml(content.text)}</p>`);
    await this.#call({ method: "insertIntoCompose", nodes });
  }

  attachToCompose(_file: FileToAttach): Promise<void> {
    return Promise.reject(new HostError("not-supported", "Gmail does not let the extension attach files."));
  }

  async openReply(options: ReplyOptions): Promise<void> {
    if (options.attachments?.length) throw new HostError("not-supported", "Gmail does not let the extension attach files.");
    await this.#call({ method: "openReply", nodes: htmlToNodes(options.html), replyAll: options.replyAll ?? false });
  }

  notify(_notification: HostNotification): Promise<void> {
    return Promise.reject(new HostError("not-supported", "The Gmail sidebar shows notifications itself."));
  }

  #call(call: PaneCall): Promise<{ text?: string; contentType?: string; chunks: Uint8Array<ArrayBuffer>[] }> {
    if (this.#closed) return Promise.reject(new HostError("failed", "Gmail's page went away (reloaded or closed)."));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, chunks: [] });
      this.#port.postMessage({ type: "call", id, call } satisfies ToContent);
    });
  }

  #receive(raw: unknown): void {
    const parsed = toSidebarSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn("SmartCert: dropped a malformed message from the Gmail page.");
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case "item": {
        if (message.miss !== this.#miss) {
          this.#miss = message.miss;
          for (const listener of [...this.#missListeners]) listener(message.miss);
        }
        this.#item = message.item;
        for (const listener of [...this.#itemListeners]) listener(message.item);
        return;
      }
      case "chunk":
        this.#pending.get(message.id)?.chunks.push(fromBase64(message.base64));
        return;
      case "result": {
        const call = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        call?.resolve({ ...(message.text === undefined ? {} : { text: message.text }), ...(message.contentType === undefined ? {} : { contentType: message.contentType }), chunks: call.chunks });
        return;
      }
      case "error": {
        const call = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        call?.reject(new HostError(message.code, message.message));
        return;
      }
      case "command":
        for (const listener of [...this.#commandListeners]) listener(message.command);
        return;
    }
  }
}
