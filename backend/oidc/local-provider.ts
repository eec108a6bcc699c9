// The local OpenID provider: a real OpenID Connect provider (panva's oidc-provider, a Koa app) for
// development and tests only, so the pane's real sign-in flows run offline against the backend.
//
// It is mounted into the Fastify app with @fastify/middie at the issuer's path (e.g. /oidc). Middie
// runs in the onRequest hook, before Fastify parses any body, so the provider reads its own
// form-encoded POSTs (token endpoint) from the raw stream. Middie strips the mount path from req.url
// and keeps the full URL in req.originalUrl, which oidc-provider uses to put the mount path back
// into the URLs it advertises. The sign-in interaction is not oidc-provider's devInteractions but
// the Fastify routes below, which list the configured accounts and grant consent automatically.
import type { IncomingMessage, ServerResponse } from "node:http";
import middie from "@fastify/middie";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import Provider, { errors, type Configuration, type Interaction } from "oidc-provider";
import { DevAccountDirectory, type DevAccount } from "./dev-accounts";
import {
  devPagesContentSecurityPolicy,
  renderDevLoginPage,
  renderDevMessagePage,
  renderLoggedOutPage,
  renderLogoutPage,
  renderProviderErrorPage,
} from "./dev-login-page";
import { createInMemoryAdapter } from "./memory-adapter";
import { loadOrCreateProviderKeys } from "./provider-keys";

export type { DevAccount } from "./dev-accounts";

export interface LocalOidcOptions {
  /** Absolute URL, e.g. "http://localhost:3000/oidc"; the mount path is the URL's pathname. */
  issuer: string;
  /** Directory for the persisted signing and cookie keys (created 0700; the file is 0600). */
  keysDir: string;
  /**
   * PKCE S256 is required of every client. Public clients (no secret) redeem codes themselves;
   * a client with a secret must send it (client_secret_post), like Google's web clients.
   */
  clients: Array<{ clientId: string; redirectUris: string[]; clientSecret?: string | undefined }>;
  /** Listed on the dev sign-in page. */
  accounts: DevAccount[];
  nodeEnv: string;
}

/** Where the provider sends the browser to sign in: `${LOCAL_OIDC_DEV_LOGIN_PREFIX}/<interaction uid>`. */
export const LOCAL_OIDC_DEV_LOGIN_PREFIX = "/dev-login";

const SCOPES = ["openid", "email", "profile", "offline_access"];
const HOUR = 60 * 60;
const FOURTEEN_DAYS = 14 * 24 * HOUR;

