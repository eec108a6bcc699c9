/**
 * The SmartCert link carried by the playground's sample email. Real tokens come from the backend,
 * so the link is configurable: open the playground with `?sampleLinkToken=<token>` (or come from a
 * public link page's "Sign in to save", which adds `?acceptPublicLink=<token>`) and the sample
 * email carries `${origin}/p/<token>`. The token is kept in sessionStorage so it survives the
 * sign-in redirect.
 */
const STORAGE_KEY = "smartcert-playground-sample-link-token";
/** Looks like a token but matches no cert: saving it shows how the pane handles a dead link. */
export const DEFAULT_SAMPLE_TOKEN = "pl_7Qm3xK9vT2bWd4Lh";
const TOKEN = /^[A-Za-z0-9_-]{16,200}$/;

export function samplePublicLink(origin: string, token: string = DEFAULT_SAMPLE_TOKEN): string {
  return `${origin.replace(/\/+$/, "")}/p/${token}`;
}

/** The sample link for this page: from the query string, else from the session, else the default. */
export function samplePublicLinkForPage(location: Pick<Location, "origin" | "search">, storage: Pick<Storage, "getItem" | "setItem">): string {
  const params = new URLSearchParams(location.search);
  const fromQuery = params.get("sampleLinkToken") ?? params.get("acceptPublicLink");
  if (fromQuery !== null && TOKEN.test(fromQuery)) storage.setItem(STORAGE_KEY, fromQuery);
  const token = storage.getItem(STORAGE_KEY);
  return samplePublicLink(location.origin, token !== null && TOKEN.test(token) ? token : DEFAULT_SAMPLE_TOKEN);
}
