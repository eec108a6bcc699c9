import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createApiClient } from "../../shared/api/client";
import { loadExtensionConfig } from "../common/config";
import { ExtensionAuth } from "./extension-auth";
import { PortHost } from "./port-host";
import { SidebarApp } from "./SidebarApp";
import { sidebarStrings } from "./strings";

/**
 * Entry of sidebar.html, the extension-origin frame the content script mounts in Gmail. Its URL
 * fragment is the session id that pairs it with that content script.
 */
const container = document.getElementById("root");
if (!container) throw new Error("sidebar.html has no #root element.");
const root = createRoot(container);

async function start(): Promise<void> {
  const sessionId = location.hash.slice(1);
  if (!/^[0-9a-f-]{36}$/u.test(sessionId)) throw new Error("This page only works inside Gmail.");
  const { backendOrigin } = await loadExtensionConfig();
  const host = await PortHost.connect(sessionId, new ExtensionAuth());
  const api = createApiClient({ baseUrl: `${backendOrigin}/api/v1`, getToken: () => host.auth.getAccessToken() });
  root.render(
    <StrictMode>
      <SidebarApp host={host} api={api} />
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  const message = sidebarStrings(navigator.language).startFailed(error instanceof Error ? error.message : String(error));
  root.render(<p role="alert">{message}</p>);
});
