import * as oauth from "oauth4webapi";
import { codeExchangeResultSchema } from "../protocol/client-config";
import { problemSchema } from "../protocol/problem";

/** What a completed sign-in keeps: the ID token (the API's bearer), its expiry, and who it is. */
export interface RedeemedSignIn {
  idToken: string;
  /** Epoch ms from the ID token's `exp`. */
  expiresAt: number;
  account: { subject: string; email?: string; name?: string };
}

export interface CodeRedemption {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  /** From `oauth.validateAuthResponse`: the checked redirect parameters carrying the code. */
  callbackParameters: URLSearchParams;
  redirectUri: string;
  codeVerifier: string;
  nonce: string;
  http: oauth.HttpRequestOptions<"POST", URLSearchParams>;
  /**
   * The backend's `exchangeAuthorizationCode` URL when the provider insists on a client secret
   * (client config `codeExchange: "backend"`); otherwise the client redeems the code itself.
   */
  backendExchangeUrl?: string | undefined;
  /** For the backend exchange; default the global `fetch`. */
  fetch?: typeof fetch | undefined;
}

/**
 * Redeems an authorization code (PKCE) and validates the token response — issuer, audience, nonce,
 * expiry of the ID token — whichever way the code travelled. The backend exchange passes the
 * provider's answer through, so it is validated exactly as a direct answer would be.
 */
export async function redeemAuthorizationCode(r: CodeRedemption): Promise<RedeemedSignIn> {
  const response = r.backendExchangeUrl
    ? await exchangeThroughBackend(r.backendExchangeUrl, r)
    : await oauth.authorizationCodeGrantRequest(r.as, r.client, oauth.None(), r.callbackParameters, r.redirectUri, r.codeVerifier, r.http);
  const result = await oauth.processAuthorizationCodeResponse(r.as, r.client, response, { expectedNonce: r.nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(result);
  if (!claims || result.id_token === undefined) throw new Error("The OpenID provider sent no ID token.");
  return {
    idToken: result.id_token,
    expiresAt: claims.exp * 1000,
    account: {
      subject: claims.sub,
      ...(typeof claims.email === "string" ? { email: claims.email } : {}),
      ...(typeof claims.name === "string" ? { name: claims.name } : {}),
    },
  };
}

async function exchangeThroughBackend(url: string, r: CodeRedemption): Promise<Response> {
  const code = r.callbackParameters.get("code");
  if (code === null) throw new Error("The redirect carried no authorization code.");
  const response = await (r.fetch ?? fetch)(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code, codeVerifier: r.codeVerifier, redirectUri: r.redirectUri }),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const problem = problemSchema.safeParse(body);
    throw new Error(problem.success ? problem.data.title : `The code exchange failed (HTTP ${response.status}).`);
  }
  const tokens = codeExchangeResultSchema.parse(body);
  // oauth4webapi validates a token endpoint Response; hand it the provider's answer as one.
  return new Response(JSON.stringify(tokens), { status: 200, headers: { "content-type": "application/json" } });
}
