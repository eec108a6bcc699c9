import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * The reader page at /m/<id> (built from shared/reader into dist/reader). A GET serves the same
 * static page for every id: it counts nothing and consumes nothing, so link scanners can fetch it
 * freely; only the page's explicit Open (POST /api/v1/messages/<id>/open) counts.
 *
 * Strict policy: scripts from this origin only ('wasm-unsafe-eval' lets Argon2id's WebAssembly
 * compile; it does not allow JavaScript eval), nothing third-party, no framing, no referrer. These
 * routes log only at warn: a mail system that turned "#" into "%23" puts the key into the path.
 *
 * Signing a recipient in (docs/MESSAGES.md) needs the issuer's discovery document and token
 * endpoint, fetched by the page: connect-src adds the issuer's origin and nothing else. The sign-in
 * itself is a top-level navigation (location.assign), which no CSP directive governs here.
 */
export function readerContentSecurityPolicy(issuer?: string): string {
  const issuerOrigin = issuer ? URL.parse(issuer)?.origin : undefined;
  const connect = ["'self'", ...(issuerOrigin && issuerOrigin !== "null" ? [issuerOrigin] : [])];
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${[...new Set(connect)].join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export async function registerReaderPage(app: FastifyInstance, readerDir: string, issuer?: string): Promise<void> {
  const READER_HEADERS = {
    "content-security-policy": readerContentSecurityPolicy(issuer),
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex, nofollow",
    "cross-origin-opener-policy": "same-origin",
  };
  const indexFile = path.join(readerDir, "index.html");
  if (!fs.existsSync(indexFile)) {
    app.get("/m/*", { schema: { hide: true }, logLevel: "warn" }, async (_request, reply) =>
      reply.code(503).headers(READER_HEADERS).type("text/plain; charset=utf-8").send(`The message reader is not built (looked in ${readerDir}). Run \`npm run build\`.\n`),
    );
    return;
  }
  const html = fs.readFileSync(indexFile);
  await app.register(fastifyStatic, {
    root: path.join(readerDir, "assets"),
    prefix: "/m/assets/",
    decorateReply: false,
    cacheControl: true,
    maxAge: 0,
    setHeaders: (response) => {
      for (const [name, value] of Object.entries(READER_HEADERS)) response.setHeader(name, value);
    },
  });
  app.get("/m/:id", { schema: { hide: true }, logLevel: "warn" }, async (_request, reply) =>
    reply.headers({ ...READER_HEADERS, "cache-control": "no-store" }).type("text/html; charset=utf-8").send(html),
  );
}
