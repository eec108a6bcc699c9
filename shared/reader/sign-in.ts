// Signing a recipient in from the reader (docs/MESSAGES.md): the shared browser OIDC client
// (shared/auth/oidc-client.ts — authorization code + PKCE, state, nonce, ID token validation)
// with the reader's fixed redirect URI. The link key lives in the URL fragment and must survive
// the round trip to the provider without reaching any server: it is kept in this origin's
// sessionStorage (this tab only) while the provider has the tab, and removed the moment the tab
// comes back — never put into `state`, the redirect URI or any other URL.
import type { OidcClient } from "../auth/oidc-client";
import type { ApiClient } from "../api/client";
import { decodeLinkKey } from "../crypto/keys";

/** Must be registered with the issuer as `${PUBLIC_URL}/m/signed-in` (backend/oidc/mount.ts for the local provider). */
export const READER_REDIRECT_PATH = "/m/signed-in";
const RETURN_KEY = "smartcert.reader.return";
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ReturnLink {
  id: string;
  key: string;
}

let client: Promise<OidcClient> | undefined;

/** The OIDC client, created on first use so a reader that needs no sign-in never loads it. */
export function readerOidc(api: ApiClient): Promise<OidcClient> {
  client ??= (async () => {
    const [config, { createOidcClient }] = await Promise.all([api.getClientConfig(), import("../auth/oidc-client")]);
    return createOidcClient({
      issuer: config.oidc.issuer,
      clientId: config.oidc.clientId,
      scopes: config.oidc.scopes,
      backendExchangeUrl: config.oidc.codeExchange === "backend" ? "/api/v1/auth/code-exchange" : undefined,
      redirectUri: `${window.location.origin}${READER_REDIRECT_PATH}`,
    });
  })();
  return client;
}

/** Remembers the link for the round trip, then leaves for the provider. */
export async function signInFor(api: ApiClient, link: ReturnLink, options: { switchAccount?: boolean } = {}): Promise<void> {
  const oidc = await readerOidc(api);
  if (options.switchAccount) await oidc.signOut(); // drops the session and makes the provider ask again
  window.sessionStorage.setItem(RETURN_KEY, JSON.stringify(link));
  try {
    await oidc.signIn(options.switchAccount ? { forceAccountChoice: true } : undefined);
  } catch (error) {
    window.sessionStorage.removeItem(RETURN_KEY);
    throw error;
  }
}

/** On any other reader load: a link left behind by an abandoned sign-in does not linger in storage. */
export function forgetReturnLink(): void {
  window.sessionStorage.removeItem(RETURN_KEY);
}

/** On the redirect page: takes (and at once removes) the remembered link; null when there is none or it is not ours. */
export function takeReturnLink(): ReturnLink | null {
  const raw = window.sessionStorage.getItem(RETURN_KEY);
  window.sessionStorage.removeItem(RETURN_KEY);
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<ReturnLink> | null;
    if (typeof value?.id === "string" && ID.test(value.id) && typeof value.key === "string" && decodeLinkKey(value.key)) return { id: value.id, key: value.key };
  } catch {
    // not what we stored: ignore it
  }
  return null;
}

/** The signed-in account while its ID token is valid, else null. */
export async function currentAccount(api: ApiClient): Promise<{ idToken: string; email: string | undefined } | null> {
  const oidc = await readerOidc(api);
  const idToken = await oidc.getAccessToken();
  if (!idToken) return null;
  return { idToken, email: (await oidc.getAccount())?.email };
}
