import { useState } from "react";
import type { ApiClient } from "../api/client";
import type { FakeHost } from "../host/fake-host";

/**
 * The playground's stand-in for the host's toolbar/ribbon button "Share cert": runs the one-click
 * action without the pane and reports through `host.notify` (shown in the outbox), as an adapter would.
 */
export function ShareCertButton({ host, api }: { readonly host: FakeHost; readonly api: ApiClient }) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      // Loaded on the click: the action (and the API error types it checks) is not needed to show the mailbox.
      const { oneClickShare } = await import("../actions/one-click-share");
      const result = await oneClickShare({ host, api });
      await host.notify({ kind: result.status === "shared" ? "success" : "info", message: result.summary });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await host.notify({ kind: "error", message: `Share cert failed: ${message}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="playground-toolbar" role="toolbar" aria-label="Message actions">
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          void run();
        }}
      >
        Share cert
      </button>
    </div>
  );
}
