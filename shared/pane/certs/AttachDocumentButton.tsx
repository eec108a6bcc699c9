import { Button, Caption1 } from "@fluentui/react-components";
import { useMutation } from "@tanstack/react-query";
import { useApi, useCurrentItem, useHost, useStrings } from "../contexts";
import { ProblemMessage } from "../ProblemMessage";

export interface AttachDocumentButtonProps {
  readonly certId: string;
  readonly documentId: string;
  readonly version: number;
  readonly fileName: string;
}

/** While writing an email: attach a cert's document (fetched through its signed URL) as a file. */
export function AttachDocumentButton({ certId, documentId, version, fileName }: AttachDocumentButtonProps) {
  const strings = useStrings();
  const host = useHost();
  const api = useApi();
  const item = useCurrentItem();
  const attach = useMutation({
    mutationFn: async () => {
      const { url } = await api.getDocumentUrl(certId, documentId, version);
      const response = await fetch(url);
      if (!response.ok) throw new Error(strings.detail.downloadFailed);
      await host.attachToCompose({ name: fileName, content: await response.blob() });
    },
  });
  if (item?.kind !== "compose" || !host.capabilities.attachToCompose) return null;
  const run = () => {
    attach.mutate();
  };
  return (
    <>
      <Button size="small" aria-label={strings.detail.attachNamed(fileName)} disabled={attach.isPending} onClick={run}>
        {strings.detail.attach}
      </Button>
      {attach.isSuccess ? <Caption1 role="status">{strings.detail.attached(fileName)}</Caption1> : null}
      {attach.isError ? <ProblemMessage error={attach.error} onRetry={run} busy={attach.isPending} /> : null}
    </>
  );
}
