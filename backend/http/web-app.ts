import fs from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * Serves the built pane and playground (`npm run build` writes them to dist/web). When the build
 * is missing, `/` says how to make it instead of answering an unexplained 404.
 */
export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  // The Outlook add-in's build sits next to the web app's (dist/addin beside dist/web).
  await registerAddinPages(app, path.join(path.dirname(webDir), "addin"));
  if (fs.existsSync(path.join(webDir, "index.html"))) {
    await app.register(fastifyStatic, { root: webDir, prefix: "/", index: ["index.html"], cacheControl: true, maxAge: 0 });
    return;
  }
  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/plain; charset=utf-8").send(`The web app is not built (looked in ${webDir}). Run \`npm run build\`, or \`npm start\`, which builds it.\n`),
  );
}

/**
 * Outlook loads add-in pages inside its own frames (Outlook on the web, new Outlook) and they must
 * load office.js from Microsoft's CDN, so /addin/ gets its own policy instead of the app-wide one:
 * scripts from self and appsforoffice.microsoft.com (plus WebAssembly compilation for Argon2id),
 * framing only by Outlook's origins, and no
 * X-Frame-Options (which cannot list several origins). Documented in docs/OUTLOOK.md.
 */
export const ADDIN_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // 'wasm-unsafe-eval' compiles WebAssembly (Argon2id for message passphrases, in the crypto
  // worker); it does not allow eval() or new Function() of JavaScript.
  "script-src 'self' 'wasm-unsafe-eval' https://appsforoffice.microsoft.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' https://appsforoffice.microsoft.com",
  "frame-ancestors 'self' https://outlook.office.com https://outlook.office365.com https://outlook.live.com https://outlook.cloud.microsoft https://*.officeapps.live.com",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

async function registerAddinPages(app: FastifyInstance, addinDir: string): Promise<void> {
  if (!fs.existsSync(path.join(addinDir, "taskpane.html"))) {
    app.get("/addin/*", { schema: { hide: true } }, async (_request, reply) =>
      reply.code(404).type("text/plain; charset=utf-8").send(`The Outlook add-in is not built (looked in ${addinDir}). Run \`npm run build\`.\n`),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: addinDir,
    prefix: "/addin/",
    decorateReply: false,
    cacheControl: true,
    maxAge: 0,
    setHeaders: (response) => {
      response.setHeader("content-security-policy", ADDIN_CONTENT_SECURITY_POLICY);
      // @fastify/static types the response narrowly; it is the raw ServerResponse helmet wrote to.
      (response as unknown as ServerResponse).removeHeader("x-frame-options");
    },
  });
}
