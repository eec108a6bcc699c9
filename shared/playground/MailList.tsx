import type { FakeHost } from "../host/fake-host";
import type { MailItem } from "../host/host";
import { displayName, formatDate } from "./format";

export interface MailListProps {
  readonly host: FakeHost;
  readonly selectedKey: string | null;
}

/** The mailbox's folders as lists of buttons; choosing one selects it in the host. */
export function MailList({ host, selectedKey }: MailListProps) {
  const inbox = host.items.filter((item) => item.kind === "read");
  const drafts = host.items.filter((item) => item.kind === "compose");
  return (
    <nav className="playground-mailbox" aria-label="Mailbox">
      <Folder id="folder-inbox" title="Inbox" items={inbox} host={host} selectedKey={selectedKey} />
      <Folder id="folder-drafts" title="Drafts (compose window)" items={drafts} host={host} selectedKey={selectedKey} />
      <button
        type="button"
        className="playground-deselect"
        onClick={() => {
          host.select(null);
        }}
        disabled={selectedKey === null}
      >
        Clear selection (no item)
      </button>
    </nav>
  );
}

interface FolderProps extends MailListProps {
  readonly id: string;
  readonly title: string;
  readonly items: readonly MailItem[];
}

function Folder({ id, title, items, host, selectedKey }: FolderProps) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul className="playground-list">
        {items.map((item) => (
          <li key={item.key}>
            <button
              type="button"
              className="playground-list-item"
              aria-current={item.key === selectedKey ? "true" : undefined}
              onClick={() => {
                host.select(item.key);
              }}
            >
              <span className="playground-list-from">
                {item.kind === "read" ? displayName(item.from) : `To: ${item.to.map(displayName).join(", ")}`}
              </span>
              <span className="playground-list-subject">{item.subject}</span>
              <span className="playground-list-meta">
                {item.kind === "read" ? formatDate(item.receivedAt) : "Draft"}
                {item.attachments.length > 0 ? ` · ${item.attachments.length} attachments` : ""}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