export async function registerLocalOidcProvider(app: FastifyInstance, options: LocalOidcOptions): Promise<void> {
  if (options.nodeEnv === "production") {
    throw new Error("The local OpenID provider must not run when NODE_ENV=production");
  }
  const mountPath = validateIssuer(options.issuer);
  if (options.clients.length === 0) throw new Error("Local OpenID provider: at least one client is required");
  const directory = new DevAccountDirectory(options.accounts);
  const keys = await loadOrCreateProviderKeys(options.keysDir);

  // Chromium applies form-action to the redirects after the sign-in form is posted, and the last
  // one goes to the client's redirect URI: allow exactly those origins.
  const redirectOrigins = options.clients.flatMap((client) => client.redirectUris.map((uri) => new URL(uri).origin));
  const csp = devPagesContentSecurityPolicy(redirectOrigins);

  const configuration: Configuration = {
    // In memory on purpose: this provider is for development and tests only. Sessions, codes and
    // refresh tokens die with the process; ID tokens survive restarts because the keys persist.
    adapter: createInMemoryAdapter(),
    clients: options.clients.map((client) => ({
      client_id: client.clientId,
      redirect_uris: client.redirectUris,
      ...(client.clientSecret === undefined
        ? { token_endpoint_auth_method: "none" as const }
        : { token_endpoint_auth_method: "client_secret_post" as const, client_secret: client.clientSecret }),
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      id_token_signed_response_alg: "RS256",
    })),
    jwks: { keys: keys.signingKeys },
    cookies: { keys: keys.cookieKeys },
    responseTypes: ["code"],
    pkce: { required: () => true },
    scopes: SCOPES,
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // The pane sends the ID token to the backend as its bearer token, so the scope's claims must be
    // in the ID token itself, not only at the userinfo endpoint (the spec-conforming default).
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const account = directory.findBySub(sub);
      if (!account) return undefined;
      return {
        accountId: account.sub,
        claims: () => ({ sub: account.sub, email: account.email, email_verified: true, name: account.name }),
      };
    },
    interactions: { url: (_ctx, interaction) => `${LOCAL_OIDC_DEV_LOGIN_PREFIX}/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = "html";
          ctx.body = renderLogoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = "html";
          ctx.body = renderLoggedOutPage();
        },
      },
    },
    rotateRefreshToken: true,
    // Every TTL is set explicitly; left to the defaults, oidc-provider prints a notice for each.
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: HOUR,
      Session: FOURTEEN_DAYS,
      Grant: FOURTEEN_DAYS,
      // Sliding: each rotation gets a fresh lifetime (fine for a dev provider).
      RefreshToken: FOURTEEN_DAYS,
    },
    // Token endpoint CORS for browser clients: the origins of the client's redirect URIs, and for a
    // Chrome extension's identity redirect (https://<id>.chromiumapp.org/) the extension's own
    // origin, chrome-extension://<id>, from which its service worker redeems the code.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin || extensionOriginOf(uri) === origin) ?? false,
    renderError: (ctx, out) => {
      ctx.type = "html";
      ctx.body = renderProviderErrorPage(out.error, out.error_description);
    },
  };

  const provider = new Provider(options.issuer, configuration);
  // Koa would print unexpected errors to stderr itself; report them through Fastify's logger
  // instead, with the error only (never the request, whose parameters may carry codes or tokens).
  provider.silent = true;
  provider.on("server_error", (_ctx, error) => {
    app.log.error({ err: error }, "local OpenID provider: server error");
  });

  if (!app.hasDecorator("use")) await app.register(middie);
  const callback = provider.callback();
  app.use(mountPath, (req: IncomingMessage, res: ServerResponse) => {
    // Helmet (registered before us) has already set its default CSP on the raw response; the
    // provider's pages need the policy described in dev-login-page.ts instead. oidc-provider adds
    // the hash of any inline script it emits to this header's script-src.
    res.setHeader("content-security-policy", csp);
    void callback(req, res);
  });

  await app.register((child, _opts, done) => {
    registerInteractionRoutes(child, provider, directory, csp);
    done();
  });
}

/** `chrome-extension://<id>` for a `https://<id>.chromiumapp.org/` redirect URI, else null. */
function extensionOriginOf(redirectUri: string): string | null {
  const match = /^https:\/\/([a-p]{32})\.chromiumapp\.org\//u.exec(redirectUri);
  return match ? `chrome-extension://${match[1] ?? ""}` : null;
}

/** Returns the mount path, after rejecting issuers the provider could not be mounted for. */
function validateIssuer(issuer: string): string {
  const url = URL.parse(issuer);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search !== "" || url.hash !== "") {
    throw new Error(`Local OpenID provider: issuer must be an absolute http(s) URL without query or fragment, got ${JSON.stringify(issuer)}`);
  }
  // A root mount would swallow every route of the app (the provider answers 404 itself).
  if (url.pathname === "/" || url.pathname.endsWith("/")) {
    throw new Error(`Local OpenID provider: issuer needs a path without a trailing slash, e.g. "${url.origin}/oidc"`);
  }
  if (url.pathname === LOCAL_OIDC_DEV_LOGIN_PREFIX || url.pathname.startsWith(`${LOCAL_OIDC_DEV_LOGIN_PREFIX}/`)) {
    throw new Error(`Local OpenID provider: the issuer path must not be under ${LOCAL_OIDC_DEV_LOGIN_PREFIX}`);
  }
  return url.pathname;
}

type InteractionRequest = FastifyRequest<{ Params: { uid: string }; Body: unknown }>;

/**
 * The dev sign-in page (GET) and its forms' target (POST). Registered in their own encapsulated
 * context so that the urlencoded body parser they need does not leak into the rest of the app.
 */
function registerInteractionRoutes(app: FastifyInstance, provider: Provider, directory: DevAccountDirectory, csp: string): void {
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded")) {
    app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  const sendPage = (reply: FastifyReply, status: number, html: string): FastifyReply =>
    reply.code(status).header("content-security-policy", csp).header("cache-control", "no-store").type("text/html; charset=utf-8").send(html);

  /** The pending interaction, or undefined after answering with a page that says what went wrong. */
  async function pendingInteraction(request: InteractionRequest, reply: FastifyReply): Promise<Interaction | undefined> {
    let interaction: Interaction;
    try {
      // Found through the interaction cookie (SameSite=Lax, scoped to this URL), which also keeps
      // other sites from posting the form on someone's behalf.
      interaction = await provider.interactionDetails(request.raw, reply.raw);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      sendPage(reply, 400, renderDevMessagePage("Sign-in expired", "This sign-in request has expired or was already used. Start signing in again from the app."));
      return undefined;
    }
    if (interaction.uid !== request.params.uid) {
      sendPage(reply, 400, renderDevMessagePage("Sign-in expired", "This page belongs to an older sign-in request. Start signing in again from the app."));
      return undefined;
    }
    return interaction;
  }

  async function finish(request: InteractionRequest, reply: FastifyReply, interaction: Interaction, accountId: string, login: boolean): Promise<void> {
    const grantId = await grantRequestedAccess(provider, interaction, accountId);
    // interactionFinished writes the 303 to the raw response itself: take the reply away from Fastify.
    reply.hijack();
    try {
      await provider.interactionFinished(
        request.raw,
        reply.raw,
        login ? { login: { accountId }, consent: { grantId } } : { consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      request.log.error({ err: error }, "local OpenID provider: could not finish the sign-in");
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
      reply.raw.end("The sign-in could not be completed. Start signing in again from the app.");
    }
  }

  app.get(`${LOCAL_OIDC_DEV_LOGIN_PREFIX}/:uid`, async (request: InteractionRequest, reply) => {
    const interaction = await pendingInteraction(request, reply);
    if (!interaction) return reply;
    if (interaction.prompt.name === "consent" && interaction.session?.accountId) {
      // Already signed in at the provider (its session cookie): consent is granted without asking.
      await finish(request, reply, interaction, interaction.session.accountId, false);
      return reply;
    }
    if (interaction.prompt.name !== "login") {
      return sendPage(reply, 400, renderDevMessagePage("Unsupported request", `The dev provider cannot handle the "${interaction.prompt.name}" step.`));
    }
    return sendPage(reply, 200, loginPage(request, interaction, directory));
  });

  app.post(`${LOCAL_OIDC_DEV_LOGIN_PREFIX}/:uid`, async (request: InteractionRequest, reply) => {
    const interaction = await pendingInteraction(request, reply);
    if (!interaction) return reply;
    const form = isRecord(request.body) ? request.body : {};
    let account: DevAccount | undefined;
    if (typeof form.sub === "string") {
      // Buttons post the subject of a listed account; nothing else is accepted that way.
      account = directory.listedBySub(form.sub);
    } else if (typeof form.email === "string") {
      account = directory.accountForEmail(form.email);
      if (!account) return sendPage(reply, 400, loginPage(request, interaction, directory, "Enter an email address such as name@example.com.", form.email));
    }
    if (!account) return sendPage(reply, 400, loginPage(request, interaction, directory, "Choose an account to sign in as."));
    await finish(request, reply, interaction, account.sub, true);
    return reply;
  });
}

function loginPage(request: InteractionRequest, interaction: Interaction, directory: DevAccountDirectory, error?: string, email?: string): string {
  const clientId = typeof interaction.params.client_id === "string" ? interaction.params.client_id : "";
  return renderDevLoginPage({
    action: `${LOCAL_OIDC_DEV_LOGIN_PREFIX}/${encodeURIComponent(request.params.uid)}`,
    clientId,
    accounts: directory.listed,
    error,
    email,
  });
}

/**
 * The dev provider has no consent screen: grant the client everything it asked for that this
 * provider offers (the requested scopes, and claims the consent prompt reports missing).
 */
async function grantRequestedAccess(provider: Provider, interaction: Interaction, accountId: string): Promise<string> {
  const clientId = typeof interaction.params.client_id === "string" ? interaction.params.client_id : "";
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  // Reuse the grant only if it is this account's with this client (it may predate a new sign-in).
  const grant = existing?.accountId === accountId && existing.clientId === clientId ? existing : new provider.Grant({ accountId, clientId });
  const requested = typeof interaction.params.scope === "string" ? interaction.params.scope.split(" ") : [];
  grant.addOIDCScope(requested.filter((scope) => SCOPES.includes(scope)));
  const missingClaims = interaction.prompt.details.missingOIDCClaims;
  if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims.filter((claim) => typeof claim === "string"));
  return grant.save();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
