import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ItemList } from "../../api/client";
import type { MailboxConnection, MailboxProvider } from "../../protocol/sync";
import { useApi, useHost } from "../contexts";

/**
 * Connecting a mailbox from the pane. The backend starts the provider's authorization-code flow and
 * answers the consent URL; the host opens it outside the pane (consent pages refuse to be framed),
 * or the pane shows it as a link. The provider then sends that browser window to the backend's
 * callback, which finishes the connection — the pane never sees a code or a token. So the pane just
 * waits: it polls the mailbox list every 2 s until the provider's connection is new or active again,
 * and gives up after 10 minutes (when the server forgets the authorization) or on Cancel.
 */
export const mailboxesQueryKey = ["mailboxes"] as const;
export const CONNECT_POLL_MS = 2000;
export const CONNECT_TIMEOUT_MS = 10 * 60 * 1000;

interface Baseline {
  readonly id: string;
  readonly status: MailboxConnection["status"];
}

export type ConnectPhase =
  | { readonly kind: "idle" }
  | { readonly kind: "starting"; readonly provider: MailboxProvider }
  | { readonly kind: "waiting"; readonly provider: MailboxProvider; readonly authorizeUrl: string; readonly opened: boolean; readonly baseline: Baseline | undefined }
  | { readonly kind: "connected"; readonly provider: MailboxProvider }
  | { readonly kind: "timed-out"; readonly provider: MailboxProvider }
  | { readonly kind: "failed"; readonly provider: MailboxProvider; readonly error: unknown };

export interface MailboxConnect {
  readonly phase: ConnectPhase;
  /** True from the click until the wait ends: no second flow meanwhile. */
  readonly busy: boolean;
  start(provider: MailboxProvider): void;
  cancel(): void;
}

/** Done when the provider's connection is active and is not the one that was there at the start. */
function connectedSince(provider: MailboxProvider, baseline: Baseline | undefined, items: readonly MailboxConnection[]): boolean {
  const now = items.find((c) => c.provider === provider);
  if (now?.status !== "active") return false;
  return baseline === undefined || baseline.id !== now.id || baseline.status !== "active";
}

export function useMailboxConnect(): MailboxConnect {
  const api = useApi();
  const host = useHost();
  const queryClient = useQueryClient();
  const [phase, setPhase] = useState<ConnectPhase>({ kind: "idle" });
  // Bumped on every start and cancel, so a late answer of an abandoned attempt changes nothing.
  const attempt = useRef(0);
  const waiting = phase.kind === "waiting";
  const mailboxes = useQuery({
    queryKey: mailboxesQueryKey,
    queryFn: ({ signal }) => api.listMailboxConnections({ signal }),
    refetchInterval: waiting ? CONNECT_POLL_MS : false,
  });

  useEffect(() => {
    if (phase.kind === "waiting" && mailboxes.data && connectedSince(phase.provider, phase.baseline, mailboxes.data.items)) {
      attempt.current++;
      setPhase({ kind: "connected", provider: phase.provider });
    }
  }, [phase, mailboxes.data]);

  useEffect(() => {
    if (phase.kind !== "waiting") return undefined;
    const timer = setTimeout(() => {
      attempt.current++;
      setPhase({ kind: "timed-out", provider: phase.provider });
    }, CONNECT_TIMEOUT_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [phase]);

  const start = useCallback(
    (provider: MailboxProvider) => {
      const mine = ++attempt.current;
      const current = queryClient.getQueryData<ItemList<MailboxConnection>>(mailboxesQueryKey)?.items.find((c) => c.provider === provider);
      const baseline = current ? { id: current.id, status: current.status } : undefined;
      setPhase({ kind: "starting", provider });
      void (async () => {
        try {
          const { authorizeUrl } = await api.beginMailboxAuthorization(provider);
          let opened = false;
          if (host.openInBrowser) {
            try {
              await host.openInBrowser(authorizeUrl);
              opened = true;
            } catch {
              // Refused or blocked: the link the waiting view shows is the way then.
            }
          }
          if (attempt.current === mine) setPhase({ kind: "waiting", provider, authorizeUrl, opened, baseline });
        } catch (error) {
          if (attempt.current === mine) setPhase({ kind: "failed", provider, error });
        }
      })();
    },
    [api, host, queryClient],
  );

  const cancel = useCallback(() => {
    attempt.current++;
    setPhase({ kind: "idle" });
  }, []);

  return { phase, busy: phase.kind === "starting" || waiting, start, cancel };
}
