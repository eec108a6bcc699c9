import { Button, MessageBar, MessageBarBody, Subtitle2, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useRef } from "react";
import type { Cert } from "../../protocol/certs";
import { useCreateStrings } from "./strings";
import { UploadRow } from "./UploadRow";
import type { Uploads } from "./use-uploads";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  heading: { margin: 0 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, justifyContent: "flex-end" },
});

export interface UploadListProps {
  readonly cert: Cert;
  readonly uploads: Uploads;
  readonly onCreated: (certId: string) => void;
}

/**
 * The files going to a cert that now exists. When all are uploaded the view is done; when some
 * failed or were cancelled the user retries them or finishes without them.
 */
export function UploadList({ cert, uploads, onCreated }: UploadListProps) {
  const strings = useCreateStrings();
  const styles = useStyles();
  const { items } = uploads;
  const running = items.some((i) => i.status === "reading" || i.status === "uploading");
  const allDone = items.length > 0 && items.every((i) => i.status === "done");

  // The form (and the Create button that had focus) is gone: keyboard users land on the heading.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const reported = useRef(false);
  useEffect(() => {
    if (!allDone || reported.current) return;
    reported.current = true;
    onCreated(cert.id);
  }, [allDone, cert.id, onCreated]);

  return (
    <section className={styles.root} aria-labelledby="create-upload-heading" data-testid="create-uploads">
      <h3 id="create-upload-heading" className={styles.heading} tabIndex={-1} ref={heading}>
        <Subtitle2>{strings.upload.heading(cert.title)}</Subtitle2>
      </h3>
      <ul className={styles.list}>
        {items.map((upload) => (
          <UploadRow
            key={upload.attachment.id}
            upload={upload}
            onCancel={() => {
              uploads.cancel(upload.attachment.id);
            }}
            onRetry={() => {
              uploads.retry(upload.attachment.id);
            }}
          />
        ))}
      </ul>
      {items.length > 0 && !running && !allDone ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>{strings.upload.incomplete}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={styles.actions}>
        {running ? <Button onClick={uploads.cancelAll}>{strings.upload.cancelAll}</Button> : null}
        {items.length > 0 && !running && !allDone ? (
          <Button
            appearance="primary"
            onClick={() => {
              onCreated(cert.id);
            }}
          >
            {strings.upload.finish}
          </Button>
        ) : null}
      </div>
    </section>
  );
}
