/**
 * Office.js enum values the adapter uses, as documented string values. Using the values instead
 * of `Office.X.Y` lookups means the adapter's modules can load before office.js has (the enums are
 * plain strings at runtime) and tests can drive the adapter with a plain Office.js double.
 */
// The casts below are the point of this module: documented runtime values typed as Office's enums.
/* eslint-disable @typescript-eslint/no-unsafe-enum-assignment */
export const officeEnums = {
  succeeded: "succeeded" as unknown as Office.AsyncResultStatus,
  coercionText: "text" as Office.CoercionType,
  coercionHtml: "html" as Office.CoercionType,
  itemChanged: // Office.js declares EventType without values; these are the strings office.js uses at runtime.
  "olkItemSelectedChanged" as unknown as Office.EventType,
  informationalMessage: "informationalMessage" as Office.MailboxEnums.ItemNotificationMessageType,
  errorMessage: "errorMessage" as Office.MailboxEnums.ItemNotificationMessageType,
  insightMessage: "insightMessage" as Office.MailboxEnums.ItemNotificationMessageType,
  showTaskPane: "showTaskPane" as Office.MailboxEnums.ActionType,
  attachmentBase64: "base64" as Office.MailboxEnums.AttachmentType,
  dialogMessageReceived: "dialogMessageReceived" as unknown as Office.EventType,
  dialogEventReceived: "dialogEventReceived" as unknown as Office.EventType,
} as const;
/* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */

/** Attachment content formats (`Office.MailboxEnums.AttachmentContentFormat`). */
export const attachmentFormats = { base64: "base64", url: "url", eml: "eml", iCalendar: "iCalendar" } as const;
