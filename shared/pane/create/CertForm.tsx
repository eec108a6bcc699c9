import { Button, Field, Input, makeStyles, tokens } from "@fluentui/react-components";
import { useState, type SyntheticEvent } from "react";
import type { AttachmentInfo } from "../../host/host";
import type { CreateCertBody } from "../../protocol/certs";
import type { Me } from "../../protocol/organizations";
import { ProblemMessage } from "../ProblemMessage";
import { AttachmentPicker, initiallySelected } from "./AttachmentPicker";
import { fieldErrors } from "./field-errors";
import { splitList, type CertPrefill } from "./prefill";
import { SalesLocationField } from "./SalesLocationField";
import { useCreateStrings } from "./strings";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  actions: { display: "flex", gap: tokens.spacingHorizontalS, justifyContent: "flex-end" },
});

export type NewCert = Partial<CreateCertBody> & { title: string };

export interface CertFormProps {
  readonly me: Me;
  readonly prefill: CertPrefill;
  /** The email's files; null when this host cannot read attachments (the picker is hidden). */
  readonly attachments: readonly AttachmentInfo[] | null;
  readonly busy: boolean;
  /** The last failed create, shown as a Problem and as messages next to the fields. */
  readonly error: unknown;
  readonly onSubmit: (body: NewCert, attachments: readonly AttachmentInfo[]) => void;
  readonly onCancel: () => void;
}

type TextField = "title" | "poNumbers" | "heatNumbers" | "certNumbers" | "product" | "standard";

/** The cert's metadata, pre-filled from the email, and which attachments to upload. */
export function CertForm({ me, prefill, attachments, busy, error, onSubmit, onCancel }: CertFormProps) {
  const strings = useCreateStrings();
  const styles = useStyles();
  const [values, setValues] = useState<Record<TextField, string>>({
    title: prefill.title,
    poNumbers: prefill.poNumbers.join(", "),
    heatNumbers: prefill.heatNumbers.join(", "),
    certNumbers: prefill.certNumbers.join(", "),
    product: "",
    standard: prefill.standard,
  });
  const [salesLocationId, setSalesLocationId] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => initiallySelected(attachments ?? []));
  const [titleMissing, setTitleMissing] = useState(false);
  const serverErrors = fieldErrors(error);

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    const title = values.title.trim();
    setTitleMissing(title === "");
    if (title === "") return;
    const product = values.product.trim();
    const standard = values.standard.trim();
    onSubmit(
      {
        title,
        poNumbers: splitList(values.poNumbers),
        heatNumbers: splitList(values.heatNumbers),
        certNumbers: splitList(values.certNumbers),
        ...(product ? { product } : {}),
        ...(standard ? { standard } : {}),
        ...(salesLocationId ? { salesLocationId } : {}),
      },
      (attachments ?? []).filter((a) => selected.has(a.id)),
    );
  };

  const field = (name: TextField, label: string, hint?: string) => (
    <Field
      label={label}
      required={name === "title"}
      hint={hint}
      validationMessage={name === "title" && titleMissing ? strings.fields.titleRequired : serverErrors[name]}
    >
      <Input
        name={name}
        value={values[name]}
        disabled={busy}
        onChange={(_event, data) => {
          setValues((previous) => ({ ...previous, [name]: data.value }));
        }}
      />
    </Field>
  );

  return (
    <form className={styles.form} onSubmit={submit} noValidate data-testid="create-cert-form">
      {attachments ? <AttachmentPicker attachments={attachments} selected={selected} onChange={setSelected} disabled={busy} /> : null}
      {field("title", strings.fields.title)}
      {field("poNumbers", strings.fields.poNumbers, strings.fields.listHint)}
      {field("heatNumbers", strings.fields.heatNumbers, strings.fields.listHint)}
      {field("certNumbers", strings.fields.certNumbers, strings.fields.listHint)}
      {field("product", strings.fields.product)}
      {field("standard", strings.fields.standard)}
      <SalesLocationField me={me} value={salesLocationId} onChange={setSalesLocationId} disabled={busy} error={serverErrors["salesLocationId"]} />
      {error ? <ProblemMessage error={error} /> : null}
      <div className={styles.actions}>
        <Button appearance="secondary" onClick={onCancel} disabled={busy}>
          {strings.cancel}
        </Button>
        <Button appearance="primary" type="submit" disabled={busy}>
          {busy ? strings.creating : strings.create}
        </Button>
      </div>
    </form>
  );
}
