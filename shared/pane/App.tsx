import { FluentProvider, webDarkTheme, webLightTheme, type Theme } from "@fluentui/react-components";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, useMemo, useState } from "react";
import type { ApiClient } from "../api/client";
import type { Host } from "../host/host";
import { ApiContext, HostContext, StringsContext } from "./contexts";
import { Pane } from "./Pane";
import { LocaleContext, resolveFeatureLocale } from "./settings/locale";
import { PaneStartContext, type PaneExtraViews, type PaneStartView } from "./start-view";
import { catalogs, resolveLocale } from "./strings";

export type { PaneExtraViewName, PaneExtraViewProps, PaneExtraViews, PaneStartView } from "./start-view";

/** The encrypted-message views (shared/secure), loaded only when first opened. */
const defaultExtraViews: PaneExtraViews = {
  "send-securely": lazy(() => import("../secure/SendSecurelyView")),
  "sent-securely": lazy(() => import("../secure/SentSecurelyView")),
};

export interface AppProps {
  /** The mailbox adapter (Outlook, Gmail, or FakeHost). */
  readonly host: Host;
  /** API client whose `getToken` asks `host.auth`. */
  readonly api: ApiClient;
  /** Overrides `host.locale` (BCP 47); unknown languages fall back to English. */
  readonly language?: string;
  /** Overrides the Fluent theme picked from `host.theme`. */
  readonly theme?: Theme;
  /** Tests pass their own to control caching and retries. */
  readonly queryClient?: QueryClient;
  /** Where the pane opens (default "context", the "This email" tab); see start-view.ts. Changing it re-opens there. */
  readonly startView?: PaneStartView;
  /** Views other features plug in (e.g. `{ "send-securely": lazy(() => import(…)) }`); see start-view.ts. */
  readonly extraViews?: PaneExtraViews;
}

/**
 * Query defaults: the API client already retries idempotent calls once on network/5xx failures,
 * so the query layer does not retry on top (a 4xx will not get better by asking again).
 */
export function createPaneQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, staleTime: 60_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/**
 * The task pane with everything it needs from outside: host, API client, and the host's language
 * and colour scheme (`host.locale`, `host.theme`, read on every render).
 */
export function App({ host, api, language, theme, queryClient, startView = "context", extraViews = defaultExtraViews }: AppProps) {
  const [ownQueryClient] = useState(createPaneQueryClient);
  const start = useMemo(() => ({ startView, extraViews }), [startView, extraViews]);
  const languageTag = language ?? host.locale;
  const locale = resolveLocale(languageTag);
  const fluentTheme = theme ?? (host.theme === "dark" ? webDarkTheme : webLightTheme);
  return (
    <FluentProvider theme={fluentTheme} lang={locale}>
      <QueryClientProvider client={queryClient ?? ownQueryClient}>
        <HostContext value={host}>
          <ApiContext value={api}>
            <StringsContext value={catalogs[locale]}>
              {/* The create and settings views keep their own catalogs (English and Swedish). */}
              <LocaleContext value={resolveFeatureLocale(languageTag)}>
                <PaneStartContext value={start}>
                  <Pane />
                </PaneStartContext>
              </LocaleContext>
            </StringsContext>
          </ApiContext>
        </HostContext>
      </QueryClientProvider>
    </FluentProvider>
  );
}
