import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import helmet, { type HelmetOptions } from "helmet";
import { problemTypes } from "../../shared/protocol/problem";
import type { AppConfig } from "../config";
import { ProblemError } from "./problem";

/**
 * Transport-level protections shared by every route: security headers, CORS limited to the
 * configured origins, and rate limits per client address (everything) and per signed-in user
 * (API routes, applied after authentication so the key is the user, not a shared NAT address).
 */
export async function registerSecurity(app: FastifyInstance, config: AppConfig): Promise<void> {
  const https = config.publicUrl.startsWith("https://");
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        "connect-src": ["'self'"],
        // WebAssembly compilation only (not eval): Argon2id for message passphrases (docs/ENCRYPTION.md).
        "script-src": ["'self'", "'wasm-unsafe-eval'"],
        // Upgrading would break the plain-http localhost development server.
        "upgrade-insecure-requests": https ? [] : null,
      },
    },
    hsts: https,
    crossOriginEmbedderPolicy: false,
  });

  await app.register(cors, {
    origin: (origin, callback) => {
      // Same-origin and non-browser requests carry no Origin header and need no CORS grant.
      callback(null, origin === undefined || config.allowedOrigins.includes(origin));
    },
    methods: ["GET", "POST", "PATCH", "PUT", "DELETE"],
    allowedHeaders: ["Authorization", "Content-Type"],
    maxAge: 600,
  });

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerIp,
    timeWindow: "1 minute",
    errorResponseBuilder: (_request, context) =>
      new ProblemError(429, problemTypes.rateLimited, "Too many requests; slow down and retry later", `Retry after ${context.after}.`),
  });
}

/**
 * helmet's headers on every response. The middleware is built once: @fastify/helmet builds it anew
 * (and re-parses the CSP) on every request, which was a measurable share of a small API response.
 * Register on the root instance so the hook covers every route; a route that needs another policy
 * (the local provider's sign-in page) sets its own header, which replaces this one.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions> = {}): void {
  const applyHeaders = helmet(options);
  app.addHook("onRequest", (request, reply, done) => {
    // helmet 8 throws instead of passing errors to `next` (and only for invalid options, which
    // helmet() above already rejected), so `next` means "headers set".
    applyHeaders(request.raw, reply.raw, () => {
      done();
    });
  });
}

/**
 * Per-user limit for authenticated routes; must run after `authenticate`. It uses the plugin's
 * manual limiter because the route-level handler skips requests the global limit already counted.
 */
export function perUserRateLimit(app: FastifyInstance, max: number, scope = "api"): preHandlerAsyncHookHandler {
  const check = app.createRateLimit({
    max,
    timeWindow: "1 minute",
    keyGenerator: (request: FastifyRequest) => `${scope}:user:${request.auth?.user.id ?? request.ip}`,
  });
  return async (request, reply) => {
    const limit = await check(request);
    if (!limit.isAllowed && limit.isExceeded) {
      void reply.header("retry-after", String(limit.ttlInSeconds));
      throw new ProblemError(429, problemTypes.rateLimited, "Too many requests; slow down and retry later", `Retry after ${limit.ttlInSeconds} seconds.`);
    }
  };
}
