import { Body1, Button, Caption1, ProgressBar, makeStyles, tokens } from "@fluentui/react-components";
import { isHostError } from "../../host/host";
import { useStrings } from "../contexts";
import { describeError } from "../describe-error";
import { useCreateStrings } from "./strings";
import type { UploadItem } from "./use-uploads";

const useStyles = makeStyles({
  row: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  line: { display: "flex", alignItems: "center", justifyContent: "space-between", gap: tokens.spacingHorizontalS },
  name: { overflowWrap: "anywhere" },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export interface UploadRowProps {
  readonly upload: UploadItem;
  readonly onCancel: () => void;
  readonly onRetry: () => void;
}

/** One file: name, progress bar and status, with Cancel while it runs and Retry after it failed. */
export function UploadRow({ upload, onCancel, onRetry }: UploadRowProps) {
  const strings = useCreateStrings();
  const paneStrings = useStrings();
  const styles = useStyles();
  const { attachment, status } = upload;
  const fraction = upload.total > 0 ? Math.min(1, upload.sent / upload.total) : 0;
  const running = status === "reading" || status === "uploading";
  let statusText: string;
  switch (status) {
    case "reading":
      statusText = strings.upload.reading;
      break;
    case "uploading":
      statusText = strings.upload.progress(Math.round(fraction * 100));
      break;
    case "done":
      statusText = strings.upload.done;
      break;
    case "cancelled":
      statusText = strings.upload.cancelled;
      break;
    case "failed":
      statusText = `${strings.upload.failed}: ${isHostError(upload.error) ? strings.upload.readFailed : describeError(upload.error, paneStrings).title}`;
      break;
  }
  return (
    <li className={styles.row} data-testid="upload-row" data-status={status}>
      <div className={styles.line}>
        <Body1 className={styles.name}>{attachment.name}</Body1>
        {running ? (
          <Button size="small" onClick={onCancel} aria-label={strings.upload.cancelFile(attachment.name)}>
            {strings.upload.cancel}
          </Button>
        ) : null}
        {status === "failed" || status === "cancelled" ? (
          <Button size="small" onClick={onRetry} aria-label={strings.upload.retryFile(attachment.name)}>
            {strings.upload.retry}
          </Button>
        ) : null}
      </div>
      <ProgressBar
        aria-label={attachment.name}
        value={status === "reading" ? undefined : status === "done" ? 1 : fraction}
        max={1}
        color={status === "failed" ? "error" : status === "done" ? "success" : "brand"}
        thickness="large"
      />
      <Caption1 className={status === "failed" ? styles.error : undefined} role={status === "failed" ? "alert" : undefined}>
        {statusText}
      </Caption1>
    </li>
  );
}
