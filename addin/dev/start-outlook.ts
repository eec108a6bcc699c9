import { spawn } from "node:child_process";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { DEV_ADDIN_ORIGIN } from "../build/manifest";
import { loadDevCertificate } from "./dev-certs";

/**
 * `npm run start:outlook` (after `npm run build`): everything Outlook needs to sideload the dev
 * manifest, on one https origin. The backend runs as usual on http://127.0.0.1:3000 (it already
 * serves dist/addin under /addin/, the API and the local OpenID provider) with PUBLIC_URL set to
 * https://localhost:3443; a small https reverse proxy on 3443 terminates TLS with the
 * office-addin-dev-certs certificate and forwards every request. One origin means no CORS and
 * issuer, redirect URIs and add-in pages all agree. Ctrl-C stops both.
 */
const repoRoot = path.resolve(import.meta.dirname, "../..");
const publicPort = Number(new URL(DEV_ADDIN_ORIGIN).port);
const backendPort = Number(process.env.BACKEND_PORT ?? "3000");

/**
 * The local OpenID provider (oidc-provider on Koa) builds its endpoint URLs from the scheme of the
 * connection it sees, which behind this proxy is http, while its issuer is https. Until the provider
 * trusts X-Forwarded-Proto (`provider.proxy = true` in backend/oidc/local-provider.ts), the proxy
 * corrects the scheme in redirects and in the discovery document, for this development origin only.
 */
const insecureOrigin = DEV_ADDIN_ORIGIN.replace(/^https:/u, "http:");
function toPublicScheme(text: string): string {
  return text.replaceAll(insecureOrigin, DEV_ADDIN_ORIGIN);
}

async function main(): Promise<void> {
  const certificate = await loadDevCertificate();
  if (certificate.warning) console.warn(`\n${certificate.warning}\n`);

  const backend = spawn(process.execPath, ["--import", "tsx", "backend/main.ts"], {
    cwd: repoRoot,
    // The backend verifies tokens against the provider's JWKS at its public (https) URL, so it
    // must trust the development CA like the browser does.
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(backendPort), PUBLIC_URL: DEV_ADDIN_ORIGIN, NODE_EXTRA_CA_CERTS: certificate.caPath },
    stdio: "inherit",
  });

  const proxy = https.createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    const upstream = http.request(
      { host: "127.0.0.1", port: backendPort, method: request.method, path: request.url, headers: { ...request.headers, "x-forwarded-proto": "https" } },
      (answer) => {
        const headers = { ...answer.headers };
        if (headers.location !== undefined) headers.location = toPublicScheme(headers.location);
        if (request.url?.startsWith("/oidc/.well-known/") !== true) {
          response.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(response);
          return;
        }
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          const body = toPublicScheme(Buffer.concat(chunks).toString("utf8"));
          delete headers["content-length"];
          delete headers.etag;
          response.writeHead(answer.statusCode ?? 502, headers);
          response.end(body);
        });
      },
    );
    upstream.on("error", () => {
      if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      response.end("The SmartCert backend is not answering (still starting, or stopped).\n");
    });
    request.pipe(upstream);
  });
  proxy.listen(publicPort, "localhost", () => {
    console.log(`Outlook add-in on ${DEV_ADDIN_ORIGIN} (backend on http://127.0.0.1:${backendPort}).`);
    console.log(`Sideload dist/addin/manifest.dev.xml (also at ${DEV_ADDIN_ORIGIN}/addin/manifest.dev.xml); see README "Outlook add-in".`);
  });

  const stop = () => {
    proxy.close();
    backend.kill("SIGTERM");
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  backend.once("exit", (code) => {
    proxy.close();
    process.exitCode = code ?? 0;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
