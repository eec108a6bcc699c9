import { useState, useSyncExternalStore } from "react";
import type { ApiClient } from "../api/client";
import type { FakeHost } from "../host/fake-host";
import { App, type PaneStartView } from "../pane/App";
import { DisplaySwitch } from "./DisplaySwitch";
import { MailList } from "./MailList";
import { MessageView } from "./MessageView";
import { OutboxPanel } from "./OutboxPanel";
import { StartViewSwitch } from "./StartViewSwitch";
import { useSelectedItem } from "./use-fake-host";

export interface PlaygroundProps {
  readonly host: FakeHost;
  readonly api: ApiClient;
  /** Where the pane opens (`?startView=`), as a host command would choose. */
  readonly startView?: PaneStartView;
  /** Only the pane, full width (`?layout=pane`), as in a host's task pane page. */
  readonly paneOnly?: boolean;
}

/** A simulated mailbox on the left, the selected email in the middle, the real pane on the right. */
export function Playground({ host, api, startView = "context", paneOnly = false }: PlaygroundProps) {
  const selected = useSelectedItem(host);
  const [start, setStart] = useState(startView);
  if (paneOnly) {
    return (
      <main className="playground-pane playground-pane-only" aria-label="SmartCert task pane">
        <PlaygroundPane host={host} api={api} startView={start} />
      </main>
    );
  }
  return (
    <div className="playground">
      <header className="playground-header">
        <h1>SmartCert Inbox playground</h1>
        <p>
          A simulated mailbox driving the real task pane through a fake host. Select an email to change the pane&apos;s
          current item.
        </p>
        <div className="playground-switches">
          <DisplaySwitch host={host} />
          <StartViewSwitch value={start} onChange={setStart} />
        </div>
      </header>
      <div className="playground-columns">
        <MailList host={host} selectedKey={selected?.key ?? null} />
        <main className="playground-reading" aria-label="Selected email">
          <MessageView host={host} item={selected} api={api} />
          <OutboxPanel host={host} />
        </main>
        <aside className="playground-pane" aria-label="SmartCert task pane">
          <PlaygroundPane host={host} api={api} startView={start} />
        </aside>
      </div>
    </div>
  );
}

/** The pane, re-rendered when the host's language or theme changes (App reads them from the host). */
function PlaygroundPane({ host, api, startView }: Omit<PlaygroundProps, "paneOnly">) {
  useSyncExternalStore(
    (onChange) => host.onDisplayChanged(onChange),
    () => `${host.locale ?? ""}|${host.theme ?? ""}`,
  );
  return <App host={host} api={api} {...(startView ? { startView } : {})} />;
}
