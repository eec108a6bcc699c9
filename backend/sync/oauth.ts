import { withRetry, type RetryOptions } from "./retry";

/**
 * OAuth 2.0 offline access against a provider's token endpoint (RFC 6749 §4.1.3 and §6): exchange
 * the authorization code for a refresh token once, then a fresh access token before each sync.
 * `invalid_grant` means the user revoked consent or the token expired: the connection needs them.
 * Token values never appear in errors or logs.
 */
export interface OAuthClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}

/** A client that also starts the flow: the provider's authorization endpoint, where the user consents. */
export interface AuthorizingClient extends OAuthClient {
  authorizeUrl: string;
}

export class ConsentRevokedError extends Error {
  constructor() {
    super("the provider no longer accepts this mailbox's consent");
    this.name = "ConsentRevoked";
  }
}

export class TokenEndpointError extends Error {
  constructor(readonly status: number, readonly code: string) {
    super(`token endpoint answered ${status} ${code}`);
    this.name = "TokenEndpointError";
  }
}

export interface TokenSet {
  accessToken: string;
  /** Present when the provider rotates refresh tokens. */
  refreshToken: string | undefined;
}

async function tokenRequest(client: OAuthClient, form: Record<string, string>, retry?: RetryOptions): Promise<TokenSet & { raw: Record<string, unknown> }> {
  return withRetry(async () => {
    const response = await fetch(client.tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, ...form }),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      if (body.error === "invalid_grant") throw new ConsentRevokedError();
      const error = new TokenEndpointError(response.status, typeof body.error === "string" ? body.error : "unknown");
      Object.assign(error, { statusCode: response.status, headers: response.headers });
      throw error;
    }
    if (typeof body.access_token !== "string") throw new TokenEndpointError(response.status, "no_access_token");
    return { accessToken: body.access_token, refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : undefined, raw: body };
  }, retry);
}

export async function exchangeCode(client: OAuthClient, code: string, redirectUri: string, codeVerifier: string | undefined, retry?: RetryOptions): Promise<TokenSet> {
  const tokens = await tokenRequest(client, { grant_type: "authorization_code", code, redirect_uri: redirectUri, ...(codeVerifier ? { code_verifier: codeVerifier } : {}) }, retry);
  if (!tokens.refreshToken) throw new TokenEndpointError(200, "no_refresh_token_offline_access_not_granted");
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

export async function refreshAccessToken(client: OAuthClient, refreshToken: string, retry?: RetryOptions): Promise<TokenSet> {
  const tokens = await tokenRequest(client, { grant_type: "refresh_token", refresh_token: refreshToken, scope: client.scopes.join(" ") }, retry);
  return { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
}

/**
 * Revokes a refresh token (RFC 7009 style, as Google's `oauth2.googleapis.com/revoke` takes it:
 * form field `token`). Google answers 200, or 400 `invalid_token` when the token is already gone,
 * which is the outcome we wanted too.
 */
export async function revokeToken(revokeUrl: string, token: string): Promise<void> {
  const response = await fetch(revokeUrl, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  if (response.ok || response.status === 400) return;
  throw new TokenEndpointError(response.status, "revoke_failed");
}
