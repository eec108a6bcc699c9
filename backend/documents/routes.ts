import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { certIdParamsSchema } from "../../shared/protocol/certs";
import { documentListSchema, documentParamsSchema, documentUrlBodySchema, documentUrlSchema, downloadParamsSchema, downloadQuerySchema, uploadResultSchema } from "../../shared/protocol/documents";
import { idSchema } from "../../shared/protocol/organizations";
import { problemSchema } from "../../shared/protocol/problem";
import { currentUser } from "../auth/authenticate";
import { problems } from "../http/problem";
import { errorResponses, secured } from "../http/route-schemas";
import type { DocumentService } from "./document-service";
import { attachmentDisposition, sanitizeContentType, sanitizeFileName } from "./file-names";

const tags = ["documents"];

/** Headers of every document download: never rendered, never sniffed, never cached. */
const DOWNLOAD_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; sandbox",
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
};

export function documentRoutes(app: FastifyInstance, deps: { documents: DocumentService; guard: preHandlerAsyncHookHandler[] }): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { documents, guard } = deps;

  api.post("/api/v1/certs/:certId/documents", {
    preHandler: guard,
    schema: {
      operationId: "uploadDocument", tags, security: secured, params: certIdParamsSchema,
      summary: "Upload a document (multipart field `file`); with ?documentId= it becomes that document's next version",
      querystring: z.object({ documentId: idSchema.optional() }),
      consumes: ["multipart/form-data"],
      response: { 201: uploadResultSchema, ...errorResponses, 413: problemSchema },
    },
    handler: async (request, reply) => {
      if (!request.isMultipart()) throw problems.badRequest("Send the document as multipart/form-data with a field named 'file'");
      const part = await request.file();
      if (!part || part.fieldname !== "file") throw problems.badRequest("The multipart body has no field named 'file'");
      const result = await documents.upload(
        currentUser(request),
        request.params.certId,
        { stream: part.file, fileName: sanitizeFileName(part.filename), contentType: sanitizeContentType(part.mimetype) },
        request.query.documentId,
      );
      return reply.status(201).send(result);
    },
  });

  api.get("/api/v1/certs/:certId/documents", {
    preHandler: guard,
    schema: { operationId: "listDocuments", tags, summary: "Documents of a cert with their versions", security: secured, params: certIdParamsSchema, response: { 200: documentListSchema, ...errorResponses } },
    handler: async (request) => ({ items: await documents.list(currentUser(request), request.params.certId) }),
  });

  api.post("/api/v1/certs/:certId/documents/:documentId/url", {
    preHandler: guard,
    schema: { operationId: "getDocumentUrl", tags, summary: "A signed download URL valid for 24 hours", security: secured, params: documentParamsSchema, body: documentUrlBodySchema, response: { 200: documentUrlSchema, ...errorResponses } },
    handler: (request) => documents.issueUrl(currentUser(request), request.params.certId, request.params.documentId, request.body.version),
  });

  // No bearer token: the HMAC signature over (document, version, expiry) is the authorization.
  api.get("/api/v1/documents/:documentId/versions/:version/content", {
    schema: {
      operationId: "downloadDocument", tags, summary: "Download through a signed URL", params: downloadParamsSchema, querystring: downloadQuerySchema,
      response: { 200: z.unknown().meta({ description: "The document's bytes" }), 403: problemSchema, 404: problemSchema, 410: problemSchema },
    },
    handler: async (request, reply) => {
      const { documentId, version } = request.params;
      const file = await documents.openSigned(documentId, version, request.query.expires, request.query.sig);
      return reply
        .headers({ ...DOWNLOAD_HEADERS, "content-disposition": attachmentDisposition(file.fileName), "content-length": String(file.size) })
        .type(file.contentType)
        .send(file.stream);
    },
  });
}
