import { Button, Input } from "@fluentui/react-components";
import { useState } from "react";
import { useCurrentItem, useHost } from "../pane/contexts";
import { useSecureStrings } from "./strings";

/** After sending: the link, inserted into the email being written (or a reply) through the Host. */
export function SentLink({ link, onShowSent }: { link: string; onShowSent: () => void }) {
  const t = useSecureStrings().send;
  const host = useHost();
  const item = useCurrentItem();
  const [note, setNote] = useState<string | null>(null);
  const html = `<p><a href="${link.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")}">${t.link}</a></p>`;
  async function insert(): Promise<void> {
    try {
      if (item?.kind === "read" && host.capabilities.openReply) await host.openReply({ html });
      else await host.insertIntoCompose({ html });
      setNote(t.inserted);
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    }
  }
  const canInsert = host.capabilities.insertIntoCompose || host.capabilities.openReply;
  return (
    <div style={{ display: "grid", gap: 12 }}>
      <p role="status">{t.sent}</p>
      <Input readOnly value={link} aria-label={t.link} />
      {canInsert && <Button appearance="primary" onClick={() => { void insert(); }}>{t.insert}</Button>}
      <Button onClick={() => { void navigator.clipboard.writeText(link).then(() => { setNote(t.copy); }); }}>{t.copy}</Button>
      <Button appearance="subtle" onClick={onShowSent}>{t.showSent}</Button>
      {note && <p role="status">{note}</p>}
    </div>
  );
}
