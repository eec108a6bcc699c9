import type { HostAuth } from "../../shared/host/host";
import type { ClientConfig } from "../../shared/protocol/client-config";
import { chooseSignInMethod, entraAuthority } from "./choose-auth";
import { DialogAuth } from "./dialog-auth";
import { SessionStore } from "./session-store";

/**
 * Builds the add-in's `HostAuth` for this Outlook and this deployment's identity provider. MSAL is
 * loaded only when NAA is used: it is most of the add-in's script, and the dialog path (older
 * Outlooks, other providers, development) never needs it.
 */
export async function createOutlookAuth(config: ClientConfig, office: typeof Office): Promise<HostAuth> {
  const store = new SessionStore(window.localStorage);
  const naaSupported = office.context.requirements.isSetSupported("NestedAppAuth", "1.1");
  if (chooseSignInMethod(config, naaSupported) === "naa") {
    const [{ createNestablePublicClientApplication }, { NaaAuth }] = await Promise.all([import("@azure/msal-browser"), import("./naa-auth")]);
    const pca = await createNestablePublicClientApplication({ auth: { clientId: config.oidc.clientId, authority: entraAuthority(config.oidc.issuer) } });
    return new NaaAuth(pca, store);
  }
  return new DialogAuth({ ui: office.context.ui, store, origin: window.location.origin });
}
