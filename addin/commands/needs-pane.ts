import { NOTIFICATION_ICON_ID, NOTIFICATION_KEY, NOTIFICATION_MAX_CHARS } from "../office-host";
import { officeEnums } from "../office/enums";
import { officeCall } from "../office/office-call";

/** The read-surface button that opens the pane (manifest.xml); the insight action opens it. */
export const PANE_COMMAND_ID = "smartcertReadPaneButton";

export interface NeedsPaneOptions {
  readonly item: Pick<Office.MessageRead, "notificationMessages"> | null;
  /** Mailbox 1.10: an InsightMessage can carry a "show task pane" action. */
  readonly insightNotifications: boolean;
  /** `Office.addin.showAsTaskpane`, where the host supports it (SharedRuntime 1.1); otherwise undefined. */
  readonly showAsTaskpane?: () => Promise<void>;
  readonly actionText: string;
}

/**
 * Tells the user the pane is needed. Where Outlook supports it the notification itself has an
 * "Open SmartCert" action (InsightMessage, Mailbox 1.10) and, with a shared runtime, the pane is
 * opened right away; elsewhere it is an informational message saying what to do.
 */
export async function showNeedsPane(message: string, options: NeedsPaneOptions): Promise<void> {
  const { item } = options;
  if (item === null) return;
  const text = message.length <= NOTIFICATION_MAX_CHARS ? message : `${message.slice(0, NOTIFICATION_MAX_CHARS - 1)}…`;
  const details: Office.NotificationMessageDetails = options.insightNotifications
    ? {
        type: officeEnums.insightMessage,
        message: text,
        icon: NOTIFICATION_ICON_ID,
        actions: [{ actionType: officeEnums.showTaskPane, actionText: options.actionText, commandId: PANE_COMMAND_ID, contextData: "{}" }],
      }
    : { type: officeEnums.informationalMessage, message: text, icon: NOTIFICATION_ICON_ID, persistent: false };
  await officeCall("show a notification", (callback) => { item.notificationMessages.replaceAsync(NOTIFICATION_KEY, details, callback); });
  if (options.showAsTaskpane) await options.showAsTaskpane().catch(() => undefined); // the notification already said it
}
