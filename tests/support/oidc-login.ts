// A headless walk through the local OpenID provider's sign-in, for tests that need real tokens for
// demo users from a running server. Plain fetch with a small cookie jar and manual redirects, no
// browser: authorization request with PKCE, the dev sign-in page, its form post, the redirect back
// to the client with a code, and the code exchange, with oauth4webapi as the client library.
import * as oauth from "oauth4webapi";

export interface LocalSignInOptions {
  /** The provider's issuer, e.g. "http://127.0.0.1:3000/oidc". */
  issuer: string;
  clientId: string;
  /** One of the client's registered redirect URIs; never fetched, only recognised in a Location. */
  redirectUri: string;
  email: string;
  /** Press the listed account's button for `email` instead of typing it into the free-form field. */
  accountButton?: boolean;
  /** Defaults to "openid email profile offline_access" (offline_access yields a refresh token). */
  scope?: string;
}

export interface LocalSignInTokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
}

/** What the walk ends with before the code exchange; tests use it to exchange codes themselves. */
export interface LocalAuthorization {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  redirectUri: string;
  callbackParameters: URLSearchParams;
  codeVerifier: string;
  nonce: string;
}

// The provider is plain http in dev and tests; oauth4webapi refuses http unless told otherwise.
// The flag is marked deprecated only "to make it stand out"; it is the documented way for local tests.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const insecure = { [oauth.allowInsecureRequests]: true } as const;
const MAX_HOPS = 10;

export async function signInWithLocalProvider(opts: LocalSignInOptions): Promise<LocalSignInTokens> {
  const authorization = await authorizeWithLocalProvider(opts);
  return exchangeLocalAuthorizationCode(authorization, authorization.codeVerifier);
}

/** Exchanges the code; pass another verifier to check that PKCE is enforced. */
export async function exchangeLocalAuthorizationCode(authorization: LocalAuthorization, codeVerifier: string): Promise<LocalSignInTokens> {
  const { as, client, redirectUri, callbackParameters, nonce } = authorization;
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callbackParameters, redirectUri, codeVerifier, insecure);
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
  if (result.id_token === undefined) throw new Error("the token response has no id_token");
  return { idToken: result.id_token, accessToken: result.access_token, ...(result.refresh_token ? { refreshToken: result.refresh_token } : {}) };
}

/** Runs the browser part of the flow and returns the validated callback parameters (with the code). */
export async function authorizeWithLocalProvider(opts: LocalSignInOptions): Promise<LocalAuthorization> {
  const issuerUrl = new URL(opts.issuer);
  const as = await oauth.processDiscoveryResponse(issuerUrl, await oauth.discoveryRequest(issuerUrl, { algorithm: "oidc", ...insecure }));
  if (as.authorization_endpoint === undefined) throw new Error("discovery has no authorization_endpoint");
  const client: oauth.Client = { client_id: opts.clientId, token_endpoint_auth_method: "none" };

  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const scope = opts.scope ?? "openid email profile offline_access";
  const authorizationUrl = new URL(as.authorization_endpoint);
  authorizationUrl.search = new URLSearchParams({
    response_type: "code",
    client_id: opts.clientId,
    redirect_uri: opts.redirectUri,
    scope,
    state,
    nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    // OpenID Connect grants offline_access only together with prompt=consent.
    ...(scope.split(" ").includes("offline_access") ? { prompt: "consent" } : {}),
  }).toString();

  const jar = new CookieJar();
  let landing = await follow(jar, authorizationUrl, { method: "GET" }, opts.redirectUri);
  if (landing.callback) throw new Error("the provider redirected back without showing the sign-in page");
  const page = await landing.response.text();
  if (landing.response.status !== 200) throw new Error(`sign-in page answered ${landing.response.status}: ${page.slice(0, 200)}`);

  const form = chooseForm(parseForms(page), opts);
  const body = new URLSearchParams(form.fields);
  const action = new URL(form.action || landing.url.href, landing.url);
  landing = await follow(jar, action, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }, opts.redirectUri);
  if (!landing.callback) {
    throw new Error(`signing in did not return to the client (status ${landing.response.status}): ${(await landing.response.text()).slice(0, 200)}`);
  }
  const callbackParameters = oauth.validateAuthResponse(as, client, landing.callback, state);
  return { as, client, redirectUri: opts.redirectUri, callbackParameters, codeVerifier, nonce };
}

