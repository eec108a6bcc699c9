import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import QRCode from "qrcode";
import { z } from "zod";
import {
  acceptPublicLinkBodySchema,
  auditEventListSchema,
  certIdParamsSchema,
  certListSchema,
  certSchema,
  conversationQueryBodySchema,
  conversationSharesSchema,
  createCertBodySchema,
  listCertsQuerySchema,
  publicLinkSchema,
  qrQuerySchema,
  setPublicLinkBodySchema,
  shareCertBodySchema,
  shareSchema,
  updateCertBodySchema,
  type Cert,
} from "../../shared/protocol/certs";
import { currentUser, type PrincipalLoader } from "../auth/authenticate";
import { problems } from "../http/problem";
import { errorResponses, secured } from "../http/route-schemas";
import type { CertWithReceipt } from "./cert-repository";
import type { CertService, CertView } from "./cert-service";
import type { ShareService } from "./share-service";

/** HTTP edge of certs and sharing: schemas in, service call, schemas out. No rules here. */
export function toCertDto({ cert, access, publicLinkUrl }: CertView): Cert {
  return {
    id: cert.id,
    title: cert.title,
    poNumbers: cert.poNumbers,
    heatNumbers: cert.heatNumbers,
    certNumbers: cert.certNumbers,
    product: cert.product,
    standard: cert.standard,
    metadata: cert.metadata,
    ownerOrg: { id: cert.ownerOrgId, name: cert.ownerOrgName },
    ownerLocationIds: cert.ownerLocationIds,
    salesLocationId: cert.salesLocationId,
    copiedFrom: cert.copiedFrom,
    revision: cert.revision,
    createdAt: cert.createdAt,
    updatedAt: cert.updatedAt,
    access: { side: access.side, canEdit: access.canEdit, canShare: access.canShare, canCopy: access.canCopy, canViewActivity: access.canViewActivity },
    publicLink: access.canSeePublicLink ? { enabled: cert.publicLinkEnabled, url: publicLinkUrl } : null,
  };
}

const tags = ["certs"];

