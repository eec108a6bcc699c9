import { z } from "zod";
import { idSchema } from "./organizations";

/** Documents of a cert, their versions, and signed download URLs. */
export const documentVersionSchema = z.object({
  version: z.number().int().min(1),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().min(0),
  sha256: z.string(),
  createdAt: z.string(),
});

export const documentSchema = z
  .object({ id: idSchema, certId: idSchema, latestVersion: z.number().int(), versions: z.array(documentVersionSchema) })
  .meta({ id: "Document" });
export type DocumentDto = z.infer<typeof documentSchema>;
export const documentListSchema = z.object({ items: z.array(documentSchema) });

export const uploadResultSchema = z
  .object({ documentId: idSchema, version: z.number().int(), sha256: z.string(), size: z.number().int() })
  .meta({ id: "UploadResult" });

export const documentParamsSchema = z.object({ certId: idSchema, documentId: idSchema });
export const documentUrlBodySchema = z.object({ version: z.number().int().min(1).optional() }).strict();
export const documentUrlSchema = z.object({ url: z.string(), expiresAt: z.string() }).meta({ id: "DocumentUrl" });

export const downloadParamsSchema = z.object({ documentId: idSchema, version: z.coerce.number().int().min(1) });
export const downloadQuerySchema = z.object({ expires: z.coerce.number().int(), sig: z.string().max(200) });
