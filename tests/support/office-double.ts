import type { BrowserContext, Page } from "playwright-core";

/**
 * An Office.js test double for add-in pages in Chromium. Outlook cannot run here, so the test
 * routes Microsoft's CDN URL (https://appsforoffice.microsoft.com/lib/1/hosted/office.js) to this
 * script, which the pages load before their own code exactly as they load office.js. It is modelled
 * on the documented Office.js shapes: `Office.onReady`, `Office.context.mailbox.item` in read mode
 * (properties, `body.getAsync`, `getAttachmentContentAsync`, `displayReplyFormAsync`,
 * `notificationMessages.replaceAsync`) and compose mode (`subject/to/cc.getAsync`,
 * `body.setSelectedDataAsync`, `addFileAttachmentFromBase64Async`), `mailbox.addHandlerAsync`
 * (ItemChanged), `requirements.isSetSupported`, `ui.displayDialogAsync` / `messageParent` (a real
 * popup window) and `Office.actions.associate`. Callbacks get `AsyncResult` objects.
 *
 * It records every call in `window.__officeDouble.calls`; tests play item changes with
 * `selectItem` and press ribbon buttons with `invokeCommand`.
 */

export const OFFICE_JS_URL = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";

export interface DoubleAddress {
  readonly emailAddress: string;
  readonly displayName: string;
}

export interface DoubleReadItem {
  readonly kind: "read";
  readonly itemId: string;
  readonly internetMessageId: string;
  readonly conversationId: string;
  readonly subject: string;
  readonly from: DoubleAddress;
  readonly to: readonly DoubleAddress[];
  readonly cc: readonly DoubleAddress[];
  readonly dateTimeCreated: string;
  readonly body: string;
  readonly attachments: readonly { id: string; name: string; contentType: string; size: number; isInline: boolean; base64: string }[];
}

export interface DoubleComposeItem {
  readonly kind: "compose";
  readonly conversationId: string;
  readonly subject: string;
  readonly to: readonly DoubleAddress[];
  readonly cc: readonly DoubleAddress[];
}

export type DoubleItem = DoubleReadItem | DoubleComposeItem;

export interface OfficeDoubleConfig {
  readonly item: DoubleItem | null;
  /** Highest Mailbox requirement set this "Outlook" supports, e.g. "1.15". */
  readonly mailboxVersion: string;
  readonly displayLanguage: string;
  /** `Office.context.officeTheme.bodyBackgroundColor`; default white (a light theme). */
  readonly bodyBackgroundColor?: string;
}

export interface RecordedOfficeCall {
  readonly method: string;
  readonly args: unknown[];
}

/** What `window.__officeDouble` offers a test (through `page.evaluate`). */
export interface OfficeDoubleControl {
  readonly calls: RecordedOfficeCall[];
  selectItem(item: DoubleItem | null): void;
  /** Runs an associated ExecuteFunction command; resolves when it calls `event.completed()`. */
  invokeCommand(name: string): Promise<void>;
  deliverDialogMessage(message: string): void;
}

