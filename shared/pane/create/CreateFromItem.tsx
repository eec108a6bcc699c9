import { MessageBar, MessageBarBody, MessageBarTitle, Spinner, makeStyles, tokens } from "@fluentui/react-components";
import { useMutation, useQuery } from "@tanstack/react-query";
import type { AttachmentInfo, ReadMailItem } from "../../host/host";
import type { Me } from "../../protocol/organizations";
import { useApi, useHost } from "../contexts";
import { fileAttachments } from "./AttachmentPicker";
import { CertForm, type NewCert } from "./CertForm";
import { prefillFromEmail } from "./prefill";
import { useCreateStrings } from "./strings";
import { UploadList } from "./UploadList";
import { useUploads } from "./use-uploads";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export interface CreateFromItemProps {
  readonly item: ReadMailItem;
  readonly me: Me;
  /** The cert was created; its uploads are starting. */
  readonly onStarted: () => void;
  readonly onCreated: (certId: string) => void;
  readonly onCancel: () => void;
}

/** The create flow for one email: the pre-filled form, then the uploads of the chosen files. */
export function CreateFromItem({ item, me, onStarted, onCreated, onCancel }: CreateFromItemProps) {
  const strings = useCreateStrings();
  const styles = useStyles();
  const host = useHost();
  const api = useApi();
  const uploads = useUploads();
  const canReadAttachments = host.capabilities.attachmentContent;
  const body = useQuery({
    queryKey: ["create-cert", "body", item.key],
    queryFn: () => host.getBodyText(item.key),
    enabled: host.capabilities.bodyText,
    staleTime: Infinity,
  });
  const create = useMutation({
    mutationFn: ({ cert }: { cert: NewCert; files: readonly AttachmentInfo[] }) => api.createCert(cert),
    onSuccess: (created, { files }) => {
      if (files.length === 0) onCreated(created.id);
      else {
        onStarted();
        uploads.start(created.id, item.key, files);
      }
    },
  });

  if (host.capabilities.bodyText && body.isPending) return <Spinner size="small" label={strings.loading} />;

  if (create.isSuccess && create.variables.files.length > 0) {
    return <UploadList cert={create.data} uploads={uploads} onCreated={onCreated} />;
  }

  return (
    <div className={styles.root}>
      {canReadAttachments ? null : (
        <MessageBar intent="info" layout="multiline" data-testid="create-no-attachment-access">
          <MessageBarBody>
            <MessageBarTitle>{strings.attachments.cannotRead.title}</MessageBarTitle>
            {strings.attachments.cannotRead.message}
          </MessageBarBody>
        </MessageBar>
      )}
      <CertForm
        me={me}
        // A body that could not be read still leaves the subject to pre-fill from.
        prefill={prefillFromEmail(item.subject, body.data ?? "")}
        attachments={canReadAttachments ? fileAttachments(item.attachments) : null}
        busy={create.isPending || create.isSuccess}
        error={create.error}
        onSubmit={(cert, files) => {
          create.mutate({ cert, files });
        }}
        onCancel={onCancel}
      />
    </div>
  );
}
