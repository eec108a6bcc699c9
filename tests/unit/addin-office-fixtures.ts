import { OfficeMockObject } from "office-addin-mock";
import type { OfficeLike } from "../../addin/office-host";

/**
 * Outlook items for the adapter's unit tests, shaped like Office.js documents them
 * (MessageRead properties; MessageCompose `getAsync` objects; AsyncResult callbacks), wrapped in
 * office-addin-mock's OfficeMockObject for the Outlook host. Every async call is recorded.
 */

export interface RecordedCall {
  readonly method: string;
  readonly args: readonly unknown[];
}

type Callback<T> = (result: { status: string; value?: T; error?: { message: string; code: number } }) => void;

/** Calls complete on the next tick unless `deferred` holds them for the test to release. */
export interface CallControl {
  readonly calls: RecordedCall[];
  deferred: boolean;
  readonly pending: (() => void)[];
  /** Makes the next call of this method fail with this message. */
  failNext: Map<string, string>;
}

export function createCallControl(): CallControl {
  return { calls: [], deferred: false, pending: [], failNext: new Map() };
}

function asyncMethod(control: CallControl, method: string, value: (...args: unknown[]) => unknown) {
  return (...args: unknown[]) => {
    const callback = args.at(-1) as Callback<unknown> | undefined;
    control.calls.push({ method, args: args.slice(0, -1) });
    const complete = () => {
      const failure = control.failNext.get(method);
      if (failure !== undefined) {
        control.failNext.delete(method);
        callback?.({ status: "failed", error: { message: failure, code: 9000 } });
        return;
      }
      callback?.({ status: "succeeded", value: value(...args) });
    };
    if (control.deferred) control.pending.push(complete);
    else queueMicrotask(complete);
  };
}

export const pdfBytes = new TextEncoder().encode("%PDF-1.4 tiny");

export function readMessage(control: CallControl, overrides: { itemId?: string; subject?: string; body?: string } = {}) {
  const itemId = overrides.itemId ?? "AAMkAGI2TG93AAA=";
  return {
    itemType: "message",
    itemId,
    internetMessageId: `<${itemId}@mail.example>`,
    conversationId: "AAQkAGI2conv=",
    subject: overrides.subject ?? "PO 4500012345 certificates",
    dateTimeCreated: new Date("2026-11-20T09:15:00.000Z"),
    from: { emailAddress: "sam@supplier.example", displayName: "Sam Supplier", recipientType: "externalUser" },
    to: [{ emailAddress: "ada.admin@demo-metals.example", displayName: "Ada Admin", recipientType: "user" }],
    cc: [{ emailAddress: "qa@demo-metals.example", displayName: "qa@demo-metals.example", recipientType: "user" }],
    attachments: [
      { id: "att-1", name: "cert.pdf", contentType: "application/pdf", size: pdfBytes.length, isInline: false, attachmentType: "file" },
      { id: "att-2", name: "drawing (OneDrive)", contentType: "application/octet-stream", size: 10, isInline: false, attachmentType: "cloud" },
    ],
    body: { getAsync: asyncMethod(control, "body.getAsync", () => overrides.body ?? "Please send the certs for heat H-7781.") },
    getAttachmentContentAsync: asyncMethod(control, "getAttachmentContentAsync", (id) =>
      id === "att-1" ? { format: "base64", content: btoa(String.fromCharCode(...pdfBytes)) } : { format: "url", content: "https://onedrive.example/x" },
    ),
    displayReplyForm: (data: unknown) => { control.calls.push({ method: "displayReplyForm", args: [data] }); },
    displayReplyAllForm: (data: unknown) => { control.calls.push({ method: "displayReplyAllForm", args: [data] }); },
    displayReplyFormAsync: asyncMethod(control, "displayReplyFormAsync", () => undefined),
    displayReplyAllFormAsync: asyncMethod(control, "displayReplyAllFormAsync", () => undefined),
    notificationMessages: { replaceAsync: asyncMethod(control, "notificationMessages.replaceAsync", () => undefined) },
  };
}

