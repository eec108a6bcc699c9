import { Body1, Button, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import type { EmailAddress } from "../../host/host";
import type { Cert } from "../../protocol/certs";
import { QueryState } from "../common/QueryState";
import { useStrings } from "../contexts";
import { useSender } from "../email/SenderCard";
import { ProblemMessage } from "../ProblemMessage";
import { useShareCert } from "./use-share-cert";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, alignItems: "flex-start" },
  heading: { margin: 0 },
});

export interface SenderShareProps {
  readonly cert: Cert;
  /** The sender of a read email, or the first recipient of a draft. */
  readonly person: EmailAddress;
  readonly heading: string;
  readonly conversationId: string | null;
}

/** One click: share the cert with the person the email is from (or to), recorded against the conversation. */
export function SenderShare({ cert, person, heading, conversationId }: SenderShareProps) {
  const strings = useStrings();
  const styles = useStyles();
  const sender = useSender(person.address);
  const share = useShareCert(cert.id, conversationId);
  const name = person.name ?? person.address;
  return (
    <section className={styles.root} aria-labelledby="share-sender-heading" data-testid="share-sender">
      <Subtitle2 as="h4" id="share-sender-heading" className={styles.heading}>
        {heading}
      </Subtitle2>
      <QueryState query={sender} loadingLabel={strings.email.senderLoading}>
        {() => {
          const user = sender.data;
          if (!user) return <Body1 data-testid="share-sender-missing">{strings.share.senderNotOnNetwork(name)}</Body1>;
          const run = () => {
            share.mutate({ userId: user.userId });
          };
          return (
            <>
              <Button appearance="primary" onClick={run} disabled={share.isPending || share.isSuccess}>
                {strings.share.withSender(user.displayName)}
              </Button>
              {share.isSuccess ? <Body1 role="status">{strings.share.sharedWith(user.displayName)}</Body1> : null}
              {share.isError ? <ProblemMessage error={share.error} onRetry={run} busy={share.isPending} /> : null}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
