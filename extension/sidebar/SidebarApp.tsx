import { FluentProvider, MessageBar, MessageBarBody, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { PaneStartView } from "../../shared/pane/start-view";
import { oneClickShare } from "../../shared/actions/one-click-share";
import type { ApiClient } from "../../shared/api/client";
import { App, createPaneQueryClient } from "../../shared/pane/App";
import { catalogs, resolveLocale } from "../../shared/pane/strings";
import type { PortHost } from "./port-host";
import { sidebarStrings } from "./strings";

type Status = { readonly intent: "info" | "success" | "error"; readonly text: string } | null;

/**
 * The sidebar: the shared pane, plus what only the Gmail adapter knows — a plain message when the
 * view cannot be read, the outcome of the "Share cert" toolbar button (shown here, not in
 * Gmail's page, because it carries API data), and the compose buttons' start views ("Insert cert"
 * opens the certs in insert mode, "Send securely" the secure-message view).
 */
export function SidebarApp({ host, api }: { readonly host: PortHost; readonly api: ApiClient }) {
  const strings = sidebarStrings(host.locale);
  const miss = useSyncExternalStore((onChange) => host.onMissChanged(onChange), () => host.miss);
  const [status, setStatus] = useState<Status>(null);
  // A compose button re-opens the pane at its view; the count makes a second press re-open it too
  // (the query cache is kept, so nothing is fetched again).
  const [start, setStart] = useState<{ readonly view: PaneStartView; readonly count: number }>({ view: "context", count: 0 });
  const [queryClient] = useState(createPaneQueryClient);

  useEffect(
    () =>
      host.onCommand((command) => {
        if (command !== "share-cert") {
          setStart((previous) => ({ view: command, count: previous.count + 1 }));
          return;
        }
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
      <App key={start.count} host={host} api={api} queryClient={queryClient} startView={start.view} />
    </FluentProvider>
  );
}
