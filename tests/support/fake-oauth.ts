import { createHash, randomBytes } from "node:crypto";
import type http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The OAuth 2.0 pieces both fake mail providers share: the authorization endpoint (RFC 6749 §4.1.1
 * with PKCE, RFC 7636), the token endpoint with authorization_code and refresh_token grants
 * (§4.1.3, §6; `invalid_grant` once consent is revoked), a revocation endpoint as Google's, and
 * the small HTTP helpers the fake servers use.
 */
export interface FakeAuthorizeOptions {
  /** Scopes a consent request must ask for (each one, any order). */
  scopes: string[];
  /** Further query parameters the provider requires, e.g. Google's access_type=offline. */
  parameters?: Record<string, string>;
}

interface IssuedCode {
  refresh: string;
  /** The provider account that consented: its tokens read that account's mailbox. */
  account?: string;
  /** Set when the code came from the authorization endpoint: the exchange must then match. */
  redirectUri?: string;
  codeChallenge?: string;
}

/** OAuth endpoints shared by both fakes. */
export class FakeTokenEndpoint {
  readonly #codes = new Map<string, IssuedCode>();
  /** Token → the account it was granted by (undefined for codes issued without one). */
  readonly #refresh = new Map<string, string | undefined>();
  readonly #access = new Map<string, string | undefined>();
  /** Every grant_type seen, for assertions. */
  readonly grants: string[] = [];
  /** Redirect URIs registered for the client, as at a real provider; authorization requests must use one. */
  readonly redirectUris = new Set<string>();
  /** What the fake user answers on the consent screen. */
  consent: "allow" | "deny" = "allow";
  /** Who is signed in at the provider when consent is given (or a code issued): the mailbox owner. */
  account: string;
  /** Every authorization request's query, for assertions. */
  readonly authorizations: URLSearchParams[] = [];
  /** Tokens revoked through the revocation endpoint. */
  readonly revoked: string[] = [];

  constructor(readonly clientId: string, readonly clientSecret: string, readonly authorizeOptions: FakeAuthorizeOptions = { scopes: [] }, account = "buyer@example.com") {
    this.account = account;
  }

  /** An authorization code as the provider's consent screen would hand back to the pane. */
  issueCode(binding: Omit<IssuedCode, "refresh"> = {}): string {
    const code = `code-${randomBytes(8).toString("hex")}`;
    this.#codes.set(code, { refresh: `refresh-${randomBytes(12).toString("hex")}`, account: this.account, ...binding });
    return code;
  }

  revokeAll(): void {
    this.#refresh.clear();
    this.#access.clear();
  }

  validAccess(header: string | undefined): boolean {
    const token = header?.replace(/^Bearer /i, "");
    return token !== undefined && this.#access.has(token);
  }

  /** The account whose consent granted this bearer token; undefined when the token is not valid. */
  accountOf(header: string | undefined): string | undefined {
    const token = header?.replace(/^Bearer /i, "");
    return token === undefined ? undefined : this.#access.get(token);
  }

  get refreshTokens(): string[] {
    return [...this.#refresh.keys()];
  }

  /**
   * GET on the authorization endpoint: the consent screen, answered at once by `consent`. A bad
   * client_id or redirect_uri gets an error page and no redirect (RFC 6749 §4.1.2.1); other
   * problems go back to the redirect URI as `error`.
   */
  authorize(url: URL, res: http.ServerResponse): true {
    const q = url.searchParams;
    this.authorizations.push(new URLSearchParams(q));
    const redirectUri = q.get("redirect_uri") ?? "";
    if (q.get("client_id") !== this.clientId || !this.redirectUris.has(redirectUri)) {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("fake authorization endpoint: unknown client or unregistered redirect_uri");
      return true;
    }
    const back = (params: Record<string, string>) => {
      const target = new URL(redirectUri);
      for (const [name, value] of Object.entries({ ...params, ...(q.has("state") ? { state: q.get("state") ?? "" } : {}) })) target.searchParams.set(name, value);
      res.writeHead(302, { location: target.toString() });
      res.end();
      return true as const;
    };
    const scopes = new Set((q.get("scope") ?? "").split(" "));
    if (q.get("response_type") !== "code") return back({ error: "unsupported_response_type" });
    if (!this.authorizeOptions.scopes.every((s) => scopes.has(s))) return back({ error: "invalid_scope" });
    const challenge = q.get("code_challenge") ?? "";
    if (q.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back({ error: "invalid_request" });
    for (const [name, value] of Object.entries(this.authorizeOptions.parameters ?? {})) if (q.get(name) !== value) return back({ error: "invalid_request" });
    if (this.consent === "deny") return back({ error: "access_denied", error_description: "The user denied the request." });
    return back({ code: this.issueCode({ redirectUri, codeChallenge: challenge, account: this.account }) });
  }

  /** POST on a revocation endpoint (Google's shape: form field `token`; 400 invalid_token when unknown). */
  revoke(form: URLSearchParams, res: http.ServerResponse): true {
    const token = form.get("token") ?? "";
    if (!this.#refresh.delete(token)) return json(res, 400, { error: "invalid_token" });
    this.revoked.push(token);
    return json(res, 200, {});
  }

  handle(form: URLSearchParams, res: http.ServerResponse): true {
    const fail = (error: string) => json(res, 400, { error, error_description: "fake token endpoint refused the grant" });
    if (form.get("client_id") !== this.clientId || form.get("client_secret") !== this.clientSecret) return json(res, 401, { error: "invalid_client" });
    const grant = form.get("grant_type") ?? "";
    this.grants.push(grant);
    let refresh: string | undefined;
    let account: string | undefined;
    if (grant === "authorization_code") {
      const issued = this.#codes.get(form.get("code") ?? "");
      this.#codes.delete(form.get("code") ?? "");
      if (!issued) return fail("invalid_grant");
      if (issued.redirectUri !== undefined && form.get("redirect_uri") !== issued.redirectUri) return fail("invalid_grant");
      // PKCE (RFC 7636 §4.6): the verifier must hash to the challenge the authorization request carried.
      if (issued.codeChallenge !== undefined && createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url") !== issued.codeChallenge) return fail("invalid_grant");
      refresh = issued.refresh;
      account = issued.account;
      this.#refresh.set(refresh, account);
    } else if (grant === "refresh_token") {
      refresh = form.get("refresh_token") ?? "";
      if (!this.#refresh.has(refresh)) return fail("invalid_grant");
      account = this.#refresh.get(refresh);
    } else return fail("unsupported_grant_type");
    const access = `access-${randomBytes(12).toString("hex")}`;
    this.#access.set(access, account);
    return json(res, 200, { token_type: "Bearer", expires_in: 3600, access_token: access, ...(grant === "authorization_code" ? { refresh_token: refresh } : {}) });
  }
}

/** Answers with JSON; returns true so route handlers can `return json(…)`. */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): true {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
  return true;
}

export async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops a test server at once: open keep-alive connections are closed rather than waited for. */
export async function close(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
    server.closeAllConnections();
  });
}
