import { Body1, Button, Caption1, Link, MessageBar, MessageBarBody, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import type { MailboxConnection, MailboxProvider } from "../../protocol/sync";
import { ProblemMessage } from "../ProblemMessage";
import type { MailboxSyncStrings } from "./mailbox-sync-strings";
import type { MailboxConnect } from "./use-mailbox-connect";

/**
 * The connect part of Settings → Mailbox sync: a "Connect …" button for each provider the server
 * offers and the user has no connection with, and while a flow runs, "Waiting for …" with Cancel
 * and the consent page as a link (the only way there on a host that cannot open a browser window,
 * and a way back if the user closed the window). A needs-user connection's "Connect again" button
 * sits on its row (MailboxSyncSection) and drives the same flow.
 */
const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  buttons: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  waiting: { display: "flex", flexDirection: "column", alignItems: "flex-start", gap: tokens.spacingVerticalXS },
});

export function ConnectMailbox(props: {
  readonly connect: MailboxConnect;
  /** Undefined until the server's config is in. */
  readonly enabled: readonly MailboxProvider[] | undefined;
  readonly connections: readonly MailboxConnection[];
  readonly strings: MailboxSyncStrings;
}) {
  const { connect, enabled, connections, strings } = props;
  const styles = useStyles();
  const { phase } = connect;
  const name = (provider: MailboxProvider) => strings.provider[provider];

  if (phase.kind === "starting") return <Spinner size="tiny" label={strings.starting} labelPosition="after" />;
  if (phase.kind === "waiting") {
    return (
      <div className={styles.waiting} role="status" data-testid="mailbox-connect-waiting">
        <Spinner size="tiny" label={strings.waiting(name(phase.provider))} labelPosition="after" />
        <Caption1>{strings.waitingHint}</Caption1>
        <Link href={phase.authorizeUrl} target="_blank" rel="noopener noreferrer">
          {phase.opened ? strings.openAgain : strings.openLink(name(phase.provider))}
        </Link>
        <Button size="small" onClick={() => { connect.cancel(); }}>
          {strings.cancel}
        </Button>
      </div>
    );
  }

  const unconnected = (enabled ?? []).filter((provider) => !connections.some((c) => c.provider === provider));
  return (
    <div className={styles.root}>
      {phase.kind === "connected" ? (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>{strings.connected(name(phase.provider))}</MessageBarBody>
        </MessageBar>
      ) : null}
      {phase.kind === "timed-out" ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{strings.timedOut(name(phase.provider))}</MessageBarBody>
        </MessageBar>
      ) : null}
      {phase.kind === "failed" ? <ProblemMessage error={phase.error} /> : null}
      {unconnected.length > 0 ? (
        <div className={styles.buttons}>
          {unconnected.map((provider) => (
            <Button key={provider} appearance="primary" size="small" onClick={() => { connect.start(provider); }}>
              {strings.connect(name(provider))}
            </Button>
          ))}
        </div>
      ) : null}
      {enabled?.length === 0 && connections.length === 0 ? <Body1>{strings.unavailable}</Body1> : null}
    </div>
  );
}
