import { Button, Checkbox, Field, ProgressBar, Textarea } from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useApi, useCurrentItem, useHost } from "../pane/contexts";
import type { PaneExtraViewProps } from "../pane/start-view";
import { describeSendError, PolicyFields, type PolicyState } from "./PolicyFields";
import { PartSendError, parseRecipients, sendSecureMessage, sentMessagesKey, type OutgoingFile, type SendProgress } from "./send-message";
import { useSendFailureStrings } from "./send-strings";
import { SentLink } from "./SentLink";
import { useSecureStrings } from "./strings";

/**
 * "Send securely": a message and files (from this device or the open email) encrypted in the pane,
 * uploaded as ciphertext, and the link inserted into the email through the Host.
 */
export default function SendSecurelyView({ open }: PaneExtraViewProps) {
  const t = useSecureStrings();
  const failures = useSendFailureStrings();
  const api = useApi();
  const host = useHost();
  const item = useCurrentItem();
  const queryClient = useQueryClient();
  const [text, setText] = useState("");
  const [localFiles, setLocalFiles] = useState<File[]>([]);
  const [fromEmail, setFromEmail] = useState<ReadonlySet<string>>(new Set());
  const [policy, setPolicy] = useState<PolicyState>({ expiresInDays: "7", maxOpens: "", recipients: "", passphrase: "" });
  const [progress, setProgress] = useState<SendProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  const fileInputId = useId();
  const attachments = item?.kind === "read" && host.capabilities.attachmentContent ? item.attachments.filter((a) => !a.isInline) : [];

  async function send(): Promise<void> {
    setError(null);
    if (text.trim() === "" && localFiles.length === 0 && fromEmail.size === 0) {
      setError(t.send.empty);
      return;
    }
    try {
      const files: OutgoingFile[] = localFiles.map((f) => ({ name: f.name, type: f.type, blob: f }));
      for (const a of attachments.filter((x) => fromEmail.has(x.id))) {
        if (!item) break;
        files.push({ name: a.name, type: a.contentType, blob: await host.getAttachmentContent(item.key, a.id) });
      }
      const maxOpens = policy.maxOpens.trim() === "" ? null : Number(policy.maxOpens);
      const result = await sendSecureMessage({
        api,
        text,
        files,
        policy: { expiresInDays: Number(policy.expiresInDays), maxOpens, recipients: parseRecipients(policy.recipients), passphrase: policy.passphrase },
        onProgress: setProgress,
      });
      setLink(result.link);
      await queryClient.invalidateQueries({ queryKey: sentMessagesKey });
    } catch (e) {
      setProgress(null);
      // A failed file is named, with the server's (or browser's) reason: which step failed matters to the user.
      if (e instanceof PartSendError) setError((e.step === "encrypt" ? failures.encryptFailed : failures.uploadFailed)(e.fileName, describeSendError(e.cause)));
      else setError(describeSendError(e));
    }
  }

  if (link) return <SentLink link={link} onShowSent={() => { open("sent-securely"); }} />;
  const busy = progress !== null && progress.phase !== "done";
  const percent = progress && progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0;
  return (
    <form onSubmit={(e) => { e.preventDefault(); void send(); }} style={{ display: "grid", gap: 12 }}>
      <Field label={t.send.message}>
        <Textarea value={text} onChange={(_, d) => { setText(d.value); }} resize="vertical" rows={6} disabled={busy} />
      </Field>
      <fieldset style={{ border: "none", padding: 0, display: "grid", gap: 4 }}>
        <legend>{t.send.files}</legend>
        {attachments.map((a) => (
          <Checkbox
            key={a.id}
            label={`${t.send.fromEmail}: ${a.name}`}
            checked={fromEmail.has(a.id)}
            disabled={busy}
            onChange={(_, d) => { setFromEmail((s) => { const next = new Set(s); if (d.checked === true) next.add(a.id); else next.delete(a.id); return next; }); }}
          />
        ))}
        {localFiles.map((f, i) => (
          <div key={`${f.name}-${i}`}>
            {f.name} <Button size="small" appearance="subtle" disabled={busy} onClick={() => { setLocalFiles((list) => list.filter((_, j) => j !== i)); }}>{t.send.remove}</Button>
          </div>
        ))}
        <label htmlFor={fileInputId}>{t.send.addFiles}</label>
        <input id={fileInputId} type="file" multiple disabled={busy} onChange={(e) => { const chosen = Array.from(e.currentTarget.files ?? []); setLocalFiles((list) => [...list, ...chosen]); e.currentTarget.value = ""; }} />
      </fieldset>
      <PolicyFields value={policy} onChange={setPolicy} disabled={busy} />
      {error && (
        <p role="alert">
          <strong>{t.send.failed}</strong> {error}
        </p>
      )}
      {busy && <Field validationMessage={t.send.sending(percent)} validationState="none"><ProgressBar value={percent / 100} /></Field>}
      <Button type="submit" appearance="primary" disabled={busy}>{t.send.send}</Button>
    </form>
  );
}
