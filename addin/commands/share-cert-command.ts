import { oneClickShare } from "../../shared/actions/one-click-share";
import type { ApiClient } from "../../shared/api/client";
import type { Host } from "../../shared/host/host";
import { describeError } from "./describe-error";
import { catalogs, resolveLocale } from "../../shared/pane/strings";
import { commandStrings } from "./strings";

/**
 * The "Share cert" ribbon command without the pane: run the shared one-click share on the current
 * message and say how it went in a notification on the item. Anything the action cannot decide
 * alone ("needs the pane") goes to `showNeedsPane`, which offers to open the pane where Outlook can.
 */
export type ShareCertOutcome = "shared" | "needs-pane" | "signed-out" | "failed";

export interface ShareCertCommandOptions {
  readonly host: Host;
  readonly api: ApiClient;
  /** Outlook's display language (BCP 47). */
  readonly locale: string | undefined;
  /** Tells the user to open the pane, opening it where the host allows. */
  readonly showNeedsPane: (message: string) => Promise<void>;
}

export async function runShareCert({ host, api, locale, showNeedsPane }: ShareCertCommandOptions): Promise<ShareCertOutcome> {
  const strings = commandStrings(locale);
  try {
    if ((await host.auth.getAccessToken()) === null) {
      await showNeedsPane(strings.signInFirst);
      return "signed-out";
    }
    const result = await oneClickShare({ host, api, strings: catalogs[resolveLocale(locale)] });
    if (result.status === "needs-pane") {
      await showNeedsPane(result.summary);
      return "needs-pane";
    }
    await host.notify({ kind: "success", message: result.summary });
    return "shared";
  } catch (error) {
    // Reporting must not throw past the caller, which still has to call event.completed().
    await host.notify({ kind: "error", message: strings.failed(describeError(error)) }).catch(() => undefined);
    return "failed";
  }
}

/**
 * Runs a command handler and always tells Outlook it finished: without `event.completed()` Outlook
 * shows the command as running until it times out, also after an error.
 */
export async function completing(event: Pick<Office.AddinCommands.Event, "completed">, handler: () => Promise<unknown>): Promise<void> {
  try {
    await handler();
  } finally {
    event.completed();
  }
}
