import { Body1, Button, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect } from "react";
import { useStrings } from "./contexts";
import { ProblemMessage } from "./ProblemMessage";
import { useSignIn } from "./session";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM, alignItems: "flex-start" },
  heading: { margin: 0 },
});

export interface SignedOutViewProps {
  /** Why the last sign-in did not complete, if it did not. */
  readonly error?: unknown;
}

/**
 * Shown when nobody is signed in: one button labelled exactly "Sign in" (people and tests look
 * for it). Errors are shown without a second sign-in button, so that label stays unique.
 */
export function SignedOutView({ error }: SignedOutViewProps) {
  const strings = useStrings();
  const styles = useStyles();
  const signIn = useSignIn();
  const { reset } = signIn;

  // Coming back with the browser's Back button restores this page as it was left ("redirecting");
  // start over so the button works again.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) reset();
    };
    window.addEventListener("pageshow", onPageShow);
    return () => {
      window.removeEventListener("pageshow", onPageShow);
    };
  }, [reset]);

  const failure = signIn.error ?? error;
  const redirecting = signIn.data === "redirecting";
  return (
    <section className={styles.root} aria-labelledby="signed-out-heading">
      <Subtitle2 as="h3" id="signed-out-heading" className={styles.heading}>
        {strings.signedOut.heading}
      </Subtitle2>
      <Body1>{strings.signedOut.intro}</Body1>
      {failure != null && !signIn.isPending && !redirecting ? <ProblemMessage error={failure} /> : null}
      <Button
        appearance="primary"
        onClick={() => {
          signIn.mutate(undefined);
        }}
        disabled={signIn.isPending}
      >
        {strings.signedOut.signIn}
      </Button>
      {redirecting ? <Body1 role="status">{strings.signedOut.redirecting}</Body1> : null}
    </section>
  );
}