interface Landing {
  url: URL;
  response: Response;
  /** Set when a redirect pointed at the client's redirect URI (which is not fetched). */
  callback?: URL;
}

/** Fetches `url`, following redirects by hand (to carry cookies) until a page or the client's redirect URI. */
async function follow(jar: CookieJar, url: URL, init: RequestInit, redirectUri: string): Promise<Landing> {
  const target = new URL(redirectUri);
  let current = url;
  let request = init;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const cookie = jar.header(current);
    const response = await fetch(current, { ...request, redirect: "manual", headers: { ...(request.headers as Record<string, string> | undefined), ...(cookie ? { cookie } : {}) } });
    jar.store(response.headers.getSetCookie());
    const location = response.headers.get("location");
    if (response.status < 300 || response.status > 399 || location === null) return { url: current, response };
    await response.body?.cancel();
    const next = new URL(location, current);
    if (next.origin === target.origin && next.pathname === target.pathname) return { url: current, response, callback: next };
    current = next;
    request = { method: "GET" }; // 302/303 turn a POST into a GET, as browsers do
  }
  throw new Error(`more than ${MAX_HOPS} redirects from ${url.href}`);
}

interface ParsedForm {
  action: string;
  fields: Array<[string, string]>;
  text: string;
  hasEmailInput: boolean;
}

function chooseForm(forms: ParsedForm[], opts: LocalSignInOptions): ParsedForm {
  const email = opts.email.trim().toLowerCase();
  if (opts.accountButton === true) {
    const form = forms.find((candidate) => candidate.text.toLowerCase().includes(email) && candidate.fields.some(([name]) => name === "sub"));
    if (!form) throw new Error(`the sign-in page lists no account with email ${opts.email}`);
    return form;
  }
  const form = forms.find((candidate) => candidate.hasEmailInput);
  if (!form) throw new Error("the sign-in page has no email field");
  return { ...form, fields: [...form.fields.filter(([name]) => name !== "email"), ["email", opts.email]] };
}

/** Just enough HTML form parsing for the provider's own, known page (it has no scripts or nesting). */
function parseForms(html: string): ParsedForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/giu)].map(([, attributes = "", inner = ""]) => {
    const fields: Array<[string, string]> = [];
    let hasEmailInput = false;
    for (const [, inputAttributes = ""] of inner.matchAll(/<input\b([^>]*)>/giu)) {
      const name = attribute(inputAttributes, "name");
      if (name === undefined) continue;
      if (name === "email") hasEmailInput = true;
      fields.push([name, attribute(inputAttributes, "value") ?? ""]);
    }
    return { action: attribute(attributes, "action") ?? "", fields, text: decodeEntities(inner.replace(/<[^>]*>/gu, " ")), hasEmailInput };
  });
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "iu").exec(attributes);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : decodeEntities(value);
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/giu, (entity, body: string) => {
    if (body.startsWith("#x") || body.startsWith("#X")) return String.fromCodePoint(Number.parseInt(body.slice(2), 16));
    if (body.startsWith("#")) return String.fromCodePoint(Number.parseInt(body.slice(1), 10));
    return named[body.toLowerCase()] ?? entity;
  });
}

/** Cookies by name and path for one host, which is all the provider's flow needs (no domain scoping). */
class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = "/";
      let expired = value === "";
      for (const attribute of attributes) {
        const [key = "", attributeValue = ""] = attribute.split("=").map((part) => part.trim());
        if (key.toLowerCase() === "path" && attributeValue.startsWith("/")) path = attributeValue;
        if (key.toLowerCase() === "max-age" && Number(attributeValue) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const key = `${name};${path}`;
      if (expired) this.#cookies.delete(key);
      else this.#cookies.set(key, { name, value, path });
    }
  }

  header(url: URL): string | undefined {
    const matching = [...this.#cookies.values()].filter(
      ({ path }) => url.pathname === path || url.pathname.startsWith(path.endsWith("/") ? path : `${path}/`),
    );
    return matching.length > 0 ? matching.map(({ name, value }) => `${name}=${value}`).join("; ") : undefined;
  }
}
