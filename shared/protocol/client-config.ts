import { z } from "zod";
import { mailboxProviderSchema } from "./sync";

/** Public configuration the pane reads before sign-in: which OpenID provider to use and how. */
export const clientConfigSchema = z
  .object({
    apiBase: z.string(),
    oidc: z.object({
      issuer: z.url(),
      clientId: z.string(),
      scopes: z.array(z.string()),
      /**
       * Who redeems the authorization code: the client itself (a public client with PKCE), or the
       * backend's `exchangeAuthorizationCode` where the provider insists on a client secret.
       * Absent means "client".
       */
      codeExchange: z.enum(["client", "backend"]).optional(),
    }),
    /** Mailbox providers this server can connect for sync (docs/SYNC.md); absent means none. */
    mailboxProviders: z.array(mailboxProviderSchema).optional(),
  })
  .meta({ id: "ClientConfig" });
export type ClientConfig = z.infer<typeof clientConfigSchema>;

/** `exchangeAuthorizationCode`: what the client got back from the provider, and how it asked. */
export const codeExchangeBodySchema = z
  .object({
    code: z.string().min(1).max(4096),
    codeVerifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/, "must be a PKCE code verifier (RFC 7636)"),
    redirectUri: z.url(),
  })
  .meta({ id: "CodeExchangeRequest" });

/** The provider's token response, passed through minus anything long-lived (no refresh token). */
export const codeExchangeResultSchema = z
  .object({
    id_token: z.string(),
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().optional(),
    scope: z.string().optional(),
  })
  .meta({ id: "CodeExchangeResult" });
export type CodeExchangeResult = z.infer<typeof codeExchangeResultSchema>;
