import * as oauth from "oauth4webapi";
import { redeemAuthorizationCode } from "./code-redemption";
import { z } from "zod";
import type { HostAccount, HostAuth, SignInOptions, SignInOutcome } from "../host/host";

/**
 * Browser sign-in against an OpenID provider: authorization code flow with PKCE (S256), state and
 * nonce, done with oauth4webapi. Used where the pane runs as a plain web page (the playground);
 * Outlook and Gmail adapters do their own host sign-in and implement `HostAuth` themselves.
 *
 * Flow: `signIn()` stores state, nonce and code_verifier in sessionStorage and navigates to the
 * provider. The provider redirects back to `redirectUri` with `?code&state&iss`; on that page load
 * the first `getAccessToken()` (or an explicit `handleRedirectCallback()`) checks the response,
 * redeems the code, validates the ID token (issuer, audience, nonce, expiry) and removes the
 * OAuth parameters from the address bar. The ID token — the bearer the SmartCert API accepts — is
 * kept in sessionStorage with its expiry, so it is gone when the tab closes.
 */

export interface OidcClientOptions {
  /** Issuer identifier, e.g. `http://localhost:3000/oidc`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Must be registered with the provider exactly; for the playground `${location.origin}/`. */
  readonly redirectUri: string;
  /** Default `window.sessionStorage`. */
  readonly storage?: Storage;
  /** The page's location and history; default `window.location` / `window.history`. */
  readonly location?: Pick<Location, "href" | "assign">;
  readonly history?: Pick<History, "replaceState" | "state">;
  /** Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** The backend's code exchange, when the client config says `codeExchange: "backend"`. */
  readonly backendExchangeUrl?: string | undefined;
  /** Clock in ms, for tests. Default `Date.now`. */
  readonly now?: () => number;
}

export type OidcErrorCode =
  /** The provider's metadata could not be fetched or is invalid. */
  | "discovery-failed"
  /** The provider answered the authorization request with an error (e.g. `access_denied`). */
  | "authorization-denied"
  /** The redirect back did not match what this tab started (state, issuer), or the code exchange / ID token failed validation. */
  | "callback-failed";

export class OidcError extends Error {
  override readonly name = "OidcError";
  readonly code: OidcErrorCode;

