import { FluentProvider, MessageBar, MessageBarBody, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { useEffect, useState, useSyncExternalStore } from "react";
import { oneClickShare } from "../../shared/actions/one-click-share";
import type { ApiClient } from "../../shared/api/client";
import { App } from "../../shared/pane/App";
import { catalogs, resolveLocale } from "../../shared/pane/strings";
import type { PortHost } from "./port-host";
import { sidebarStrings } from "./strings";

type Status = { readonly intent: "info" | "success" | "error"; readonly text: string } | null;

/**
 * The sidebar: the shared pane, plus what only the Gmail adapter knows — a plain message when the
 * view cannot be read, and the outcome of the "Share cert" toolbar button (shown here, not in
 * Gmail's page, because it carries API data).
 */
export function SidebarApp({ host, api }: { readonly host: PortHost; readonly api: ApiClient }) {
  const strings = sidebarStrings(host.locale);
  const miss = useSyncExternalStore((onChange) => host.onMissChanged(onChange), () => host.miss);
  const [status, setStatus] = useState<Status>(null);

  useEffect(
    () =>
      host.onCommand((command) => {
        if (command !== "share-cert") return;
        setStatus({ intent: "info", text: strings.sharing });
        oneClickShare({ host, api, strings: catalogs[resolveLocale(host.locale)] }).then(
          (result) => {
            setStatus({ intent: result.status === "shared" ? "success" : "info", text: result.summary });
          },
          (error: unknown) => {
            setStatus({ intent: "error", text: strings.shareFailed(error instanceof Error ? error.message : String(error)) });
          },
        );
      }),
    [host, api, strings],
  );

  return (
    <FluentProvider theme={host.theme === "dark" ? webDarkTheme : webLightTheme}>
      {miss !== null && (
        <MessageBar intent="warning" data-testid="gmail-view-miss">
          <MessageBarBody>{strings.cannotRead}</MessageBarBody>
        </MessageBar>
      )}
      {status && (
        <MessageBar intent={status.intent} data-testid="gmail-command-status" aria-live="polite">
          <MessageBarBody>{status.text}</MessageBarBody>
        </MessageBar>
      )}
      <App host={host} api={api} />
    </FluentProvider>
  );
}
