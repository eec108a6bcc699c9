import type { HostAccount, HostAuth, SignInOptions, SignInOutcome } from "../../shared/host/host";
import { askWorker } from "../common/worker-client";

/**
 * `HostAuth` for the sidebar: every question goes to the service worker, which signs in with
 * `chrome.identity.launchWebAuthFlow` and keeps the session in `storage.session`. The sidebar holds
 * no token of its own beyond the request it is making.
 */
export class ExtensionAuth implements HostAuth {
  async getAccessToken(): Promise<string | null> {
    return (await askWorker({ type: "auth/get-token" })).token;
  }

  async getAccount(): Promise<HostAccount | null> {
    return (await askWorker({ type: "auth/get-account" })).account;
  }

  async signIn(options?: SignInOptions): Promise<SignInOutcome> {
    const answer = await askWorker({ type: "auth/sign-in", ...(options?.forceAccountChoice === undefined ? {} : { forceAccountChoice: options.forceAccountChoice }) });
    if ("error" in answer) throw new Error(`Sign-in failed: ${answer.error}`);
    return answer.outcome;
  }

  async signOut(): Promise<void> {
    await askWorker({ type: "auth/sign-out" });
  }
}
