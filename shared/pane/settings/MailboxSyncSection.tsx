import { Badge, Body1, Button, Caption1, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MailboxConnection } from "../../protocol/sync";
import { useApi } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { queryKeys } from "../query-keys";
import { ConnectMailbox } from "./ConnectMailbox";
import { useFeatureLocale, type FeatureLocale } from "./locale";
import { useMailboxSyncStrings, type MailboxSyncStrings } from "./mailbox-sync-strings";
import { mailboxesQueryKey, useMailboxConnect, type MailboxConnect } from "./use-mailbox-connect";

/**
 * Settings → Mailbox sync: the user's connected mailboxes with their state, last sync and the
 * records that failed in the last 14 days (ids and error names only — the server keeps nothing
 * else), with Sync now and Disconnect; and connecting one (ConnectMailbox, use-mailbox-connect.ts)
 * for each provider the server offers (`mailboxProviders` in the public config).
 */
export { mailboxesQueryKey };

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
  const strings = useMailboxSyncStrings();
  const styles = useStyles();
  const api = useApi();
  const connect = useMailboxConnect();
  const mailboxes = useQuery({ queryKey: mailboxesQueryKey, queryFn: ({ signal }) => api.listMailboxConnections({ signal }) });
  const config = useQuery({ queryKey: queryKeys.clientConfig, queryFn: ({ signal }) => api.getClientConfig({ signal }), staleTime: Infinity });
  // A server without the field offers no provider; without the config (loading, failed), say nothing.
  const enabled = config.data ? (config.data.mailboxProviders ?? []) : undefined;
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
  } else {
    const items = mailboxes.data.items;
    body = (
      <>
        {items.length === 0 ? (
          <Body1>{strings.empty}</Body1>
        ) : (
          <ul className={styles.list} data-testid="settings-mailbox-list">
            {items.map((c) => (
              <MailboxRow key={c.id} connection={c} strings={strings} locale={locale} connect={connect} canConnect={enabled?.includes(c.provider) ?? false} />
            ))}
          </ul>
        )}
        <ConnectMailbox connect={connect} enabled={enabled} connections={items} strings={strings} />
      </>
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

function MailboxRow(props: {
  readonly connection: MailboxConnection;
  readonly strings: MailboxSyncStrings;
  readonly locale: FeatureLocale;
  readonly connect: MailboxConnect;
  /** The server still offers this provider, so a needs-user connection can be renewed. */
  readonly canConnect: boolean;
}) {
  const { connection, strings, locale, connect, canConnect } = props;
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
        {connection.status === "needs-user" && canConnect ? (
          <Button size="small" appearance="primary" aria-label={strings.connectAgainFor(provider)} disabled={connect.busy} onClick={() => { connect.start(connection.provider); }}>
            {strings.connectAgain}
          </Button>
        ) : null}
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
