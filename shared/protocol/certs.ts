import { z } from "zod";
import { idSchema } from "./organizations";

/** Wire schemas of the SmartCert network: certs, shares, public links, activity. */

const referenceNumber = z.string().trim().min(1).max(100);
const referenceList = z.array(referenceNumber).max(200);
const optionalText = z.string().trim().min(1).max(200);
export const certMetadataSchema = z
  .record(z.string().trim().min(1).max(100), z.string().max(2000))
  .refine((m) => Object.keys(m).length <= 100, { message: "At most 100 metadata entries" });

export const certAccessSchema = z
  .object({
    /** "owner": a member of an owning location; "receiver": read-only through a share or link. */
    side: z.enum(["owner", "receiver"]),
    canEdit: z.boolean(),
    canShare: z.boolean(),
    canCopy: z.boolean(),
    canViewActivity: z.boolean(),
  })
  .meta({ id: "CertAccess" });
export type CertAccess = z.infer<typeof certAccessSchema>;

export const certSchema = z
  .object({
    id: idSchema,
    title: z.string(),
    poNumbers: z.array(z.string()),
    heatNumbers: z.array(z.string()),
    certNumbers: z.array(z.string()),
    product: z.string().nullable(),
    standard: z.string().nullable(),
    metadata: z.record(z.string(), z.string()),
    ownerOrg: z.object({ id: idSchema, name: z.string() }),
    ownerLocationIds: z.array(idSchema),
    salesLocationId: idSchema.nullable(),
    copiedFrom: idSchema.nullable(),
    revision: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    access: certAccessSchema,
    /** Only the owner side sees the public link; null for receivers. */
    publicLink: z.object({ enabled: z.boolean(), url: z.string().nullable() }).nullable(),
  })
  .meta({ id: "Cert" });
export type Cert = z.infer<typeof certSchema>;

export const createCertBodySchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    poNumbers: referenceList.default([]),
    heatNumbers: referenceList.default([]),
    certNumbers: referenceList.default([]),
    product: optionalText.optional(),
    standard: optionalText.optional(),
    metadata: certMetadataSchema.default({}),
    salesLocationId: idSchema.optional(),
  })
  .strict();
export type CreateCertBody = z.infer<typeof createCertBodySchema>;

export const updateCertBodySchema = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    poNumbers: referenceList.optional(),
    heatNumbers: referenceList.optional(),
    certNumbers: referenceList.optional(),
    product: optionalText.nullable().optional(),
    standard: optionalText.nullable().optional(),
    metadata: certMetadataSchema.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Give at least one field to change" });
export type UpdateCertBody = z.infer<typeof updateCertBodySchema>;

export const certScopeSchema = z.enum(["owned", "received", "all"]);
export type CertScope = z.infer<typeof certScopeSchema>;

export const listCertsQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  scope: certScopeSchema.default("all"),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export type ListCertsQuery = z.infer<typeof listCertsQuerySchema>;

export const certListSchema = z.object({ items: z.array(certSchema), nextCursor: z.string().nullable() }).meta({ id: "CertList" });

export const certIdParamsSchema = z.object({ certId: idSchema });

export const shareCertBodySchema = z
  .object({
    userId: idSchema.optional(),
    locationId: idSchema.optional(),
    /** The host's conversation id; stored only as an HMAC under the organization's key. */
    conversationRef: z.string().min(1).max(1000).optional(),
  })
  .strict()
  .refine((b) => (b.userId === undefined) !== (b.locationId === undefined), { message: "Give exactly one of userId or locationId" });
export type ShareCertBody = z.infer<typeof shareCertBodySchema>;

export const shareSchema = z
  .object({
    id: idSchema,
    certId: idSchema,
    target: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("user"), userId: idSchema, displayName: z.string(), orgName: z.string() }),
      z.object({ kind: z.literal("location"), locationId: idSchema, name: z.string(), orgName: z.string() }),
    ]),
    createdAt: z.string(),
  })
  .meta({ id: "Share" });
export type Share = z.infer<typeof shareSchema>;

export const setPublicLinkBodySchema = z.object({ enabled: z.boolean() }).strict();
export const publicLinkSchema = z.object({ enabled: z.boolean(), url: z.string().nullable() }).meta({ id: "PublicLink" });

export const acceptPublicLinkBodySchema = z.object({ token: z.string().min(16).max(200) }).strict();

/** What anyone holding a live public link may see before saving it: no ids, no access. */
export const publicLinkPreviewSchema = z
  .object({
    title: z.string(),
    ownerOrgName: z.string(),
    poNumbers: z.array(z.string()),
    heatNumbers: z.array(z.string()),
    certNumbers: z.array(z.string()),
    documentNames: z.array(z.string()),
  })
  .meta({ id: "PublicLinkPreview" });
export type PublicLinkPreview = z.infer<typeof publicLinkPreviewSchema>;

export const qrQuerySchema = z.object({ format: z.enum(["svg", "png"]).default("svg") });

export const conversationQueryBodySchema = z.object({ conversationRef: z.string().min(1).max(1000) }).strict();
export const conversationSharesSchema = z
  .object({ items: z.array(z.object({ certId: idSchema, title: z.string(), sharedAt: z.string() })) })
  .meta({ id: "ConversationShares" });

export const auditEventTypeSchema = z.enum([
  "created",
  "updated",
  "document-added",
  "shared",
  "public-link-enabled",
  "public-link-disabled",
  "received-through-link",
  "copied",
  "document-url-issued",
]);
export type AuditEventType = z.infer<typeof auditEventTypeSchema>;

export const auditEventSchema = z
  .object({
    id: idSchema,
    type: auditEventTypeSchema,
    actor: z.object({ userId: idSchema, displayName: z.string(), orgName: z.string() }).nullable(),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    createdAt: z.string(),
  })
  .meta({ id: "AuditEvent" });
export const auditEventListSchema = z.object({ items: z.array(auditEventSchema) });
