import { createApiClient } from "../../shared/api/client";
import { createOutlookAuth } from "../auth/outlook-auth";
import { completing, runShareCert } from "../commands/share-cert-command";
import { describeError } from "../commands/describe-error";
import { showNeedsPane } from "../commands/needs-pane";
import { commandStrings } from "../commands/strings";
import { NOTIFICATION_KEY, OfficeHost } from "../office-host";
import { officeEnums } from "../office/enums";
import { API_BASE, outlookReady } from "./office-ready";

/**
 * The function file behind the ribbon's ExecuteFunction buttons. "Share cert" runs the shared
 * one-click share on the selected message; `event.completed()` is always called.
 */
async function shareCert(office: typeof Office): Promise<void> {
  const locale = office.context.displayLanguage;
  const strings = commandStrings(locale);
  const item = office.context.mailbox.item as Office.MessageRead | null;
  try {
    const config = await createApiClient({ baseUrl: API_BASE, getToken: () => Promise.resolve(null) }).getClientConfig();
    const auth = await createOutlookAuth(config, office);
    // A new host per click: the function file may outlive the item it was first opened on.
    const host = await OfficeHost.create({ office, auth, followSelection: false });
    const api = createApiClient({ baseUrl: API_BASE, getToken: () => auth.getAccessToken() });
    const showAsTaskpane = office.context.requirements.isSetSupported("SharedRuntime", "1.1") ? () => Office.addin.showAsTaskpane() : undefined;
    await runShareCert({
      host,
      api,
      locale,
      showNeedsPane: (message) =>
        showNeedsPane(message, { item, insightNotifications: host.features.insightNotifications, actionText: strings.openPane, ...(showAsTaskpane ? { showAsTaskpane } : {}) }),
    });
  } catch (error) {
    // Setting up failed (no network, no config): still tell the user on the item.
    item?.notificationMessages.replaceAsync(NOTIFICATION_KEY, { type: officeEnums.errorMessage, message: strings.failed(describeError(error)).slice(0, 150) });
  }
}

const ready = outlookReady();

function onShareCert(event: Office.AddinCommands.Event): void {
  void completing(event, async () => shareCert(await ready));
}

// New Outlook and Outlook on the web look the function up through Office.actions; classic
// Outlook on Windows and Mac call the global of the manifest's FunctionName.
(globalThis as unknown as Record<string, unknown>).shareCert = onShareCert;
ready
  .then((office) => {
    try {
      office.actions.associate("shareCert", onShareCert);
    } catch {
      // Outlooks without Office.actions call the global set above.
    }
  })
  .catch((error: unknown) => { console.error("SmartCert commands could not start:", describeError(error)); });