export function certRoutes(
  app: FastifyInstance,
  deps: { certs: CertService; shares: ShareService; guard: preHandlerAsyncHookHandler[]; guardLoading: (load: PrincipalLoader) => preHandlerAsyncHookHandler[] },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { certs, shares, guard } = deps;

  api.post("/api/v1/certs", {
    preHandler: guard,
    schema: { operationId: "createCert", tags, summary: "Create a cert (Writer)", security: secured, body: createCertBodySchema, response: { 201: certSchema, ...errorResponses } },
    handler: async (request, reply) => reply.status(201).send(toCertDto(await certs.create(currentUser(request), request.body))),
  });

  api.get("/api/v1/certs", {
    preHandler: guard,
    schema: { operationId: "listCerts", tags, summary: "Search the certs you can see", security: secured, querystring: listCertsQuerySchema, response: { 200: certListSchema, ...errorResponses } },
    handler: async (request) => {
      const page = await certs.list(currentUser(request), request.query);
      return { items: page.items.map(toCertDto), nextCursor: page.nextCursor };
    },
  });

  // getCert is the hot path: its authentication reads the principal and the cert in one statement
  // (params are validated before preHandlers run), and the handler hands that cert to the policy.
  const preloaded = new WeakMap<FastifyRequest, CertWithReceipt | null>();
  const guardWithCert = deps.guardLoading(async (identity, request) => {
    const loaded = await certs.principalWithCert(identity, (request.params as { certId: string }).certId);
    if (loaded) preloaded.set(request, loaded.found);
    return loaded?.principal;
  });
  api.get("/api/v1/certs/:certId", {
    preHandler: guardWithCert,
    schema: { operationId: "getCert", tags, summary: "A cert you can see (404 otherwise)", security: secured, params: certIdParamsSchema, response: { 200: certSchema, ...errorResponses } },
    handler: async (request) => toCertDto(await certs.view(currentUser(request), request.params.certId, preloaded.get(request))),
  });

  api.patch("/api/v1/certs/:certId", {
    preHandler: guard,
    schema: { operationId: "updateCert", tags, summary: "Amend a cert (owner side, Writer)", security: secured, params: certIdParamsSchema, body: updateCertBodySchema, response: { 200: certSchema, ...errorResponses } },
    handler: async (request) => toCertDto(await certs.update(currentUser(request), request.params.certId, request.body)),
  });

  api.post("/api/v1/certs/:certId/shares", {
    preHandler: guard,
    schema: { operationId: "shareCert", tags, summary: "Share to a user or location of any organization (permanent)", security: secured, params: certIdParamsSchema, body: shareCertBodySchema, response: { 201: shareSchema, ...errorResponses } },
    handler: async (request, reply) => {
      const share = await shares.share(currentUser(request), request.params.certId, request.body);
      return reply.status(201).send({ id: share.id, certId: share.certId, target: share.target, createdAt: share.createdAt });
    },
  });

  api.put("/api/v1/certs/:certId/public-link", {
    preHandler: guard,
    schema: { operationId: "setPublicLink", tags, summary: "Turn the public link on or off", security: secured, params: certIdParamsSchema, body: setPublicLinkBodySchema, response: { 200: publicLinkSchema, ...errorResponses } },
    handler: (request) => certs.setPublicLink(currentUser(request), request.params.certId, request.body.enabled),
  });

  api.post("/api/v1/public-links/accept", {
    preHandler: guard,
    schema: { operationId: "acceptPublicLink", tags, summary: "Become a permanent receiver through a public link", security: secured, body: acceptPublicLinkBodySchema, response: { 200: certSchema, ...errorResponses } },
    handler: async (request) => toCertDto(await shares.acceptPublicLink(currentUser(request), request.body.token)),
  });

  api.get("/api/v1/certs/:certId/qr", {
    preHandler: guard,
    schema: {
      operationId: "getCertQr", tags, summary: "QR code of the public link (SVG, or PNG with ?format=png)", security: secured, params: certIdParamsSchema, querystring: qrQuerySchema,
      response: { 200: z.unknown().meta({ description: "image/svg+xml or image/png" }), ...errorResponses },
    },
    handler: async (request, reply) => {
      const view = await certs.view(currentUser(request), request.params.certId);
      if (!view.access.canSeePublicLink) throw problems.forbidden("Only the cert's own locations can hand out its public link.");
      if (!view.publicLinkUrl) throw problems.conflict("The public link is off", "Turn the public link on to get its QR code.");
      void reply.header("cache-control", "no-store");
      if (request.query.format === "png") {
        return reply.type("image/png").send(await QRCode.toBuffer(view.publicLinkUrl, { type: "png", margin: 2, width: 512 }));
      }
      return reply.type("image/svg+xml").send(await QRCode.toString(view.publicLinkUrl, { type: "svg", margin: 2 }));
    },
  });

  api.post("/api/v1/certs/:certId/copy", {
    preHandler: guard,
    schema: { operationId: "copyCert", tags, summary: "Copy a cert you can see into your own organization (Writer)", security: secured, params: certIdParamsSchema, response: { 201: certSchema, ...errorResponses } },
    handler: async (request, reply) => reply.status(201).send(toCertDto(await shares.copy(currentUser(request), request.params.certId))),
  });

  api.get("/api/v1/certs/:certId/activity", {
    preHandler: guard,
    schema: { operationId: "listCertActivity", tags, summary: "Audit events of a cert (owner side)", security: secured, params: certIdParamsSchema, response: { 200: auditEventListSchema, ...errorResponses } },
    handler: async (request) => ({ items: await certs.activity(currentUser(request), request.params.certId) }),
  });

  // POST so the conversation id stays out of URLs and access logs.
  api.post("/api/v1/conversations/shares", {
    preHandler: guard,
    schema: { operationId: "listSharesForConversation", tags, summary: "Certs your organization shared in this conversation", security: secured, body: conversationQueryBodySchema, response: { 200: conversationSharesSchema, ...errorResponses } },
    handler: async (request) => ({ items: await shares.conversationShares(currentUser(request), request.body.conversationRef) }),
  });
}
