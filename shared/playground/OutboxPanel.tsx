import type { FakeHost, OutboxEntry } from "../host/fake-host";
import { formatSize } from "./format";
import { useOutbox } from "./use-fake-host";

/** Everything the pane asked the mailbox to do: inserted HTML, opened replies, attachments, notifications. */
export function OutboxPanel({ host }: { readonly host: FakeHost }) {
  const outbox = useOutbox(host);
  return (
    <section className="playground-outbox" aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">Host outbox</h2>
      {outbox.length === 0 ? (
        <p>Nothing yet. What the pane inserts, replies, attaches or notifies through the host shows up here.</p>
      ) : (
        <ol className="playground-outbox-list" data-testid="outbox">
          {outbox.map((entry, index) => (
            // Entries are append-only, so the index is a stable key.
            <li key={index}>
              <OutboxLine entry={entry} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function OutboxLine({ entry }: { readonly entry: OutboxEntry }) {
  switch (entry.kind) {
    case "inserted":
      return (
        <>
          <strong>Inserted into {entry.itemKey}</strong>
          {/* Shown as source, never rendered: the playground must not run markup it was handed. */}
          <pre>{"html" in entry.content ? entry.content.html : entry.content.text}</pre>
        </>
      );
    case "reply-opened":
      return (
        <>
          <strong>
            {entry.replyAll ? "Reply all" : "Reply"} opened on {entry.itemKey}
            {entry.attachments.length > 0 ? ` with ${entry.attachments.map((a) => a.name).join(", ")}` : ""}
          </strong>
          <pre>{entry.html}</pre>
        </>
      );
    case "attached":
      return (
        <strong>
          Attached {entry.name} ({entry.type}, {formatSize(entry.size)}) to {entry.itemKey}
        </strong>
      );
    case "notified":
      return (
        <strong>
          Notification ({entry.notification.kind}): {entry.notification.message}
        </strong>
      );
  }
}
