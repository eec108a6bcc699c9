import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import { useStrings } from "./contexts";
import { describeError } from "./describe-error";

export interface ProblemMessageProps {
  readonly error: unknown;
  /** Offered as "Retry" when the failure may pass; omit to show no button. */
  readonly onRetry?: () => void;
  /** Offered as "Sign in again" when the session is the problem; omit to show no button. */
  readonly onSignIn?: () => void;
  /** Disables the action while it runs. */
  readonly busy?: boolean;
}

/** A failure shown as the Problem's title plus, when given, one way forward (Retry or Sign in again). */
export function ProblemMessage({ error, onRetry, onSignIn, busy = false }: ProblemMessageProps) {
  const strings = useStrings();
  const view = describeError(error, strings);
  let action = null;
  if (view.action === "sign-in" && onSignIn) {
    action = (
      <Button appearance="primary" onClick={onSignIn} disabled={busy}>
        {strings.errors.signInAgain}
      </Button>
    );
  } else if (view.action === "retry" && onRetry) {
    action = (
      <Button onClick={onRetry} disabled={busy}>
        {strings.errors.retry}
      </Button>
    );
  }
  return (
    <MessageBar intent="error" layout="multiline" role="alert" data-testid="pane-error">
      <MessageBarBody>
        <MessageBarTitle>{view.title}</MessageBarTitle>
        {view.detail}
      </MessageBarBody>
      {action ? <MessageBarActions>{action}</MessageBarActions> : null}
    </MessageBar>
  );
}
