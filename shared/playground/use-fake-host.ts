import { useSyncExternalStore } from "react";
import type { FakeHost, OutboxEntry } from "../host/fake-host";
import type { MailItem } from "../host/host";

/** The playground's own view of the FakeHost (the pane sees it only as a `Host`). */
export function useSelectedItem(host: FakeHost): MailItem | null {
  return useSyncExternalStore(
    (onChange) => host.onItemChanged(onChange),
    () => host.getCurrentItem(),
  );
}

export function useOutbox(host: FakeHost): readonly OutboxEntry[] {
  return useSyncExternalStore(
    (onChange) => host.onOutboxChanged(onChange),
    () => host.outbox,
  );
}
