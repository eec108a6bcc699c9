import type { AccountInfo, AuthenticationResult, IPublicClientApplication } from "@azure/msal-browser";
import { InteractionRequiredAuthError } from "@azure/msal-browser";
import type { HostAccount, HostAuth, SignInOutcome } from "../../shared/host/host";
import type { SessionStore } from "./session-store";

/**
 * Sign-in with Nested App Authentication (MSAL.js `createNestablePublicClientApplication`): Outlook
 * brokers the token for the signed-in mailbox user, so there is usually no prompt at all.
 * `acquireTokenSilent` first, `acquireTokenPopup` when the user must consent or sign in. The ID
 * token is the SmartCert bearer (its audience is the add-in's Entra app id, which the backend
 * accepts as configured in OIDC_ISSUERS).
 *
 * Sign-out is the app's own: it forgets the session here (MSAL's local cache and ours) and makes
 * the next sign-in interactive; it does not sign the user out of Outlook or Microsoft 365.
 */
export const NAA_SCOPES = ["openid", "profile", "email"];

export class NaaAuth implements HostAuth {
  constructor(
    private readonly pca: Pick<IPublicClientApplication, "acquireTokenSilent" | "acquireTokenPopup" | "getActiveAccount" | "getAllAccounts" | "setActiveAccount" | "clearCache">,
    private readonly store: SessionStore,
  ) {}

  async getAccessToken(): Promise<string | null> {
    const stored = this.store.read();
    if (stored) return stored.idToken;
    // After an explicit sign-out, stay signed out until the user signs in again.
    if (this.store.promptLogin) return null;
    try {
      return this.#remember(await this.pca.acquireTokenSilent({ scopes: NAA_SCOPES, ...this.#account() })).idToken;
    } catch {
      return null; // silent failed: the pane shows "Sign in", which calls signIn from a click
    }
  }

  async getAccount(): Promise<HostAccount | null> {
    return (await this.getAccessToken()) === null ? null : this.store.account();
  }

  async signIn(): Promise<SignInOutcome> {
    const request = { scopes: NAA_SCOPES, ...this.#account() };
    let result: AuthenticationResult;
    if (this.store.promptLogin) {
      result = await this.pca.acquireTokenPopup({ ...request, prompt: "select_account" });
    } else {
      try {
        result = await this.pca.acquireTokenSilent(request);
      } catch (error) {
        if (!(error instanceof InteractionRequiredAuthError)) throw error;
        result = await this.pca.acquireTokenPopup(request);
      }
    }
    this.#remember(result);
    return "signed-in";
  }

  async signOut(): Promise<void> {
    this.store.clear();
    await this.pca.clearCache();
  }

  #account(): { account?: AccountInfo } {
    const account = this.pca.getActiveAccount() ?? this.pca.getAllAccounts()[0];
    return account ? { account } : {};
  }

  #remember(result: AuthenticationResult): AuthenticationResult {
    this.pca.setActiveAccount(result.account);
    const claims = result.idTokenClaims as { sub?: string; email?: string; preferred_username?: string; name?: string; exp?: number };
    this.store.write({
      idToken: result.idToken,
      expiresAt: (claims.exp ?? 0) * 1000,
      account: {
        subject: claims.sub ?? result.uniqueId,
        ...(claims.email ?? claims.preferred_username ? { email: claims.email ?? claims.preferred_username } : {}),
        ...(claims.name ? { name: claims.name } : {}),
      },
    });
    return result;
  }
}