  constructor(code: OidcErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export type CallbackResult = "signed-in" | "not-a-callback";

const storageKeys = {
  pending: "smartcert.oidc.pending",
  session: "smartcert.oidc.session",
  promptLogin: "smartcert.oidc.prompt-login",
} as const;

/** OAuth parameters the provider may add to the redirect URI; removed from the address bar after use. */
const callbackParams = ["code", "state", "iss", "session_state", "error", "error_description", "error_uri"];

/** Treat a token as expired this long before its `exp`, so a request does not race the expiry. */
const expirySkewMs = 30_000;

const pendingSchema = z.object({
  issuer: z.string(),
  state: z.string(),
  nonce: z.string(),
  codeVerifier: z.string(),
  redirectUri: z.string(),
});
type PendingSignIn = z.infer<typeof pendingSchema>;

const sessionSchema = z.object({
  issuer: z.string(),
  idToken: z.string(),
  /** Epoch ms from the ID token's `exp`. */
  expiresAt: z.number(),
  account: z.object({ subject: z.string(), email: z.string().optional(), name: z.string().optional() }),
});
type StoredSession = z.infer<typeof sessionSchema>;

/**
 * oauth4webapi only talks to https endpoints. The local development provider is plain http on
 * localhost, so allow http only when the issuer is this machine; any other http issuer is refused.
 */
export function allowsInsecureRequests(issuer: URL): boolean {
  return issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
}

export class OidcClient implements HostAuth {
  readonly #issuer: URL;
  readonly #client: oauth.Client;
  readonly #options: OidcClientOptions;
  readonly #http: {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- opt-in for a localhost issuer only (allowsInsecureRequests)
    [oauth.allowInsecureRequests]: boolean;
    [oauth.customFetch]?: (url: string, init: RequestInit) => Promise<Response>;
  };
  #metadata: Promise<oauth.AuthorizationServer> | undefined;
  #callback: Promise<CallbackResult> | undefined;
  #callbackErrorReported = false;

  constructor(options: OidcClientOptions) {
    this.#options = options;
    this.#issuer = new URL(options.issuer);
    this.#client = { client_id: options.clientId };
    const customFetch = options.fetch;
    this.#http = {
      // oauth4webapi refuses http endpoints unless told otherwise. The local development provider
      // is http://localhost, so allow http exactly when the issuer is this machine (never otherwise).
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- see allowsInsecureRequests
      [oauth.allowInsecureRequests]: allowsInsecureRequests(this.#issuer),
      ...(customFetch ? { [oauth.customFetch]: (url: string, init: RequestInit) => customFetch(url, init) } : {}),
    };
  }

  /**
   * Completes a sign-in if this page load is the provider's redirect back; otherwise does nothing.
   * Runs once per client (safe to call from effects that run twice); later calls return the first
   * result. Rejects with `OidcError` when the redirect carries an error or fails validation; the
   * address bar is cleaned either way.
   */
  handleRedirectCallback(): Promise<CallbackResult> {
    this.#callback ??= this.#completeCallback();
    return this.#callback;
  }

  /** The ID token (the bearer the SmartCert API accepts) while it is valid, else null. */
  async getAccessToken(): Promise<string | null> {
    await this.#callbackSettled();
    return this.#readSession()?.idToken ?? null;
  }

  async getAccount(): Promise<HostAccount | null> {
    await this.#callbackSettled();
    return this.#readSession()?.account ?? null;
  }

  /** Navigates to the provider; resolves with `redirecting` (the page then unloads). */
  async signIn(options?: SignInOptions): Promise<SignInOutcome> {
    const as = await this.#discover();
    if (!as.authorization_endpoint) throw new OidcError("discovery-failed", "The provider has no authorization endpoint.");
    const pending: PendingSignIn = {
      issuer: as.issuer,
      state: oauth.generateRandomState(),
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
      redirectUri: this.#options.redirectUri,
    };
    const url = new URL(as.authorization_endpoint);
    url.searchParams.set("client_id", this.#client.client_id);
    url.searchParams.set("redirect_uri", pending.redirectUri);
    url.searchParams.set("response_type", "code");
    url.searchParams.set("scope", this.#options.scopes.join(" "));
    url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
    url.searchParams.set("code_challenge_method", "S256");
    url.searchParams.set("state", pending.state);
    url.searchParams.set("nonce", pending.nonce);
    const storage = this.#storage();
    // After an explicit sign-out, make the provider ask again instead of silently reusing its session.
    if (options?.forceAccountChoice === true || storage.getItem(storageKeys.promptLogin) !== null) {
      url.searchParams.set("prompt", "login");
    }
    storage.setItem(storageKeys.pending, JSON.stringify(pending));
    this.#location().assign(url.href);
    return "redirecting";
  }

  signOut(): Promise<void> {
    const storage = this.#storage();
    storage.removeItem(storageKeys.session);
    storage.removeItem(storageKeys.pending);
    storage.setItem(storageKeys.promptLogin, "1");
    return Promise.resolve();
  }

  // --- internals ---

  /**
   * Waits for callback handling. A failed callback is thrown to the first caller only (so the
   * pane can say sign-in did not complete); after that the tab is simply signed out.
   */
  async #callbackSettled(): Promise<void> {
    try {
      await this.handleRedirectCallback();
    } catch (error) {
      if (this.#callbackErrorReported) return;
      this.#callbackErrorReported = true;
      throw error;
    }
  }

  #discover(): Promise<oauth.AuthorizationServer> {
    this.#metadata ??= (async () => {
      try {
        const response = await oauth.discoveryRequest(this.#issuer, this.#http);
        return await oauth.processDiscoveryResponse(this.#issuer, response);
      } catch (error) {
        this.#metadata = undefined; // let a later attempt retry
        throw new OidcError("discovery-failed", `Could not read the OpenID configuration of ${this.#issuer.href}.`, {
          cause: error,
        });
      }
    })();
    return this.#metadata;
  }

  async #completeCallback(): Promise<CallbackResult> {
    const currentUrl = new URL(this.#location().href);
    const params = currentUrl.searchParams;
    if (!params.has("state") || !(params.has("code") || params.has("error"))) return "not-a-callback";

    const storage = this.#storage();
    const pending = parseStored(storage, storageKeys.pending, pendingSchema);
    storage.removeItem(storageKeys.pending);
    try {
      if (!pending) throw new OidcError("callback-failed", "No sign-in was started in this tab.");
      const as = await this.#discover();
      let callbackParameters: URLSearchParams;
      try {
        callbackParameters = oauth.validateAuthResponse(as, this.#client, currentUrl, pending.state);
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) {
          throw new OidcError("authorization-denied", error.error_description ?? error.error, { cause: error });
        }
        throw error;
      }
      const redeemed = await redeemAuthorizationCode({
        as,
        client: this.#client,
        callbackParameters,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
        nonce: pending.nonce,
        http: this.#http,
        backendExchangeUrl: this.#options.backendExchangeUrl,
        fetch: this.#options.fetch,
      });
      const session: StoredSession = { issuer: this.#issuer.href, ...redeemed };
      storage.setItem(storageKeys.session, JSON.stringify(session));
      storage.removeItem(storageKeys.promptLogin);
      return "signed-in";
    } catch (error) {
      if (error instanceof OidcError) throw error;
      throw new OidcError("callback-failed", "Sign-in could not be completed.", { cause: error });
    } finally {
      this.#cleanAddressBar(currentUrl);
    }
  }

  #cleanAddressBar(currentUrl: URL): void {
    const clean = new URL(currentUrl.href);
    for (const name of callbackParams) clean.searchParams.delete(name);
    const history = this.#options.history ?? window.history;
    history.replaceState(history.state, "", `${clean.pathname}${clean.search}${clean.hash}`);
  }

  #readSession(): StoredSession | null {
    const storage = this.#storage();
    const session = parseStored(storage, storageKeys.session, sessionSchema);
    if (!session) return null;
    const now = (this.#options.now ?? Date.now)();
    if (session.issuer !== this.#issuer.href || session.expiresAt - expirySkewMs <= now) {
      storage.removeItem(storageKeys.session);
      return null;
    }
    return session;
  }

  #storage(): Storage {
    return this.#options.storage ?? window.sessionStorage;
  }

  #location(): Pick<Location, "href" | "assign"> {
    return this.#options.location ?? window.location;
  }
}

export function createOidcClient(options: OidcClientOptions): OidcClient {
  return new OidcClient(options);
}

/** Reads and validates a JSON value from storage; drops it if it is not what we wrote. */
function parseStored<S extends z.ZodType>(storage: Storage, key: string, schema: S): z.output<S> | null {
  const raw = storage.getItem(key);
  if (raw === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: not JSON
  }
  storage.removeItem(key);
  return null;
}
