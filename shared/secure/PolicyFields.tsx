import { Field, Input } from "@fluentui/react-components";
import { isApiError } from "../api/client";
import { useSecureStrings } from "./strings";

/** The policy inputs as typed (strings); the view converts them when sending. */
export interface PolicyState {
  readonly expiresInDays: string;
  readonly maxOpens: string;
  readonly recipients: string;
  readonly passphrase: string;
}

export function PolicyFields({ value, onChange, disabled }: { value: PolicyState; onChange: (next: PolicyState) => void; disabled: boolean }) {
  const t = useSecureStrings().send;
  const set = (patch: Partial<PolicyState>) => { onChange({ ...value, ...patch }); };
  return (
    <fieldset style={{ border: "none", padding: 0, display: "grid", gap: 8 }}>
      <legend>{t.policy}</legend>
      <Field label={t.expiresInDays}>
        <Input type="number" min={1} max={30} value={value.expiresInDays} disabled={disabled} onChange={(_, d) => { set({ expiresInDays: d.value }); }} />
      </Field>
      <Field label={t.maxOpens} hint={t.maxOpensHint}>
        <Input type="number" min={1} value={value.maxOpens} disabled={disabled} onChange={(_, d) => { set({ maxOpens: d.value }); }} />
      </Field>
      <Field label={t.recipients} hint={t.recipientsHint}>
        <Input type="email" multiple value={value.recipients} disabled={disabled} onChange={(_, d) => { set({ recipients: d.value }); }} />
      </Field>
      <Field label={t.passphrase} hint={t.passphraseHint}>
        <Input type="password" autoComplete="new-password" value={value.passphrase} disabled={disabled} onChange={(_, d) => { set({ passphrase: d.value }); }} />
      </Field>
    </fieldset>
  );
}

/** The server's own sentence for a refused request (413 size cap, validation), else the error's message. */
export function describeSendError(error: unknown): string {
  if (isApiError(error)) return [error.title, error.problem.detail].filter(Boolean).join(" ");
  return error instanceof Error ? error.message : String(error);
}
