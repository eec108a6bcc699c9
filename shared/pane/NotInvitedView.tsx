import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { HostAccount } from "../host/host";
import { useStrings } from "./contexts";
import { ProblemMessage } from "./ProblemMessage";
import { useSignOut, useSwitchAccount } from "./session";

/**
 * The signed-in identity is valid but no organization has invited it (403 `not-invited`).
 * Says who they are signed in as and offers another account or signing out.
 */
export function NotInvitedView({ account }: { readonly account: HostAccount | null }) {
  const strings = useStrings();
  const switchAccount = useSwitchAccount();
  const signOut = useSignOut();
  const who = account?.email ?? account?.name ?? strings.notInvited.thisAccount;
  const busy = switchAccount.isPending || switchAccount.data === "redirecting" || signOut.isPending;
  const tryAnother = () => {
    switchAccount.mutate();
  };
  const failure = switchAccount.error ?? signOut.error;
  return (
    <>
      <MessageBar intent="warning" layout="multiline" data-testid="not-invited">
        <MessageBarBody>
          <MessageBarTitle>{strings.notInvited.title}</MessageBarTitle>
          {strings.notInvited.message(who)}
        </MessageBarBody>
        <MessageBarActions>
          <Button appearance="primary" onClick={tryAnother} disabled={busy}>
            {strings.notInvited.useAnotherAccount}
          </Button>
          <Button
            onClick={() => {
              signOut.mutate();
            }}
            disabled={busy}
          >
            {strings.notInvited.signOut}
          </Button>
        </MessageBarActions>
      </MessageBar>
      {failure ? <ProblemMessage error={failure} /> : null}
    </>
  );
}
