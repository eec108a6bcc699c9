import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { acceptPublicLinkBodySchema, publicLinkPreviewSchema, type PublicLinkPreview } from "../../shared/protocol/certs";
import { problemSchema } from "../../shared/protocol/problem";
import { problems } from "../http/problem";
import type { DocumentRepository } from "../documents/document-repository";
import type { CertService } from "./cert-service";
import { escapeHtml, htmlDocument } from "../http/html-page";

/**
 * What a public link shows before anyone saves it: the anonymous page (a read-only preview and a
 * sign-in button) and the same preview as JSON for the pane. Neither grants anything: only
 * acceptPublicLink, by a signed-in user, does.
 */
interface PreviewDeps {
  certs: CertService;
  documents: DocumentRepository;
  publicUrl: string;
}

async function previewOf(deps: PreviewDeps, token: string): Promise<PublicLinkPreview | undefined> {
  const cert = await deps.certs.findByPublicLinkToken(token);
  if (!cert) return undefined;
  const documents = await deps.documents.listForCert(cert.id);
  return {
    title: cert.title,
    ownerOrgName: cert.ownerOrgName,
    poNumbers: cert.poNumbers,
    heatNumbers: cert.heatNumbers,
    certNumbers: cert.certNumbers,
    documentNames: documents.flatMap((d) => d.versions.filter((v) => v.version === d.latestVersion).map((v) => v.fileName)),
  };
}

function page(title: string, body: string): string {
  return htmlDocument({ title, body });
}

function list(label: string, values: string[]): string {
  return values.length === 0 ? "" : `<dt>${escapeHtml(label)}</dt><dd>${values.map(escapeHtml).join(", ")}</dd>`;
}

export function publicLinkPage(app: FastifyInstance, deps: PreviewDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  // POST keeps the token out of URLs; no sign-in, like the page itself.
  api.post("/api/v1/public-links/preview", {
    schema: { operationId: "previewPublicLink", tags: ["certs"], summary: "What a live public link shows before it is saved (no sign-in)", body: acceptPublicLinkBodySchema, response: { 200: publicLinkPreviewSchema, 400: problemSchema, 404: problemSchema, 429: problemSchema } },
    handler: async (request) => {
      const preview = await previewOf(deps, request.body.token);
      if (!preview) throw problems.notFound("The public link");
      return preview;
    },
  });

  api.get("/p/:token", {
    schema: { hide: true, params: z.object({ token: z.string().min(16).max(200) }) },
    handler: async (request, reply) => {
      void reply.headers({ "cache-control": "no-store", "referrer-policy": "no-referrer" }).type("text/html; charset=utf-8");
      const preview = await previewOf(deps, request.params.token);
      if (!preview) {
        return reply.status(404).send(page("Link not active", "<h1>This link is not active</h1><p>The link may be mistyped, or its owner turned it off. Ask the sender for a new one.</p>"));
      }
      const signIn = `${deps.publicUrl}/?acceptPublicLink=${encodeURIComponent(request.params.token)}`;
      return reply.send(
        page(
          preview.title,
          `<h1>${escapeHtml(preview.title)}</h1><p>Shared by ${escapeHtml(preview.ownerOrgName)} through SmartCert.</p>` +
            `<dl>${list("PO numbers", preview.poNumbers)}${list("Heat numbers", preview.heatNumbers)}${list("Cert numbers", preview.certNumbers)}${list("Documents", preview.documentNames)}</dl>` +
            `<p><a href="${escapeHtml(signIn)}" role="button">Sign in to save this cert</a></p>` +
            "<p>Signing in adds the cert to your received certs, read-only, permanently. Nothing is shared until you do.</p>",
        ),
      );
    },
  });
}
