import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createLocationBodySchema,
  idParamsSchema,
  inviteUserBodySchema,
  locationListSchema,
  locationSchema,
  meSchema,
  updateUserBodySchema,
  userListSchema,
  userSchema,
} from "../../shared/protocol/organizations";
import { currentUser } from "../auth/authenticate";
import { errorResponses, secured } from "../http/route-schemas";
import type { LocationRecord, UserRecord } from "./model";
import type { OrganizationService } from "./service";

/** HTTP edge of the organizations module: schemas in, service call, schemas out. No rules here. */
export interface OrganizationRoutesOptions {
  service: OrganizationService;
  /** Authentication then per-user rate limiting, in that order. */
  guard: preHandlerAsyncHookHandler[];
}

const errors = errorResponses;

function toUserDto(user: UserRecord): z.infer<typeof userSchema> {
  return { id: user.id, orgId: user.orgId, displayName: user.displayName, roles: user.roles, locationIds: user.locationIds, status: user.status, email: user.email };
}

function toLocationDto(l: LocationRecord): z.infer<typeof locationSchema> {
  return { id: l.id, orgId: l.orgId, name: l.name, city: l.city, country: l.country };
}

export function organizationRoutes(app: FastifyInstance, { service, guard }: OrganizationRoutesOptions): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get("/api/v1/me", {
    preHandler: guard,
    schema: { operationId: "getMe", tags: ["organizations"], summary: "The signed-in user and their organization", security: secured, response: { 200: meSchema, ...errors } },
    handler: async (request) => {
      const { user, org } = await service.getMe(currentUser(request));
      return {
        user: { id: user.id, displayName: user.displayName, orgId: user.orgId, roles: user.roles, locationIds: user.locationIds },
        org: { id: org.id, name: org.name },
      };
    },
  });

  api.get("/api/v1/locations", {
    preHandler: guard,
    schema: { operationId: "listLocations", tags: ["organizations"], summary: "Locations of the caller's organization", security: secured, response: { 200: locationListSchema, ...errors } },
    handler: async (request) => ({ items: (await service.listLocations(currentUser(request))).map(toLocationDto) }),
  });

  api.post("/api/v1/locations", {
    preHandler: guard,
    schema: { operationId: "createLocation", tags: ["organizations"], summary: "Create a location (admin)", security: secured, body: createLocationBodySchema, response: { 201: locationSchema, ...errors } },
    handler: async (request, reply) => {
      const location = await service.createLocation(currentUser(request), request.body);
      return reply.status(201).send(toLocationDto(location));
    },
  });

  api.get("/api/v1/users", {
    preHandler: guard,
    schema: { operationId: "listUsers", tags: ["organizations"], summary: "Users of the caller's organization (admin)", security: secured, response: { 200: userListSchema, ...errors } },
    handler: async (request) => ({ items: (await service.listUsers(currentUser(request))).map(toUserDto) }),
  });

  api.post("/api/v1/users", {
    preHandler: guard,
    schema: { operationId: "inviteUser", tags: ["organizations"], summary: "Invite a user by email (admin)", security: secured, body: inviteUserBodySchema, response: { 201: userSchema, ...errors } },
    handler: async (request, reply) => {
      const user = await service.inviteUser(currentUser(request), request.body);
      return reply.status(201).send(toUserDto(user));
    },
  });

  api.patch("/api/v1/users/:id", {
    preHandler: guard,
    schema: { operationId: "updateUser", tags: ["organizations"], summary: "Change a user's roles or locations (admin)", security: secured, params: idParamsSchema, body: updateUserBodySchema, response: { 200: userSchema, ...errors } },
    handler: async (request) => toUserDto(await service.updateUser(currentUser(request), request.params.id, request.body)),
  });
}
