import { Badge, Body1, Button, Caption1, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MailboxConnection } from "../../protocol/sync";
import { useApi } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { useFeatureLocale, type FeatureLocale } from "./locale";

/**
 * Settings → Mailbox sync: the user's connected mailboxes with their state, last sync and the
 * records that failed in the last 14 days (ids and error names only — the server keeps nothing
 * else), with Sync now and Disconnect. Connecting needs the provider's sign-in in the pane, which is
 * not built yet (docs/SYNC.md): the section says how to connect instead of offering a dead button.
 */
export const mailboxesQueryKey = ["mailboxes"] as const;

interface MailboxSyncStrings {
  heading: string;
  loading: string;
  empty: string;
  provider: Record<MailboxConnection["provider"], string>;
  status: Record<MailboxConnection["status"], string>;
  lastSync: string;
  never: string;
  lastError: string;
  failures: string;
  syncNow: string;
  queued: string;
  disconnect: string;
  disconnectFor: (provider: string) => string;
  syncFor: (provider: string) => string;
}

const catalogs: Record<FeatureLocale, MailboxSyncStrings> = {
  en: {
    heading: "Mailbox sync",
    loading: "Loading mailboxes…",
    empty: "No mailbox is connected. A connected mailbox files the SmartCert links you receive automatically.",
    provider: { graph: "Microsoft 365", gmail: "Gmail" },
    status: { active: "Connected", "needs-user": "Needs you: connect again" },
    lastSync: "Last sync",
    never: "not yet",
    lastError: "Last error",
    failures: "Messages that failed (last 14 days)",
    syncNow: "Sync now",
    queued: "Sync started",
    disconnect: "Disconnect",
    disconnectFor: (provider) => `Disconnect ${provider}`,
    syncFor: (provider) => `Sync ${provider} now`,
  },
  sv: {
    heading: "Synkning av brevlåda",
    loading: "Hämtar brevlådor…",
    empty: "Ingen brevlåda är ansluten. En ansluten brevlåda arkiverar mottagna SmartCert-länkar automatiskt.",
    provider: { graph: "Microsoft 365", gmail: "Gmail" },
    status: { active: "Ansluten", "needs-user": "Behöver dig: anslut igen" },
    lastSync: "Senaste synkning",
    never: "inte än",
    lastError: "Senaste fel",
    failures: "Meddelanden som misslyckades (senaste 14 dagarna)",
    syncNow: "Synka nu",
    queued: "Synkning startad",
    disconnect: "Koppla från",
    disconnectFor: (provider) => `Koppla från ${provider}`,
    syncFor: (provider) => `Synka ${provider} nu`,
  },
};

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  list: { margin: 0, padding: 0, listStyle: "none", display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  row: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
  failures: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

export function MailboxSyncSection() {
  const locale = useFeatureLocale();
  const strings = catalogs[locale];
  const styles = useStyles();
  const api = useApi();
  const mailboxes = useQuery({ queryKey: mailboxesQueryKey, queryFn: ({ signal }) => api.listMailboxConnections({ signal }) });
  let body;
  if (mailboxes.isPending) body = <Spinner size="tiny" label={strings.loading} />;
  else if (mailboxes.isError) {
    body = (
      <ProblemMessage
        error={mailboxes.error}
        busy={mailboxes.isFetching}
        onRetry={() => {
          void mailboxes.refetch();
        }}
      />
    );
  } else if (mailboxes.data.items.length === 0) body = <Body1>{strings.empty}</Body1>;
  else {
    body = (
      <ul className={styles.list} data-testid="settings-mailbox-list">
        {mailboxes.data.items.map((c) => (
          <MailboxRow key={c.id} connection={c} strings={strings} locale={locale} />
        ))}
      </ul>
    );
  }
  return (
    <section className={styles.root} aria-labelledby="settings-mailbox-heading" data-testid="settings-mailboxes">
      <Subtitle2 as="h3" id="settings-mailbox-heading" className={styles.heading}>
        {strings.heading}
      </Subtitle2>
      {body}
    </section>
  );
}

function MailboxRow({ connection, strings, locale }: { readonly connection: MailboxConnection; readonly strings: MailboxSyncStrings; readonly locale: FeatureLocale }) {
  const styles = useStyles();
  const api = useApi();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: mailboxesQueryKey });
  const sync = useMutation({ mutationFn: () => api.syncMailbox(connection.id), onSuccess: refresh });
  const disconnect = useMutation({ mutationFn: () => api.disconnectMailbox(connection.id), onSuccess: refresh });
  const provider = strings.provider[connection.provider];
  const when = (iso: string) => new Date(iso).toLocaleString(locale === "sv" ? "sv-SE" : "en-GB");
  return (
    <li className={styles.row} aria-label={provider}>
      <Body1>
        {provider} <Badge appearance="tint" color={connection.status === "active" ? "success" : "warning"}>{strings.status[connection.status]}</Badge>
      </Body1>
      <Caption1>
        {strings.lastSync}: {connection.lastSyncAt ? when(connection.lastSyncAt) : strings.never}
      </Caption1>
      {connection.lastError ? (
        <Caption1>
          {strings.lastError}: {connection.lastError}
        </Caption1>
      ) : null}
      {connection.failures.length > 0 ? (
        <>
          <Caption1>{strings.failures}</Caption1>
          <ul className={styles.failures} aria-label={strings.failures}>
            {connection.failures.map((f) => (
              <li key={f.recordId}>
                <Caption1>
                  {f.errorName} — {when(f.failedAt)} ({f.recordId})
                </Caption1>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {sync.isError ? <ProblemMessage error={sync.error} /> : null}
      {disconnect.isError ? <ProblemMessage error={disconnect.error} /> : null}
      <div className={styles.actions}>
        <Button size="small" aria-label={strings.syncFor(provider)} disabled={sync.isPending || connection.status !== "active"} onClick={() => { sync.mutate(); }}>
          {sync.isSuccess ? strings.queued : strings.syncNow}
        </Button>
        <Button size="small" aria-label={strings.disconnectFor(provider)} disabled={disconnect.isPending} onClick={() => { disconnect.mutate(); }}>
          {strings.disconnect}
        </Button>
      </div>
    </li>
  );
}
