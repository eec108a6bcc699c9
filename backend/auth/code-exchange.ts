import fs from "node:fs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import * as oauth from "oauth4webapi";
import { codeExchangeBodySchema, codeExchangeResultSchema } from "../../shared/protocol/client-config";
import { problemTypes } from "../../shared/protocol/problem";
import { errorResponses } from "../http/route-schemas";
import { ProblemError, problems } from "../http/problem";
import { TokenRejected, type TokenVerifier } from "./token-verifier";

/**
 * The authorization code exchange for clients that cannot keep a secret (the Gmail extension)
 * when the provider insists on one for the code exchange (Google's web clients do, PKCE or not).
 * The client runs the whole authorization request itself (state, nonce, PKCE) and posts only the
 * code, its verifier and its redirect URI here; the backend adds the client secret, redeems the
 * code at the provider, checks the ID token like any bearer token, and answers with the token
 * response, which the client validates as if it came from the provider (nonce included).
 *
 * Not an open proxy: only the configured issuer's token endpoint, only listed redirect URIs,
 * rate-limited per IP by the global limit, and nothing is stored or logged.
 */
export interface CodeExchangeOptions {
  issuer: string;
  clientId: string;
  clientSecretFile: string;
  redirectUris: readonly string[];
  verifier: TokenVerifier;
}

export function registerCodeExchange(app: FastifyInstance, options: CodeExchangeOptions): void {
  const clientSecret = readSecret(options.clientSecretFile);
  const issuer = new URL(options.issuer);
  const http = {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- only a localhost issuer (the dev provider) over http
    [oauth.allowInsecureRequests]: issuer.protocol === "http:" && ["localhost", "127.0.0.1"].includes(issuer.hostname),
  };
  let discovered: Promise<oauth.AuthorizationServer> | undefined;
  const authorizationServer = () => {
    discovered ??= oauth.discoveryRequest(issuer, http).then((response) => oauth.processDiscoveryResponse(issuer, response));
    // A failed discovery (provider down) must not stick.
    discovered.catch(() => (discovered = undefined));
    return discovered;
  };

  app.withTypeProvider<ZodTypeProvider>().post("/api/v1/auth/code-exchange", {
    schema: {
      operationId: "exchangeAuthorizationCode",
      tags: ["system"],
      summary: "Redeem an authorization code with the backend's client secret (for clients that cannot keep one)",
      body: codeExchangeBodySchema,
      response: { 200: codeExchangeResultSchema, ...errorResponses },
    },
    handler: async (request) => {
      const { code, codeVerifier, redirectUri } = request.body;
      if (!options.redirectUris.includes(redirectUri)) {
        throw problems.badRequest("This redirect URI is not registered for the backend code exchange", "Set OIDC_EXCHANGE_REDIRECT_URIS on the backend.");
      }
      let as: oauth.AuthorizationServer;
      try {
        as = await authorizationServer();
      } catch {
        throw new ProblemError(503, problemTypes.unavailable, "The sign-in provider could not be reached", "Try again in a moment.");
      }
      const client: oauth.Client = { client_id: options.clientId };
      // The client that started the flow checked the redirect (state, and `iss` where the provider
      // sends it, RFC 9207) before posting here; rebuild what oauth4webapi wants to have checked.
      const callbackParameters = oauth.validateAuthResponse(as, client, new URLSearchParams({ code, iss: as.issuer }), oauth.skipStateCheck);
      const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(clientSecret), callbackParameters, redirectUri, codeVerifier, http);
      const body: unknown = await response.json().catch(() => ({}));
      const answer = codeExchangeResultSchema.safeParse(body);
      if (!response.ok || !answer.success) {
        // The provider's error code (invalid_grant, …) helps the client; its description may echo input, so it stays out.
        const error = typeof (body as { error?: unknown }).error === "string" ? (body as { error: string }).error : `status ${response.status}`;
        throw problems.badRequest(`The sign-in provider refused the code (${error})`, "Sign in again.");
      }
      try {
        await options.verifier.verify(answer.data.id_token);
      } catch (error) {
        if (error instanceof TokenRejected) throw problems.unauthenticated();
        throw error;
      }
      return answer.data;
    },
  });
}

function readSecret(file: string): string {
  let secret: string;
  try {
    secret = fs.readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`OIDC_CLIENT_SECRET_FILE: cannot read ${file}`);
  }
  if (secret.length === 0) throw new Error(`OIDC_CLIENT_SECRET_FILE: ${file} is empty`);
  return secret;
}
