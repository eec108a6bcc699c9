import { z } from "zod";

/** Wire schemas for organizations, locations and users. Shared by the backend (validation,
 * OpenAPI) and the pane (typed client), so the two cannot drift. */

export const idSchema = z.uuid();

export const roleSchema = z.enum(["admin", "writer"]);
export type Role = z.infer<typeof roleSchema>;

export const organizationSchema = z
  .object({ id: idSchema, name: z.string() })
  .meta({ id: "Organization" });
export type Organization = z.infer<typeof organizationSchema>;

export const locationSchema = z
  .object({
    id: idSchema,
    orgId: idSchema,
    name: z.string(),
    city: z.string().nullable(),
    country: z.string().nullable(),
  })
  .meta({ id: "Location" });
export type Location = z.infer<typeof locationSchema>;

export const createLocationBodySchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    city: z.string().trim().min(1).max(200).optional(),
    country: z.string().trim().min(1).max(100).optional(),
  })
  .strict();
export type CreateLocationBody = z.infer<typeof createLocationBodySchema>;

/** A user as the organization's admin sees them. `email` is personal data: it is returned only
 * to admins of the same organization and is stored apart from the network profile. */
export const userSchema = z
  .object({
    id: idSchema,
    orgId: idSchema,
    displayName: z.string(),
    roles: z.array(roleSchema),
    locationIds: z.array(idSchema),
    status: z.enum(["invited", "active"]),
    email: z.string(),
  })
  .meta({ id: "User" });
export type User = z.infer<typeof userSchema>;

export const inviteUserBodySchema = z
  .object({
    email: z.email().max(320),
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(roleSchema).max(2),
    locationIds: z.array(idSchema).min(1).max(100),
  })
  .strict();
export type InviteUserBody = z.infer<typeof inviteUserBodySchema>;

export const updateUserBodySchema = z
  .object({
    roles: z.array(roleSchema).max(2).optional(),
    locationIds: z.array(idSchema).min(1).max(100).optional(),
  })
  .strict()
  .refine((body) => body.roles !== undefined || body.locationIds !== undefined, {
    message: "Give roles, locationIds or both",
  });
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>;

export const idParamsSchema = z.object({ id: idSchema });

export const meSchema = z
  .object({
    user: z.object({
      id: idSchema,
      displayName: z.string(),
      orgId: idSchema,
      roles: z.array(roleSchema),
      locationIds: z.array(idSchema),
    }),
    org: organizationSchema,
  })
  .meta({ id: "Me" });
export type Me = z.infer<typeof meSchema>;

export const locationListSchema = z.object({ items: z.array(locationSchema) });
export const userListSchema = z.object({ items: z.array(userSchema) });
