import { Spinner, Subtitle1, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect } from "react";
import { useStrings } from "./contexts";
import { useSession } from "./session";
import { ViewBoundary } from "./shell/lazy-view";
import { SignedInView, preloadSignedIn } from "./shell/lazy-views";
import { SignedOutView } from "./SignedOutView";

const useStyles = makeStyles({
  root: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    padding: tokens.spacingHorizontalL,
    minHeight: "100%",
    boxSizing: "border-box",
  },
  title: { margin: 0 },
});

/** The pane's top level: title, then the signed-out or signed-in view. */
export function Pane() {
  const strings = useStrings();
  const styles = useStyles();
  const session = useSession();
  // Most users are signed in: fetch that view's code while the session is being checked.
  useEffect(preloadSignedIn, []);
  let body;
  if (session.isPending) body = <Spinner size="small" label={strings.loading} />;
  else if (session.isError || session.data.status === "signed-out") body = <SignedOutView error={session.error} />;
  else {
    body = (
      <ViewBoundary label={strings.me.loading}>
        <SignedInView account={session.data.account} />
      </ViewBoundary>
    );
  }
  return (
    <section className={styles.root} aria-labelledby="pane-title" data-testid="smartcert-pane">
      <Subtitle1 as="h2" id="pane-title" className={styles.title}>
        {strings.paneTitle}
      </Subtitle1>
      {body}
    </section>
  );
}
