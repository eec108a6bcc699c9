import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createApiClient } from "../../shared/api/client";
import { App } from "../../shared/pane/App";
import { createOutlookAuth } from "../auth/outlook-auth";
import { OfficeHost } from "../office-host";
import { API_BASE, outlookReady } from "./office-ready";
import { startViewFromUrl } from "./start-view";

/**
 * The task pane: Office.js ready → sign-in chosen for this Outlook and this deployment → the
 * Office host adapter → the shared pane, opened in the view the ribbon button asked for.
 */
async function start(container: HTMLElement): Promise<void> {
  const office = await outlookReady();
  const config = await createApiClient({ baseUrl: API_BASE, getToken: () => Promise.resolve(null) }).getClientConfig();
  const auth = await createOutlookAuth(config, office);
  const host = await OfficeHost.create({ office, auth });
  const api = createApiClient({ baseUrl: API_BASE, getToken: () => host.auth.getAccessToken() });
  createRoot(container).render(
    <StrictMode>
      <App host={host} api={api} startView={startViewFromUrl(window.location.search)} />
    </StrictMode>,
  );
}

const container = document.getElementById("root");
if (container) {
  start(container).catch((error: unknown) => {
    // Before React is up there is no pane to show errors in: say it in plain text.
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.textContent = `SmartCert could not start: ${error instanceof Error ? error.message : String(error)}`;
    container.replaceChildren(message);
  });
}
