import { z } from "zod";
import { idSchema } from "./organizations";

/** Network search and exact email lookup. Never an email address or phone number in a response. */
export const searchNetworkQuerySchema = z.object({ q: z.string().trim().min(2).max(100) });

export const networkSearchResultSchema = z
  .object({
    companies: z.array(z.object({ id: idSchema, name: z.string() })),
    locations: z.array(z.object({ id: idSchema, name: z.string(), city: z.string().nullable(), country: z.string().nullable(), orgId: idSchema, orgName: z.string() })),
    users: z.array(z.object({ id: idSchema, displayName: z.string(), orgId: idSchema, orgName: z.string() })),
  })
  .meta({ id: "NetworkSearchResult" });
export type NetworkSearchResult = z.infer<typeof networkSearchResultSchema>;

export const lookupUserByEmailBodySchema = z.object({ email: z.email().max(320) }).strict();
export const userHandleSchema = z
  .object({
    userId: idSchema,
    displayName: z.string(),
    orgName: z.string(),
    locations: z.array(z.object({ id: idSchema, name: z.string() })),
  })
  .meta({ id: "UserHandle" });
export type UserHandle = z.infer<typeof userHandleSchema>;
