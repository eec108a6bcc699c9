import { useState } from "react";
import type { ApiClient } from "../api/client";
import type { FakeHost } from "../host/fake-host";
import type { AttachmentInfo, EmailAddress, MailItem } from "../host/host";
import { formatAddress, formatDate, formatSize } from "./format";
import { ShareCertButton } from "./ShareCertButton";

export interface MessageViewProps {
  readonly host: FakeHost;
  readonly item: MailItem | null;
  readonly api: ApiClient;
}

/** The selected email as a mail client's reading pane (or the compose window for a draft). */
export function MessageView({ host, item, api }: MessageViewProps) {
  if (item === null) {
    return (
      <section className="playground-message" aria-labelledby="message-heading">
        <h2 id="message-heading">No email selected</h2>
        <p>The pane now sees no current item.</p>
      </section>
    );
  }
  return (
    <section className="playground-message" aria-labelledby="message-heading">
      <h2 id="message-heading">
        {item.kind === "compose" ? "Compose: " : ""}
        {item.subject}
      </h2>
      {item.kind === "read" ? <ShareCertButton key={item.key} host={host} api={api} /> : null}
      <dl className="playground-headers">
        {item.kind === "read" ? <Header label="From" value={formatAddress(item.from)} /> : null}
        <Header label="To" value={formatList(item.to)} />
        {item.cc.length > 0 ? <Header label="Cc" value={formatList(item.cc)} /> : null}
        {item.kind === "read" ? <Header label="Received" value={formatDate(item.receivedAt)} /> : null}
      </dl>
      <pre className="playground-body">{host.bodyOf(item.key)}</pre>
      {item.attachments.length > 0 ? <Attachments host={host} itemKey={item.key} attachments={item.attachments} /> : null}
    </section>
  );
}

function Header({ label, value }: { readonly label: string; readonly value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

function formatList(addresses: readonly EmailAddress[]): string {
  return addresses.map(formatAddress).join(", ");
}

interface AttachmentsProps {
  readonly host: FakeHost;
  readonly itemKey: string;
  readonly attachments: readonly AttachmentInfo[];
}

function Attachments({ host, itemKey, attachments }: AttachmentsProps) {
  const [error, setError] = useState<string | null>(null);
  const open = async (attachment: AttachmentInfo) => {
    try {
      const blob = await host.getAttachmentContent(itemKey, attachment.id);
      const url = URL.createObjectURL(blob);
      window.open(url, "_blank", "noopener");
      // The new tab has loaded the document by then; free the memory.
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 60_000);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <section aria-labelledby="attachments-heading">
      <h3 id="attachments-heading">Attachments</h3>
      <ul className="playground-attachments">
        {attachments.map((attachment) => (
          <li key={attachment.id}>
            <button
              type="button"
              onClick={() => {
                void open(attachment);
              }}
            >
              {attachment.name}
            </button>{" "}
            <span className="playground-list-meta">
              {attachment.contentType}, {formatSize(attachment.size)}
            </span>
          </li>
        ))}
      </ul>
      {error !== null ? <p role="alert">{error}</p> : null}
    </section>
  );
}
