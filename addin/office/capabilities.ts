import type { HostCapabilities, HostTheme } from "../../shared/host/host";

/**
 * What this Outlook can do, feature-detected once at start-up with `isSetSupported`. The manifest
 * asks only for Mailbox 1.5 so the add-in shows up everywhere; everything newer is detected here
 * and the pane hides what is missing. Requirement sets per API are from the Office.js reference.
 */
export interface OutlookFeatures {
  /** Mailbox 1.5: ItemChanged for the pinned pane. */
  readonly itemChanged: boolean;
  /** Mailbox 1.8: getAttachmentContentAsync, getAttachmentsAsync, addFileAttachmentFromBase64Async. */
  readonly attachments: boolean;
  /** Mailbox 1.9: displayReplyFormAsync. */
  readonly replyFormAsync: boolean;
  /** Mailbox 1.10: InsightMessage notifications with a "show task pane" action. */
  readonly insightNotifications: boolean;
  /** Mailbox 1.15: base64 attachments in reply forms. */
  readonly base64ReplyAttachments: boolean;
  /**
   * OpenBrowserWindowApi 1.1: `Office.context.ui.openBrowserWindow` (classic Outlook on Windows and
   * Outlook on Mac; not Outlook on the web or the new Outlook, where the pane shows a link instead).
   */
  readonly openBrowserWindow: boolean;
}

export type RequirementCheck = Pick<Office.RequirementSetSupport, "isSetSupported">;

export function detectOutlookFeatures(requirements: RequirementCheck): OutlookFeatures {
  const mailbox = (version: string) => requirements.isSetSupported("Mailbox", version);
  return {
    itemChanged: mailbox("1.5"),
    attachments: mailbox("1.8"),
    replyFormAsync: mailbox("1.9"),
    insightNotifications: mailbox("1.10"),
    base64ReplyAttachments: mailbox("1.15"),
    openBrowserWindow: requirements.isSetSupported("OpenBrowserWindowApi", "1.1"),
  };
}

export function outlookCapabilities(features: OutlookFeatures): HostCapabilities {
  return {
    hostName: "outlook",
    itemChangedEvents: features.itemChanged,
    bodyText: true, // body.getAsync, Mailbox 1.3 (below the manifest's minimum)
    attachmentContent: features.attachments,
    insertIntoCompose: true, // body.setSelectedDataAsync, Mailbox 1.2
    openReply: true, // displayReplyForm, Mailbox 1.1
    attachToCompose: features.attachments,
    notifications: true, // notificationMessages, Mailbox 1.3
  };
}

/**
 * Office's theme as light/dark. `officeTheme` is not available in every Outlook; without it the
 * pane stays light. Dark when the body background is dark (relative luminance below one half).
 */
export function themeFromOffice(officeTheme: Pick<Office.OfficeTheme, "bodyBackgroundColor"> | undefined): HostTheme | undefined {
  const hex = /^#?([0-9a-f]{6})$/iu.exec(officeTheme?.bodyBackgroundColor ?? "")?.[1];
  if (hex === undefined) return undefined;
  const [r, g, b] = [0, 2, 4].map((offset) => Number.parseInt(hex.slice(offset, offset + 2), 16) / 255) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance < 0.5 ? "dark" : "light";
}