/** Installed in the page as the body of the routed office.js; must not reference anything outside itself. */
function installOfficeDouble(config: OfficeDoubleConfig): void {
  type Callback = (result: { status: string; value?: unknown; error?: { code: number; message: string } }) => void;
  const w = window as unknown as Record<string, unknown> & { opener: (Window & { __officeDouble?: { deliverDialogMessage(m: string): void } }) | null };
  const calls: { method: string; args: unknown[] }[] = [];
  const handlers: Record<string, () => void> = {};
  const commands: Record<string, (event: { completed: () => void }) => void> = {};
  const dialogHandlers: Record<string, (arg: unknown) => void> = {};
  let popup: Window | null = null;

  const succeed = (callback: unknown, value?: unknown) => {
    if (typeof callback === "function") setTimeout(() => { (callback as Callback)({ status: "succeeded", value }); }, 0);
  };
  const record = (method: string, args: unknown[]) => {
    calls.push({ method, args: JSON.parse(JSON.stringify(args.filter((a) => typeof a !== "function"))) as unknown[] });
  };
  const lastCallback = (args: unknown[]) => args.find((a) => typeof a === "function");

  const build = (item: DoubleItem | null): unknown => {
    if (item === null) return null;
    const notificationMessages = { replaceAsync: (...args: unknown[]) => { record("notificationMessages.replaceAsync", args); succeed(lastCallback(args)); } };
    if (item.kind === "read") {
      return {
        itemType: "message",
        itemId: item.itemId,
        internetMessageId: item.internetMessageId,
        conversationId: item.conversationId,
        subject: item.subject,
        from: { ...item.from, recipientType: "externalUser" },
        to: item.to.map((a) => ({ ...a, recipientType: "user" })),
        cc: item.cc.map((a) => ({ ...a, recipientType: "user" })),
        dateTimeCreated: new Date(item.dateTimeCreated),
        attachments: item.attachments.map(({ base64: _content, ...details }) => ({ ...details, attachmentType: "file" })),
        body: { getAsync: (...args: unknown[]) => { record("body.getAsync", args); succeed(lastCallback(args), item.body); } },
        getAttachmentContentAsync: (...args: unknown[]) => {
          record("getAttachmentContentAsync", args);
          const found = item.attachments.find((a) => a.id === args[0]);
          succeed(lastCallback(args), { format: "base64", content: found?.base64 ?? "" });
        },
        displayReplyForm: (...args: unknown[]) => { record("displayReplyForm", args); },
        displayReplyAllForm: (...args: unknown[]) => { record("displayReplyAllForm", args); },
        displayReplyFormAsync: (...args: unknown[]) => { record("displayReplyFormAsync", args); succeed(lastCallback(args)); },
        displayReplyAllFormAsync: (...args: unknown[]) => { record("displayReplyAllFormAsync", args); succeed(lastCallback(args)); },
        notificationMessages,
      };
    }
    const getter = (name: string, value: unknown) => ({ getAsync: (...args: unknown[]) => { record(`${name}.getAsync`, args); succeed(lastCallback(args), value); } });
    return {
      itemType: "message",
      conversationId: item.conversationId,
      subject: getter("subject", item.subject),
      to: getter("to", item.to.map((a) => ({ ...a, recipientType: "user" }))),
      cc: getter("cc", item.cc.map((a) => ({ ...a, recipientType: "user" }))),
      getAttachmentsAsync: (...args: unknown[]) => { record("getAttachmentsAsync", args); succeed(lastCallback(args), []); },
      body: { setSelectedDataAsync: (...args: unknown[]) => { record("body.setSelectedDataAsync", args); succeed(lastCallback(args)); } },
      addFileAttachmentFromBase64Async: (...args: unknown[]) => { record("addFileAttachmentFromBase64Async", [String(args[0]).length, args[1]]); succeed(lastCallback(args), "att-new"); },
      notificationMessages,
    };
  };

  const versionAtMost = (version: string, max: string) => {
    const [a = 0, b = 0] = version.split(".").map(Number);
    const [c = 0, d = 0] = max.split(".").map(Number);
    return a < c || (a === c && b <= d);
  };

  const mailbox = {
    item: build(config.item),
    addHandlerAsync: (...args: unknown[]) => {
      record("mailbox.addHandlerAsync", args);
      handlers[String(args[0])] = args[1] as () => void;
      succeed(lastCallback(args.slice(2)));
    },
    removeHandlerAsync: (...args: unknown[]) => { record("mailbox.removeHandlerAsync", args); succeed(lastCallback(args)); },
  };

  const Office = {
    HostType: { Outlook: "Outlook" },
    onReady: (callback?: (info: unknown) => void) => {
      const info = { host: "Outlook", platform: "OfficeOnline" };
      callback?.(info);
      return Promise.resolve(info);
    },
    context: {
      mailbox,
      displayLanguage: config.displayLanguage,
      officeTheme: { bodyBackgroundColor: config.bodyBackgroundColor ?? "#ffffff" },
      requirements: { isSetSupported: (name: string, version: string) => name === "Mailbox" && versionAtMost(version, config.mailboxVersion) },
      // Stands in for roaming settings so a test can prove nothing is written there.
      roamingSettings: { set: (...args: unknown[]) => { record("roamingSettings.set", args); }, saveAsync: (...args: unknown[]) => { record("roamingSettings.saveAsync", args); } },
      ui: {
        displayDialogAsync: (...args: unknown[]) => {
          record("ui.displayDialogAsync", args);
          popup = window.open(String(args[0]), "_blank", "popup");
          const dialog = {
            addEventHandler: (type: string, handler: (arg: unknown) => void) => { dialogHandlers[type] = handler; },
            close: () => { record("dialog.close", []); popup?.close(); },
          };
          succeed(lastCallback(args), dialog);
        },
        messageParent: (message: string) => {
          record("ui.messageParent", []);
          w.opener?.__officeDouble?.deliverDialogMessage(message);
        },
      },
    },
    actions: { associate: (name: string, handler: (event: { completed: () => void }) => void) => { record("actions.associate", [name]); commands[name] = handler; } },
  };
  w.Office = Office;

  const control = {
    calls,
    selectItem: (item: DoubleItem | null) => {
      mailbox.item = build(item);
      handlers.olkItemSelectedChanged?.();
    },
    invokeCommand: (name: string) =>
      new Promise<void>((resolve, reject) => {
        // Classic Outlook calls the global of the FunctionName; newer ones use Office.actions.
        const handler = commands[name] ?? (w[name] as ((event: { completed: () => void }) => void) | undefined);
        if (!handler) { reject(new Error(`no command ${name}`)); return; }
        handler({ completed: () => { record("event.completed", [name]); resolve(); } });
      }),
    deliverDialogMessage: (message: string) => { dialogHandlers.dialogMessageReceived?.({ message, origin: window.location.origin }); },
  };
  w.__officeDouble = control;
}

/** The routed office.js body for this configuration. */
export function officeDoubleScript(config: OfficeDoubleConfig): string {
  return `(${installOfficeDouble.toString()})(${JSON.stringify(config)});`;
}

/**
 * Serves the double for every page of `context` in place of office.js. `config` is read on each
 * request, so a test can change the item or Outlook version before opening the next page.
 */
export async function routeOfficeJs(context: BrowserContext, config: () => OfficeDoubleConfig): Promise<void> {
  await context.route(OFFICE_JS_URL, (route) => route.fulfill({ contentType: "text/javascript", body: officeDoubleScript(config()) }));
}

export function officeCalls(page: Page): Promise<RecordedOfficeCall[]> {
  return page.evaluate(() => (window as unknown as { __officeDouble: OfficeDoubleControl }).__officeDouble.calls);
}
