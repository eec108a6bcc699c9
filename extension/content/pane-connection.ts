import browser, { type Runtime } from "webextension-polyfill";
import { HostError, isHostError, type HostErrorCode } from "../../shared/host/host";
import { toBase64 } from "../common/base64";
import { PANE_PORT_PREFIX, toContentSchema, type PaneCall, type ToSidebar } from "../common/messages";
import { AttachmentUnavailableError, streamAttachment } from "./attachments";
import { insertAtCursor, openGmailReply } from "./compose";
import type { GmailSnapshot } from "./gmail-reader";

/**
 * The content script's end of the port to its sidebar frame. The frame connects with
 * `tabs.connect` and the port name `smartcert-pane:<session id>`, where the session id is the
 * random fragment this content script put in the frame's URL; only the extension's own pages can
 * connect (no `externally_connectable`), and the sender is checked again here. Calls are parsed
 * with their schema; anything else is dropped.
 */

export interface ConnectionDeps {
  readonly sessionId: string;
  /** The latest reading of the Gmail view. */
  readonly snapshot: () => GmailSnapshot;
  /** The cursor the user last had in a compose body. */
  readonly savedRange: () => Range | null;
}

export class PaneConnection {
  readonly #deps: ConnectionDeps;
  #port: Runtime.Port | null = null;
  readonly #queued: ToSidebar[] = [];

  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
    browser.runtime.onConnect.addListener((port) => {
      this.#accept(port);
    });
  }

  /** Sends now, or when the sidebar connects (a toolbar command may come before the frame loaded). */
  send(message: ToSidebar): void {
    if (this.#port) this.#port.postMessage(message);
    else if (message.type === "command") this.#queued.push(message);
  }

  #accept(port: Runtime.Port): void {
    const sidebarUrl = browser.runtime.getURL("sidebar.html");
    const fromOurFrame = port.sender?.id === browser.runtime.id && (port.sender.url === undefined || port.sender.url.startsWith(sidebarUrl));
    if (port.name !== `${PANE_PORT_PREFIX}${this.#deps.sessionId}` || !fromOurFrame) return;
    this.#port?.disconnect();
    this.#port = port;
    port.onDisconnect.addListener(() => {
      if (this.#port === port) this.#port = null;
    });
    port.onMessage.addListener((message: unknown) => {
      const parsed = toContentSchema.safeParse(message);
      if (!parsed.success) {
        console.warn("SmartCert: dropped a malformed message from the sidebar.");
        return;
      }
      void this.#answer(port, parsed.data.id, parsed.data.call);
    });
    const { item, miss } = this.#deps.snapshot();
    port.postMessage({ type: "item", item, miss } satisfies ToSidebar);
    for (const queued of this.#queued.splice(0)) port.postMessage(queued);
  }

  async #answer(port: Runtime.Port, id: number, call: PaneCall): Promise<void> {
    try {
      const text = await this.#run(port, id, call);
      port.postMessage({ type: "result", id, ...text } satisfies ToSidebar);
    } catch (error) {
      const code: HostErrorCode = isHostError(error) ? error.code : error instanceof AttachmentUnavailableError ? "not-found" : "failed";
      const message = error instanceof Error ? error.message : "Gmail could not do that.";
      port.postMessage({ type: "error", id, code, message } satisfies ToSidebar);
    }
  }

  async #run(port: Runtime.Port, id: number, call: PaneCall): Promise<{ text?: string; contentType?: string }> {
    const snapshot = this.#deps.snapshot();
    const item = snapshot.item;
    if (!item) throw new HostError("no-item", "No email is open in Gmail.");
    switch (call.method) {
      case "getBodyText": {
        if (item.key !== call.itemKey) throw new HostError("item-not-current", "That email is no longer open.");
        const body = snapshot.bodyElement;
        return { text: body instanceof HTMLElement ? body.innerText : (body?.textContent ?? "") };
      }
      case "getAttachment": {
        if (item.key !== call.itemKey) throw new HostError("item-not-current", "That email is no longer open.");
        const info = item.attachments.find((a) => a.id === call.attachmentId);
        const source = snapshot.attachmentSources.get(call.attachmentId);
        if (!info || !source) throw new HostError("not-found", "That attachment is not on the open email.");
        await streamAttachment(source, (bytes) => {
          port.postMessage({ type: "chunk", id, base64: toBase64(bytes) } satisfies ToSidebar);
        });
        return { contentType: info.contentType };
      }
      case "insertIntoCompose": {
        if (item.kind !== "compose" || !snapshot.bodyElement) throw new HostError("wrong-item-kind", "Open a draft or reply to insert into.");
        insertAtCursor(snapshot.bodyElement, call.nodes, this.#deps.savedRange());
        return {};
      }
      case "openReply": {
        if (item.kind !== "read") throw new HostError("wrong-item-kind", "Open an email to reply to.");
        const message = snapshot.bodyElement?.closest("[data-message-id], [data-legacy-message-id]") ?? null;
        const body = await openGmailReply(message, call.replyAll);
        insertAtCursor(body, call.nodes, null);
        return {};
      }
    }
  }
}
