import { canAdministerOrganization } from "../access/policy";
import { problems } from "../http/problem";
import type { LocationRecord, NewUser, OrganizationRecord, Principal, Role, UserRecord } from "./model";
import type { OrganizationRepository } from "./repository";

/**
 * Rules of the organizations module: who may manage users and locations, and what a valid change
 * is. Authorization questions go to the access policy; this layer turns its answers into problems.
 */
export class OrganizationService {
  constructor(private readonly repo: OrganizationRepository) {}

  async getMe(user: Principal): Promise<{ user: Principal; org: OrganizationRecord }> {
    const org = await this.repo.getOrganization(user.orgId);
    if (!org) throw problems.notFound("Your organization");
    return { user, org };
  }

  async listLocations(user: Principal): Promise<LocationRecord[]> {
    // Every member may list their own organization's locations; the query is scoped to it.
    return this.repo.listLocations(user.orgId);
  }

  async createLocation(user: Principal, input: { name: string; city?: string | undefined; country?: string | undefined }): Promise<LocationRecord> {
    this.requireAdmin(user);
    return this.repo.createLocation(user.orgId, input);
  }

  async listUsers(user: Principal): Promise<UserRecord[]> {
    this.requireAdmin(user);
    return this.repo.listUsers(user.orgId);
  }

  async inviteUser(user: Principal, input: Omit<NewUser, "displayName"> & { displayName?: string | undefined }): Promise<UserRecord> {
    this.requireAdmin(user);
    await this.requireOwnLocations(user.orgId, input.locationIds);
    if (await this.repo.emailInUse(input.email)) {
      throw problems.conflict("A user with this email address already exists", "Each email address can belong to one user in the network.");
    }
    const displayName = input.displayName ?? input.email.split("@")[0] ?? input.email;
    return this.repo.createInvitedUser(user.orgId, { ...input, displayName, roles: unique(input.roles) });
  }

  async updateUser(user: Principal, userId: string, change: { roles?: Role[] | undefined; locationIds?: string[] | undefined }): Promise<UserRecord> {
    this.requireAdmin(user);
    const target = await this.repo.getUser(user.orgId, userId);
    if (!target) throw problems.notFound("The user");
    if (change.locationIds) await this.requireOwnLocations(user.orgId, change.locationIds);
    const losesAdmin = change.roles !== undefined && target.roles.includes("admin") && !change.roles.includes("admin");
    if (losesAdmin && (await this.repo.countAdmins(user.orgId)) <= 1) {
      throw problems.conflict("An organization needs at least one admin", "Make another user an admin first.");
    }
    const updated = await this.repo.updateUser(user.orgId, userId, {
      roles: change.roles ? unique(change.roles) : undefined,
      locationIds: change.locationIds,
    });
    if (!updated) throw problems.notFound("The user");
    return updated;
  }

  private requireAdmin(user: Principal): void {
    if (!canAdministerOrganization(user, user.orgId)) throw problems.forbidden("Only organization admins can do this.");
  }

  /** Foreign and unknown location ids answer the same 404, so other tenants' ids are not confirmed. */
  private async requireOwnLocations(orgId: string, locationIds: readonly string[]): Promise<void> {
    const distinct = new Set(locationIds);
    if ((await this.repo.countLocationsInOrg(orgId, [...distinct])) !== distinct.size) {
      throw problems.notFound("A location");
    }
  }
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
