import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { FakeHost } from "../host/fake-host";
import { createLazyApiClient } from "../pane/lazy-api-client";
import { pageOptions } from "./page-options";
import { Playground } from "./Playground";
import { lazyAuth } from "./playground-auth";
import { samplePublicLinkForPage } from "./sample-link";
import { createSampleMailbox } from "./sample-mailbox";
import "./playground.css";

/**
 * Entry of the playground at `/`: the sample mailbox in a FakeHost, signed in for real against the
 * configured OpenID provider (the provider redirects back to this page), and the real API.
 */

// The playground is served by the backend, so the API is on the same origin.
const apiBase = "/api/v1";
const publicApi = createLazyApiClient({ baseUrl: apiBase, getToken: () => Promise.resolve(null) });

// The OpenID client (and oauth4webapi) loads beside the config request, outside the entry bundle.
const auth = lazyAuth(async () => {
  const [config, { createOidcClient }] = await Promise.all([publicApi.getClientConfig(), import("../auth/oidc-client")]);
  return createOidcClient({
    issuer: config.oidc.issuer,
    clientId: config.oidc.clientId,
    scopes: config.oidc.scopes,
    backendExchangeUrl: config.oidc.codeExchange === "backend" ? `${apiBase}/auth/code-exchange` : undefined,
    // Registered with the provider as exactly this: the playground page itself.
    redirectUri: `${window.location.origin}/`,
  });
});

const sampleMailbox = createSampleMailbox({ publicLink: samplePublicLinkForPage(window.location, window.sessionStorage) });
const options = pageOptions(window.location.search);
const initialItem = sampleMailbox.find((entry) => entry.item.key === options.itemKey) ?? sampleMailbox[0];
const host = new FakeHost({ mailbox: sampleMailbox, initialItemKey: initialItem?.item.key ?? null, auth });
// Lazy: the typed client and its schemas are not needed for the first paint.
const api = createLazyApiClient({ baseUrl: apiBase, getToken: () => host.auth.getAccessToken() });

const container = document.getElementById("root");
if (!container) throw new Error("The playground page has no #root element.");
createRoot(container).render(
  <StrictMode>
    <Playground host={host} api={api} startView={options.startView} paneOnly={options.paneOnly} />
  </StrictMode>,
);
