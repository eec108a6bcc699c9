import { createContext, useContext, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/client";
import type { Host, MailItem } from "../host/host";
import { catalogs, defaultLocale, type Strings } from "./strings";

/**
 * What the pane gets from outside, through React context: the `Host` (the mailbox adapter), the
 * API client and the strings of the user's language. `App` provides all three; tests can provide
 * doubles built on the same interfaces.
 */

export const HostContext = createContext<Host | null>(null);
export const ApiContext = createContext<ApiClient | null>(null);
export const StringsContext = createContext<Strings>(catalogs[defaultLocale]);

export function useHost(): Host {
  const host = useContext(HostContext);
  if (host === null) throw new Error("useHost must be used inside <App> (no HostContext).");
  return host;
}

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (api === null) throw new Error("useApi must be used inside <App> (no ApiContext).");
  return api;
}

export function useStrings(): Strings {
  return useContext(StringsContext);
}

/** The host's current item, re-rendering when the user selects another one (or none). */
export function useCurrentItem(): MailItem | null {
  const host = useHost();
  return useSyncExternalStore(
    (onChange) => host.onItemChanged(onChange),
    () => host.getCurrentItem(),
  );
}
