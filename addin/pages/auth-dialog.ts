import { createApiClient } from "../../shared/api/client";
import { createOidcClient } from "../../shared/auth/oidc-client";
import type { DialogMessage } from "../auth/dialog-messages";
import { jwtExpiry } from "../auth/session-store";
import { describeError } from "../commands/describe-error";
import { API_BASE, outlookReady } from "./office-ready";

/**
 * The sign-in dialog (Office dialog API). First load: start the authorization code flow (PKCE)
 * with the deployment's OpenID provider, which navigates this dialog away. The provider redirects
 * back here with the code; the OIDC client redeems and validates it, and the session goes to the
 * task pane with `messageParent`. Nothing is stored in this dialog beyond the flow's own state.
 */
async function run(): Promise<DialogMessage> {
  const config = await createApiClient({ baseUrl: API_BASE, getToken: () => Promise.resolve(null) }).getClientConfig();
  const client = createOidcClient({
    issuer: config.oidc.issuer,
    clientId: config.oidc.clientId,
    scopes: config.oidc.scopes,
    backendExchangeUrl: config.oidc.codeExchange === "backend" ? `${API_BASE}/auth/code-exchange` : undefined,
    // Registered with the provider as exactly this page (backend/oidc/mount.ts in development).
    redirectUri: `${window.location.origin}/addin/auth-dialog.html`,
  });
  if ((await client.handleRedirectCallback()) === "not-a-callback") {
    const forceAccountChoice = new URLSearchParams(window.location.search).get("prompt") === "login";
    await client.signIn({ forceAccountChoice });
    return new Promise<never>(() => undefined); // navigating to the provider
  }
  const [idToken, account] = await Promise.all([client.getAccessToken(), client.getAccount()]);
  if (idToken === null || account === null) throw new Error("The provider sent no usable ID token.");
  // The session lived in this dialog's sessionStorage only for the flow; the pane keeps it now.
  await client.signOut();
  return { type: "smartcert-signed-in", session: { idToken, expiresAt: jwtExpiry(idToken), account } };
}

const status = document.getElementById("status");
outlookReady()
  .then(async (office) => {
    let message: DialogMessage;
    try {
      message = await run();
    } catch (error) {
      message = { type: "smartcert-sign-in-failed", message: describeError(error).slice(0, 500) };
    }
    if (status) status.textContent = message.type === "smartcert-signed-in" ? "Signed in. You can close this window." : "Sign-in failed.";
    office.context.ui.messageParent(JSON.stringify(message));
  })
  .catch((error: unknown) => {
    if (status) status.textContent = `Sign-in cannot run here: ${describeError(error)}`;
  });
