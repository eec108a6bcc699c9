import { Body1, Caption1, Checkbox, makeStyles, tokens } from "@fluentui/react-components";
import type { AttachmentInfo } from "../../host/host";
import { useCreateStrings } from "./strings";

const useStyles = makeStyles({
  fieldset: { border: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS, fontWeight: tokens.fontWeightSemibold },
  size: { color: tokens.colorNeutralForeground3 },
});

export interface AttachmentPickerProps {
  readonly attachments: readonly AttachmentInfo[];
  readonly selected: ReadonlySet<string>;
  readonly onChange: (selected: ReadonlySet<string>) => void;
  readonly disabled: boolean;
}

/** The email's attached files (inline images left out), each with a checkbox. */
export function AttachmentPicker({ attachments, selected, onChange, disabled }: AttachmentPickerProps) {
  const strings = useCreateStrings();
  const styles = useStyles();
  const toggle = (id: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <fieldset className={styles.fieldset} data-testid="create-attachments">
      <legend className={styles.legend}>{strings.attachments.legend}</legend>
      {attachments.length === 0 ? <Body1>{strings.attachments.none}</Body1> : null}
      {attachments.map((attachment) => (
        <Checkbox
          key={attachment.id}
          disabled={disabled}
          checked={selected.has(attachment.id)}
          onChange={(_event, data) => {
            toggle(attachment.id, data.checked === true);
          }}
          label={
            <>
              {attachment.name} <Caption1 className={styles.size}>({strings.attachments.size(attachment.size)})</Caption1>
            </>
          }
        />
      ))}
    </fieldset>
  );
}

/** Attached files only: inline images (signatures, logos) are not documents. */
export function fileAttachments(attachments: readonly AttachmentInfo[]): AttachmentInfo[] {
  return attachments.filter((a) => !a.isInline);
}

/** PDFs are checked at first: they are what certificates usually come as. */
export function initiallySelected(attachments: readonly AttachmentInfo[]): Set<string> {
  return new Set(attachments.filter((a) => a.contentType === "application/pdf" || a.name.toLowerCase().endsWith(".pdf")).map((a) => a.id));
}
