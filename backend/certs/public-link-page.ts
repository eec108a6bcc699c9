import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { DocumentRepository } from "../documents/document-repository";
import type { CertService } from "./cert-service";

/**
 * The anonymous public-link page: a read-only preview (title, numbers, document names) and a
 * sign-in button. It never grants anything: only acceptPublicLink, by a signed-in user, does.
 */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

function list(label: string, values: string[]): string {
  return values.length === 0 ? "" : `<dt>${escapeHtml(label)}</dt><dd>${values.map(escapeHtml).join(", ")}</dd>`;
}

export function publicLinkPage(app: FastifyInstance, deps: { certs: CertService; documents: DocumentRepository; publicUrl: string }): void {
  app.withTypeProvider<ZodTypeProvider>().get("/p/:token", {
    schema: { hide: true, params: z.object({ token: z.string().min(16).max(200) }) },
    handler: async (request, reply) => {
      void reply.headers({ "cache-control": "no-store", "referrer-policy": "no-referrer" }).type("text/html; charset=utf-8");
      const cert = await deps.certs.findByPublicLinkToken(request.params.token);
      if (!cert) {
        return reply.status(404).send(page("Link not active", "<h1>This link is not active</h1><p>The link may be mistyped, or its owner turned it off. Ask the sender for a new one.</p>"));
      }
      const documents = await deps.documents.listForCert(cert.id);
      const names = documents.flatMap((d) => d.versions.filter((v) => v.version === d.latestVersion).map((v) => v.fileName));
      const signIn = `${deps.publicUrl}/?acceptPublicLink=${encodeURIComponent(request.params.token)}`;
      return reply.send(
        page(
          cert.title,
          `<h1>${escapeHtml(cert.title)}</h1><p>Shared by ${escapeHtml(cert.ownerOrgName)} through SmartCert.</p>` +
            `<dl>${list("PO numbers", cert.poNumbers)}${list("Heat numbers", cert.heatNumbers)}${list("Cert numbers", cert.certNumbers)}${list("Documents", names)}</dl>` +
            `<p><a href="${escapeHtml(signIn)}" role="button">Sign in to save this cert</a></p>` +
            "<p>Signing in adds the cert to your received certs, read-only, permanently. Nothing is shared until you do.</p>",
        ),
      );
    },
  });
}
