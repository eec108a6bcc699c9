import { Button, Caption1 } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { useApi, useHost, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";
import { attachDocument, useCanAttach, type DocumentToAttach } from "./attach-documents";

/** While writing an email: attach a cert's document (fetched through its signed URL) as a file. */
export function AttachDocumentButton(doc: DocumentToAttach) {
  const strings = useStrings();
  const host = useHost();
  const api = useApi();
  const canAttach = useCanAttach();
  const attach = useMutation({ mutationFn: () => attachDocument(api, host, doc, strings.detail.downloadFailed) });
  if (!canAttach) return null;
  const run = () => {
    attach.mutate();
  };
  return (
    <>
      <Button size="small" aria-label={strings.detail.attachNamed(doc.fileName)} disabled={attach.isPending} onClick={run}>
        {strings.detail.attach}
      </Button>
      {attach.isSuccess ? <Caption1 role="status">{strings.detail.attached(doc.fileName)}</Caption1> : null}
      {attach.isError ? <ProblemMessage error={attach.error} onRetry={run} busy={attach.isPending} /> : null}
    </>
  );
}
