import type { ApiClient } from "../api/client";
import type { FakeHost } from "../host/fake-host";
import { App } from "../pane/App";
import { MailList } from "./MailList";
import { MessageView } from "./MessageView";
import { OutboxPanel } from "./OutboxPanel";
import { useSelectedItem } from "./use-fake-host";

export interface PlaygroundProps {
  readonly host: FakeHost;
  readonly api: ApiClient;
}

/** A simulated mailbox on the left, the selected email in the middle, the real pane on the right. */
export function Playground({ host, api }: PlaygroundProps) {
  const selected = useSelectedItem(host);
  return (
    <div className="playground">
      <header className="playground-header">
        <h1>SmartCert Inbox playground</h1>
        <p>
          A simulated mailbox driving the real task pane through a fake host. Select an email to change the pane&apos;s
          current item.
        </p>
      </header>
      <div className="playground-columns">
        <MailList host={host} selectedKey={selected?.key ?? null} />
        <main className="playground-reading" aria-label="Selected email">
          <MessageView host={host} item={selected} api={api} />
          <OutboxPanel host={host} />
        </main>
        <aside className="playground-pane" aria-label="SmartCert task pane">
          <App host={host} api={api} language="en" />
        </aside>
      </div>
    </div>
  );
}
