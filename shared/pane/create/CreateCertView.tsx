import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { ReadMailItem } from "../../host/host";
import { useCurrentItem } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { useMe } from "../settings/queries";
import { CreateFromItem } from "./CreateFromItem";
import { useCreateStrings } from "./strings";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  heading: { margin: 0 },
  actions: { display: "flex", justifyContent: "flex-end" },
});

export interface CreateCertViewProps {
  /** Called with the new cert's id once it is created and its files are uploaded. */
  readonly onCreated: (certId: string) => void;
  readonly onCancel: () => void;
}

/**
 * Create a SmartCert from the open email's attachments: a metadata form pre-filled from the email,
 * then the chosen attachments uploaded with progress. Needs the Writer privilege.
 */
export function CreateCertView({ onCreated, onCancel }: CreateCertViewProps) {
  const strings = useCreateStrings();
  const styles = useStyles();
  const item = useCurrentItem();
  // Once the cert exists, its uploads stay on screen even if the user selects another email.
  const [locked, setLocked] = useState<ReadMailItem | null>(null);
  const target = locked ?? (item?.kind === "read" ? item : null);
  const me = useMe();

  let body;
  let showClose = true;
  if (me.isPending) body = <Spinner size="small" label={strings.loading} />;
  else if (me.isError) {
    body = (
      <ProblemMessage
        error={me.error}
        busy={me.isFetching}
        onRetry={() => {
          void me.refetch();
        }}
      />
    );
  } else if (!me.data.user.roles.includes("writer")) {
    body = (
      <MessageBar intent="info" layout="multiline" data-testid="create-not-writer">
        <MessageBarBody>
          <MessageBarTitle>{strings.notWriter.title}</MessageBarTitle>
          {strings.notWriter.message}
        </MessageBarBody>
      </MessageBar>
    );
  } else if (target === null) {
    body = <MessageBar intent="info" layout="multiline"><MessageBarBody>{strings.noReadItem}</MessageBarBody></MessageBar>;
  } else {
    showClose = false;
    body = (
      <CreateFromItem
        key={target.key}
        item={target}
        me={me.data}
        onStarted={() => {
          setLocked(target);
        }}
        onCreated={onCreated}
        onCancel={onCancel}
      />
    );
  }

  return (
    <section className={styles.root} aria-labelledby="create-cert-heading" data-testid="create-cert">
      <Subtitle2 as="h3" id="create-cert-heading" className={styles.heading}>
        {strings.heading}
      </Subtitle2>
      {body}
      {showClose ? (
        <div className={styles.actions}>
          <Button onClick={onCancel}>{strings.cancel}</Button>
        </div>
      ) : null}
    </section>
  );
}
