import { Button, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { isApiError } from "../api/client";
import type { HostAccount } from "../host/host";
import { problemTypes } from "../protocol/problem";
import { useApi, useStrings } from "./contexts";
import { MeSummary } from "./MeSummary";
import { NotInvitedView } from "./NotInvitedView";
import { ProblemMessage } from "./ProblemMessage";
import { useSession, useSignIn, useSignOut } from "./session";
import { PaneShell } from "./shell/PaneShell";

const useStyles = makeStyles({
  account: { display: "flex", alignItems: "flex-start", justifyContent: "space-between", gap: tokens.spacingHorizontalS, flexWrap: "wrap" },
});

export const meQueryKey = ["me"] as const;

/** Signed in: who the user is in SmartCert (from GET /me) above the pane's tabs. */
export function SignedInView({ account }: { readonly account: HostAccount | null }) {
  const strings = useStrings();
  const styles = useStyles();
  const api = useApi();
  const session = useSession();
  const me = useQuery({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => api.getMe({ signal }),
    // Stops a refetch without a token in the moment between sign-out and this view unmounting.
    enabled: session.data?.status === "signed-in",
  });
  const signIn = useSignIn();
  const signOut = useSignOut();

  if (me.isPending) return <Spinner size="small" label={strings.me.loading} />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.type === problemTypes.notInvited) return <NotInvitedView account={account} />;
    return (
      <ProblemMessage
        error={me.error}
        busy={me.isFetching || signIn.isPending}
        onRetry={() => {
          void me.refetch();
        }}
        onSignIn={() => {
          signIn.mutate({ forceAccountChoice: false });
        }}
      />
    );
  }
  return (
    <PaneShell
      header={
        <div className={styles.account}>
          <MeSummary me={me.data} />
          <Button
            appearance="secondary"
            size="small"
            disabled={signOut.isPending}
            onClick={() => {
              signOut.mutate();
            }}
          >
            {strings.me.signOut}
          </Button>
        </div>
      }
    />
  );
}
