import { createNestablePublicClientApplication } from "@azure/msal-browser";
import type { HostAuth } from "../../shared/host/host";
import type { ClientConfig } from "../../shared/protocol/client-config";
import { chooseSignInMethod, entraAuthority } from "./choose-auth";
import { DialogAuth } from "./dialog-auth";
import { NaaAuth } from "./naa-auth";
import { SessionStore } from "./session-store";

/** Builds the add-in's `HostAuth` for this Outlook and this deployment's identity provider. */
export async function createOutlookAuth(config: ClientConfig, office: typeof Office): Promise<HostAuth> {
  const store = new SessionStore(window.localStorage);
  const naaSupported = office.context.requirements.isSetSupported("NestedAppAuth", "1.1");
  if (chooseSignInMethod(config, naaSupported) === "naa") {
    const pca = await createNestablePublicClientApplication({ auth: { clientId: config.oidc.clientId, authority: entraAuthority(config.oidc.issuer) } });
    return new NaaAuth(pca, store);
  }
  return new DialogAuth({ ui: office.context.ui, store, origin: window.location.origin });
}
