import { Button, Caption1, makeStyles, tokens } from "@fluentui/react-components";
import type { Cert } from "../../protocol/certs";
import { useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { useInsertCert } from "../share/use-insert-cert";
import { useAttachCertDocuments, useCanAttach } from "./attach-documents";

const useStyles = makeStyles({
  actions: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

/**
 * A cert's actions in insert mode (start view "insert-cert"): a link into the email, and its
 * documents as files where the host can attach to the draft.
 */
export function InsertCertActions({ cert }: { readonly cert: Cert }) {
  const strings = useStrings();
  const styles = useStyles();
  const insert = useInsertCert();
  const canAttach = useCanAttach();
  const attach = useAttachCertDocuments(cert.id);
  if (insert.mode === null) return null;
  const insertLink = () => {
    insert.mutation.mutate(cert);
  };
  const attachAll = () => {
    attach.mutation.mutate();
  };
  return (
    <>
      <div className={styles.actions}>
        <Button size="small" appearance="primary" aria-label={strings.insert.insertLinkNamed(cert.title)} disabled={insert.mutation.isPending} onClick={insertLink}>
          {strings.insert.insertLink}
        </Button>
        {canAttach ? (
          <Button size="small" aria-label={strings.insert.attachDocumentsNamed(cert.title)} disabled={attach.mutation.isPending} onClick={attachAll}>
            {strings.insert.attachDocuments}
          </Button>
        ) : null}
      </div>
      {insert.mutation.isSuccess ? <Caption1 role="status">{strings.detail.inserted}</Caption1> : null}
      {insert.mutation.isError ? <ProblemMessage error={insert.mutation.error} onRetry={insertLink} busy={insert.mutation.isPending} /> : null}
      {attach.progress ? <Caption1 role="status">{strings.insert.attaching(attach.progress.done + 1, attach.progress.total)}</Caption1> : null}
      {attach.mutation.isSuccess ? (
        <Caption1 role="status">{attach.mutation.data === 0 ? strings.insert.noDocuments : strings.insert.attachedDocuments(attach.mutation.data)}</Caption1>
      ) : null}
      {attach.mutation.isError ? <ProblemMessage error={attach.mutation.error} onRetry={attachAll} busy={attach.mutation.isPending} /> : null}
    </>
  );
}