export function composeMessage(control: CallControl) {
  return {
    itemType: "message",
    conversationId: "AAQkAGI2conv=",
    subject: { getAsync: asyncMethod(control, "subject.getAsync", () => "RE: PO 4500012345 certificates") },
    to: { getAsync: asyncMethod(control, "to.getAsync", () => [{ emailAddress: "sam@supplier.example", displayName: "Sam Supplier", recipientType: "externalUser" }]) },
    cc: { getAsync: asyncMethod(control, "cc.getAsync", () => []) },
    getAttachmentsAsync: asyncMethod(control, "getAttachmentsAsync", () => []),
    body: { setSelectedDataAsync: asyncMethod(control, "body.setSelectedDataAsync", () => undefined) },
    addFileAttachmentFromBase64Async: asyncMethod(control, "addFileAttachmentFromBase64Async", () => "att-new"),
    notificationMessages: { replaceAsync: asyncMethod(control, "notificationMessages.replaceAsync", () => undefined) },
  };
}

export interface OutlookMock {
  readonly office: OfficeLike;
  readonly control: CallControl;
  /** Replaces the current item (null for none) and fires the registered ItemChanged handler, as Outlook does. */
  select(item: object | null): void;
}

export function outlookMock(options: {
  item: (control: CallControl) => object | null;
  mailboxVersion?: string;
  displayLanguage?: string;
  bodyBackgroundColor?: string;
  /** Outlook refuses the ItemChanged handler (as hosts without a pinnable pane may). */
  refuseItemChanged?: boolean;
}): OutlookMock {
  const control = createCallControl();
  const supported = options.mailboxVersion ?? "1.15";
  const handlers = new Map<string, () => void>();
  // office-addin-mock types its input as a class and its host as an enum from office-addin-manifest
  // (a transitive dependency); both take plain values at runtime, as its README shows.
  /* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment, @typescript-eslint/no-unsafe-enum-assignment */
  const mock = new OfficeMockObject(
    {
      context: {
        displayLanguage: options.displayLanguage ?? "sv-SE",
        officeTheme: { bodyBackgroundColor: options.bodyBackgroundColor ?? "#ffffff" },
        requirements: {
          isSetSupported: (name: string, version: string) => name === "Mailbox" && compareVersions(version, supported) <= 0,
        },
        mailbox: {
          addHandlerAsync: (type: string, handler: () => void, callback?: Callback<undefined>) => {
            control.calls.push({ method: "mailbox.addHandlerAsync", args: [type] });
            if (options.refuseItemChanged === true) {
              queueMicrotask(() => callback?.({ status: "failed", error: { message: "The event type is not supported.", code: 5001 } }));
              return;
            }
            handlers.set(type, handler);
            queueMicrotask(() => callback?.({ status: "succeeded" }));
          },
          removeHandlerAsync: () => undefined,
        },
      },
    },
    "outlook" as ConstructorParameters<typeof OfficeMockObject>[1],
  ) as unknown as { context: { mailbox: { item: object | null } } };
  /* eslint-enable @typescript-eslint/no-unsafe-class-instance-assignment, @typescript-eslint/no-unsafe-enum-assignment */
  // A null item cannot go through OfficeMockObject's populate, so items are set afterwards.
  mock.context.mailbox.item = options.item(control);
  return {
    office: mock as unknown as OfficeLike,
    control,
    select(item) {
      mock.context.mailbox.item = item;
      handlers.get("olkItemSelectedChanged")?.();
    },
  };
}

function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split(".").map(Number);
  const [bMajor = 0, bMinor = 0] = b.split(".").map(Number);
  return aMajor !== bMajor ? aMajor - bMajor : aMinor - bMinor;
}

/** Waits until queued microtasks and the adapter's follow-up work have run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
