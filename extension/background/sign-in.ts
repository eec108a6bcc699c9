import * as oauth from "oauth4webapi";
import browser from "webextension-polyfill";
import { createApiClient } from "../../shared/api/client";
import { redeemAuthorizationCode } from "../../shared/auth/code-redemption";
import { allowsInsecureRequests } from "../../shared/auth/oidc-client";
import { loadExtensionConfig } from "../common/config";
import { shouldPromptLogin, writeSession } from "./session-store";

/**
 * Interactive sign-in from the service worker: OpenID Connect authorization code flow with PKCE
 * (S256), state and nonce, through `identity.launchWebAuthFlow`, which opens the provider in a
 * browser window and ends at `https://<extension-id>.chromiumapp.org/`. oauth4webapi validates the
 * answer, redeems the code and checks the ID token (issuer, audience, nonce, expiry); the ID token
 * is the bearer the SmartCert API accepts, as for the pane everywhere else.
 *
 * The provider and client id come from the backend's public client configuration, so the extension
 * signs in wherever its backend says. Scopes are fixed at `openid email profile`: no Google mailbox
 * scope, restricted or otherwise (docs/GMAIL.md).
 */

export const SIGN_IN_SCOPES = ["openid", "email", "profile"] as const;

export type SignInResult = "signed-in" | "cancelled";

export async function signInInteractively(options: { forceAccountChoice?: boolean }): Promise<SignInResult> {
  const { backendOrigin } = await loadExtensionConfig();
  const publicApi = createApiClient({ baseUrl: `${backendOrigin}/api/v1`, getToken: () => Promise.resolve(null) });
  const { oidc } = await publicApi.getClientConfig();
  const issuer = new URL(oidc.issuer);
  const http = {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- a localhost issuer only (allowsInsecureRequests)
    [oauth.allowInsecureRequests]: allowsInsecureRequests(issuer),
  };
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, http));
  if (!as.authorization_endpoint) throw new Error("The OpenID provider has no authorization endpoint.");
  const client: oauth.Client = { client_id: oidc.clientId };
  const redirectUri = browser.identity.getRedirectURL();

  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: SIGN_IN_SCOPES.join(" "),
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
    ...(options.forceAccountChoice === true || (await shouldPromptLogin()) ? { prompt: "login" } : {}),
  }).toString();

  let redirectedTo: string | undefined;
  try {
    redirectedTo = await browser.identity.launchWebAuthFlow({ url: url.href, interactive: true });
  } catch {
    // Chrome rejects when the user closes the window ("The user did not approve access.").
    return "cancelled";
  }
  if (!redirectedTo) return "cancelled";

  const params = oauth.validateAuthResponse(as, client, new URL(redirectedTo), state);
  const redeemed = await redeemAuthorizationCode({
    as,
    client,
    callbackParameters: params,
    redirectUri,
    codeVerifier,
    nonce,
    http,
    // Google insists on a client secret for the code exchange: the backend holds it (docs/GMAIL.md).
    backendExchangeUrl: oidc.codeExchange === "backend" ? `${backendOrigin}/api/v1/auth/code-exchange` : undefined,
  });
  await writeSession({ issuer: as.issuer, ...redeemed });
  return "signed-in";
}
