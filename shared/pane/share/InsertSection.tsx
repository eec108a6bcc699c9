import { Body1, Button, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { Cert } from "../../protocol/certs";
import { useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { useInsertCert } from "./use-insert-cert";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, alignItems: "flex-start" },
  heading: { margin: 0 },
});

/** Put the cert (and its public link, when on) into a reply or the draft being written. */
export function InsertSection({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const styles = useStyles();
  const { mode, mutation } = useInsertCert();
  const run = () => {
    mutation.mutate(cert);
  };
  const hasLink = cert.publicLink?.enabled === true && cert.publicLink.url !== null;
  return (
    <section className={styles.root} aria-labelledby="insert-heading" data-testid="share-insert">
      <Subtitle2 as="h4" id="insert-heading" className={styles.heading}>
        {strings.share.insertHeading}
      </Subtitle2>
      {mode === null ? (
        <Body1>{strings.share.insertNoItem}</Body1>
      ) : (
        <>
          {hasLink ? null : <Body1>{strings.share.noLinkHint}</Body1>}
          <Button onClick={run} disabled={mutation.isPending}>
            {mode === "compose" ? strings.share.insertCompose : strings.share.insertReply}
          </Button>
          {mutation.isSuccess ? <Body1 role="status">{strings.detail.inserted}</Body1> : null}
          {mutation.isError ? <ProblemMessage error={mutation.error} onRetry={run} busy={mutation.isPending} /> : null}
        </>
      )}
    </section>
  );
}
