/**
 * Which sign-in the add-in uses. Nested App Authentication only works with Microsoft Entra ID
 * (MSAL brokers Entra tokens through Outlook) and only where Outlook supports it
 * (`NestedAppAuth 1.1`); every other case — older Outlooks, or another OpenID provider such as the
 * local development provider — uses the Office dialog with the authorization code flow.
 */
export type SignInMethod = "naa" | "dialog";

const entraHosts = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn"]);

export function isEntraIssuer(issuer: string): boolean {
  const url = URL.parse(issuer);
  return url !== null && url.protocol === "https:" && entraHosts.has(url.hostname);
}

/** `config` is the deployment's client configuration (`GET /api/v1/config`); only its issuer matters here. */
export function chooseSignInMethod(config: { readonly oidc: { readonly issuer: string } }, naaSupported: boolean): SignInMethod {
  return naaSupported && isEntraIssuer(config.oidc.issuer) ? "naa" : "dialog";
}

/** Entra's v2.0 issuer is `https://login.microsoftonline.com/<tenant>/v2.0`; MSAL wants the authority without `/v2.0`. */
export function entraAuthority(issuer: string): string {
  return issuer.replace(/\/v2\.0\/?$/u, "");
}
